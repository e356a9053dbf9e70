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

export interface Step {
  /** 1-based position in the trace. */
  n: number;
  /** Namespace (host) where the step happens; '' is the machine's initial namespace. */
  ns: string;
  /** Device involved, if any, and its kind (veth, vxlan, ovs-internal, bond...). */
  device?: string;
  deviceKind?: string;
  type: StepType;
  /** Batfish-style action: RECEIVED, FORWARDED, TRANSMITTED, TRANSFORMED, DELIVERED, DROPPED... */
  action: string;
  /** One line a reader can follow. */
  summary: string;
  /** Why, in the kernel's terms (one line each). */
  why: string[];
  /** Structured facts of the step (route line, rule, table, entries used, arithmetic...). */
  detail: Record<string, unknown>;
  /** The whole frame after this step, outermost header first. */
  headers: Header[];
  /** Size in bytes of each header, in the same order, and the total. */
  sizes: number[];
  total: number;
  /** Header fields this step changed, as `kind.field` (e.g. `ipv4.src`, `ipv4.ttl`). */
  changed: string[];
}

export interface Trace {
  query: Required<Omit<TraceQuery, 'sport' | 'dport'>> & { sport: number; dport: number };
  disposition: Disposition;
  /** Where it ended: the namespace and device that delivered or dropped it. */
  at: { ns: string; device?: string };
  reason: string;
  /** TTL of the (inner) IP header on delivery. */
  ttlAtDelivery?: number;
  steps: Step[];
}

export class TraceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TraceError';
  }
}
