// Adding and deleting routes: fib_create_info's checks (nexthop validation) and
// fib_table_insert/fib_table_delete's alias rules.
import type { Ipv4Addr, Ipv4Prefix } from '../net/ipv4.ts';
import { Scope, hasCarrier, type Device } from './device.ts';
import { KernelError } from './errno.ts';
import { flow, fibLookup, tableLookup } from './fib-lookup.ts';
import type { FibTable } from './fib-table.ts';
import { updateNexthopSaddr } from './src-select.ts';
import type { Netns } from './netns.ts';
import { Table, TYPE_ERRORS, type Nexthop, type Route, type RouteType } from './route.ts';

/** fib_props[type].scope: the lowest scope a route of each type may have (NAT is nowhere-only). */
const FIB_PROPS_SCOPE: Record<RouteType, number> = {
  unicast: 0,
  local: 254,
  broadcast: 253,
  anycast: 253,
  multicast: 0,
  blackhole: 0,
  unreachable: 0,
  prohibit: 0,
  throw: 0,
  nat: 255,
};

/** fib_props[type].error != 0: routes that answer a lookup with an error (NAT is one: EINVAL). */
function isErrorType(t: RouteType): boolean {
  return TYPE_ERRORS[t] !== undefined || t === 'nat';
}

declare module './extensions.ts' {
  interface NsExtensions {
    /** net->ipv4.fib_has_custom_local_routes: set by the first `local` route a user adds, never cleared. */
    fibCustomLocalRoutes?: boolean;
    /**
     * The FIB tables the kernel has created (fib_new_table). A new namespace has none: they
     * appear with the first route put in them (by `ip route add`, even one that fails its
     * checks, or by an address), and never go. `ip route show table X` and `ip route del`
     * tell a missing table from an empty one.
     */
    fibTables?: Set<number>;
  }
}

/** fib_new_table: the table, created if needed (local creates main too while they are merged). */
export function fibNewTable(ns: Netns, id: number): FibTable {
  const set = (ns.ext.fibTables ??= new Set());
  set.add(id);
  if (id === Table.local && !ns.customRules) set.add(Table.main);
  return ns.table(id);
}

/** fib_get_table succeeds. */
export function fibTableExists(ns: Netns, id: number): boolean {
  return ns.ext.fibTables?.has(id) === true;
}

/** Whether a user added a `local` route (fib_validate_source then always takes the full check). */
export function fibHasCustomLocalRoutes(ns: Netns): boolean {
  return ns.ext.fibCustomLocalRoutes === true;
}

/**
 * fib_valid_key_len, first in fib_table_insert and fib_table_delete: the destination as the
 * user wrote it (RouteSpec.dst keeps host bits) must have none beyond its length.
 */
function fibValidKeyLen(dst: Ipv4Prefix): void {
  if (dst.len > 32) throw new KernelError('EINVAL', 'Invalid prefix length');
  if (dst.len < 32 && (dst.addr << dst.len) >>> 0 !== 0) {
    throw new KernelError('EINVAL', 'Invalid prefix for given prefix length');
  }
}

export interface RouteSpec {
  table: number;
  type: RouteType;
  /** As written: host bits beyond the length are refused by the kernel, not cleared. */
  dst: Ipv4Prefix;
  tos: number;
  metric: number;
  proto: number;
  scope: number;
  prefsrc?: Ipv4Addr;
  gw?: Ipv4Addr;
  dev?: Device;
  onlink: boolean;
  /** RTA_MULTIPATH (`nexthop via A dev X weight N ...`): one entry per nexthop, in order. */
  multipath?: NexthopSpec[];
}

export interface NexthopSpec {
  gw?: Ipv4Addr;
  dev?: Device;
  onlink: boolean;
  weight: number;
}

export type RouteOp = 'add' | 'append' | 'prepend' | 'replace' | 'change';

