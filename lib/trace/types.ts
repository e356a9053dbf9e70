// The tracer's public shape. The JSON form of `Trace` is stable: widgets and diagrams read
// it (documented in docs/trace.md). Vocabulary after Batfish's flow traces, plus the
// header stack, TTL and MTU at every step.
import type { DeviceKind } from '../kinds/registry.ts';
import type { Header } from './headers.ts';

export type Proto = 'icmp' | 'tcp' | 'udp';

export interface TraceQuery {
  /** Namespace the packet starts in (a pod, a node, `ext`...). */
  from: string;
  /** Destination IPv4 address, dotted. */
  to: string;
  proto?: Proto;
  sport?: number;
  dport?: number;
  /** Total length of the IP packet the application sends, in bytes (default 84: a ping). */
  size?: number;
  /** Don't-fragment bit (Linux ping, TCP and UDP sockets set it by default). */
  df?: boolean;
  /** The packet answers an earlier one: ICMP echo reply, TCP SYN-ACK (see replyQuery). */
  reply?: boolean;
  /**
   * Source address, dotted (default: the one the output route selects). A reply leaves from
   * the address the request was sent to (icmp_reply, a socket bound by the request), which
   * may be one the route would not pick: a ClusterIP on kube-ipvs0.
   */
  src?: string;
  /**
   * The packet is an ICMP error of this destination-unreachable code (type 3), sent for a
   * packet that was dropped where it was routed, before conntrack confirmed it: the error
   * matches no connection, so no hook tracks or translates it (nf_conntrack_inet_error finds
   * nothing). The caller makes sure no earlier hop confirmed the offending packet.
   */
  icmpError?: number;
}

export type StepType =
  | 'originate'
  | 'routing'
  | 'netfilter'
  | 'ipvs'
  | 'neighbor'
  | 'transmit'
  | 'encapsulate'
  | 'decapsulate'
  | 'veth'
  | 'vlan'
  | 'ipvlan'
  | 'ovs'
  | 'bridge'
  | 'bond'
  | 'receive'
  | 'forward'
  | 'deliver'
  | 'drop'
  /** The tracer stops: the model cannot follow the packet further (disposition MODEL_LIMIT). */
  | 'limit'
  /** A device kind's own step (lib/kinds/<kind>.ts), e.g. 'macvlan'. */
  | DeviceKind;

export type Disposition =
  | 'DELIVERED'
  | 'NO_ROUTE'
  | 'NULL_ROUTED'
  | 'NEIGHBOR_UNREACHABLE'
  | 'DENIED'
  | 'MTU_EXCEEDED'
  | 'TTL_EXCEEDED'
  | 'LOOP'
  /** Not a network verdict: the packet reached something the model cannot follow (a kind
   * without a transmit hook, one-to-many delivery); `reason` says what. */
  | 'MODEL_LIMIT';

/** What every step has. */
export interface StepBase {
  /** 1-based position in the trace. */
  n: number;
  /** Namespace (host) where the step happens; '' is the machine's initial namespace. */
  ns: string;
  /** Device involved, if any, and its kind (veth, vxlan, ovs-internal, bond...). */
  device?: string;
  deviceKind?: string;
  /** Batfish-style action: RECEIVED, FORWARDED, TRANSMITTED, TRANSFORMED, DELIVERED, DROPPED... */
  action: string;
  /** One line a reader can follow. For people: no program reads it. */
  summary: string;
  /** Why, in the kernel's terms (one line each). For people: no program reads it. */
  why: string[];
  /** The whole frame after this step, outermost header first. */
  headers: Header[];
  /** Size in bytes of each header, in the same order, and the total. */
  sizes: number[];
  total: number;
  /** Header fields this step changed, as `kind.field` (e.g. `ipv4.src`, `ipv4.ttl`). */
  changed: string[];
}

/** The structured facts of each step type: what programs (views, diagrams, tests) read. */
export interface StepDetails {
  routing: {
    direction: 'input' | 'output';
    /** The FIB entry as `ip route show` prints it (null: no FIB entry, e.g. a cached local route). */
    route: string | null;
    /** The rule as `ip rule` prints it (null: no custom rules, the merged local+main lookup). */
    rule: string | null;
    table: string | null;
    type: string;
    nexthop: string | null;
    dev: string;
    src: string | null;
  };
  neighbor: {
    method: 'neighbour table' | 'arp' | 'proxy arp';
    ip: string;
    mac?: string;
    /** The neighbour table entry used, as `ip neigh` prints it. */
    entry?: string;
    answeredBy?: string;
    path?: string[];
    silent?: { dev: string; why: string }[];
  };
  netfilter: { hook?: string; by?: string; field?: string; from?: string; to?: string; rule?: string | null; conntrack?: string | null };
  ipvs: { service?: string; realServer?: string; scheduler?: string; newConnection?: boolean };
  encapsulate: {
    vni: number;
    remote: string;
    local: string;
    sourcePort: number;
    dstport: number;
    innerFrame: number;
    /** The FDB entry used, as `bridge fdb` prints it. */
    fdb: string;
  };
  decapsulate: { vni: number; outerSrc: string; outerDst: string };
  bond: { policy?: string; hash?: number; members?: string[]; index?: number; member?: string; steps?: { label: string; detail: string }[] };
  ovs: { bridge: string; inPort: string; vlan: number; decision: string; outPort: string; ofport: number | string; outVlan: number | null };
  bridge: { bridge?: string; inPort?: string; outPort?: string; mac?: string };
  veth: { peer: string };
  transmit: { fragments?: number; sizes?: number[] };
  /** Why the packet stopped here (the drop's reason, one line); an unanswered ARP also
   * names the address and who heard the request but kept quiet. */
  drop: { reason?: string; method?: 'arp'; ip?: string; silent?: { dev: string; why: string }[] };
  limit: { routeType?: string; dev?: string };
}

/** A device kind's own step (lib/kinds/<kind>.ts): flat facts. */
export type KindStepDetail = Record<string, string | number | boolean | null | undefined>;

export type StepDetail<T extends StepType> = T extends keyof StepDetails ? StepDetails[T] : T extends DeviceKind ? KindStepDetail : Record<string, never>;

/** One step: a discriminated union on `type`, each with its own `detail`. */
export type StepOf<T extends StepType> = StepBase & { type: T; detail: StepDetail<T> };
export type Step = { [T in StepType]: StepOf<T> }[StepType];

/** Type guard: `s` is a step of type `type`. */
export function isStep<T extends StepType>(s: Step, type: T): s is Extract<Step, { type: T }> {
  return s.type === type;
}

/** The trace's steps of one type, typed. */
export function stepsOf<T extends StepType>(t: { steps: Step[] }, type: T): Extract<Step, { type: T }>[] {
  return t.steps.filter((s): s is Extract<Step, { type: T }> => s.type === type);
}

export interface Trace {
  query: Required<Omit<TraceQuery, 'sport' | 'dport' | 'src' | 'icmpError'>> & { sport: number; dport: number; src?: string; icmpError?: number };
  disposition: Disposition;
  /** Where it ended: the namespace and device that delivered or dropped it. */
  at: { ns: string; device?: string };
  reason: string;
  /** TTL of the (inner) IP header on delivery. */
  ttlAtDelivery?: number;
  /** MTU_EXCEEDED with DF set at a device: its MTU, which an ICMP "fragmentation needed" carries back. */
  nextHopMtu?: number;
  steps: Step[];
}

export class TraceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TraceError';
  }
}
