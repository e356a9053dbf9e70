// The virtual files commands like `cat` can read: each provider answers for the paths it
// knows, in the namespace the command runs in (the proc files of that network namespace).
import type { Netns } from '../../model/netns.ts';
import { procNetBonding } from './bonding.ts';

export type FileProvider = (path: string, ns: Netns) => string | undefined;

const providers: FileProvider[] = [];

export function registerFile(provider: FileProvider): void {
  providers.push(provider);
}

/** The file's content, or undefined when no provider has it (No such file or directory). */
export function readVirtualFile(path: string, ns: Netns): string | undefined {
  for (const p of providers) {
    const text = p(path, ns);
    if (text !== undefined) return text;
  }
  return undefined;
}

registerFile((path, ns) => {
  const m = /^\/proc\/net\/bonding\/([^/]+)$/.exec(path);
  if (!m) return undefined;
  const dev = ns.device(m[1]!);
  return dev && dev.bond ? procNetBonding(dev) : undefined;
});