/** fib_check_nh and friends: resolve and validate the nexthop of a new route. */
function buildNexthop(ns: Netns, spec: RouteSpec): Nexthop | undefined {
  if (isErrorType(spec.type)) {
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

/**
 * inet_addr_type_dev_table (__inet_dev_addr_type): the type of `addr` in the local table;
 * no local table at all (a new namespace without addresses) answers broadcast.
 */
export function addrTypeOnDev(ns: Netns, dev: Device, addr: number): RouteType {
  // inet_addr_type_dev_table passes no device on: a local address anywhere counts.
  void dev;
  return inetAddrType(ns, addr);
}

/** inet_addr_type: the type of `addr` in the local table (what xt_addrtype matches on). */
export function inetAddrType(ns: Netns, addr: number): RouteType {
  // ipv4_is_zeronet is only 0.0.0.0 on 6.18.
  if (addr === 0xffffffff || addr === 0) return 'broadcast';
  if (addr >>> 28 === 0xe) return 'multicast';
  if (!fibTableExists(ns, Table.local)) return 'broadcast';
  const out = tableLookup(ns, Table.local, flow(addr));
  return out && out.ok ? out.res.route.type : 'unicast';
}

/** fib_valid_prefsrc. */
function validPrefsrc(ns: Netns, spec: RouteSpec, src: number): boolean {
  return prefsrcValid(ns, spec.type, spec.dst.addr, spec.table, src);
}

/**
 * fib_valid_prefsrc: `src` must be local in the route's table (main: local) or the local
 * table, unless the route is the `local` route of that very address. It applies to the
 * kernel's own routes too (fib_magic), where the local table can answer `broadcast` for an
 * address that is also another subnet's broadcast, and the route is then not added.
 */
export function prefsrcValid(ns: Netns, type: RouteType, dstAddr: number, tableId: number, src: number): boolean {
  if (type === 'local' && dstAddr !== 0 && dstAddr === src) return true;
  // __inet_dev_addr_type answers broadcast/multicast for these before any lookup.
  if (src === 0 || src === 0xffffffff || src >>> 28 === 0xe) return false;
  const isLocal = (tb: number) => {
    if (!fibTableExists(ns, tb)) return false;
    const out = tableLookup(ns, tb, flow(src));
    return !!out && out.ok && out.res.route.type === 'local';
  };
  const tb = tableId === Table.main ? Table.local : tableId;
  return isLocal(tb) || (tb !== Table.local && isLocal(Table.local));
}

export function addRoute(ns: Netns, spec: RouteSpec, op: RouteOp): Route {
  // fib_new_table: table 0 (RT_TABLE_UNSPEC) is main.
  if (spec.table === 0) spec = { ...spec, table: Table.main };
  const r = insertRoute(ns, spec, op);
  // inet_rtm_newroute: a successful RTN_LOCAL insert marks the namespace for good.
  if (spec.type === 'local') ns.ext.fibCustomLocalRoutes = true;
  return r;
}

function insertRoute(ns: Netns, spec: RouteSpec, op: RouteOp): Route {
  // inet_rtm_newroute creates the table before fib_create_info checks anything.
  const table = fibNewTable(ns, spec.table);
  fibValidKeyLen(spec.dst);
  if (FIB_PROPS_SCOPE[spec.type] > spec.scope) throw new KernelError('EINVAL', 'Invalid scope');
  // Error types (blackhole, unreachable, prohibit, throw, nat) skip to link_it: no scope
  // ceiling and no prefsrc check for them.
  const errorType = isErrorType(spec.type);
  if (!errorType && spec.scope > Scope.host) throw new KernelError('EINVAL', 'Invalid scope');
  const nhs = spec.multipath ? buildMultipath(ns, spec, spec.multipath) : [buildNexthop(ns, spec)].filter((n) => n !== undefined);
  if (!errorType && spec.prefsrc !== undefined && !validPrefsrc(ns, spec, spec.prefsrc)) {
    throw new KernelError('EINVAL', 'Invalid prefsrc address');
  }
  // fib_create_info selects each nexthop's source now (fib_info_update_nhc_saddr).
  for (const nh of nhs) updateNexthopSaddr(nh, spec.scope);
  const route: Route = {
    table: spec.table,
    type: spec.type,
    dst: spec.dst,
    tos: spec.tos,
    metric: spec.metric,
    proto: spec.proto,
    scope: spec.scope,
    nexthops: nhs,
    serial: ns.routeSerial++,
    ...(spec.prefsrc !== undefined ? { prefsrc: spec.prefsrc } : {}),
  };
  const same = table.aliases(spec.dst.addr, spec.dst.len).filter((r) => r.tos === spec.tos && r.metric === spec.metric);
  if (same.length > 0) {
    if (op === 'add') throw new KernelError('EEXIST');
    const match = same.find((r) => r.type === route.type && sameInfo(r, route));
    if (op === 'replace' || op === 'change') {
      // NLM_F_REPLACE: an identical alias is a no-op when it is the first, EEXIST otherwise.
      if (match) {
        if (match === same[0]) return match;
        throw new KernelError('EEXIST');
      }
      table.insert(route, same[0]);
      table.remove(same[0]!);
      return route;
    }
    if (match) throw new KernelError('EEXIST');
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

/** fib_info_hash lookup (fib_find_info / nh_comp): the same route attributes and nexthops. */
function sameInfo(a: Route, b: Route): boolean {
  if (a.proto !== b.proto || a.scope !== b.scope || a.prefsrc !== b.prefsrc) return false;
  if (a.nexthops.length !== b.nexthops.length) return false;
  return a.nexthops.every((x, i) => {
    const y = b.nexthops[i]!;
    return x.gw === y.gw && x.dev === y.dev && x.onlink === y.onlink && (a.nexthops.length === 1 || x.weight === y.weight);
  });
}

/**
 * fib_get_nhs + fib_check_nh for each nexthop of RTA_MULTIPATH. One nexthop is an ordinary
 * route. RTA_OIF and RTA_GATEWAY given beside the list must name the first nexthop's.
 */
function buildMultipath(ns: Netns, spec: RouteSpec, list: NexthopSpec[]): Nexthop[] {
  if (isErrorType(spec.type)) throw new KernelError('EINVAL', 'Gateway, device and multipath can not be specified for this route type');
  const first = list[0]!;
  if (spec.dev && first.dev !== spec.dev) throw new KernelError('EINVAL', 'Nexthop device index does not match RTA_OIF');
  if (spec.gw !== undefined && first.gw !== spec.gw) throw new KernelError('EINVAL', 'Nexthop gateway does not match RTA_GATEWAY or RTA_VIA');
  return list.map((n) => {
    // fib_check_nh_nongw: a nexthop's own RTNH_F_ONLINK without a gateway (the single-path
    // form is refused earlier, with another text).
    if (n.onlink && n.gw === undefined) throw new KernelError('EINVAL', 'Invalid flags for nexthop - PERVASIVE and ONLINK can not be set');
    const nh = buildNexthop(ns, { ...spec, gw: n.gw, dev: n.dev, onlink: n.onlink, multipath: undefined } as RouteSpec);
    if (!nh) throw new KernelError('EINVAL');
    return { ...nh, weight: n.weight };
  });
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
  multipath?: NexthopSpec[];
}

/** fib_table_delete: the first alias that matches every given field. */
export function deleteRoute(ns: Netns, spec: RouteDelSpec): Route {
  // fib_get_table: table 0 is main.
  if (spec.table === 0) spec = { ...spec, table: Table.main };
  // The prefix is judged before the table is looked for (seen on 6.18: a prefix with host
  // bits in a namespace without the table gets "Invalid prefix for given prefix length").
  fibValidKeyLen(spec.dst);
  const table = ns.existingTable(spec.table);
  if (!table || !fibTableExists(ns, spec.table)) throw new KernelError('ESRCH', 'FIB table does not exist');
  const victim = table.aliases(spec.dst.addr, spec.dst.len).find((r) => {
    if (r.tos !== spec.tos) return false;
    // fib_nh_match: metric 0 means "any".
    if (spec.metric && r.metric !== spec.metric) return false;
    if (spec.type !== undefined && r.type !== spec.type) return false;
    if (spec.scope !== undefined && r.scope !== spec.scope) return false;
    if (spec.prefsrc !== undefined && r.prefsrc !== spec.prefsrc) return false;
    if (spec.proto !== undefined && r.proto !== spec.proto) return false;
    const nh = r.nexthops[0];
    if (spec.dev && nh?.dev !== spec.dev) return false;
    if (spec.gw !== undefined && nh?.gw !== spec.gw) return false;
    if (spec.multipath) {
      // fib_nh_match: the given list is walked along the route's nexthops; too short a list
      // is EINVAL (no match), extra entries are not looked at; weights are not compared.
      if (spec.multipath.length < r.nexthops.length) return false;
      return r.nexthops.every((x, i) => {
        const y = spec.multipath![i]!;
        return (!y.dev || y.dev === x.dev) && (y.gw === undefined || y.gw === x.gw);
      });
    }
    return true;
  });
  if (!victim) throw new KernelError('ESRCH');
  table.remove(victim);
  return victim;
}
