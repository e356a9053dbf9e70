// Route resolution for a packet: the kernel's ip_route_output_key (locally generated) and
// ip_route_input_slow (received on an interface), which `ip route get` and the tracer share.
// Checked against Linux 6.18 by the kernel lab's differential fuzzer (tests/lab/).
import { isLimitedBroadcast, isLoopback, isMulticast, type Ipv4Addr } from '../net/ipv4.ts';

/** ipv4_is_zeronet on Linux 6.18: only 0.0.0.0 (see ifaddr.ts). */
function isZeronet(a: number): boolean {
  return a === 0;
}
import { deviceOfAddress } from './addr-ops.ts';
import { isLoopback as isLoopbackDev, Scope, type Device } from './device.ts';
import { KernelError } from './errno.ts';
import { fibLookup, flow, tableLookup, type FibResult, type Flow } from './fib-lookup.ts';
import type { Netns } from './netns.ts';
import { fibHasCustomLocalRoutes } from './route-config.ts';
import { findPmtu, type PmtuException } from './pmtu.ts';
import type { Nexthop, RouteType } from './route.ts';
import { resultPrefsrc, selectSourceAddress } from './src-select.ts';

export interface ResolvedRoute {
  direction: 'output' | 'input';
  type: RouteType;
  /** The destination as asked (`ip route get 0.0.0.0` reports 0.0.0.0, not the address used). */
  dst: Ipv4Addr;
  /** The source the caller gave (`from`), 0 when none. */
  givenSrc: number;
  /** fl4->saddr after resolution: the source address the packet will carry (output). */
  src: Ipv4Addr | undefined;
  gw: Ipv4Addr | undefined;
  dev: Device;
  iif: Device | undefined;
  /**
   * RTCF_* flags as `ip route get` prints them in `cache <...>`, in iproute2's order
   * (local, mc, brd, redirect). `mc` (RTCF_MULTICAST) also shows as `rt_offload_failed`.
   */
  cacheFlags: string[];
  /**
   * The table `ip route get` reports: where the route was found, except that without
   * custom rules the kernel keeps local and main merged, so both report main.
   */
  table: number | undefined;
  /** The FIB answer behind it (undefined when the kernel made the route up, e.g. `oif` with no route). */
  fib: FibResult | undefined;
  /** flowi4_mark of the lookup (printed as `mark 0x..` when non-zero). */
  mark?: number;
  /** The path MTU exception bound to this route (`cache expires Nsec mtu N`). */
  pmtu?: PmtuException;
}

export interface OutputQuery {
  dst: number;
  src?: number;
  oif?: Device;
  mark?: number;
  tos?: number;
}

const LOOPBACK_ADDR = 0x7f000001;

/** 224.0.0.0/24 (ipv4_is_local_multicast). */
function isLocalMulticast(a: number): boolean {
  return a >>> 8 === 0xe00000;
}

/**
 * ip_check_mc_rcu: whether the device has joined the group. Every device joins 224.0.0.1
 * (all-hosts) while it is up (ip_mc_up); the model has no other memberships.
 */
function mcJoined(dev: Device, group: number): boolean {
  return group === 0xe0000001 && dev.adminUp;
}

function routeLocalnet(dev: Device): boolean {
  return !!(dev.conf.route_localnet || dev.ns.sysctl.all.route_localnet);
}

/**
 * __ip_dev_find: the device holding a local address; failing that, the local table (so that
 * an address inside a loopback prefix such as 127.0.0.5 counts as local).
 */
export function ipDevFind(ns: Netns, addr: number): Device | undefined {
  const d = deviceOfAddress(ns, addr);
  if (d) return d;
  const out = tableLookup(ns, 255, flow(addr));
  if (out && out.ok && out.res.route.type === 'local') return out.res.nh?.dev;
  return undefined;
}

/** rt_fill_info's RTA_TABLE: the table of the FIB result (merged local/main reports main). */
function reportedTable(ns: Netns, res: FibResult): number {
  return !ns.customRules && res.table === 255 ? 254 : res.table;
}

interface MkOutput {
  ns: Netns;
  dst: number;
  givenSrc: number;
  saddr: number;
  devOut: Device;
  res: FibResult | undefined;
  type: RouteType;
  local: boolean;
  mark: number;
}

