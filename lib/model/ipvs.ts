// IPVS (net/netfilter/ipvs) in one namespace: virtual services, their real servers, the
// schedulers, the connection table, and what the LOCAL_IN hook does to a packet for a VIP.
//
// MODEL ONLY: the lab kernel has no IPVS (no /proc/net/ip_vs). Followed sources:
// ip_vs_ctl.c (__ip_vs_update_dest adds a real server with list_add_rcu, i.e. at the HEAD
// of svc->destinations: the newest server comes first), ip_vs_rr.c, ip_vs_wrr.c,
// ip_vs_lc.c, ip_vs_wlc.c (schedulers), ip_vs_core.c (ip_vs_remote_request4 at LOCAL_IN,
// priority NF_IP_PRI_NAT_SRC - 2, before nat INPUT), ip_vs_xmit.c (ip_vs_nat_xmit:
// ip_vs_update_conntrack with net.ipv4.vs.conntrack=1, else the packet goes untracked;
// the DNAT'd packet is sent through LOCAL_OUT, TTL decremented).
//
// Round robin, deterministically: sched_data starts at the list head, and each pick takes
// the next server after the previous pick in list order. Because the list is newest-first,
// the FIRST connection goes to the real server ADDED LAST, then on toward the oldest, and
// around again. (ipvsadm -L sorts servers by address, which hides this order.)
import type { Ipv4Addr } from '../net/ipv4.ts';
import type { Netns } from './netns.ts';
import { IPPROTO_ICMP, IPPROTO_TCP, type NfPacket } from './netfilter/packet.ts';
import { IpvsScheduleError, peekSchedule, wrrDestChanged } from './ipvs-sched.ts';

export { IpvsScheduleError, peekSchedule } from './ipvs-sched.ts';

export type IpvsProto = 'tcp' | 'udp';
export type IpvsForward = 'masq' | 'route' | 'tunnel';

/** Schedulers the kernel ships (ipvsadm -s accepts them); the model picks with rr, wrr, lc, wlc. */
export const IPVS_SCHEDULERS = ['rr', 'wrr', 'lc', 'wlc', 'lblc', 'lblcr', 'dh', 'sh', 'sed', 'nq', 'fo', 'ovf', 'mh', 'twos'] as const;

export type IpvsTunType = 'ipip' | 'gue' | 'gre';

export interface IpvsDest {
  addr: Ipv4Addr;
  port: number;
  forward: IpvsForward;
  weight: number;
  activeConns: number;
  inactConns: number;
  /** -x / -y (0: no limit). */
  uThreshold?: number;
  lThreshold?: number;
  /** --tun-type (the kernel keeps ipip, type 0, for every server; shown for tunnel servers). */
  tunType?: IpvsTunType;
  tunPort?: number;
  /** --tun-nocsum (0), --tun-csum (1), --tun-remcsum (2). */
  tunFlags?: number;
}

export interface IpvsService {
  proto: IpvsProto;
  vip: Ipv4Addr;
  vport: number;
  scheduler: string;
  /** Kernel list order: newest first. */
  dests: IpvsDest[];
  /** rr/wrr: the last pick (list position), -1 = the list head. */
  schedPos: number;
  /** wrr: the current weight (mark->cw). */
  wrrCw: number;
  persistent?: number;
}

export interface IpvsConn {
  proto: IpvsProto;
  caddr: Ipv4Addr;
  cport: number;
  vaddr: Ipv4Addr;
  vport: number;
  dest: IpvsDest;
  state: 'SYN_RECV' | 'ESTABLISHED' | 'UDP';
}

export class IpvsState {
  readonly services: IpvsService[] = [];
  readonly conns: IpvsConn[] = [];
}

declare module './extensions.ts' {
  interface NsExtensions {
    ipvs?: IpvsState;
  }
}

export function ipvsState(ns: Netns): IpvsState {
  ns.ext.ipvs ??= new IpvsState();
  return ns.ext.ipvs;
}

export type IpvsErrno = 'EEXIST' | 'ESRCH' | 'ENOENT' | 'EINVAL' | 'ERANGE';

