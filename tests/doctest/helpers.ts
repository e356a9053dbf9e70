// Shared helpers of the doctest tests.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** A tiny site: content/{zh-cn,en}/demo.mdx and content/scripts/h1.sh, h2.sh. */
export const FIXTURE = join(REPO, 'tests/doctest/fixtures/site');

const temps: string[] = [];

/** A temp directory holding a copy of `from`'s content/ (as TMP/content). */
export function copySite(from: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'netatlas-doctest-'));
  temps.push(dir);
  cpSync(join(from, 'content'), join(dir, 'content'), { recursive: true });
  return dir;
}

export function cleanup(): void {
  for (const d of temps.splice(0)) rmSync(d, { recursive: true, force: true });
}

export function edit(path: string, f: (s: string) => string): void {
  const before = readFileSync(path, 'utf8');
  const after = f(before);
  if (after === before) throw new Error(`edit of ${path} changed nothing`);
  writeFileSync(path, after);
}

/** Replaces exactly one occurrence of `from` (fails if there is none or several). */
export function replaceOnce(s: string, from: string, to: string): string {
  const i = s.indexOf(from);
  if (i < 0 || s.indexOf(from, i + 1) >= 0) throw new Error(`expected exactly one ${JSON.stringify(from)}`);
  return s.slice(0, i) + to + s.slice(i + from.length);
}
