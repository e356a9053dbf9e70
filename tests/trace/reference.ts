// The reference cluster, built once per test file from content/scripts.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Session } from '../../lib/session.ts';
import { SITE } from '../../lib/site/manifest.ts';

export const ROOT = join(import.meta.dirname, '..', '..');
export const PRODUCTION = SITE.scripts.production;

export function referenceSession(extra: string[] = [], scripts = PRODUCTION): Session {
  const s = new Session();
  for (const f of scripts) {
    const r = s.runScript(readFileSync(join(ROOT, 'content', 'scripts', `${f}.sh`), 'utf8'), `${f}.sh`);
    if (r.status !== 0) throw new Error(`${f}.sh: ${r.stderr}`);
  }
  for (const [i, text] of extra.entries()) {
    const r = s.runScript(text, `fault-${i}.sh`);
    if (r.status !== 0) throw new Error(`fault script: ${r.stderr}`);
  }
  return s;
}