/** A refused change, by the errno the kernel returns (ipvsadm maps it to its message). */
export class IpvsError extends Error {
  readonly errno: IpvsErrno;
  constructor(errno: IpvsErrno) {
    super(errno);
    this.name = 'IpvsError';
    this.errno = errno;
  }
}

export function findService(st: IpvsState, proto: IpvsProto, vip: number, vport: number): IpvsService | undefined {
  return st.services.find((s) => s.proto === proto && s.vip === vip && s.vport === vport);
}

export function addService(ns: Netns, proto: IpvsProto, vip: Ipv4Addr, vport: number, scheduler: string, persistent?: number): IpvsService {
  const st = ipvsState(ns);
  if (findService(st, proto, vip, vport)) throw new IpvsError('EEXIST');
  if (!(IPVS_SCHEDULERS as readonly string[]).includes(scheduler)) throw new IpvsError('ENOENT');
  const svc: IpvsService = { proto, vip, vport, scheduler, dests: [], schedPos: -1, wrrCw: 0 };
  if (persistent !== undefined) svc.persistent = persistent;
  st.services.push(svc);
  return svc;
}

/**
 * `-E`: ip_vs_edit_service replaces the service's settings with the command's: the scheduler,
 * and the flags and timeout, so an edit without `-p` ends persistence (seen on the VM).
 */
export function editService(ns: Netns, proto: IpvsProto, vip: number, vport: number, scheduler: string, persistent?: number): void {
  const svc = findService(ipvsState(ns), proto, vip, vport);
  if (!svc) throw new IpvsError('ESRCH');
  if (!(IPVS_SCHEDULERS as readonly string[]).includes(scheduler)) throw new IpvsError('ENOENT');
  if (persistent !== undefined) svc.persistent = persistent;
  else delete svc.persistent;
  if (svc.scheduler !== scheduler) {
    svc.scheduler = scheduler;
    svc.schedPos = -1;
    svc.wrrCw = 0;
    if (scheduler === 'wrr') wrrDestChanged(svc);
  }
}

export function deleteService(ns: Netns, proto: IpvsProto, vip: number, vport: number): void {
  const st = ipvsState(ns);
  const i = st.services.findIndex((s) => s.proto === proto && s.vip === vip && s.vport === vport);
  if (i < 0) throw new IpvsError('ESRCH');
  st.services.splice(i, 1);
}

export function clearServices(ns: Netns): void {
  const st = ipvsState(ns);
  st.services.length = 0;
  st.conns.length = 0;
}

/** ip_vs_add_dest / ip_vs_edit_dest's first checks: weight, thresholds, the GUE port. */
function checkDestArgs(d: Omit<IpvsDest, 'activeConns' | 'inactConns'>): void {
  if (d.weight < 0) throw new IpvsError('ERANGE');
  if ((d.lThreshold ?? 0) > (d.uThreshold ?? 0)) throw new IpvsError('ERANGE');
  if (d.tunType === 'gue' && !d.tunPort) throw new IpvsError('EINVAL');
}

/**
 * inet_addr_type(net, addr) as ip_vs_new_dest asks it: the LOCAL table's answer (local,
 * broadcast...) or unicast; and broadcast when the namespace has no local table yet (it is
 * made with the first local route, i.e. the first IPv4 address, 127.0.0.1 on lo included).
 */
function localAddrType(ns: Netns, addr: number): 'local' | 'unicast' | 'other' {
  if (addr === 0 || addr >>> 0 === 0xffffffff || addr >>> 24 === 0) return 'other';
  if (addr >>> 28 === 0xe) return 'other';
  const local = ns.existingTable(255);
  if (!local || local.size === 0) return 'other';
  let best: { len: number; type: string } | undefined;
  for (const r of local.all()) {
    const len = r.dst.len;
    const mask = len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
    if (((addr & mask) >>> 0) === r.dst.addr && (!best || len > best.len)) best = { len, type: r.type };
  }
  if (!best) return 'unicast';
  return best.type === 'local' ? 'local' : best.type === 'unicast' ? 'unicast' : 'other';
}

