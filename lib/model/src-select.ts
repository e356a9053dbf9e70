// Source address selection: inet_select_addr and fib_result_prefsrc.
import type { Ipv4Addr } from '../net/ipv4.ts';
import { networkOf } from '../net/ipv4.ts';
import { Scope, type Device } from './device.ts';
import type { FibResult } from './fib-lookup.ts';
import type { Netns } from './netns.ts';
import type { Nexthop } from './route.ts';

/**
 * inet_select_addr(dev, dst, scope): the first primary address of `dev` whose scope is
 * within `scope`, preferring one whose subnet holds `dst`; failing that, the first primary
 * non-link-scope address of any device in the namespace (lo first).
 */
export function selectSourceAddress(dev: Device, dst: number, scope: number): Ipv4Addr | undefined {
  const localnetScope = dev.conf.route_localnet || dev.ns.sysctl.all.route_localnet ? Scope.link : Scope.host;
  let addr: Ipv4Addr | undefined;
  for (const ifa of dev.ipv4) {
    if (ifa.secondary) continue;
    if (Math.min(ifa.scope, localnetScope) > scope) continue;
    if (!dst || networkOf(dst, ifa.len) === networkOf(ifa.local, ifa.len)) return ifa.local;
    addr ??= ifa.local;
  }
  if (addr !== undefined) return addr;
  // in_dev_select_addr on every device (lo first): the address's own scope, without the
  // route_localnet widening the first loop applies.
  for (const d of dev.ns.devicesInOrder()) {
    for (const ifa of d.ipv4) {
      if (ifa.secondary) continue;
      if (ifa.scope !== Scope.link && ifa.scope <= scope) return ifa.local;
    }
  }
  return undefined;
}

/**
 * The kernel caches the selected source in each nexthop (nh_saddr) with the namespace's
 * dev_addr_genid, bumped by every address added or deleted; it is chosen when the route is
 * created and again only after such a change. So a later sysctl (route_localnet) does not
 * change the source of an existing route until some address changes.
 */
const saddrCache = new WeakMap<Nexthop, { genid: number; saddr: Ipv4Addr | undefined }>();
const addrGenid = new WeakMap<Netns, number>();

/** atomic_inc(&net->ipv4.dev_addr_genid): an address was added or deleted. */
export function bumpAddrGenid(ns: Netns): void {
  addrGenid.set(ns, (addrGenid.get(ns) ?? 0) + 1);
}

/** fib_info_update_nhc_saddr: (re)select and cache the nexthop's source address. */
export function updateNexthopSaddr(nh: Nexthop, routeScope: number): Ipv4Addr | undefined {
  if (!nh.dev) return undefined;
  const saddr = selectSourceAddress(nh.dev, nh.gw ?? 0, routeScope);
  saddrCache.set(nh, { genid: addrGenid.get(nh.dev.ns) ?? 0, saddr });
  return saddr;
}

/** fib_result_prefsrc: the route's `src`, else the nexthop's (cached) selected address. */
export function resultPrefsrc(res: FibResult): Ipv4Addr | undefined {
  if (res.route.prefsrc !== undefined) return res.route.prefsrc;
  const nh = res.nh;
  if (!nh?.dev) return undefined;
  const c = saddrCache.get(nh);
  if (c && c.genid === (addrGenid.get(nh.dev.ns) ?? 0)) return c.saddr;
  return updateNexthopSaddr(nh, res.route.scope);
}
