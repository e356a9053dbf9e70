// Reference scripts as the widgets get them (name + text), read from content/scripts.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Script } from '../../lib/views/session-pool.ts';

export const ROOT = join(import.meta.dirname, '..', '..');
export const REFERENCE = ['00-hosts', '10-fabric', '20-node-net', '21-planes', '30-overlay', '40-underlay', '50-services', '60-snat'];

export const referenceScripts: Script[] = REFERENCE.map((n) => ({ name: `${n}.sh`, text: readFileSync(join(ROOT, 'content', 'scripts', `${n}.sh`), 'utf8') }));

export function faultTexts(files: string[]): Record<string, string> {
  return Object.fromEntries(files.map((f) => [f, readFileSync(join(ROOT, 'content', 'scripts', 'faults', f), 'utf8')]));
}
