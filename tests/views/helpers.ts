// Reference scripts as the widgets get them (name + text), read from content/scripts.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Script } from '../../lib/views/session-pool.ts';
import { SITE } from '../../lib/site/manifest.ts';

export const ROOT = join(import.meta.dirname, '..', '..');
export const REFERENCE = SITE.scripts.production;

export const referenceScripts: Script[] = REFERENCE.map((n) => ({ name: `${n}.sh`, text: readFileSync(join(ROOT, 'content', 'scripts', `${n}.sh`), 'utf8') }));

export function faultTexts(files: string[]): Record<string, string> {
  return Object.fromEntries(files.map((f) => [f, readFileSync(join(ROOT, 'content', 'scripts', 'faults', f), 'utf8')]));
}
