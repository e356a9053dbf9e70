// The doctest over the site's real content/: it must pass, and it must catch a one-character
// change to any checked output.
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { allFailures, checkContent, findLocales, listContentFiles, type CheckReport } from '../../lib/doctest/check.ts';
import { formatReport } from '../../lib/doctest/report.ts';
import { cleanup, copySite, FIXTURE, REPO } from './helpers.ts';

afterAll(cleanup);

const F = '```';

/** The first visible command with output in a checked block of the default locale. */
function firstCheckedOutput(report: CheckReport): { path: string; file: string; line: number; indent: string } | undefined {
  const ordered = [...report.files].sort((a, b) => Number(b.file.includes('/zh-cn/')) - Number(a.file.includes('/zh-cn/')));
  for (const f of ordered) {
    for (const b of f.checked) {
      if (b.problems.length > 0 || b.indent === undefined) continue;
      for (const c of b.commands) {
        const i = c.output.findIndex((l) => l.trim() !== '');
        if (!c.hidden && i >= 0) return { path: f.path, file: f.file, line: c.sectionStart + i, indent: b.indent };
      }
    }
  }
  return undefined;
}

/**
 * While the chapters have no checked block yet, give the copy one (in every locale), so the
 * mutation below still runs through the real tree. Returns whether it injected.
 */
function ensureCheckedBlock(dir: string): boolean {
  const content = join(dir, 'content');
  const locales = findLocales(content);
  const chapter = locales.length > 0 ? listContentFiles(join(content, locales[0]!))[0] : undefined;
  if (!chapter) throw new Error('content/ has no chapter');
  const name = chapter.slice(join(content, locales[0]!).length + 1);
  mkdirSync(join(content, 'scripts'), { recursive: true });
  copyFileSync(join(FIXTURE, 'content/scripts/h1.sh'), join(content, 'scripts/doctest-test-h1.sh'));
  for (const l of locales) {
    const p = join(content, l, name);
    if (!existsSync(p)) continue;
    const block = ['', `${F}console scripts="doctest-test-h1.sh" ns="h1"`, '$ ip route', '10.0.0.0/24 dev e0 proto kernel scope link src 10.0.0.1 ', F, ''];
    writeFileSync(p, readFileSync(p, 'utf8').replace(/\n*$/, '\n') + block.join('\n'));
  }
  return true;
}

function mutateOneCharacter(path: string, line: number): { before: string; after: string } {
  const src = readFileSync(path, 'utf8');
  const lines = src.split('\n');
  const before = lines[line - 1]!;
  // The last non-space character becomes another one.
  const m = /\S(?=\s*$)/.exec(before)!;
  const c = before[m.index]!;
  const replacement = /\d/.test(c) ? String((Number(c) + 1) % 10) : c === 'x' ? 'y' : 'x';
  const after = before.slice(0, m.index) + replacement + before.slice(m.index + 1);
  lines[line - 1] = after;
  writeFileSync(path, lines.join('\n'));
  return { before, after };
}

describe('the real content/', () => {
  it('passes: 0 failures and 0 unchecked output-looking blocks', async () => {
    const report = await checkContent({ root: REPO });
    const unchecked = report.files.flatMap((f) => f.uncheckedOutput.map((u) => `${u.block.file}:${u.block.line}`));
    expect(unchecked, formatReport(report)).toEqual([]);
    expect(report.failed, formatReport(report)).toBe(0);
  });

  it('a copy passes as the original does, and one changed character in one checked output fails with file:line and a diff', async () => {
    const dir = copySite(REPO);
    let unmutated = await checkContent({ root: dir });
    if (!firstCheckedOutput(unmutated)) {
      ensureCheckedBlock(dir);
      unmutated = await checkContent({ root: dir });
    }
    // The unmutated copy: every checked block passes, and nothing fails that does not fail in content/ itself.
    const original = await checkContent({ root: REPO });
    expect(allFailures(unmutated), formatReport(unmutated)).toEqual([]);
    expect(unmutated.localeProblems).toEqual([]);
    expect(unmutated.failed).toBe(original.failed);

    const target = firstCheckedOutput(unmutated)!;
    const { before, after } = mutateOneCharacter(target.path, target.line);
    expect(after).not.toBe(before);
    const mutated = await checkContent({ root: dir });
    const failures = allFailures(mutated);
    expect(failures).toHaveLength(1);
    const f = failures[0]!;
    expect(f.kind).toBe('mismatch');
    expect(f.file).toBe(target.file);
    const text = formatReport(mutated);
    expect(text).toContain(`${f.file}:${f.line}: error: the output differs from the model's`);
    expect(text).toContain(`--- ${f.file}:${f.line} (expected)\n+++ model output (actual)\n@@ `);
    expect(text).toContain(`\n-${after.slice(target.indent.length)}\n+${before.slice(target.indent.length)}\n`);
    // The other locale still shows the right output: the locales drifted apart.
    expect(mutated.localeProblems.length).toBe(1);
    expect(mutated.failed).toBe(unmutated.failed + 2);
    expect(text.split('\n').at(-1)).toBe(`doctest: ${mutated.passed} passed, ${mutated.failed} failed`);
  });
});
