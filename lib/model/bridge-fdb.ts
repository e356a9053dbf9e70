// The forwarding database of a Linux bridge (net/bridge/br_fdb.c) as `bridge fdb` shows it,
// on the reference kernel (Debian's 6.1, built with CONFIG_BRIDGE_VLAN_FILTERING: the
// default PVID 1 gives every local entry a `vlan 1` twin even with vlan_filtering 0).
// Entries are kept newest first (hlist_add_head). The model sends no traffic through a
// bridge from scripts, so there are no learned entries: only the local ones the kernel adds
// for the bridge's and its ports' own addresses, and those a user adds.
import type { Mac } from '../net/mac.ts';
import { slavesOf, type Device } from './device.ts';

export interface BridgeFdbEntry {
  mac: Mac;
  /** The port it points to; undefined for the bridge's own address. */
  port: Device | undefined;
  /** 0, or the default PVID 1. */
  vlan: number;
  state: 'permanent' | 'static' | 'reachable';
  /** Added by the kernel for an own address (BR_FDB_LOCAL without BR_FDB_ADDED_BY_USER). */
  own: boolean;
}

const fdbs = new WeakMap<Device, BridgeFdbEntry[]>();

/** The bridge's entries, newest first. */
export function bridgeFdb(br: Device): BridgeFdbEntry[] {
  let l = fdbs.get(br);
  if (!l) fdbs.set(br, (l = []));
  return l;
}

/** fdb_add_local for vid 0 and then for each VLAN (the default PVID 1): each lands at the head. */
function addOwn(l: BridgeFdbEntry[], mac: Mac, port: Device | undefined): void {
  for (const vlan of [0, 1]) {
    // fdb_add_local: an address already local (another port's) is left as it is.
    if (l.some((e) => e.mac === mac && e.vlan === vlan)) continue;
    l.unshift({ mac, port, vlan, state: 'permanent', own: true });
  }
}

/**
 * Brings the kernel-made entries in line after a change: br_add_if adds the port's address,
 * br_del_if drops every entry of a port that left (br_fdb_delete_by_port), br_fdb_changeaddr
 * moves a port's own entries to its new address, and br_fdb_change_mac_address does the same
 * for an address set on the bridge. While the bridge takes its address from its ports it
 * has no entry of its own (the port's entry already holds it).
 */
export function bridgeFdbSync(br: Device): void {
  const l = bridgeFdb(br);
  const ports = new Set(slavesOf(br));
  for (let i = l.length - 1; i >= 0; i--) {
    const e = l[i]!;
    if (e.port && !ports.has(e.port)) l.splice(i, 1);
    else if (e.own && e.port && e.mac !== e.port.mac) l.splice(i, 1);
    else if (e.own && !e.port && (!br.macSetByUser || e.mac !== br.mac)) l.splice(i, 1);
  }
  for (const p of slavesOf(br)) if (!l.some((e) => e.own && e.port === p)) addOwn(l, p.mac, p);
  if (br.macSetByUser && !l.some((e) => e.own && !e.port)) addOwn(l, br.mac, undefined);
}

/** Whether the bridge's own address is one the model cannot know (random, no port yet). */
export function bridgeAddressUnknown(br: Device): boolean {
  return !br.macSetByUser && slavesOf(br).length === 0;
}
