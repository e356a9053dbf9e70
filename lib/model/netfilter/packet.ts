// The packet as netfilter sees it, and the 5-tuples conntrack keys connections by.
import type { Ipv4Addr } from '../../net/ipv4.ts';
import type { ConntrackEntry } from './conntrack.ts';

export const IPPROTO_ICMP = 1;
export const IPPROTO_TCP = 6;
export const IPPROTO_UDP = 17;

/** TCP flags of the packet, for the conntrack state machine (only the ones it needs). */
export type TcpFlags = 'SYN' | 'SYN,ACK' | 'ACK' | 'FIN' | 'RST';

export type CtDir = 'original' | 'reply';

export interface NfPacket {
  proto: number;
  src: Ipv4Addr;
  dst: Ipv4Addr;
  /** TCP/UDP source port; for ICMP echo the identifier (conntrack keeps it as the "port"). */
  sport: number;
  /** TCP/UDP destination port; 0 for ICMP. */
  dport: number;
  icmpType?: number;
  icmpCode?: number;
  /** skb->mark. */
  mark: number;
  /** TCP flags; without them a TCP packet counts as the connection's first (SYN) or an ACK. */
  tcpFlags?: TcpFlags;
  /** Set by the first NAT hook the packet meets (skb->_nfct): its connection and direction. */
  ct?: { entry: ConntrackEntry; dir: CtDir };
  /** IP_CT_UNTRACKED (IPVS with net.ipv4.vs.conntrack=0): NAT hooks leave it alone. */
  untracked?: boolean;
}

/** nf_conntrack_tuple, IPv4 only. ICMP: `sport` holds the echo id, `dport` is 0. */
export interface Tuple {
  proto: number;
  src: Ipv4Addr;
  dst: Ipv4Addr;
  sport: number;
  dport: number;
  icmpType?: number;
  icmpCode?: number;
}

export function tupleOf(p: NfPacket): Tuple {
  const t: Tuple = { proto: p.proto, src: p.src, dst: p.dst, sport: p.sport, dport: p.dport };
  if (p.proto === IPPROTO_ICMP) {
    t.icmpType = p.icmpType ?? 8;
    t.icmpCode = p.icmpCode ?? 0;
    t.dport = 0;
  }
  return t;
}

/** ICMP request types and their replies (nf_conntrack_proto_icmp.c invmap). */
const ICMP_INVERSE: Record<number, number> = { 8: 0, 0: 8, 13: 14, 14: 13, 15: 16, 16: 15, 17: 18, 18: 17 };

/** nf_ct_invert_tuple: the tuple of the other direction. */
export function invertTuple(t: Tuple): Tuple {
  const r: Tuple = { proto: t.proto, src: t.dst, dst: t.src, sport: t.dport, dport: t.sport };
  if (t.proto === IPPROTO_ICMP) {
    r.sport = t.sport;
    r.dport = 0;
    r.icmpType = ICMP_INVERSE[t.icmpType ?? 8] ?? t.icmpType ?? 0;
    r.icmpCode = t.icmpCode ?? 0;
  }
  return r;
}

export function tupleEquals(a: Tuple, b: Tuple): boolean {
  if (a.proto !== b.proto || a.src !== b.src || a.dst !== b.dst || a.sport !== b.sport || a.dport !== b.dport) return false;
  if (a.proto === IPPROTO_ICMP) return a.icmpType === b.icmpType && a.icmpCode === b.icmpCode;
  return true;
}

/** Protocols whose ports NAT can rewrite (ICMP: the echo id). */
export function hasPorts(proto: number): boolean {
  return proto === IPPROTO_TCP || proto === IPPROTO_UDP;
}
