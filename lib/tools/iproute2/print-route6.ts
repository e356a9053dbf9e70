// The IPv6 routes the kernel derives from link-local and loopback addresses, printed as
// `ip route show table all` prints them. The model has no IPv6 FIB beyond these.
import { hasCarrier, isLoopback, Scope, type Device } from '../../model/device.ts';
import type { Netns } from '../../model/netns.ts';
import { formatIpv6 } from '../../net/ipv6.ts';

export interface Route6 {
  type?: 'local' | 'multicast';
  dst: string;
  dev: string;
  local: boolean;
  metric: number;
  linkdown: boolean;
}

export function ipv6Routes(ns: Netns, table: number | 'all', dev: Device | undefined, proto: number | undefined): Route6[] {
  if (proto !== undefined && proto !== 2) return [];
  if (table !== 'all' && table !== 254 && table !== 255) return [];
  const devs = ns.devicesInOrder().filter((d) => d.adminUp && (!dev || d === dev));
  // fe80::/64 and ff00::/8 exist for every up device (linkdown without carrier); the
  // local route of the link-local address only once addrconf has made it.
  // Routes of one prefix come in the order they were added (the kernel appends to the
  // prefix's list): fe80::/64 with each link-local address, ff00::/8 when the link got ready.
  const withLl = devs.filter((d) => !isLoopback(d) && d.v6Ready).sort((a, b) => (a.v6ReadyOrder ?? 0) - (b.v6ReadyOrder ?? 0));
  const linkLocals = withLl
    .flatMap((d) => d.ipv6.filter((a) => a.scope === Scope.link).map((a) => ({ d, order: a.routeOrder ?? 0 })))
    .sort((x, y) => x.order - y.order);
  const main: Route6[] = linkLocals.map(({ d }) => ({ dst: 'fe80::/64', dev: d.name, local: false, metric: 256, linkdown: !hasCarrier(d) }));
  const local: Route6[] = [];
  const lo = devs.find((d) => isLoopback(d) && d.ipv6.length > 0);
  if (lo) local.push({ type: 'local', dst: '::1', dev: 'lo', local: true, metric: 0, linkdown: false });
  // The IPv6 FIB is a tree: local routes come out in address order.
  const locals = withLl.flatMap((d) => d.ipv6.map((a) => ({ d, a })));
  locals.sort((x, y) => compareBytes(x.a.addr, y.a.addr));
  for (const { d, a } of locals) local.push({ type: 'local', dst: formatIpv6(a.addr), dev: d.name, local: true, metric: 0, linkdown: false });
  const mcast: Route6[] = withLl.map((d) => ({ type: 'multicast', dst: 'ff00::/8', dev: d.name, local: true, metric: 256, linkdown: !hasCarrier(d) }));
  if (table === 'all') return [...main, ...local, ...mcast];
  if (table === 254) return main;
  return [...local, ...mcast];
}

/** As `ip route` prints them; `tableShown` is false when a table filter was given. */
export function formatRoute6(r: Route6, tableShown: boolean): string {
  const type = r.type ? `${r.type} ` : '';
  const table = r.local && tableShown ? 'table local ' : '';
  return `${type}${r.dst} dev ${r.dev} ${table}proto kernel metric ${r.metric} ${r.linkdown ? 'linkdown ' : ''}pref medium\n`;
}

export function route6Json(r: Route6, tableShown: boolean): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  if (r.type) o.type = r.type;
  o.dst = r.dst;
  o.dev = r.dev;
  if (r.local && tableShown) o.table = 'local';
  o.protocol = 'kernel';
  o.metric = r.metric;
  o.flags = r.linkdown ? ['linkdown'] : [];
  o.pref = 'medium';
  return o;
}

/** The text lines, for callers that only print. */
export function ipv6RoutesFor(ns: Netns, table: number | 'all', dev: Device | undefined, proto: number | undefined): string[] {
  return ipv6Routes(ns, table, dev, proto).map((r) => formatRoute6(r, table === 'all'));
}

function compareBytes(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < 16; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}
