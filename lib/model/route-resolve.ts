// Route resolution for a packet: the kernel's ip_route_output_key (locally generated) and
// ip_route_input_slow (received on an interface), which `ip route get` and the tracer share.
import { isLimitedBroadcast, isLoopback, isMulticast, isZeronet, type Ipv4Addr } from '../net/ipv4.ts';
import { Scope, type Device } from './device.ts';
import { KernelError } from './errno.ts';
import { fibLookup, flow, type FibResult, type Flow } from './fib-lookup.ts';
import type { Netns } from './netns.ts';
import type { RouteType } from './route.ts';
import { resultPrefsrc, selectSourceAddress } from './src-select.ts';

export interface ResolvedRoute {
  direction: 'output' | 'input';
  type: RouteType;
  dst: Ipv4Addr;
  /** The source the caller gave (`from`), 0 when none. */
  givenSrc: number;
  /** fl4->saddr after resolution: the source address the packet will carry (output). */
  src: Ipv4Addr | undefined;
  gw: Ipv4Addr | undefined;
  dev: Device;
  iif: Device | undefined;
  /** RTCF_LOCAL / RTCF_BROADCAST / IPSKB_DOREDIRECT as `ip route get` prints them in `cache <...>`. */
  cacheFlags: string[];
  /**
   * The table `ip route get` reports: where the route was found, except that without
   * custom rules the kernel keeps local and main merged, so both report main.
   */
  table: number | undefined;
  /** The FIB answer behind it (undefined when the kernel made the route up, e.g. `oif` with no route). */
  fib: FibResult | undefined;
}

export interface OutputQuery {
  dst: number;
  src?: number;
  oif?: Device;
  mark?: number;
  tos?: number;
}

export function outputRoute(ns: Netns, q: OutputQuery): ResolvedRoute {
  const src = q.src ?? 0;
  let dst = q.dst;
  if (src) {
    if (isMulticast(src) || isLimitedBroadcast(src) || isZeronet(src)) throw new KernelError('EINVAL');
    // A source that is not a local address: ENETUNREACH (rth is preset to it), not EINVAL.
    if (!ns.deviceWithAddress(src)) throw new KernelError('ENETUNREACH');
  }
  const lo = ns.device('lo')!;
  if (q.oif && !q.oif.adminUp) throw new KernelError('ENETUNREACH');
  if (!dst) {
    dst = src || 0x7f000001;
    return {
      direction: 'output',
      type: 'local',
      dst: dst as Ipv4Addr,
      givenSrc: src,
      src: dst as Ipv4Addr,
      gw: undefined,
      dev: lo,
      iif: undefined,
      cacheFlags: ['local'],
      table: undefined,
      fib: undefined,
    };
  }
  const fl: Flow = flow(dst, {
    src,
    oif: q.oif?.ifindex ?? 0,
    oifName: q.oif?.name ?? '',
    iifName: 'lo',
    mark: q.mark ?? 0,
    tos: q.tos ?? 0,
  });
  const out = fibLookup(ns, fl);
  if (!out.ok) {
    if (q.oif) {
      // "Apparently, routing tables are wrong. Assume, that the destination is on link."
      return {
        direction: 'output',
        type: 'unicast',
        dst: dst as Ipv4Addr,
        givenSrc: src,
        src: (src || selectSourceAddress(q.oif, 0, Scope.link)) as Ipv4Addr | undefined,
        gw: undefined,
        dev: q.oif,
        iif: undefined,
        cacheFlags: [],
        table: undefined,
      fib: undefined,
      };
    }
    throw new KernelError(out.errno === 'EAGAIN' ? 'ENETUNREACH' : out.errno);
  }
  const res = out.res;
  if (res.route.type === 'local') {
    return {
      direction: 'output',
      type: 'local',
      dst: dst as Ipv4Addr,
      givenSrc: src,
      src: (src || res.route.prefsrc || dst) as Ipv4Addr,
      gw: undefined,
      dev: lo,
      iif: undefined,
      cacheFlags: ['local'],
      table: reportedTable(ns, res),
      fib: res,
    };
  }
  const dev = res.nh!.dev!;
  const chosenSrc = (src || resultPrefsrc(res)) as Ipv4Addr | undefined;
  const broadcast = res.route.type === 'broadcast' || isLimitedBroadcast(dst);
  const gw = res.nh?.gw !== undefined && res.nh.scope === Scope.link && !broadcast ? res.nh.gw : undefined;
  return {
    direction: 'output',
    type: broadcast ? 'broadcast' : res.route.type,
    dst: dst as Ipv4Addr,
    givenSrc: src,
    src: chosenSrc,
    gw,
    dev,
    iif: undefined,
    cacheFlags: broadcast ? ['local', 'brd'] : [],
    table: reportedTable(ns, res),
      fib: res,
  };
}

