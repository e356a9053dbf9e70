// The connection tracking table of one namespace (nf_conntrack): entries keyed by their
// original and reply tuples, the per-protocol state and timeout, and the NAT status bits.
//
// There is no clock in the model. An entry's timeout is the value the kernel sets when the
// state last changed (nf_conntrack_proto_{tcp,udp,icmp}.c defaults); a real `conntrack -L`
// read a moment later shows it counted down (431999 for a fresh ESTABLISHED entry).
import type { Netns } from '../netns.ts';
import { IPPROTO_ICMP, IPPROTO_TCP, IPPROTO_UDP, invertTuple, tupleEquals, tupleOf, type CtDir, type NfPacket, type Tuple } from './packet.ts';

export type TcpState =
  | 'SYN_SENT'
  | 'SYN_RECV'
  | 'ESTABLISHED'
  | 'FIN_WAIT'
  | 'CLOSE_WAIT'
  | 'LAST_ACK'
  | 'TIME_WAIT'
  | 'CLOSE';

/** tcp_timeouts[] (seconds). */
export const TCP_TIMEOUTS: Record<TcpState, number> = {
  SYN_SENT: 120,
  SYN_RECV: 60,
  ESTABLISHED: 432000,
  FIN_WAIT: 120,
  CLOSE_WAIT: 60,
  LAST_ACK: 30,
  TIME_WAIT: 120,
  CLOSE: 10,
};

/** nf_conntrack_udp_timeout / _stream, nf_conntrack_icmp_timeout, generic timeout. */
export const UDP_TIMEOUT = 30;
export const UDP_STREAM_TIMEOUT = 120;
export const ICMP_TIMEOUT = 30;
export const GENERIC_TIMEOUT = 600;

export interface ConntrackEntry {
  /** Creation order in the namespace (the model lists entries in this order). */
  id: number;
  orig: Tuple;
  reply: Tuple;
  /** IPS_SRC_NAT / IPS_DST_NAT: the reply tuple was altered for source / destination NAT. */
  srcNat: boolean;
  dstNat: boolean;
  /** IPS_SEEN_REPLY, IPS_ASSURED, IPS_CONFIRMED. */
  seenReply: boolean;
  assured: boolean;
  confirmed: boolean;
  /** nf_nat_initialized per manip type: NAT rules run once per connection and manip. */
  natDone: { src: boolean; dst: boolean };
  tcpState?: TcpState;
  timeout: number;
  /** ct->mark (connmark; iptables' MARK target sets the packet mark, not this). */
  mark: number;
  /** What set up each translation: the NAT rule's target, or IPVS (ip_vs_update_conntrack). */
  natBy?: { src?: 'SNAT' | 'MASQUERADE'; dst?: 'DNAT' | 'IPVS' };
}

export interface CtMatch {
  entry: ConntrackEntry;
  dir: CtDir;
}

export class ConntrackTable {
  /** Confirmed entries, oldest first. */
  readonly entries: ConntrackEntry[] = [];
  private nextId = 1;

  /** __nf_conntrack_find_get: the confirmed entry one of whose tuples equals `t`. */
  lookup(t: Tuple): CtMatch | undefined {
    for (const entry of this.entries) {
      if (tupleEquals(entry.orig, t)) return { entry, dir: 'original' };
      if (tupleEquals(entry.reply, t)) return { entry, dir: 'reply' };
    }
    return undefined;
  }

  /** nf_conntrack_tuple_taken: another connection already uses `t` in either direction. */
  tupleTaken(t: Tuple, ignore?: ConntrackEntry): boolean {
    return this.entries.some((e) => e !== ignore && (tupleEquals(e.orig, t) || tupleEquals(e.reply, t)));
  }

  /** init_conntrack: a new, unconfirmed entry for the packet's tuple (the packet carries it). */
  create(p: NfPacket): ConntrackEntry {
    const orig = tupleOf(p);
    const entry: ConntrackEntry = {
      id: this.nextId++,
      orig,
      reply: invertTuple(orig),
      srcNat: false,
      dstNat: false,
      seenReply: false,
      assured: false,
      confirmed: false,
      natDone: { src: false, dst: false },
      timeout: GENERIC_TIMEOUT,
      mark: 0,
    };
    updateState(entry, 'original', p);
    return entry;
  }

  /** __nf_conntrack_confirm: the entry enters the table when its first packet leaves the hooks. */
  confirm(entry: ConntrackEntry): void {
    if (entry.confirmed) return;
    entry.confirmed = true;
    this.entries.push(entry);
  }

  remove(entry: ConntrackEntry): void {
    const i = this.entries.indexOf(entry);
    if (i >= 0) this.entries.splice(i, 1);
  }

  flush(): number {
    const n = this.entries.length;
    this.entries.length = 0;
    return n;
  }
}

/**
 * The protocol trackers' reaction to a packet of an existing or new entry (simplified to
 * the transitions a trace produces). TCP without flags: the first packet is a SYN, the
 * first reply completes the handshake (ESTABLISHED, ASSURED) in one step.
 */
export function updateState(e: ConntrackEntry, dir: CtDir, p: NfPacket): void {
  const replyNow = dir === 'reply';
  if (replyNow) e.seenReply = true;
  switch (e.orig.proto) {
    case IPPROTO_TCP: {
      const f = p.tcpFlags;
      if (e.tcpState === undefined) e.tcpState = 'SYN_SENT';
      else if (f === 'RST') e.tcpState = 'CLOSE';
      else if (f === 'FIN') e.tcpState = e.tcpState === 'ESTABLISHED' ? 'FIN_WAIT' : e.tcpState;
      else if (f === 'SYN,ACK' && replyNow && e.tcpState === 'SYN_SENT') e.tcpState = 'SYN_RECV';
      else if (f === 'ACK' && !replyNow && e.tcpState === 'SYN_RECV') e.tcpState = 'ESTABLISHED';
      else if (f === undefined && replyNow && (e.tcpState === 'SYN_SENT' || e.tcpState === 'SYN_RECV')) e.tcpState = 'ESTABLISHED';
      if (e.tcpState === 'ESTABLISHED') e.assured = true;
      e.timeout = TCP_TIMEOUTS[e.tcpState];
      break;
    }
    case IPPROTO_UDP:
      e.timeout = e.assured ? UDP_STREAM_TIMEOUT : UDP_TIMEOUT;
      break;
    case IPPROTO_ICMP:
      e.timeout = ICMP_TIMEOUT;
      break;
    default:
      e.timeout = GENERIC_TIMEOUT;
  }
}

declare module '../extensions.ts' {
  interface NsExtensions {
    conntrack?: ConntrackTable;
  }
}

/** The namespace's conntrack table, created on first use. */
export function conntrackTable(ns: Netns): ConntrackTable {
  ns.ext.conntrack ??= new ConntrackTable();
  return ns.ext.conntrack;
}
