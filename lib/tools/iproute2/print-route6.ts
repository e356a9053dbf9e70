// The IPv6 routes the kernel derives from link-local and loopback addresses, printed as
// `ip route show table all` prints them. The model has no IPv6 FIB beyond these.
import { hasCarrier, type Device } from '../../model/device.ts';
import type { Netns } from '../../model/netns.ts';
import { formatIpv6 } from '../../net/ipv6.ts';

export function ipv6RoutesFor(ns: Netns, table: number | 'all', dev: Device | undefined, proto: number | undefined): string[] {
  if (proto !== undefined && proto !== 2) return [];
  const devs = ns.devicesInOrder().filter((d) => d.adminUp && (!dev || d === dev));
  // fe80::/64 and ff00::/8 exist for every up device (linkdown without carrier); the
  // local route of the link-local address only once addrconf has made it.
  const withLl = devs.filter((d) => d.kind !== 'loopback' && d.v6Ready);
  const ld = (d: Device) => (hasCarrier(d) ? '' : 'linkdown ');
  const main = withLl.map((d) => `fe80::/64 dev ${d.name} proto kernel metric 256 ${ld(d)}pref medium\n`);
  const local: string[] = [];
  const lo = devs.find((d) => d.kind === 'loopback' && d.ipv6.length > 0);
  if (lo) local.push(`local ::1 dev lo table local proto kernel metric 0 pref medium\n`);
  // The IPv6 FIB is a tree: local routes come out in address order.
  const locals = withLl.flatMap((d) => d.ipv6.map((a) => ({ d, a })));
  locals.sort((x, y) => compareBytes(x.a.addr, y.a.addr));
  for (const { d, a } of locals) local.push(`local ${formatIpv6(a.addr)} dev ${d.name} table local proto kernel metric 0 pref medium\n`);
  const mcast = withLl.map((d) => `multicast ff00::/8 dev ${d.name} table local proto kernel metric 256 ${ld(d)}pref medium\n`);
  if (table === 'all') return [...main, ...local, ...mcast];
  if (table === 254) return main.map((l) => l);
  if (table === 255) return [...local, ...mcast].map((l) => l.replace(' table local', ''));
  return [];
}

function compareBytes(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < 16; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}
