// A device's multicast address list (dev->mc), which `bridge fdb show` dumps for devices
// without an FDB of their own (ndo_dflt_fdb_dump: in the order entries were added). Each
// entry counts its own references (the stacks that joined it on this device) and the
// devices that synced it here (dev_mc_sync: a VLAN or ipvlan onto its lower device, a bond
// onto its members). Seen on 6.1 (tests/model/vm-captures/mc-lists.sh, ovs-bond-lacp.sh):
// - IPv6 all-nodes (33:33:00:00:00:01) at registration (ipv6_add_dev joins ff02::1);
// - IPv4 all-hosts (01:00:5e:00:00:01) at up (ip_mc_up), dropped at down (ip_mc_down);
//   down drops the IPv6 groups too (ipv6_mc_down) — not on a bond member — and the next up
//   joins them again, after all-hosts;
// - a solicited-node group (33:33:ff:xx:xx:xx) per IPv6 address, none on NOARP devices;
// - 01:80:c2:00:00:21 (GVRP/MVRP applicants) while the device has 802.1Q uppers;
// - 01:80:c2:00:00:02 (LACPDUs) on each member of an 802.3ad bond.
import type { Mac } from '../net/mac.ts';
import { isLoopback, Scope, type Device } from './device.ts';
import { kindOps } from '../kinds/registry.ts';

export const ALL_NODES = '33:33:00:00:00:01' as Mac;
export const ALL_HOSTS = '01:00:5e:00:00:01' as Mac;
export const MRP_GROUP = '01:80:c2:00:00:21' as Mac;
export const LACPDU_GROUP = '01:80:c2:00:00:02' as Mac;

export interface HwAddr {
  mac: Mac;
  /** References taken on this device itself. */
  own: number;
  /** Devices that synced the address onto this one. */
  from: Set<Device>;
  /** A solicited-node group (kept in step with the device's IPv6 addresses). */
  solicited?: boolean;
}

function list(dev: Device): HwAddr[] {
  dev.mc ??= [];
  return dev.mc;
}

export function mcAdd(dev: Device, mac: Mac, solicited = false): void {
  const l = list(dev);
  const e = l.find((x) => x.mac === mac);
  if (e) {
    e.own++;
    if (solicited) e.solicited = true;
  } else l.push({ mac, own: 1, from: new Set(), ...(solicited ? { solicited } : {}) });
}

export function mcDel(dev: Device, mac: Mac): void {
  const l = list(dev);
  const i = l.findIndex((x) => x.mac === mac && x.own > 0);
  if (i < 0) return;
  const e = l[i]!;
  e.own--;
  if (e.own === 0 && e.from.size === 0) l.splice(i, 1);
}

/** The solicited-node multicast MAC of an IPv6 address (33:33:ff + its last three bytes). */
export function solicitedMac(addr: readonly number[]): Mac {
  return `33:33:ff:${addr.slice(13).map((b) => b.toString(16).padStart(2, '0')).join(':')}` as Mac;
}

/** addrconf_join_solict for a new address (none on NOARP devices). */
export function mcJoinSolicited(dev: Device, addr: readonly number[]): void {
  if (dev.noarp || isLoopback(dev)) return;
  mcAdd(dev, solicitedMac(addr), true);
}

/** The groups of addresses that go (addrconf_leave_solict). */
export function mcLeaveSolicited(dev: Device, addrs: readonly { addr: readonly number[]; scope: number }[]): void {
  for (const a of addrs) {
    if (a.scope === Scope.host) continue;
    const mac = solicitedMac(a.addr);
    const e = list(dev).find((x) => x.mac === mac && x.solicited);
    if (e) {
      mcDel(dev, mac);
      if (!list(dev).includes(e) || e.own === 0) delete e.solicited;
    }
  }
}

/** Brings the solicited-node groups in step with the device's IPv6 addresses. */
function reconcileSolicited(dev: Device): void {
  const want = new Map<string, number>();
  if (!dev.noarp && !isLoopback(dev)) {
    for (const a of dev.ipv6) if (a.scope !== Scope.host) want.set(solicitedMac(a.addr), (want.get(solicitedMac(a.addr)) ?? 0) + 1);
  }
  for (const e of [...list(dev)]) {
    if (!e.solicited) continue;
    if (!want.has(e.mac)) {
      while (e.own > 0 && list(dev).includes(e)) mcDel(dev, e.mac);
      delete e.solicited;
    }
  }
  for (const [mac] of want) if (!list(dev).some((e) => e.mac === mac && e.solicited)) mcAdd(dev, mac as Mac, true);
}

/** Devices that sync their list onto `dev`: its up VLAN/ipvlan uppers, its bond when up. */
function syncSources(dev: Device): Device[] {
  const out: Device[] = [];
  for (const u of dev.ns.world.uppers.get(dev) ?? []) if (u.adminUp) out.push(u);
  const m = dev.master;
  if (m?.adminUp && kindOps(m).syncsMcToSlaves?.(m, dev)) out.push(m);
  return out;
}

/** The list as dumped, after bringing derived entries (solicited-node, synced) up to date. */
export function mcList(dev: Device, seen = new Set<Device>()): Mac[] {
  if (seen.has(dev)) return list(dev).map((e) => e.mac);
  seen.add(dev);
  reconcileSolicited(dev);
  const sources = syncSources(dev);
  const l = list(dev);
  for (const e of [...l]) {
    for (const s of [...e.from]) {
      if (!sources.includes(s) || !mcList(s, seen).includes(e.mac)) e.from.delete(s);
    }
    if (e.own === 0 && e.from.size === 0) l.splice(l.indexOf(e), 1);
  }
  for (const s of sources) {
    for (const mac of mcList(s, seen)) {
      const e = l.find((x) => x.mac === mac);
      if (e) e.from.add(s);
      else l.push({ mac, own: 0, from: new Set([s]) });
    }
  }
  return l.map((e) => e.mac);
}
