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
  return dev && dev.kind === 'bond' && dev.bond ? procNetBonding(dev) : undefined;
});

/**
 * /proc/net/vlan/config (net/8021q/vlanproc.c vlan_seq_show): present in every namespace
 * once 8021q is loaded (creating a VLAN loads it), one line per VLAN device of the
 * namespace in registration order (6.1: "biz.101        | 101  | biz").
 */
registerFile((path, ns) => {
  if (path !== '/proc/net/vlan/config' || !ns.world.modules.has('8021q')) return undefined;
  let s = 'VLAN Dev name\t | VLAN ID\nName-Type: VLAN_NAME_TYPE_RAW_PLUS_VID_NO_PAD\n';
  for (const d of ns.devicesInOrder()) if (d.kind === 'vlan' && d.lower) s += `${d.name.padEnd(15)}| ${d.vlanId}  | ${d.lower.name}\n`;
  return s;
});
