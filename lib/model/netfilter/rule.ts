// One iptables rule of the nat table: the ip header checks, the match extensions and the
// target, as iptables keeps them (struct ipt_entry + xt matches + xt target).
import type { Ipv4Addr } from '../../net/ipv4.ts';

/** `-s`/`-d`: address already masked, as the kernel stores it; `mask` as a 32-bit number. */
export interface AddrSpec {
  addr: Ipv4Addr;
  mask: number;
  invert: boolean;
}

/** `-i`/`-o`: a name, or a prefix when it ends with `+`. */
export interface IfaceSpec {
  name: string;
  invert: boolean;
}

export interface ProtoSpec {
  num: number;
  invert: boolean;
}

export interface PortRange {
  min: number;
  max: number;
  invert: boolean;
}

/** libxt_tcp / libxt_udp (xt_tcp, xt_udp). */
export interface PortsMatch {
  kind: 'tcp' | 'udp';
  sport?: PortRange;
  dport?: PortRange;
}

/** libxt_icmp (ipt_icmp): type 0xFF is `any`. */
export interface IcmpMatch {
  kind: 'icmp';
  type: number;
  codeMin: number;
  codeMax: number;
  invert: boolean;
}

export interface CommentMatch {
  kind: 'comment';
  text: string;
}

/** libxt_mark: `--mark value[/mask]`. */
export interface MarkMatch {
  kind: 'mark';
  value: number;
  mask: number;
  invert: boolean;
}

/** The kernel's route types by RTN_* number, as libxt_addrtype names them (bit i of a mask is type i). */
export const RTN_NAMES = ['UNSPEC', 'UNICAST', 'LOCAL', 'BROADCAST', 'ANYCAST', 'MULTICAST', 'BLACKHOLE', 'UNREACHABLE', 'PROHIBIT', 'THROW', 'NAT', 'XRESOLVE'] as const;

/** libxt_addrtype revision 1: `--src-type` / `--dst-type` masks over RTN_NAMES (0: not given). */
export interface AddrtypeMatch {
  kind: 'addrtype';
  src: number;
  dst: number;
  invertSrc: boolean;
  invertDst: boolean;
}

export type Match = PortsMatch | IcmpMatch | CommentMatch | MarkMatch | AddrtypeMatch;

/** nf_nat_range2: absent addresses keep the packet's, absent ports keep (or pick) its port. */
export interface NatRange {
  minAddr?: Ipv4Addr;
  maxAddr?: Ipv4Addr;
  minPort?: number;
  maxPort?: number;
}

export interface NatFlags {
  random: boolean;
  randomFully: boolean;
  persistent: boolean;
}

export type Target =
  | { kind: 'none' }
  | { kind: 'ACCEPT' }
  | { kind: 'DROP' }
  | { kind: 'RETURN' }
  /** libipt_REJECT: `with` is the reject type's full name (icmp-port-unreachable by default). */
  | { kind: 'REJECT'; with: string }
  | { kind: 'jump'; chain: string }
  | ({ kind: 'SNAT'; range: NatRange } & NatFlags)
  | ({ kind: 'DNAT'; range: NatRange } & NatFlags)
  | ({ kind: 'MASQUERADE'; range: NatRange } & NatFlags)
  /** xt_MARK v2: mark = (mark & ~mask) ^ value (`--set-xmark value/mask`). */
  | { kind: 'MARK'; value: number; mask: number };

export interface Rule {
  src?: AddrSpec;
  dst?: AddrSpec;
  iif?: IfaceSpec;
  oif?: IfaceSpec;
  proto?: ProtoSpec;
  matches: Match[];
  target: Target;
}

/** The name iptables shows in the target column. */
export function targetName(t: Target): string {
  switch (t.kind) {
    case 'none':
      return '';
    case 'jump':
      return t.chain;
    default:
      return t.kind;
  }
}