export function addDest(ns: Netns, svc: { proto: IpvsProto; vip: number; vport: number }, d: Omit<IpvsDest, 'activeConns' | 'inactConns'>): void {
  const s = findService(ipvsState(ns), svc.proto, svc.vip, svc.vport);
  if (!s) throw new IpvsError('ESRCH');
  checkDestArgs(d);
  if (s.dests.some((x) => x.addr === d.addr && x.port === d.port)) throw new IpvsError('EEXIST');
  // ip_vs_new_dest: a real server must be a unicast or local address (RTN_LOCAL/RTN_UNICAST).
  if (localAddrType(ns, d.addr) === 'other') throw new IpvsError('EINVAL');
  // list_add_rcu: at the head. A pick position after the head moves with it.
  s.dests.unshift({ ...d, activeConns: 0, inactConns: 0 });
  if (s.schedPos >= 0) s.schedPos++;
  if (s.scheduler === 'wrr') wrrDestChanged(s);
}

export function editDest(ns: Netns, svc: { proto: IpvsProto; vip: number; vport: number }, d: Omit<IpvsDest, 'activeConns' | 'inactConns'>): void {
  const s = findService(ipvsState(ns), svc.proto, svc.vip, svc.vport);
  if (!s) throw new IpvsError('ESRCH');
  checkDestArgs(d);
  const x = s.dests.find((y) => y.addr === d.addr && y.port === d.port);
  if (!x) throw new IpvsError('ENOENT');
  const { activeConns, inactConns } = x;
  for (const k of Object.keys(x) as (keyof IpvsDest)[]) delete x[k];
  Object.assign(x, d, { activeConns, inactConns });
  if (s.scheduler === 'wrr') wrrDestChanged(s);
}

export function deleteDest(ns: Netns, svc: { proto: IpvsProto; vip: number; vport: number }, addr: number, port: number): void {
  const s = findService(ipvsState(ns), svc.proto, svc.vip, svc.vport);
  if (!s) throw new IpvsError('ESRCH');
  const i = s.dests.findIndex((y) => y.addr === addr && y.port === port);
  if (i < 0) throw new IpvsError('ENOENT');
  s.dests.splice(i, 1);
  // ip_vs_rr_del_dest: a pick pointing at the removed server falls back to its predecessor.
  if (s.schedPos >= i) s.schedPos--;
  if (s.scheduler === 'wrr') wrrDestChanged(s);
}

export interface SourceTuple {
  addr: number;
  port: number;
}

/**
 * ipvsSchedule: which real server a new connection from `src` to VIP:VPORT would get. An
 * existing IPVS connection for the same client tuple keeps its server. Changes nothing.
 */
export function ipvsSchedule(ns: Netns, proto: IpvsProto, vip: number, vport: number, src: SourceTuple): { service: IpvsService; dest: IpvsDest; existing: boolean; why: string } | undefined {
  const st = ns.ext.ipvs;
  if (!st) return undefined;
  const svc = findService(st, proto, vip, vport);
  if (!svc) return undefined;
  const conn = st.conns.find((c) => c.proto === proto && c.caddr === src.addr && c.cport === src.port && c.vaddr === vip && c.vport === vport);
  if (conn) return { service: svc, dest: conn.dest, existing: true, why: 'existing IPVS connection' };
  const pick = peekSchedule(svc);
  return pick ? { service: svc, dest: pick.dest, existing: false, why: pick.why } : undefined;
}

// ---- the packet path ----

export interface IpvsStep {
  service: IpvsService;
  dest: IpvsDest;
  conn: IpvsConn;
  /** The packet after DNAT (carries its conntrack entry, or `untracked` with conntrack=0). */
  packet: NfPacket;
  from: { addr: Ipv4Addr; port: number };
  to: { addr: Ipv4Addr; port: number };
  newConnection: boolean;
  why: string;
  /** ip_vs_nat_xmit forwards the packet: the tracer decrements the TTL. */
  decrementTtl: boolean;
  /** net.ipv4.vs.conntrack: IPVS rewrote the conntrack entry's reply tuple. */
  conntrackUpdated: boolean;
}

