// Failures as `file:line: message` plus a unified diff, and the summary. Plain text, no colour,
// so CI logs and editors' problem matchers read it.
import { createTwoFilesPatch, structuredPatch } from 'diff';
import type { CheckReport, FileReport, UncheckedOutput } from './check.ts';
import type { LocaleProblem } from './locales.ts';
import type { Problem } from './parse.ts';
import type { CommandFailure } from './run.ts';

function describeTrailing(line: string): string {
  const ws = /[ \t]*$/.exec(line)![0];
  if (ws === '') return 'none';
  const spaces = [...ws].filter((c) => c === ' ').length;
  const tabs = ws.length - spaces;
  const parts: string[] = [];
  if (spaces > 0) parts.push(`${spaces} space${spaces > 1 ? 's' : ''}`);
  if (tabs > 0) parts.push(`${tabs} tab${tabs > 1 ? 's' : ''}`);
  return parts.join(' + ');
}

/**
 * Notes for changed lines that differ only in trailing whitespace, which a diff does not show
 * visibly (iproute2 ends many lines with a space).
 */
export function trailingWhitespaceNotes(
  expected: readonly string[],
  actual: readonly string[],
  labels: readonly [string, string] = ['expected', 'actual'],
): string[] {
  const notes: string[] = [];
  const patch = structuredPatch('a', 'b', toText(expected), toText(actual), undefined, undefined, { context: 0 });
  for (const h of patch.hunks) {
    const removed: { n: number; text: string }[] = [];
    const added: string[] = [];
    let n = h.oldStart;
    for (const l of h.lines) {
      if (l.startsWith('-')) removed.push({ n: n++, text: l.slice(1) });
      else if (l.startsWith('+')) added.push(l.slice(1));
      else if (l.startsWith(' ')) n++;
    }
    for (let i = 0; i < Math.min(removed.length, added.length); i++) {
      const a = removed[i]!;
      const b = added[i]!;
      if (a.text !== b && a.text.trimEnd() === b.trimEnd()) {
        notes.push(`line ${a.n} differs only in trailing whitespace: ${labels[0]} ${describeTrailing(a.text)}, ${labels[1]} ${describeTrailing(b)}`);
      }
    }
  }
  return notes;
}

function toText(lines: readonly string[]): string {
  return lines.length === 0 ? '' : lines.join('\n') + '\n';
}

/** A unified diff of two sections (`---` expected, `+++` actual), with whitespace notes. */
export function formatDiff(
  expected: readonly string[],
  actual: readonly string[],
  expectedName: string,
  actualName: string,
  labels: readonly [string, string] = ['expected', 'actual'],
): string {
  const patch = createTwoFilesPatch(expectedName, actualName, toText(expected), toText(actual), undefined, undefined, { context: 3 });
  const body = patch.replace(/^=+\n/, '').replace(/\n$/, '');
  const notes = trailingWhitespaceNotes(expected, actual, labels).map((n) => `note: ${n}`);
  return [body, ...notes].join('\n');
}

function indentLines(text: string, prefix = '    '): string {
  return text
    .split('\n')
    .map((l) => prefix + l)
    .join('\n');
}

export function formatFailure(f: CommandFailure): string {
  const out = [`${f.file}:${f.line}: error: ${f.message}`];
  if (f.command !== undefined) out.push(indentLines(f.command));
  if (f.expected && f.actual) out.push(formatDiff(f.expected, f.actual, `${f.file}:${f.line} (expected)`, 'model output (actual)'));
  return out.join('\n');
}

export function formatProblem(p: Problem): string {
  return `${p.file}:${p.line}: error: ${p.message}`;
}

export function formatUncheckedOutput(u: UncheckedOutput): string {
  const b = u.block;
  const fence = `\`\`\`${b.lang}`;
  return [
    `${b.file}:${b.line}: error: this ${fence} block looks like command output but is not checked`,
    `    ${b.file}:${b.firstLine + u.detection.index}: ${JSON.stringify(u.detection.text)} looks like ${u.detection.what}`,
    `    check it against the model: ${fence} scripts="SCRIPT.sh" (with "$ command" prompt lines above the output),`,
    `    or opt out with a reason readers will see: ${fence} unchecked="why it cannot be checked"`,
  ].join('\n');
}

export function formatLocaleProblem(p: LocaleProblem): string {
  const where = p.locations.map((l) => `${l.file}:${l.line}`).join(', ');
  const out = [`${where}: error: ${p.message}`];
  if (p.diff) out.push(formatDiff(p.diff.a, p.diff.b, p.diff.aName, p.diff.bName, [p.diff.aName, p.diff.bName]));
  return out.join('\n');
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function fileSummary(f: FileReport): string {
  return `${f.file}: ${f.checked.length} checked, ${f.optedOut.length} opted out, ${f.uncheckedOutput.length} unchecked output-looking`;
}

/** The last line, for CI parsers: `doctest: N passed, N failed`. */
export function finalLine(report: CheckReport): string {
  return `doctest: ${report.passed} passed, ${report.failed} failed`;
}

/** Everything the CLI prints: failures with diffs, per-file summary, opt-outs, final line. */
export function formatReport(report: CheckReport): string {
  const sections: string[] = [];
  if (report.modelError) sections.push(`error: ${report.modelError}`);
  for (const f of report.files) {
    // In line order within a file, whatever kind of failure.
    const entries: { line: number; text: string }[] = [];
    for (const p of f.malformed) entries.push({ line: p.line, text: formatProblem(p) });
    for (const u of f.uncheckedOutput) entries.push({ line: u.block.line, text: formatUncheckedOutput(u) });
    for (const r of f.results) for (const x of r.failures) entries.push({ line: x.line, text: formatFailure(x) });
    entries.sort((a, b) => a.line - b.line);
    sections.push(...entries.map((e) => e.text));
  }
  for (const p of report.localeProblems) sections.push(formatLocaleProblem(p));

  const lines: string[] = [];
  if (sections.length > 0) lines.push(sections.join('\n\n'), '');
  lines.push('doctest summary (per file):');
  for (const f of report.files) lines.push(`  ${fileSummary(f)}`);
  const optedOut = report.files.flatMap((f) => f.optedOut);
  if (optedOut.length > 0) {
    lines.push('opted out (readers see "unchecked" with the reason):');
    for (const b of optedOut) lines.push(`  ${b.file}:${b.line}: ${b.reason ?? ''}`);
  }
  const checked = report.files.reduce((n, f) => n + f.checked.length, 0);
  const unchecked = report.files.reduce((n, f) => n + f.uncheckedOutput.length, 0);
  const malformed = report.files.reduce((n, f) => n + f.parsed.blocks.filter((b) => b.problems.length > 0).length + f.parsed.problems.length, 0);
  lines.push(
    `total: ${plural(checked, 'checked block')}, ${optedOut.length} opted out, ${unchecked} unchecked output-looking (must be 0), ${malformed} malformed, ${report.localeProblems.length} locale mismatch${report.localeProblems.length === 1 ? '' : 'es'} in ${plural(report.files.length, 'file')}`,
  );
  lines.push(finalLine(report));
  return lines.join('\n');
}