export interface InputQuery {
  dst: number;
  src: number;
  iif: Device;
  mark?: number;
  tos?: number;
}

function forwarding(dev: Device): boolean {
  return dev.conf.forwarding !== 0;
}

function rpFilter(dev: Device): number {
  return Math.max(dev.conf.rp_filter, dev.ns.sysctl.all.rp_filter);
}

/**
 * fib_validate_source: the reverse-path check of a received packet. Returns false for a
 * martian source (rp_filter failure or a local source on a foreign packet).
 */
export function validateSource(ns: Netns, src: number, dst: number, iif: Device, oif: number): boolean {
  const rpf = rpFilter(iif);
  const acceptLocal = iif.conf.accept_local || ns.sysctl.all.accept_local;
  // send_redirects is 1 by default, so a hairpin (in == out) always takes the full check.
  if (!rpf && iif.ifindex !== oif) {
    if (acceptLocal) return true;
    if (!ns.customRules) return !ns.deviceWithAddress(src);
  }
  const rev = fibLookup(ns, flow(src, { src: dst, oif: 0, iifName: 'lo', oifName: '' }));
  if (!rev.ok) return !rpf;
  const t = rev.res.route.type;
  if (t !== 'unicast' && !(t === 'local' && acceptLocal)) return false;
  if (rev.res.route.nexthops.some((nh) => nh.dev === iif)) return true;
  if (rpf === 1) return false;
  return true;
}

export function inputRoute(ns: Netns, q: InputQuery): ResolvedRoute {
  const { src, iif } = q;
  const dst = q.dst;
  const base = { direction: 'input' as const, dst: dst as Ipv4Addr, givenSrc: src, iif };
  const localnet = iif.conf.route_localnet || ns.sysctl.all.route_localnet;
  if (isMulticast(src) || isLimitedBroadcast(src)) throw new KernelError('EINVAL');
  const lo = ns.device('lo')!;
  if (isLimitedBroadcast(dst) || (src === 0 && dst === 0)) {
    return { ...base, type: 'broadcast', src: undefined, gw: undefined, dev: lo, cacheFlags: ['local', 'brd'], table: undefined, fib: undefined };
  }
  if (isZeronet(src)) throw new KernelError('EINVAL');
  if (isZeronet(dst)) throw new KernelError('EINVAL');
  if (isLoopback(dst) && !localnet) throw new KernelError('EINVAL');
  if (isLoopback(src) && !isLoopback(dst) && !localnet) throw new KernelError('EINVAL');
  const out = fibLookup(ns, flow(dst, { src, iifName: iif.name, mark: q.mark ?? 0, tos: q.tos ?? 0 }));
  if (!out.ok) {
    throw new KernelError(!forwarding(iif) ? 'EHOSTUNREACH' : out.errno === 'EAGAIN' ? 'ENETUNREACH' : out.errno);
  }
  const res = out.res;
  if (res.route.type === 'broadcast') {
    return { ...base, type: 'broadcast', src: undefined, gw: undefined, dev: lo, cacheFlags: ['local', 'brd'], table: reportedTable(ns, res), fib: res };
  }
  if (res.route.type === 'local') {
    if (!validateSource(ns, src, dst, iif, 0)) throw new KernelError('EINVAL');
    return { ...base, type: 'local', src: undefined, gw: undefined, dev: lo, cacheFlags: ['local'], table: reportedTable(ns, res), fib: res };
  }
  if (!forwarding(iif)) throw new KernelError('EHOSTUNREACH');
  if (res.route.type !== 'unicast') throw new KernelError('EINVAL');
  const outDev = res.nh!.dev!;
  if (!validateSource(ns, src, dst, iif, outDev.ifindex)) throw new KernelError('EINVAL');
  const gw = res.nh?.gw !== undefined && res.nh.scope === Scope.link ? res.nh.gw : undefined;
  return { ...base, type: 'unicast', src: undefined, gw, dev: outDev, cacheFlags: [], table: reportedTable(ns, res), fib: res };
}

function reportedTable(ns: Netns, res: FibResult): number {
  return !ns.customRules && res.table === 255 ? 254 : res.table;
}
