// Adding and deleting routes: fib_create_info's checks (nexthop validation) and
// fib_table_insert/fib_table_delete's alias rules.
import type { Ipv4Addr, Ipv4Prefix } from '../net/ipv4.ts';
import { Scope, hasCarrier, type Device } from './device.ts';
import { KernelError } from './errno.ts';
import { flow, fibLookup, tableLookup } from './fib-lookup.ts';
import type { Netns } from './netns.ts';
import { Table, TYPE_ERRORS, TYPE_MIN_SCOPE, type Nexthop, type Route, type RouteType } from './route.ts';

export interface RouteSpec {
  table: number;
  type: RouteType;
  dst: Ipv4Prefix;
  tos: number;
  metric: number;
  proto: number;
  scope: number;
  prefsrc?: Ipv4Addr;
  gw?: Ipv4Addr;
  dev?: Device;
  onlink: boolean;
}

export type RouteOp = 'add' | 'append' | 'prepend' | 'replace' | 'change';

/** fib_check_nh and friends: resolve and validate the nexthop of a new route. */
function buildNexthop(ns: Netns, spec: RouteSpec): Nexthop | undefined {
  if (TYPE_ERRORS[spec.type]) {
    if (spec.gw !== undefined || spec.dev) {
      throw new KernelError('EINVAL', 'Gateway, device and multipath can not be specified for this route type');
    }
    return undefined;
  }
  if (spec.scope === Scope.host) {
    if (spec.gw !== undefined) throw new KernelError('EINVAL', 'Route with host scope can not have a gateway');
    if (!spec.dev) throw new KernelError('ENODEV');
    return { dev: spec.dev, onlink: false, scope: Scope.nowhere, weight: 1 };
  }
  if (spec.gw !== undefined) {
    if (spec.onlink) {
      if (spec.scope >= Scope.link) throw new KernelError('EINVAL', 'Nexthop has invalid scope');
      if (!spec.dev) throw new KernelError('EINVAL', 'Nexthop device required for onlink');
      if (!spec.dev.adminUp) throw new KernelError('ENETDOWN', 'Nexthop device is not up');
      if (addrTypeOnDev(ns, spec.dev, spec.gw) !== 'unicast') throw new KernelError('EINVAL', 'Nexthop has invalid gateway');
      return { gw: spec.gw, dev: spec.dev, onlink: true, scope: Scope.link, weight: 1 };
    }
    const fl = flow(spec.gw, {
      scope: Math.max(spec.scope + 1, Scope.link),
      oif: spec.dev?.ifindex ?? 0,
      oifName: spec.dev?.name ?? '',
      iifName: 'lo',
      ignoreLinkState: true,
    });
    let out = spec.table !== Table.main ? tableLookup(ns, spec.table, fl) : undefined;
    if (!out || !out.ok) out = fibLookup(ns, fl);
    if (!out.ok) throw new KernelError('EINVAL', 'Nexthop has invalid gateway');
    const { route } = out.res;
    if (route.type !== 'unicast' && route.type !== 'local') throw new KernelError('EINVAL', 'Nexthop has invalid gateway');
    const dev = out.res.nh?.dev;
    if (!dev) throw new KernelError('EINVAL', 'No egress device for nexthop gateway');
    if (!dev.adminUp) throw new KernelError('ENETDOWN');
    return { gw: spec.gw, dev, onlink: false, scope: route.scope, weight: 1 };
  }
  if (spec.onlink) throw new KernelError('EINVAL', 'Invalid flags for nexthop - can not contain DEAD or ONLINK');
  if (!spec.dev) throw new KernelError('ENODEV');
  if (!spec.dev.adminUp) throw new KernelError('ENETDOWN', 'Device for nexthop is not up');
  return { dev: spec.dev, onlink: false, scope: Scope.host, weight: 1 };
}

/** inet_addr_type_dev_table: the type of `addr` as seen from the table `dev` uses. */
function addrTypeOnDev(ns: Netns, _dev: Device, addr: number): RouteType {
  if (addr === 0xffffffff || addr >>> 24 === 0 || addr >>> 28 === 0xe) return addr >>> 28 === 0xe ? 'multicast' : 'broadcast';
  const out = tableLookup(ns, Table.local, flow(addr));
  return out && out.ok ? out.res.route.type : 'unicast';
}

