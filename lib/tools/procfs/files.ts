// The virtual files commands like `cat` can read: each provider answers for the paths it
// knows, in the namespace the command runs in (the proc files of that network namespace).
import type { Netns } from '../../model/netns.ts';
import { procNetBonding } from './bonding.ts';
import { kindOps } from '../../kinds/registry.ts';
import { learnedStateRefusal } from '../../trace/traffic-seen.ts';
import { UnsupportedError } from '../tool.ts';

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

/**
 * /proc/net/vlan/config (net/8021q/vlanproc.c vlan_seq_show): present in every namespace
 * once 8021q is loaded (creating a VLAN loads it), one line per VLAN device of the
 * namespace in registration order (6.1: "biz.101        | 101  | biz").
 */
registerFile((path, ns) => {
  if (path !== '/proc/net/vlan/config' || !ns.world.modules.has('8021q')) return undefined;
  let s = 'VLAN Dev name\t | VLAN ID\nName-Type: VLAN_NAME_TYPE_RAW_PLUS_VID_NO_PAD\n';
  for (const d of ns.devicesInOrder()) if (d.vlanId !== undefined && d.lower) s += `${d.name.padEnd(15)}| ${d.vlanId}  | ${d.lower.name}\n`;
  return s;
});

/**
 * /proc/net/vlan/<dev> (vlanproc.c vlandev_seq_show), for each VLAN device of the
 * namespace: the counters are the device's (the model counts no traffic), the QoS
 * maps the defaults. dev->priv_flags is IFF_802_1Q_VLAN | IFF_NO_QUEUE |
 * IFF_CHANGE_PROTO_DOWN (81001 on 6.1), plus IFF_XMIT_DST_RELEASE (0x20) when the lower
 * device has it (vlan_transfer_features; vm-captures/vlan-priv-flags.sh).
 */
registerFile((path, ns) => {
  const m = /^\/proc\/net\/vlan\/([^/]+)$/.exec(path);
  if (!m || m[1] === 'config' || !ns.world.modules.has('8021q')) return undefined;
  const dev = ns.device(m[1]!);
  if (!dev || dev.vlanId === undefined || !dev.lower) return undefined;
  // Its counters: a ping or socat through the namespace has sent frames the model does not count.
  const refusal = learnedStateRefusal(ns.world, ns.name, `cat ${path}`);
  if (refusal) throw new UnsupportedError(refusal, path);
  const row = (label: string, n = 0) => `${label.padStart(30)} ${String(n).padStart(12)}\n`;
  // What a VLAN device up with carrier has sent at once: the Router Solicitation addrconf
  // sends when its link-local address is ready (DAD off; 56 bytes of IPv6 + 14 of Ethernet;
  // the tag is not counted). Later solicitations and MLD reports are timer-driven: not modelled.
  const rs = dev.adminUp && dev.v6Ready ? 1 : 0;
  const release = kindOps(dev.lower).xmitDstRelease?.(dev.lower) ?? true;
  let s = `${dev.name}  VID: ${dev.vlanId}\t REORDER_HDR: 1  dev->priv_flags: ${release ? '81021' : '81001'}\n`;
  s += row('total frames received') + row('total bytes received') + row('Broadcast/Multicast Rcvd') + '\n';
  s += row('total frames transmitted', rs) + row('total bytes transmitted', rs * 70);
  s += `Device: ${dev.lower.name}\n`;
  s += 'INGRESS priority mappings: 0:0  1:0  2:0  3:0  4:0  5:0  6:0 7:0\n';
  s += ' EGRESS priority mappings: \n';
  return s;
});