/** __mkroute_output: the final checks and flags of an output route. */
function mkrouteOutput(m: MkOutput, askedDst: number): ResolvedRoute {
  const { devOut } = m;
  if (!routeLocalnet(devOut) && isLoopback(m.saddr) && !isLoopbackDev(devOut)) throw new KernelError('EINVAL');
  let type = m.type;
  // 6.18 treats 0.0.0.0/8 as ordinary unicast: no zeronet destination check here any more.
  if (isLimitedBroadcast(m.dst)) type = 'broadcast';
  else if (isMulticast(m.dst)) type = 'multicast';
  let local = m.local || isLoopbackDev(devOut);
  let mc = false;
  let brd = false;
  // The nexthop's gateway is used only while fi is kept (broadcast drops it, and a
  // multicast route found through a prefix shorter than /4, e.g. the default route).
  let useFi = m.res !== undefined;
  if (type === 'broadcast') {
    brd = true;
    local = true;
    useFi = false;
  } else if (type === 'multicast') {
    mc = true;
    local = mcJoined(devOut, m.dst);
    if (useFi && m.res!.prefixlen < 4) useFi = false;
  }
  const nh = useFi ? m.res!.nh : undefined;
  const gw = nexthopGateway(nh);
  const cacheFlags: string[] = [];
  if (local) cacheFlags.push('local');
  if (mc) cacheFlags.push('mc');
  if (brd) cacheFlags.push('brd');
  return {
    direction: 'output',
    type,
    dst: askedDst as Ipv4Addr,
    givenSrc: m.givenSrc,
    src: (m.saddr || undefined) as Ipv4Addr | undefined,
    gw,
    dev: devOut,
    iif: undefined,
    cacheFlags,
    table: m.res ? reportedTable(m.ns, m.res) : undefined,
    fib: m.res,
    mark: m.mark,
    ...pmtuOf(m.ns, type === 'unicast' && !local ? nh : undefined, m.dst),
  };
}

/** The gateway a route through this nexthop uses (rt_uses_gateway: a gateway of scope link). */
export function nexthopGateway(nh: Nexthop | undefined): Ipv4Addr | undefined {
  return nh?.gw !== undefined && nh.scope === Scope.link ? nh.gw : undefined;
}

/** rt_bind_exception: a unicast route through a nexthop that holds a path MTU exception for the destination. */
function pmtuOf(ns: Netns, nh: Nexthop | undefined, dst: number): { pmtu?: PmtuException } {
  const e = findPmtu(ns, nh, dst);
  return e ? { pmtu: e } : {};
}

