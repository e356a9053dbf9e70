// IPv4 addresses on devices and the routes the kernel derives from them (fib_add_ifaddr,
// fib_del_ifaddr), plus what happens to routes when a device goes up or down.
import { broadcastOf, isZeronet, networkOf, type Ipv4Addr } from '../net/ipv4.ts';
import { eui64LinkLocal, IPV6_LOOPBACK } from '../net/ipv6.ts';
import { Scope, hasCarrier, type Device, type Ipv4AddrEntry } from './device.ts';
import { Proto, Table, type Route, type RouteType } from './route.ts';

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

/** fib_magic(RTM_NEWROUTE): add unless an identical kernel route is there already. */
function magicAdd(r: Route): void {
  const t = r.nexthops[0]!.dev!.ns.table(r.table);
  const same = t
    .aliases(r.dst.addr, r.dst.len)
    .find((x) => x.type === r.type && x.tos === r.tos && x.metric === r.metric && x.prefsrc === r.prefsrc && x.nexthops[0]?.dev === r.nexthops[0]!.dev && x.scope === r.scope);
  if (!same) t.insert(r);
}

function magicDel(dev: Device, table: number, type: RouteType, addr: number, len: number, src: number | undefined, metric = 0): void {
  const t = dev.ns.table(table);
  const victim = t
    .aliases(networkOf(addr, len), len)
    .find((x) => x.type === type && (src === undefined || x.prefsrc === src) && x.nexthops[0]?.dev === dev && x.metric === metric && x.proto === Proto.kernel);
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
      if (dev.kind === 'loopback') {
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
  return dev.ipv4.find((a) => !a.secondary && a.len === ifa.len && networkOf(a.local, a.len) === networkOf(ifa.local, ifa.len));
}

/** fib_del_ifaddr, simplified to the cases the model creates: remove what add put in. */
export function delIfaddrRoutes(dev: Device, ifa: Ipv4AddrEntry): void {
  const src = ifa.secondary ? (primaryFor(dev, ifa)?.local ?? ifa.local) : ifa.local;
  const stillLocal = [...dev.ns.addresses()].some((a) => a.local === ifa.local && !(a.dev === dev));
  // The local route goes whatever its src: a secondary's names a primary that may be gone.
  if (!stillLocal) magicDel(dev, Table.local, 'local', ifa.local, 32, undefined);
  if (ifa.broadcast !== undefined) magicDel(dev, Table.local, 'broadcast', ifa.broadcast, 32, src);
  if (!ifa.secondary && ifa.len < 32) {
    if (dev.kind === 'loopback') magicDel(dev, Table.local, 'local', ifa.local, ifa.len, src, ifa.metric);
    else magicDel(dev, Table.main, 'unicast', ifa.local, ifa.len, src, ifa.metric);
    if (ifa.len < 31) magicDel(dev, Table.local, 'broadcast', broadcastOf(ifa.local, ifa.len), 32, src);
  }
}

/** NETDEV_UP: re-add the automatic routes of every address, and the IPv6 link-local. */
export function onDeviceUp(dev: Device): void {
  dev.everUp = true;
  if (dev.kind === 'loopback') {
    if (!dev.ipv4.some((a) => a.local === 0x7f000001)) {
      dev.ipv4.unshift({ local: 0x7f000001 as Ipv4Addr, len: 8, scope: Scope.host, label: 'lo', secondary: false, noprefixroute: false, metric: 0 });
    }
    if (!dev.ipv6.some((a) => a.scope === Scope.host)) dev.ipv6.push({ addr: IPV6_LOOPBACK, len: 128, scope: Scope.host });
  }
  refreshLinkLocal(dev);
  for (const ifa of dev.ipv4) addIfaddrRoutes(dev, ifa);
}

/**
 * addrconf makes the EUI-64 link-local address once the device is up *and* has carrier
 * (addrconf_link_ready), so a veth gets it when its peer comes up. Call after any change
 * of admin state or carrier.
 */
export function refreshLinkLocal(dev: Device): void {
  if (dev.kind === 'loopback' || !dev.adminUp || !hasCarrier(dev)) return;
  dev.v6Ready = true;
  if (!dev.ipv6.some((a) => a.scope === Scope.link)) dev.ipv6.push({ addr: eui64LinkLocal(dev.mac), len: 64, scope: Scope.link });
}

/**
 * NETDEV_DOWN (fib_disable_ip): every route whose nexthop uses the device is flushed, in
 * all tables, except the local routes of addresses (the kernel keeps `local A`, which is
 * why a DOWN kube-ipvs0 still owns its ClusterIPs). IPv6 addresses except ::1 go too.
 */
export function onDeviceDown(dev: Device): void {
  for (const t of dev.ns.tables.values()) {
    t.removeWhere((r) => r.nexthops.some((nh) => nh.dev === dev) && !(r.type === 'local' && r.dst.len === 32 && r.proto === Proto.kernel && dev.ipv4.some((a) => a.local === r.dst.addr)));
  }
  dev.ipv6 = dev.kind === 'loopback' ? dev.ipv6 : [];
  dev.v6Ready = false;
  dev.ns.neighFlush(dev, true); // an admin down flushes PERMANENT entries too (seen on 6.18)
}

/** NETDEV_UNREGISTER: everything that refers to the device goes. */
export function onDeviceGone(dev: Device): void {
  for (const t of dev.ns.tables.values()) t.removeWhere((r) => r.nexthops.some((nh) => nh.dev === dev));
  dev.ns.neighFlush(dev, true);
  for (let i = dev.ns.fdb.length - 1; i >= 0; i--) if (dev.ns.fdb[i]!.dev === dev) dev.ns.fdb.splice(i, 1);
}

/** Carrier changes only mark nexthops (linkdown); nothing to store: printers ask hasCarrier. */
export function linkdown(dev: Device | undefined): boolean {
  return dev !== undefined && dev.adminUp && !hasCarrier(dev);
}