/** fib_valid_prefsrc. */
function validPrefsrc(ns: Netns, spec: RouteSpec, src: number): boolean {
  if (spec.type === 'local' && spec.dst.len === 32 && spec.dst.addr === src) return true;
  const isLocal = (tb: number) => {
    const out = tableLookup(ns, tb, flow(src));
    return !!out && out.ok && out.res.route.type === 'local';
  };
  const tb = spec.table === Table.main ? Table.local : spec.table;
  return isLocal(tb) || (tb !== Table.local && isLocal(Table.local));
}

export function addRoute(ns: Netns, spec: RouteSpec, op: RouteOp): Route {
  if (spec.scope > Scope.host) throw new KernelError('EINVAL', 'Invalid scope');
  if (TYPE_MIN_SCOPE[spec.type] > spec.scope) throw new KernelError('EINVAL', 'Invalid scope');
  const nh = buildNexthop(ns, spec);
  if (spec.prefsrc !== undefined && !validPrefsrc(ns, spec, spec.prefsrc)) throw new KernelError('EINVAL', 'Invalid prefsrc address');
  const route: Route = {
    table: spec.table,
    type: spec.type,
    dst: spec.dst,
    tos: spec.tos,
    metric: spec.metric,
    proto: spec.proto,
    scope: spec.scope,
    nexthops: nh ? [nh] : [],
    serial: ns.routeSerial++,
    ...(spec.prefsrc !== undefined ? { prefsrc: spec.prefsrc } : {}),
  };
  if (op === 'change' && !ns.existingTable(spec.table)) throw new KernelError('ESRCH');
  const table = ns.table(spec.table);
  const same = table.aliases(spec.dst.addr, spec.dst.len).filter((r) => r.tos === spec.tos && r.metric === spec.metric);
  if (same.length > 0) {
    if (op === 'add') throw new KernelError('EEXIST');
    if (op === 'replace' || op === 'change') {
      table.insert(route, same[0]);
      table.remove(same[0]!);
      return route;
    }
    if (same.some((r) => r.type === route.type && sameInfo(r, route))) throw new KernelError('EEXIST');
    if (op === 'prepend') {
      table.insert(route, same[0]);
      return route;
    }
    table.insertAfter(route, same[same.length - 1]!);
    return route;
  }
  if (op === 'change') throw new KernelError('ENOENT');
  table.insert(route);
  return route;
}

function sameInfo(a: Route, b: Route): boolean {
  const x = a.nexthops[0];
  const y = b.nexthops[0];
  return (
    a.proto === b.proto &&
    a.scope === b.scope &&
    a.prefsrc === b.prefsrc &&
    x?.gw === y?.gw &&
    x?.dev === y?.dev &&
    (x?.onlink ?? false) === (y?.onlink ?? false)
  );
}

export interface RouteDelSpec {
  table: number;
  type?: RouteType;
  dst: Ipv4Prefix;
  tos: number;
  metric?: number;
  proto?: number;
  scope?: number;
  prefsrc?: Ipv4Addr;
  gw?: Ipv4Addr;
  dev?: Device;
}

/** fib_table_delete: the first alias that matches every given field. */
export function deleteRoute(ns: Netns, spec: RouteDelSpec): Route {
  const table = ns.existingTable(spec.table);
  if (!table) throw new KernelError('ESRCH');
  const victim = table.aliases(spec.dst.addr, spec.dst.len).find((r) => {
    if (r.tos !== spec.tos) return false;
    if (spec.metric !== undefined && r.metric !== spec.metric) return false;
    if (spec.type !== undefined && r.type !== spec.type) return false;
    if (spec.scope !== undefined && r.scope !== spec.scope) return false;
    if (spec.prefsrc !== undefined && r.prefsrc !== spec.prefsrc) return false;
    if (spec.proto !== undefined && r.proto !== spec.proto) return false;
    const nh = r.nexthops[0];
    if (spec.dev && nh?.dev !== spec.dev) return false;
    if (spec.gw !== undefined && nh?.gw !== spec.gw) return false;
    return true;
  });
  if (!victim) throw new KernelError('ESRCH');
  table.remove(victim);
  return victim;
}

/** RTNH_F_LINKDOWN as reported for a nexthop. */
export function nexthopLinkdown(nh: Nexthop): boolean {
  return nh.dev !== undefined && !hasCarrier(nh.dev);
}