function protoName(p: number): IpvsProto | undefined {
  return p === IPPROTO_TCP ? 'tcp' : p === 17 ? 'udp' : undefined;
}

/**
 * IPVS at LOCAL_IN for a packet routed to a local address (a ClusterIP on kube-ipvs0):
 * finds the service, schedules (or reuses the connection's server), rewrites the
 * destination (masquerading forwarding), and with net.ipv4.vs.conntrack=1 points the
 * conntrack entry's reply tuple at the real server (ip_vs_update_conntrack). Returns
 * undefined when no service matches: the packet goes on to nat INPUT.
 */
export function ipvsLocalIn(ns: Netns, pkt: NfPacket): IpvsStep | undefined {
  const st = ns.ext.ipvs;
  const proto = protoName(pkt.proto);
  if (!st || !proto) return undefined;
  const svc = findService(st, proto, pkt.dst, pkt.dport);
  if (!svc) return undefined;
  let conn = st.conns.find((c) => c.proto === proto && c.caddr === pkt.src && c.cport === pkt.sport && c.vaddr === pkt.dst && c.vport === pkt.dport);
  let why = 'existing IPVS connection';
  const newConnection = conn === undefined;
  if (!conn) {
    const pick = peekSchedule(svc);
    if (!pick) return undefined;
    svc.schedPos = pick.schedPos;
    svc.wrrCw = pick.wrrCw;
    why = pick.why;
    conn = { proto, caddr: pkt.src, cport: pkt.sport, vaddr: pkt.dst, vport: pkt.dport, dest: pick.dest, state: proto === 'tcp' ? 'SYN_RECV' : 'UDP' };
    st.conns.push(conn);
    pick.dest.inactConns++;
  }
  const dest = conn.dest;
  if (dest.forward !== 'masq') {
    throw new IpvsScheduleError(`IPVS forwarding "${dest.forward}" is not modelled (only masquerading, -m)`);
  }
  const packet: NfPacket = { ...pkt, dst: dest.addr, dport: dest.port };
  let conntrackUpdated = false;
  if (ns.sysctl.vsConntrack !== 0 && packet.ct) {
    const e = packet.ct.entry;
    if (packet.ct.dir === 'original') {
      e.reply = { ...e.reply, src: dest.addr, ...(pkt.proto !== IPPROTO_ICMP ? { sport: dest.port } : {}) };
      e.natBy = { ...e.natBy, dst: 'IPVS' };
      conntrackUpdated = true;
    }
  } else if (ns.sysctl.vsConntrack === 0) {
    delete packet.ct;
    packet.untracked = true;
  }
  return {
    service: svc,
    dest,
    conn,
    packet,
    from: { addr: pkt.dst, port: pkt.dport },
    to: { addr: dest.addr, port: dest.port },
    newConnection,
    why,
    decrementTtl: true,
    conntrackUpdated,
  };
}

/**
 * IPVS on the way back (ip_vs_out at FORWARD/LOCAL_OUT): a reply from a real server to a
 * client of an IPVS connection gets the VIP:VPORT as its source again. A TCP reply makes
 * the connection active (the model's stand-in for the handshake completing).
 */
export function ipvsOut(ns: Netns, pkt: NfPacket): { packet: NfPacket; conn: IpvsConn; from: { addr: Ipv4Addr; port: number }; to: { addr: Ipv4Addr; port: number } } | undefined {
  const st = ns.ext.ipvs;
  const proto = protoName(pkt.proto);
  if (!st || !proto) return undefined;
  const conn = st.conns.find((c) => c.proto === proto && c.dest.addr === pkt.src && c.dest.port === pkt.sport && c.caddr === pkt.dst && c.cport === pkt.dport);
  if (!conn) return undefined;
  if (conn.state === 'SYN_RECV') {
    conn.state = 'ESTABLISHED';
    conn.dest.inactConns--;
    conn.dest.activeConns++;
  }
  return {
    packet: { ...pkt, src: conn.vaddr, sport: conn.vport },
    conn,
    from: { addr: pkt.src, port: pkt.sport },
    to: { addr: conn.vaddr, port: conn.vport },
  };
}