/** ip_route_output_key_hash_rcu, as `ip route get` (no iif) drives it. */
export function outputRoute(ns: Netns, q: OutputQuery): ResolvedRoute {
  const givenSrc = q.src ?? 0;
  let saddr = givenSrc;
  let dst = q.dst;
  const askedDst = q.dst;
  const mark = q.mark ?? 0;
  const oif = q.oif;
  const lo = ns.device('lo')!;
  const base = { ns, givenSrc, mark };
  if (saddr) {
    // 6.18 no longer rejects a zeronet source here: it fails the local-address test below.
    if (isMulticast(saddr) || isLimitedBroadcast(saddr)) throw new KernelError('EINVAL');
    if (!oif && (isMulticast(dst) || isLimitedBroadcast(dst))) {
      // Multicast and limited broadcast leave through the device that owns the source.
      const d = ipDevFind(ns, saddr);
      if (!d) throw new KernelError('ENETUNREACH');
      return mkrouteOutput({ ...base, dst, saddr, devOut: d, res: undefined, type: 'unicast', local: false }, askedDst);
    }
    // A source that is not a local address: ENETUNREACH (rth is preset to it), not EINVAL.
    if (!ipDevFind(ns, saddr)) throw new KernelError('ENETUNREACH');
  }
  if (oif) {
    if (!oif.adminUp) throw new KernelError('ENETUNREACH');
    if (isLocalMulticast(dst) || isLimitedBroadcast(dst)) {
      if (!saddr) saddr = selectSourceAddress(oif, 0, Scope.link) ?? 0;
      return mkrouteOutput({ ...base, dst, saddr, devOut: oif, res: undefined, type: 'unicast', local: false }, askedDst);
    }
    if (!saddr) {
      if (isMulticast(dst)) saddr = selectSourceAddress(oif, 0, Scope.universe) ?? 0;
      else if (!dst) saddr = selectSourceAddress(oif, 0, Scope.host) ?? 0;
    }
  }
  if (!dst) {
    dst = saddr;
    if (!dst) dst = saddr = LOOPBACK_ADDR;
    return mkrouteOutput({ ...base, dst, saddr, devOut: lo, res: undefined, type: 'local', local: true }, askedDst);
  }
  const fl: Flow = flow(dst, {
    src: saddr,
    oif: oif?.ifindex ?? 0,
    oifName: oif?.name ?? '',
    iifName: 'lo',
    mark,
    tos: q.tos ?? 0,
  });
  const out = fibLookup(ns, fl);
  if (!out.ok) {
    if (oif) {
      // "Apparently, routing tables are wrong. Assume, that the destination is on link."
      if (!saddr) saddr = selectSourceAddress(oif, 0, Scope.link) ?? 0;
      return mkrouteOutput({ ...base, dst, saddr, devOut: oif, res: undefined, type: 'unicast', local: false }, askedDst);
    }
    throw new KernelError(out.errno === 'EAGAIN' ? 'ENETUNREACH' : out.errno);
  }
  const res = out.res;
  if (res.route.type === 'local') {
    if (!saddr) saddr = res.route.prefsrc ?? dst;
    return mkrouteOutput({ ...base, dst, saddr, devOut: lo, res, type: 'local', local: true }, askedDst);
  }
  // fib_select_path: the source comes from the route (prefsrc or a selected address).
  if (!saddr) saddr = resultPrefsrc(res) ?? 0;
  return mkrouteOutput({ ...base, dst, saddr, devOut: res.nh!.dev!, res, type: res.route.type, local: false }, askedDst);
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

/** fib_validate_source's e_inval: not a source this host accepts (-EINVAL). */
export const RP_INVALID = -1;
/** fib_validate_source's e_rpf: the reverse-path filter refused it (-EXDEV). */
export const RP_FILTERED = -2;

/**
 * fib_validate_source: the reverse-path check of a received packet. Negative: a martian
 * source (the packet is dropped), RP_INVALID or RP_FILTERED as the kernel tells them apart;
 * 1: the source is directly connected through the input device (a hairpin then earns a
 * redirect); 0: accepted otherwise.
 */
export function fibValidateSource(ns: Netns, src: number, dst: number, iif: Device, oif: number): number {
  const rpf = rpFilter(iif);
  const acceptLocal = !!(iif.conf.accept_local || ns.sysctl.all.accept_local);
  // send_redirects is 1 by default, so a hairpin (in == out) always takes the full check.
  if (!rpf && iif.ifindex !== oif) {
    if (acceptLocal) return 0;
    if (!fibHasCustomLocalRoutes(ns) && !ns.customRules) {
      // "Within the same container, it is regarded as a martian source."
      return ns.deviceWithAddress(src) ? RP_INVALID : 0;
    }
  }
  // __fib_validate_source: look the source up as a destination, as if the reply left
  // through the route's output device (flowi4_iif = oif, or lo for local delivery).
  const oifDev = oif ? ns.deviceByIndex(oif) : undefined;
  const rev = fibLookup(ns, flow(src, { src: dst, oif: 0, iifName: oifDev?.name ?? 'lo', oifName: '' }));
  const noAddr = iif.ipv4.length === 0;
  if (!rev.ok) return rpf ? RP_FILTERED : 0; // last_resort
  const t = rev.res.route.type;
  if (t !== 'unicast' && !(t === 'local' && acceptLocal)) return RP_INVALID;
  const devMatch = rev.res.route.nexthops.some((nh) => nh.dev === iif) || (t === 'local' && isLoopbackDev(iif));
  if (devMatch) return (rev.res.nh?.scope ?? Scope.host) >= Scope.host ? 1 : 0;
  if (noAddr) return rpf ? RP_FILTERED : 0; // last_resort
  if (rpf === 1) return RP_FILTERED;
  const rev2 = fibLookup(
    ns,
    flow(src, { src: dst, oif: iif.ifindex, oifName: iif.name, iifName: oifDev?.name ?? 'lo', ignoreLinkState: true }),
  );
  if (rev2.ok && rev2.res.route.type === 'unicast') return (rev2.res.nh?.scope ?? Scope.host) >= Scope.host ? 1 : 0;
  return 0;
}

/** fib_validate_source as a yes/no: false for a martian source. */
export function validateSource(ns: Netns, src: number, dst: number, iif: Device, oif: number): boolean {
  return fibValidateSource(ns, src, dst, iif, oif) >= 0;
}

/**
 * ip_route_input_rcu / ip_route_input_slow, as `ip route get ... iif DEV` drives them. A
 * martian comes back as EINVAL, except that the reverse-path filter's refusal keeps
 * fib_validate_source's EXDEV ("Invalid cross-device link") on the reference kernel, 6.1
 * (6.18 turns every drop reason into EINVAL: tests/lab/kernel-differences.ts). A missing
 * route comes back as the route's error (EHOSTUNREACH when the device does not forward).
 */
export function inputRoute(ns: Netns, q: InputQuery): ResolvedRoute {
  const { src, iif } = q;
  const dst = q.dst;
  const mark = q.mark ?? 0;
  const base = { direction: 'input' as const, dst: dst as Ipv4Addr, givenSrc: src, iif, src: undefined, mark };
  const localnet = routeLocalnet(iif);
  const lo = ns.device('lo')!;
  const martian = () => new KernelError('EINVAL');
  const refused = (v: number) => new KernelError(v === RP_FILTERED ? 'EXDEV' : 'EINVAL');
  if (isMulticast(dst)) {
    // ip_route_input_mc, only for a group the device has joined (no multicast forwarding).
    if (!mcJoined(iif, dst)) throw martian();
    if (isMulticast(src) || isLimitedBroadcast(src)) throw martian();
    if (isLoopback(src) && !localnet) throw martian();
    if (isZeronet(src)) {
      if (!isLocalMulticast(dst)) throw martian();
    } else {
      const v = fibValidateSource(ns, src, 0, iif, 0);
      if (v < 0) throw refused(v);
    }
    return { ...base, type: 'multicast', gw: undefined, dev: lo, cacheFlags: ['local', 'mc'], table: undefined, fib: undefined };
  }
  if (isMulticast(src) || isLimitedBroadcast(src)) throw martian();
  const brdInput = (res: FibResult | undefined): ResolvedRoute => {
    const v = isZeronet(src) ? 0 : fibValidateSource(ns, src, 0, iif, 0);
    if (v < 0) throw refused(v);
    return {
      ...base,
      type: 'broadcast',
      gw: undefined,
      dev: lo,
      cacheFlags: ['local', 'brd'],
      table: res ? reportedTable(ns, res) : undefined,
      fib: res,
    };
  };
  if (isLimitedBroadcast(dst) || (src === 0 && dst === 0)) return brdInput(undefined);
  // 6.18: of 0.0.0.0/8 only 0.0.0.0 itself is still a martian (0.65.214.132 is routed).
  if (isZeronet(src)) throw martian();
  if (isZeronet(dst)) throw martian();
  if (isLoopback(dst)) {
    if (!localnet) throw martian();
  } else if (isLoopback(src)) {
    if (!localnet) throw martian();
  }
  const out = fibLookup(ns, flow(dst, { src, iifName: iif.name, mark, tos: q.tos ?? 0 }));
  if (!out.ok) {
    throw new KernelError(!forwarding(iif) ? 'EHOSTUNREACH' : out.errno === 'EAGAIN' ? 'ENETUNREACH' : out.errno);
  }
  const res = out.res;
  if (res.route.type === 'broadcast') return brdInput(res);
  if (res.route.type === 'local') {
    const v = fibValidateSource(ns, src, dst, iif, 0);
    if (v < 0) throw refused(v);
    return { ...base, type: 'local', gw: undefined, dev: lo, cacheFlags: ['local'], table: reportedTable(ns, res), fib: res };
  }
  if (!forwarding(iif)) throw new KernelError('EHOSTUNREACH');
  if (res.route.type !== 'unicast') throw martian();
  const outDev = res.nh!.dev!;
  const v = fibValidateSource(ns, src, dst, iif, outDev.ifindex);
  if (v < 0) throw refused(v);
  // __mkroute_input: a packet sent back out of the device it came in on, from a directly
  // connected source, is forwarded with a redirect (send_redirects and shared_media are on).
  const cacheFlags = outDev === iif && v > 0 ? ['redirect'] : [];
  const gw = nexthopGateway(res.nh);
  return { ...base, type: 'unicast', gw, dev: outDev, cacheFlags, table: reportedTable(ns, res), fib: res, ...pmtuOf(ns, res.nh, dst) };
}
