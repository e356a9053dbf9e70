// A chapter's locales (content/zh-cn/X.mdx, content/en/X.mdx, ...) must show the same checked
// blocks: same scripts, ns, commands and outputs, in the same order. Prose is translated;
// command output is not.
import type { Block, ParsedFile } from './parse.ts';
import { commandAsWritten } from './run.ts';

export interface Location {
  file: string;
  line: number;
}

export interface LocaleProblem {
  /** The places involved (both files when a pair drifted apart). */
  locations: Location[];
  message: string;
  /** A unified diff between the two blocks, when that helps. */
  diff?: { aName: string; bName: string; a: string[]; b: string[] };
}

export interface LocaleFile {
  locale: string;
  /** Path inside the locale folder without the extension, e.g. `overlay` or `guide/ovs`. */
  slug: string;
  parsed: ParsedFile;
}

/** What must be equal across locales, as text lines (for messages and diffs). */
export function blockSignature(b: Block): string[] {
  const out = [`scripts="${(b.meta.scripts ?? []).join(' ')}"${b.meta.ns !== undefined ? ` ns="${b.meta.ns}"` : ''}`];
  for (const c of b.commands) {
    out.push(commandAsWritten(c));
    out.push(...c.section);
  }
  return out;
}

function describeBlock(b: Block): string {
  const first = b.commands.find((c) => !c.hidden) ?? b.commands[0];
  return first ? `\`${commandAsWritten(first).split('\n')[0]}\`` : 'a block without commands';
}

function firstDifference(a: Block, b: Block): { line: [number, number]; what: string } {
  const sa = (a.meta.scripts ?? []).join(' ');
  const sb = (b.meta.scripts ?? []).join(' ');
  if (sa !== sb) return { line: [a.line, b.line], what: `scripts= differ ("${sa}" vs "${sb}")` };
  if ((a.meta.ns ?? '') !== (b.meta.ns ?? '')) {
    return { line: [a.line, b.line], what: `ns= differ (${JSON.stringify(a.meta.ns ?? null)} vs ${JSON.stringify(b.meta.ns ?? null)})` };
  }
  const n = Math.max(a.commands.length, b.commands.length);
  for (let i = 0; i < n; i++) {
    const ca = a.commands[i];
    const cb = b.commands[i];
    if (!ca || !cb) {
      const extra = (ca ?? cb)!;
      return {
        line: [ca?.line ?? a.line, cb?.line ?? b.line],
        what: `one has ${a.commands.length} commands, the other ${b.commands.length} (first extra: \`${commandAsWritten(extra).split('\n')[0]}\`)`,
      };
    }
    if (commandAsWritten(ca) !== commandAsWritten(cb)) {
      return { line: [ca.line, cb.line], what: `command ${i + 1} differs (\`${commandAsWritten(ca)}\` vs \`${commandAsWritten(cb)}\`)` };
    }
    if (ca.section.join('\n') !== cb.section.join('\n')) {
      return { line: [ca.sectionStart, cb.sectionStart], what: `the output of \`${commandAsWritten(ca)}\` differs` };
    }
  }
  return { line: [a.line, b.line], what: 'they differ' };
}

/**
 * Compares every chapter across `locales`. `files` are the parsed files under content/<locale>/.
 * Returns one problem per missing chapter and per chapter whose checked blocks drifted apart.
 */
export function checkLocales(files: LocaleFile[], locales: readonly string[]): LocaleProblem[] {
  const problems: LocaleProblem[] = [];
  const bySlug = new Map<string, Map<string, LocaleFile>>();
  for (const f of files) {
    let m = bySlug.get(f.slug);
    if (!m) bySlug.set(f.slug, (m = new Map()));
    m.set(f.locale, f);
  }
  const slugs = [...bySlug.keys()].sort();
  for (const slug of slugs) {
    const m = bySlug.get(slug)!;
    const present = locales.filter((l) => m.has(l));
    const missing = locales.filter((l) => !m.has(l));
    if (missing.length > 0) {
      const have = m.get(present[0]!)!;
      const ext = have.parsed.file.endsWith('.md') ? '.md' : '.mdx';
      const dir = have.parsed.file.slice(0, have.parsed.file.length - (have.locale.length + 1 + slug.length + ext.length));
      problems.push({
        locations: present.map((l) => ({ file: m.get(l)!.parsed.file, line: 1 })),
        message: `chapter "${slug}" exists in ${present.map((l) => m.get(l)!.parsed.file).join(', ')} but not in ${missing
          .map((l) => `${dir}${l}/${slug}${ext}`)
          .join(', ')}: every chapter is kept in all locales (${locales.join(', ')})`,
      });
    }
    if (present.length < 2) continue;
    const ref = m.get(present[0]!)!;
    const refBlocks = ref.parsed.blocks.filter((b) => b.kind === 'checked');
    for (const l of present.slice(1)) {
      const other = m.get(l)!;
      const otherBlocks = other.parsed.blocks.filter((b) => b.kind === 'checked');
      const n = Math.max(refBlocks.length, otherBlocks.length);
      for (let i = 0; i < n; i++) {
        const a = refBlocks[i];
        const b = otherBlocks[i];
        if (!a || !b) {
          const extra = (a ?? b)!;
          const extraFile = a ? ref.parsed.file : other.parsed.file;
          const lacking = a ? other.parsed.file : ref.parsed.file;
          problems.push({
            locations: [
              { file: ref.parsed.file, line: a?.line ?? refBlocks[refBlocks.length - 1]?.line ?? 1 },
              { file: other.parsed.file, line: b?.line ?? otherBlocks[otherBlocks.length - 1]?.line ?? 1 },
            ],
            message: `locales drifted apart: ${ref.parsed.file} has ${refBlocks.length} checked blocks, ${other.parsed.file} has ${otherBlocks.length}; checked block ${i + 1} (${extraFile}:${extra.line}, ${describeBlock(extra)}) has no counterpart in ${lacking}`,
          });
          break;
        }
        const sa = blockSignature(a);
        const sb = blockSignature(b);
        if (sa.join('\n') === sb.join('\n')) continue;
        const d = firstDifference(a, b);
        problems.push({
          locations: [
            { file: ref.parsed.file, line: d.line[0] },
            { file: other.parsed.file, line: d.line[1] },
          ],
          message: `locales drifted apart: checked block ${i + 1} of chapter "${slug}" (${ref.parsed.file}:${a.line} and ${other.parsed.file}:${b.line}): ${d.what}`,
          diff: { aName: `${ref.parsed.file}:${a.line}`, bName: `${other.parsed.file}:${b.line}`, a: sa, b: sb },
        });
      }
    }
  }
  return problems;
}
