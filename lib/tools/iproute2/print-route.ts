// `ip route show` lines (iproute2 iproute.c print_route): every field is "<value> ", so
// every line ends with a space.
import { hasCarrier } from '../../model/device.ts';
import type { ResolvedRoute } from '../../model/route-resolve.ts';
import type { PmtuException } from '../../model/pmtu.ts';
import type { Nexthop, Route } from '../../model/route.ts';
import { formatIpv4 } from '../../net/ipv4.ts';
import { protoName, scopeName, tableName } from './names.ts';

export interface RouteFilterView {
  /** A table filter was given (other than `all`): `table X` is not printed. */
  tableGiven: boolean;
  devGiven: boolean;
  protoGiven: boolean;
  scopeGiven: boolean;
  typeGiven: boolean;
  /** `via A` with a host address: the gateway is not printed. */
  viaHost?: boolean;
  /** -d: the type, protocol and scope are printed even when unicast, boot and global. */
  details?: boolean;
}

export const NO_FILTER: RouteFilterView = { tableGiven: false, devGiven: false, protoGiven: false, scopeGiven: false, typeGiven: false };

export function formatDst(addr: number, len: number): string {
  if (len === 0 && addr === 0) return 'default';
  return len === 32 ? formatIpv4(addr) : `${formatIpv4(addr)}/${len}`;
}

export function printRoute(r: Route, f: RouteFilterView = NO_FILTER): string {
  let s = '';
  if ((r.type !== 'unicast' || f.details) && !f.typeGiven) s += `${r.type} `;
  s += `${formatDst(r.dst.addr, r.dst.len)} `;
  if (r.tos) s += `tos 0x${r.tos.toString(16).padStart(2, '0')} `;
  // A multipath route carries RTA_MULTIPATH instead of RTA_GATEWAY/RTA_OIF and no flags of its own.
  const multi = r.nexthops.length > 1;
  const nh = multi ? undefined : r.nexthops[0];
  if (nh?.gw !== undefined && !f.viaHost) s += `via ${formatIpv4(nh.gw)} `;
  if (nh?.dev && !f.devGiven) s += `dev ${nh.dev.name} `;
  if (r.table !== 254 && !f.tableGiven) s += `table ${tableName(r.table)} `;
  if ((r.proto !== 3 || f.details) && !f.protoGiven) s += `proto ${protoName(r.proto)} `;
  if ((r.scope !== 0 || f.details) && !f.scopeGiven) s += `scope ${scopeName(r.scope)} `;
  if (r.prefsrc !== undefined) s += `src ${formatIpv4(r.prefsrc)} `;
  if (r.metric) s += `metric ${r.metric} `;
  if (nh) s += nexthopFlags(nh).map((x) => `${x} `).join('');
  if (multi && multipathLinkdown(r)) s += 'linkdown ';
  if (multi) {
    // print_rta_multipath: each nexthop on its own line, tab-indented.
    for (const x of r.nexthops) {
      s += '\n\tnexthop ';
      if (x.gw !== undefined) s += `via ${formatIpv4(x.gw)} `;
      s += `dev ${x.dev?.name ?? ''} weight ${x.weight} `;
      s += nexthopFlags(x).map((y) => `${y} `).join('');
    }
  }
  return s + '\n';
}

/**
 * fi->fib_flags of a multipath route: fib_sync_down_dev sets RTNH_F_LINKDOWN when, at one
 * device's carrier loss, every nexthop is either dead already or on that device; fib_sync_up
 * clears it when one comes back. So nexthops that lost carrier one device at a time leave
 * the route without it (seen on 6.18). The model keeps no event history: it reads the flag
 * as "all dead or linkdown, the live ones on a single device", which misses a route created
 * with every nexthop already linkdown on different devices (fib_create_info sets it then).
 */
export function multipathLinkdown(r: Route): boolean {
  if (r.nexthops.length < 2) return false;
  if (!r.nexthops.every((x) => nexthopFlags(x).includes('linkdown'))) {
    delete r.mpNoLinkdown; // a path is back: fib_sync_up cleared the flags
    return false;
  }
  if (r.mpNoLinkdown) return false;
  return new Set(r.nexthops.filter((x) => !x.dead).map((x) => x.dev)).size <= 1;
}

/**
 * print_rt_flags in iproute2's order: dead, onlink, linkdown. A dead nexthop (its device
 * down) is linkdown too; host-scope (local) nexthops never get RTNH_F_LINKDOWN, since
 * fib_sync_down_dev skips scope nowhere.
 */
export function nexthopFlags(nh: Nexthop): string[] {
  const f: string[] = [];
  if (nh.dead) f.push('dead');
  if (nh.onlink) f.push('onlink');
  if (nh.dead || (nh.dev && nh.scope !== 255 && nh.dev.adminUp && !hasCarrier(nh.dev))) f.push('linkdown');
  return f;
}

/** `ip route get` answers (rt_fill_info + print_route for a cloned route). */
export function printResolved(r: ResolvedRoute, opts: { uid: boolean }): string {
  let s = '';
  if (r.type !== 'unicast') s += `${r.type} `;
  s += `${formatIpv4(r.dst)} `;
  if (r.givenSrc) s += `from ${formatIpv4(r.givenSrc)} `;
  if (r.gw !== undefined) s += `via ${formatIpv4(r.gw)} `;
  s += `dev ${r.dev.name} `;
  if (r.table !== undefined && r.table !== 254) s += `table ${tableName(r.table)} `;
  if (r.direction === 'output' && r.src !== undefined && r.src !== r.givenSrc) s += `src ${formatIpv4(r.src)} `;
  // rtm_flags carries RTCF_MULTICAST (0x20000000), which iproute2 reads as RTM_F_OFFLOAD_FAILED.
  if (r.cacheFlags.includes('mc')) s += 'rt_offload_failed ';
  // iproute2 6.1 print_route: marks below 16 in decimal, the rest in hex.
  if (r.mark) s += r.mark >= 16 ? `mark 0x${r.mark.toString(16)} ` : `mark ${r.mark} `;
  if (r.direction === 'output' && opts.uid) s += 'uid 0 ';
  s += '\n    cache ';
  if (r.cacheFlags.length) s += `<${r.cacheFlags.join(',')}> `;
  if (r.pmtu) s += printPmtu(r.pmtu);
  if (r.direction === 'input' && r.iif) s += `iif ${r.iif.name} `;
  return s + '\n';
}

/** A path MTU exception on the cache line: print_rta_cacheinfo's expires, then the MTU metric. */
export function printPmtu(e: PmtuException): string {
  return `${e.expires ? `expires ${e.expires}sec ` : ''}mtu ${e.locked ? 'lock ' : ''}${e.mtu} `;
}
