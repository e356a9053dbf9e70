// `ip addr add/del`: inet_insert_ifa's ordering and duplicate rules, then the routes.
import { networkOf, type Ipv4Addr } from '../net/ipv4.ts';
import type { Device, DeviceConf, Ipv4AddrEntry } from './device.ts';
import type { Netns } from './netns.ts';
import { KernelError } from './errno.ts';
import { addIfaddrRoutes, delIfaddrRoutes, onLastAddressGone } from './ifaddr.ts';
import { bumpAddrGenid } from './src-select.ts';

/**
 * devinet's cnf->state: the per-device IPv4 sysctls that count as set, so that a later write
 * to net.ipv4.conf.default.* no longer reaches them (devinet_copy_dflt_conf). A value is set
 * by writing it for the device, and all of them once the device gets its first address
 * (__inet_insert_ifa calls ipv4_devconf_setall); a new device inherits the state of
 * `default` (written there before the device existed = set).
 */
const confState = new WeakMap<DeviceConf, Set<string> | 'all'>();

export function devconfMarkSet(conf: DeviceConf, key?: string): void {
  const cur = confState.get(conf);
  if (cur === 'all') return;
  if (key === undefined) confState.set(conf, 'all');
  else (cur ?? confState.set(conf, new Set()).get(conf) as Set<string>).add(key);
}

/** inetdev_init copies net.ipv4.conf.default into a new device, its state bits included. */
export function devconfInherit(conf: DeviceConf, from: DeviceConf): void {
  const cur = confState.get(from);
  if (cur === undefined) confState.delete(conf);
  else confState.set(conf, cur === 'all' ? 'all' : new Set(cur));
}

export function devconfIsSet(conf: DeviceConf, key: string): boolean {
  const cur = confState.get(conf);
  return cur === 'all' || (cur !== undefined && cur.has(key));
}

/** Insertion order of addresses: inet_addr_lst is a hash with head insertion (newest first). */
const addrSerials = new WeakMap<Ipv4AddrEntry, number>();
let addrSerial = 0;

/**
 * inet_lookup_ifaddr_rcu / __ip_dev_find's first step: the device of the most recently
 * added address equal to `addr` (the same address may be on several devices).
 */
export function deviceOfAddress(ns: Netns, addr: number): Device | undefined {
  let best: Device | undefined;
  let bestSerial = -1;
  for (const d of ns.devicesInOrder()) {
    for (const a of d.ipv4) {
      if (a.local !== addr) continue;
      const s = addrSerials.get(a) ?? 0;
      if (s > bestSerial) {
        best = d;
        bestSerial = s;
      }
    }
  }
  return best;
}

export function addAddress(dev: Device, ifa: Omit<Ipv4AddrEntry, 'secondary'>): Ipv4AddrEntry {
  const entry: Ipv4AddrEntry = { ...ifa, secondary: false };
  // inet_rtm_newaddr: find_matching_ifa (same local, same prefix) comes before the scope check.
  if (dev.ipv4.some((a) => a.local === entry.local && a.len === entry.len && networkOf(a.peer ?? a.local, a.len) === networkOf(entry.peer ?? entry.local, entry.len))) {
    throw new KernelError('EEXIST', 'ipv4: Address already assigned');
  }
  let lastPrimary = 0;
  for (let i = 0; i < dev.ipv4.length; i++) {
    const a = dev.ipv4[i]!;
    if (!a.secondary && entry.scope <= a.scope) lastPrimary = i + 1;
    if (a.len === entry.len && networkOf(a.local, a.len) === networkOf(entry.local, entry.len)) {
      if (a.local === entry.local) throw new KernelError('EEXIST', 'ipv4: Address already assigned');
      if (a.scope !== entry.scope) throw new KernelError('EINVAL', 'ipv4: Invalid scope value');
      entry.secondary = true;
    }
  }
  if (entry.secondary) dev.ipv4.push(entry);
  else dev.ipv4.splice(lastPrimary, 0, entry);
  addrSerials.set(entry, ++addrSerial);
  devconfMarkSet(dev.conf);
  addIfaddrRoutes(dev, entry);
  bumpAddrGenid(dev.ns);
  return entry;
}

/**
 * inet_rtm_deladdr + __inet_del_ifa: the first address matching local (and prefix length
 * when given). Without promote_secondaries, deleting a primary first deletes the
 * secondaries of its subnet (each unlinked and announced while the primary is still there),
 * then the primary; deleting the device's last address disables IP on it.
 */
export function deleteAddress(dev: Device, local: Ipv4Addr, len: number | undefined): void {
  const i = dev.ipv4.findIndex((a) => a.local === local && (len === undefined || a.len === len));
  if (i < 0) throw new KernelError('EADDRNOTAVAIL', 'ipv4: Address not found');
  const ifa1 = dev.ipv4[i]!;
  if (!ifa1.secondary) {
    const net = networkOf(ifa1.peer ?? ifa1.local, ifa1.len);
    for (const s of dev.ipv4.slice(i + 1)) {
      if (!s.secondary || s.len !== ifa1.len || networkOf(s.peer ?? s.local, s.len) !== net) continue;
      dev.ipv4.splice(dev.ipv4.indexOf(s), 1);
      delIfaddrRoutes(dev, s);
    }
  }
  dev.ipv4.splice(dev.ipv4.indexOf(ifa1), 1);
  delIfaddrRoutes(dev, ifa1);
  bumpAddrGenid(dev.ns);
  if (dev.ipv4.length === 0) onLastAddressGone(dev);
}

/**
 * `ip addr flush`: every address of the family (0 = both). IPv6 addresses go with their
 * routes (the fe80::/64 of a link-local, the local route); the device's ff00::/8 stays.
 */
export function flushAddresses(dev: Device, family: 0 | 4 | 6 = 0): void {
  if (family !== 6) while (dev.ipv4.length > 0) deleteAddress(dev, dev.ipv4[0]!.local, dev.ipv4[0]!.len);
  if (family !== 4) dev.ipv6 = [];
}
