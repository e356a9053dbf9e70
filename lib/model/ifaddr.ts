// IPv4 addresses on devices and the routes the kernel derives from them (fib_add_ifaddr,
// fib_del_ifaddr), plus what happens to routes when a device goes up or down.
import { broadcastOf, networkOf, type Ipv4Addr } from '../net/ipv4.ts';

/**
 * ipv4_is_zeronet as Linux 6.18 has it: only 0.0.0.0 (the rest of 0.0.0.0/8 became
 * ordinary unicast: 0.44.105.220/20 gets its prefix and broadcast routes).
 */
function isZeronet(a: number): boolean {
  return a === 0;
}
import { eui64LinkLocal, IPV6_LOOPBACK } from '../net/ipv6.ts';
import { ALL_HOSTS, ALL_NODES, mcAdd, mcDel, mcJoinSolicited, mcLeaveSolicited } from './mc-list.ts';
import { IPV6_MIN_MTU, Scope, hasCarrier, isLoopback, isSlave, type Device, type Ipv4AddrEntry } from './device.ts';
import { kindOps } from '../kinds/registry.ts';
import { flow, tableLookup } from './fib-lookup.ts';
import { devconfMarkSet } from './addr-ops.ts';
import { fibNewTable, prefsrcValid } from './route-config.ts';
import { bumpAddrGenid, updateNexthopSaddr } from './src-select.ts';
import { Proto, Table, type Nexthop, type Route, type RouteType } from './route.ts';

function kernelRoute(dev: Device, table: number, type: RouteType, addr: number, len: number, scope: number, src: Ipv4Addr, metric = 0): Route {
  return {
    table,
    type,
    dst: { addr: networkOf(addr, len), len },
    tos: 0,
    metric,
    proto: Proto.kernel,
    scope,
    prefsrc: src,
    // fib_create_info: a host-scope route's nexthop has scope nowhere, others host.
    nexthops: [{ dev, onlink: false, scope: scope === Scope.host ? Scope.nowhere : Scope.host, weight: 1 }],
    serial: dev.ns.routeSerial++,
  };
}

/**
 * fib_magic(RTM_NEWROUTE) inserts with NLM_F_APPEND: skipped only when an alias of the same
 * type with the same fib_info (protocol, scope, prefsrc, metric, device) is there already.
 */
function magicAdd(r: Route): void {
  const t = fibNewTable(r.nexthops[0]!.dev!.ns, r.table);
  const same = t
    .aliases(r.dst.addr, r.dst.len)
    .find(
      (x) =>
        x.type === r.type &&
        x.tos === r.tos &&
        x.metric === r.metric &&
        x.proto === r.proto &&
        x.prefsrc === r.prefsrc &&
        x.nexthops.length === 1 &&
        x.nexthops[0]!.gw === undefined &&
        x.nexthops[0]!.dev === r.nexthops[0]!.dev &&
        x.scope === r.scope,
    );
  if (same) return;
  // fib_create_info checks the prefsrc of the kernel's own routes too; a failure is silent.
  if (r.prefsrc !== undefined && !prefsrcValid(r.nexthops[0]!.dev!.ns, r.type, r.dst.addr, r.table, r.prefsrc)) return;
  updateNexthopSaddr(r.nexthops[0]!, r.scope);
  t.insert(r);
}

/**
 * fib_magic(RTM_DELROUTE): fib_table_delete of the first alias with this type, scope (host
 * for local, link otherwise), prefsrc, protocol kernel and device; metric 0 matches any.
 */
function magicDel(dev: Device, table: number, type: RouteType, addr: number, len: number, src: number, metric = 0): void {
  const t = fibNewTable(dev.ns, table); // fib_magic creates the table even to delete
  const scope = type === 'local' ? Scope.host : Scope.link;
  const victim = t
    .aliases(networkOf(addr, len), len)
    .find(
      (x) =>
        x.type === type &&
        x.tos === 0 &&
        x.scope === scope &&
        x.prefsrc === src &&
        x.proto === Proto.kernel &&
        x.nexthops[0]?.dev === dev &&
        (metric === 0 || x.metric === metric),
    );
  if (victim) t.remove(victim);
}

