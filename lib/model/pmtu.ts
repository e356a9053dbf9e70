// Path MTU exceptions: what an ICMP "fragmentation needed" leaves behind in the namespace that
// receives it (struct fib_nh_exception, net/ipv4/route.c). The kernel hangs them on the
// nexthop of the route the destination used, so deleting or replacing that route drops them;
// `ip route flush cache` (net.ipv4.route.flush) invalidates them all by bumping fnhe_genid;
// a device's MTU change carries them along (fib_nhc_update_mtu).
//
// The model keeps no clock: an exception never expires, and `expires` is the figure the
// kernel prints right after it was made (net.ipv4.route.mtu_expires at that moment, minus the
// second that has begun). The reference kernel comparison masks that figure
// (tests/lab/vm-shows.ts TRAFFIC_MASKS).
import type { Ipv4Addr } from '../net/ipv4.ts';
import type { Device } from './device.ts';
import type { Netns } from './netns.ts';
import type { Nexthop, Route } from './route.ts';

/** net.ipv4.route.min_pmtu's default: a smaller "fragmentation needed" MTU is raised to it, locked. */
export const MIN_PMTU = 552;

export interface PmtuException {
  readonly daddr: Ipv4Addr;
  mtu: number;
  /** RTAX_MTU locked: the ICMP carried less than min_pmtu (`mtu lock 552`). */
  locked: boolean;
  /** Seconds `ip route get` shows as `expires Nsec` (see the file comment). */
  readonly expires: number;
  readonly genid: number;
}

declare module './extensions.ts' {
  interface NsExtensions {
    /** net->ipv4.fnhe_genid: bumped by `ip route flush cache`. */
    fnheGenid?: number;
  }
}

/** The exceptions hanging on each nexthop (fib_nh_common.nhc_exceptions). */
const exceptions = new WeakMap<Nexthop, Map<number, PmtuException>>();

function genid(ns: Netns): number {
  return ns.ext.fnheGenid ?? 0;
}

/** find_exception: the live exception for `daddr` on this nexthop, if any. */
export function findPmtu(ns: Netns, nh: Nexthop | undefined, daddr: number): PmtuException | undefined {
  if (!nh) return undefined;
  const e = exceptions.get(nh)?.get(daddr);
  return e && live(ns, e) ? e : undefined;
}

/** An exception made before the last `ip route flush cache` is gone (fnhe_genid). */
function live(ns: Netns, e: PmtuException): boolean {
  return e.genid === genid(ns);
}

/**
 * __ip_rt_update_pmtu + update_or_create_fnhe: an ICMP "fragmentation needed" carrying `mtu`
 * reached a socket in `ns` for a packet to `daddr` sent over `nh`, whose current path MTU is
 * `current` (ipv4_mtu). A larger figure than the current one is ignored; one below min_pmtu
 * becomes min_pmtu, locked.
 */
export function updatePmtu(ns: Netns, nh: Nexthop, daddr: Ipv4Addr, current: number, mtu: number): void {
  if (mtu > current) return;
  let locked = false;
  if (mtu < MIN_PMTU) {
    locked = true;
    mtu = Math.min(current, MIN_PMTU);
  }
  let byDst = exceptions.get(nh);
  if (!byDst) exceptions.set(nh, (byDst = new Map()));
  byDst.set(daddr, { daddr, mtu, locked, expires: Math.max(0, ns.sysctl.routeMtuExpires - 1), genid: genid(ns) });
}

/** rt_cache_flush + fnhe_genid_bump (writing net.ipv4.route.flush). */
export function flushRouteCache(ns: Netns): void {
  ns.ext.fnheGenid = genid(ns) + 1;
}

/**
 * fib_sync_mtu → fib_nhc_update_mtu on each nexthop through `dev` when its MTU goes from
 * `before` to `dev.mtu`: a lower MTU caps the exceptions above it, and those that were at the
 * old device MTU follow it; a locked one is capped (and unlocked) only.
 */
export function deviceMtuChanged(dev: Device, before: number): void {
  const after = dev.mtu;
  for (const { nh } of nexthopsThrough(dev.ns, dev)) {
    for (const e of exceptions.get(nh)?.values() ?? []) {
      if (e.locked) {
        if (after <= e.mtu) {
          e.mtu = after;
          e.locked = false;
        }
      } else if (after < e.mtu || e.mtu === before) e.mtu = after;
    }
  }
}

/** Every live exception, table by table in dump order, for `ip route show cache`. */
export function allExceptions(ns: Netns): { route: Route; nh: Nexthop; exc: PmtuException }[] {
  const out: { route: Route; nh: Nexthop; exc: PmtuException }[] = [];
  for (const { route, nh } of nexthopsThrough(ns)) {
    for (const exc of exceptions.get(nh)?.values() ?? []) if (live(ns, exc)) out.push({ route, nh, exc });
  }
  return out;
}

function nexthopsThrough(ns: Netns, dev?: Device): { route: Route; nh: Nexthop }[] {
  const out: { route: Route; nh: Nexthop }[] = [];
  for (const t of ns.tablesInDumpOrder()) {
    for (const route of t.all()) for (const nh of route.nexthops) if (!dev || nh.dev === dev) out.push({ route, nh });
  }
  return out;
}