/** fib_add_ifaddr for one address. */
export function addIfaddrRoutes(dev: Device, ifa: Ipv4AddrEntry): void {
  const { local, len } = ifa;
  const prim = ifa.secondary ? primaryFor(dev, ifa) : ifa;
  if (!prim) return;
  const src = prim.local;
  magicAdd(kernelRoute(dev, Table.local, 'local', local, 32, Scope.host, src));
  if (!dev.adminUp) return;
  if (ifa.broadcast !== undefined && ifa.broadcast !== 0xffffffff) {
    magicAdd(kernelRoute(dev, Table.local, 'broadcast', ifa.broadcast, 32, Scope.link, src));
  }
  // The kernel tests the prefix, not the address, for zeronet (10.0.0.1/4 has prefix 0.0.0.0).
  if (!isZeronet(networkOf(local, len)) && !ifa.secondary && len < 32) {
    if (!ifa.noprefixroute) {
      // On a loopback device every prefix is local (fib_magic(RTN_LOCAL) for IFF_LOOPBACK),
      // not only 127/8: 10.9.0.1/24 on lo makes `local 10.9.0.0/24 dev lo table local`.
      if (isLoopback(dev)) {
        magicAdd(kernelRoute(dev, Table.local, 'local', local, len, Scope.host, src, ifa.metric));
      } else {
        magicAdd(kernelRoute(dev, Table.main, 'unicast', local, len, Scope.link, src, ifa.metric));
      }
    }
    if (len < 31) {
      magicAdd(kernelRoute(dev, Table.local, 'broadcast', broadcastOf(local, len), 32, Scope.link, src));
    }
  }
}

function primaryFor(dev: Device, ifa: Ipv4AddrEntry): Ipv4AddrEntry | undefined {
  return byPrefix(dev, ifaAddress(ifa), ifa.len);
}

/** ifa_address: the peer for a point-to-point address, else the local address. */
function ifaAddress(ifa: Ipv4AddrEntry): number {
  return ifa.peer ?? ifa.local;
}

/** inet_ifa_byprefix: the primary address of the device whose subnet is prefix/len. */
function byPrefix(dev: Device, prefix: number, len: number): Ipv4AddrEntry | undefined {
  const net = networkOf(prefix, len);
  return dev.ipv4.find((a) => !a.secondary && a.len === len && networkOf(ifaAddress(a), len) === net);
}

/** inet_ifa_match(addr, ifa): addr is in ifa's subnet. */
function ifaMatch(addr: number, ifa: Ipv4AddrEntry): boolean {
  return networkOf(addr, ifa.len) === networkOf(ifaAddress(ifa), ifa.len);
}

const LOCAL_OK = 1;
const BRD_OK = 2;
const BRD0_OK = 4;
const BRD1_OK = 8;

/**
 * fib_del_ifaddr, for an address already unlinked from the device: delete the routes the
 * address made unless an address that stays still needs them (same local address, same
 * broadcast addresses under the same primary), and when the address is finally gone, the
 * main-table routes that named it as `src` (fib_sync_down_addr).
 */
export function delIfaddrRoutes(dev: Device, ifa: Ipv4AddrEntry): void {
  const address = ifaAddress(ifa);
  const len = ifa.len;
  const brd = broadcastOf(address, len);
  const any = networkOf(address, len);
  const ifaBrd = ifa.broadcast ?? 0;
  let prim: Ipv4AddrEntry = ifa;
  let subnet = false;
  if (ifa.secondary) {
    const p = byPrefix(dev, any, len);
    if (!p) return;
    prim = p;
  } else if (!isZeronet(any) && (any !== ifa.local || len < 32)) {
    if (!ifa.noprefixroute) {
      if (isLoopback(dev)) magicDel(dev, Table.local, 'local', any, len, prim.local);
      else magicDel(dev, Table.main, 'unicast', any, len, prim.local);
    }
    subnet = true;
  }
  let ok = 0;
  let prim1: Ipv4AddrEntry | undefined;
  let samePrefsrc = false;
  for (const ifa1 of dev.ipv4) {
    if (ifa1.secondary) {
      if (ifa1.len === prim.len && ifaMatch(ifaAddress(ifa1), prim)) prim1 = prim;
      else {
        if (!samePrefsrc) continue;
        if (!prim1 || ifa1.len !== prim1.len || !ifaMatch(ifaAddress(ifa1), prim1)) prim1 = byPrefix(dev, ifaAddress(ifa1), ifa1.len);
        if (!prim1) continue;
        if (prim1.local !== prim.local) continue;
      }
    } else {
      if (prim.local !== ifa1.local) continue;
      prim1 = ifa1;
      if (prim !== prim1) samePrefsrc = true;
    }
    const ifa1Brd = ifa1.broadcast ?? 0;
    if (ifa.local === ifa1.local) ok |= LOCAL_OK;
    if (ifaBrd === ifa1Brd) ok |= BRD_OK;
    if (brd === ifa1Brd) ok |= BRD1_OK;
    if (any === ifa1Brd) ok |= BRD0_OK;
    if (prim1 === ifa1 && ifa1.len < 31) {
      const brd1 = broadcastOf(ifaAddress(ifa1), ifa1.len);
      const any1 = networkOf(ifaAddress(ifa1), ifa1.len);
      if (!isZeronet(any1)) {
        if (ifaBrd === brd1 || ifaBrd === any1) ok |= BRD_OK;
        if (brd === brd1 || brd === any1) ok |= BRD1_OK;
        if (any === brd1 || any === any1) ok |= BRD0_OK;
      }
    }
  }
  if (!(ok & BRD_OK)) magicDel(dev, Table.local, 'broadcast', ifaBrd, 32, prim.local);
  if (subnet && len < 31) {
    if (!(ok & BRD1_OK)) magicDel(dev, Table.local, 'broadcast', brd, 32, prim.local);
    if (!(ok & BRD0_OK)) magicDel(dev, Table.local, 'broadcast', any, 32, prim.local);
  }
  if (!(ok & LOCAL_OK)) {
    magicDel(dev, Table.local, 'local', ifa.local, 32, prim.local);
    // Still local elsewhere (another device, a local prefix)? Otherwise main-table routes
    // whose src was this address die with it.
    const out = tableLookup(dev.ns, Table.local, flow(ifa.local));
    if (!(out && out.ok && out.res.route.type === 'local')) {
      const main = dev.ns.existingTable(Table.main);
      main?.removeWhere((r) => r.prefsrc === ifa.local);
    }
  }
}

/**
 * fib_inetaddr_event: when the last IPv4 address of a device goes, IP is disabled on it
 * (fib_disable_ip with force): every route through the device, whatever its scope and
 * table, and every neighbour entry, permanent ones too.
 */
export function onLastAddressGone(dev: Device): void {
  syncDownDev(dev, (nh) => nh.dev === dev);
  dev.ns.neighFlush(dev, true);
}

/** NETDEV_UP: re-add the automatic routes of every address, and the IPv6 link-local. */
export function onDeviceUp(dev: Device): void {
  dev.everUp = true;
  if (isLoopback(dev)) {
    if (!dev.ipv4.some((a) => a.local === 0x7f000001)) {
      dev.ipv4.unshift({ local: 0x7f000001 as Ipv4Addr, len: 8, scope: Scope.host, label: 'lo', secondary: false, noprefixroute: false, metric: 0 });
      bumpAddrGenid(dev.ns);
      devconfMarkSet(dev.conf); // inet_insert_ifa → ipv4_devconf_setall
    }
    if (!dev.ipv6.some((a) => a.scope === Scope.host)) dev.ipv6.push({ addr: IPV6_LOOPBACK, len: 128, scope: Scope.host });
  } else {
    // ip_mc_up joins all-hosts; the IPv6 groups a down dropped come back after it.
    mcAdd(dev, ALL_HOSTS);
    if (dev.mcV6Down && dev.mtu >= IPV6_MIN_MTU) {
      mcAdd(dev, ALL_NODES);
      delete dev.mcV6Down;
    }
  }
  refreshLinkLocal(dev);
  for (const ifa of dev.ipv4) addIfaddrRoutes(dev, ifa);
  // fib_sync_up(dev, RTNH_F_DEAD): the nexthops of multipath routes through it live again.
  for (const t of dev.ns.tables.values()) for (const r of t.all()) for (const nh of r.nexthops) if (nh.dev === dev) delete nh.dead;
}

/**
 * fib_sync_down_dev: the nexthops `hit` selects are marked dead; a route goes (fib_flush)
 * once all its nexthops are, so a multipath route keeps its other paths.
 */
function syncDownDev(dev: Device, hit: (nh: Nexthop) => boolean): void {
  for (const t of dev.ns.tables.values()) {
    t.removeWhere((r) => {
      if (!r.nexthops.some(hit)) return false;
      if (r.nexthops.length === 1) return true;
      for (const nh of r.nexthops) if (hit(nh)) nh.dead = true;
      if (r.nexthops.every((nh) => nh.dead)) return true;
      // The paths left had lost carrier before: not counted, so no route-level linkdown.
      // A veth peer's carrier loss comes later (linkwatch), with its own count, which sets
      // the flag when every live path is on that peer.
      const live = r.nexthops.filter((nh) => !nh.dead);
      const lostBefore = live.every((nh) => nh.dev && nh.dev.adminUp && !hasCarrier(nh.dev));
      if (lostBefore && !(dev.peer && live.every((nh) => nh.dev === dev.peer))) r.mpNoLinkdown = true;
      return false;
    });
  }
}

/**
 * addrconf makes the EUI-64 link-local address once the device is up *and* has carrier
 * (addrconf_link_ready), so a veth gets it when its peer comes up. Call after any change
 * of admin state or carrier.
 */
export function refreshLinkLocal(dev: Device): void {
  if (isLoopback(dev) || !dev.adminUp || !hasCarrier(dev)) return;
  // A bond member gets no IPv6 address: addrconf skips bond slaves.
  if (isSlave(dev)) return;
  // No IPv6 at all below the IPv6 minimum MTU (addrconf has no inet6_dev for it).
  if (dev.mtu < IPV6_MIN_MTU) return;
  // Only the first time the link is ready (IF_READY): a link-local flushed since stays gone
  // through carrier changes, until the device is taken down and up again.
  if (dev.v6Ready) return;
  dev.v6Ready = true;
  dev.v6ReadyOrder = dev.ns.nextV6RouteOrder();
  if (!dev.ipv6.some((a) => a.scope === Scope.link)) {
    const addr = eui64LinkLocal(dev.mac, dev.devId);
    dev.ipv6.push({ addr, len: 64, scope: Scope.link, routeOrder: dev.ns.nextV6RouteOrder() });
    mcJoinSolicited(dev, addr);
  }
}

/**
 * NETDEV_DOWN (fib_disable_ip): every route whose nexthop uses the device is flushed, in
 * all tables, except the local routes of addresses (the kernel keeps `local A`, which is
 * why a DOWN kube-ipvs0 still owns its ClusterIPs). IPv6 addresses except ::1 go too.
 */
export function onDeviceDown(dev: Device): void {
  // fib_sync_down_dev(force=0) skips nexthops of scope nowhere, i.e. every host-scope
  // route (the local routes of addresses, and `scope host` routes a user added).
  syncDownDev(dev, (nh) => nh.dev === dev && nh.scope !== Scope.nowhere);
  if (!isLoopback(dev)) mcLeaveSolicited(dev, dev.ipv6);
  dev.ipv6 = isLoopback(dev) ? dev.ipv6 : [];
  dev.v6Ready = false;
  if (!isLoopback(dev)) {
    mcDel(dev, ALL_HOSTS); // ip_mc_down
    // ipv6_mc_down; a bond member keeps its IPv6 groups (6.1: released members still list
    // all-nodes after the bond closes them).
    if (!(dev.master && kindOps(dev.master).slavesKeepV6Groups)) dropAllNodes(dev);
  }
  dev.ns.neighFlush(dev, true); // an admin down flushes PERMANENT entries too (seen on 6.18)
}

/** addrconf_ifdown(dev, unregister): every IPv6 address and route of the device goes. */
export function dropIpv6(dev: Device): void {
  mcLeaveSolicited(dev, dev.ipv6);
  dev.ipv6 = [];
  dev.v6Ready = false;
  dropAllNodes(dev);
}

function dropAllNodes(dev: Device): void {
  if (dev.mc?.some((e) => e.mac === ALL_NODES && e.own > 0)) {
    mcDel(dev, ALL_NODES);
    dev.mcV6Down = true;
  }
}

/** NETDEV_UNREGISTER: everything that refers to the device goes. */
export function onDeviceGone(dev: Device): void {
  for (const t of dev.ns.tables.values()) t.removeWhere((r) => r.nexthops.some((nh) => nh.dev === dev));
  // inetdev_destroy deletes the addresses: an address that is now local nowhere takes the
  // main-table routes naming it as `src` with it (fib_sync_down_addr), wherever they lead.
  // Only primaries: a secondary's turn comes after its primary is gone, and fib_del_ifaddr
  // then returns early (no primary), so routes naming a secondary survive.
  if (dev.ipv4.length) bumpAddrGenid(dev.ns);
  for (const ifa of dev.ipv4) {
    if (ifa.secondary) continue;
    const out = tableLookup(dev.ns, Table.local, flow(ifa.local));
    if (out && out.ok && out.res.route.type === 'local') continue;
    dev.ns.existingTable(Table.main)?.removeWhere((r) => r.prefsrc === ifa.local);
  }
  dev.ns.neighFlush(dev, true);
  for (let i = dev.ns.fdb.length - 1; i >= 0; i--) if (dev.ns.fdb[i]!.dev === dev) dev.ns.fdb.splice(i, 1);
}
