// The example flows the "Your cluster" page traces on a generated cluster, and each trace's
// outcome as the page shows it. No DOM: src/components/generator/client.ts draws them.
import type { Cluster } from './cluster.ts';
import { formatIpv4 } from '../net/ipv4.ts';
import { trace, type Trace, type TraceQuery } from '../trace/index.ts';

export type FlowKind = 'pod' | 'outside' | 'underlay';

export interface ExampleFlow {
  kind: FlowKind;
  /** The two ends as the page names them, e.g. `pod-a-1 (10.20.1.5)`. */
  from: string;
  to: string;
  query: TraceQuery;
}

/** Pod to pod across nodes, pod to the outside host (TCP 80), outside host to an underlay pod: those the cluster has. */
export function exampleFlows(c: Cluster): ExampleFlow[] {
  const from = c.nodes[0]!.pods[0];
  const to = c.nodes[1]!.pods[0];
  const upod = c.nodes.flatMap((n) => n.underlayPods)[0];
  const outside = c.sim.outside;
  const flows: ExampleFlow[] = [];
  if (from && to) flows.push({ kind: 'pod', from: `${from.name} (${from.ip})`, to: `${to.name} (${to.ip})`, query: { from: from.name, to: to.ip } });
  if (from) flows.push({ kind: 'outside', from: from.name, to: `${outside.name} (${outside.address})`, query: { from: from.name, to: outside.address, proto: 'tcp', dport: 80 } });
  if (upod) flows.push({ kind: 'underlay', from: outside.name, to: `${upod.name} (${upod.ip})`, query: { from: outside.name, to: upod.ip } });
  return flows;
}

export interface FlowOutcome {
  trace: Trace;
  delivered: boolean;
  /** `ns:device` where it ended. */
  where: string;
  /** On delivery: the TTL and the source address the receiver saw. */
  ttl?: number;
  seenSource?: string;
}

export function traceFlow(world: Parameters<typeof trace>[0], f: ExampleFlow): FlowOutcome {
  const t = trace(world, f.query);
  const src = t.steps.at(-1)?.headers.find((x) => x.kind === 'ipv4');
  return {
    trace: t,
    delivered: t.disposition === 'DELIVERED',
    where: t.at.device ? `${t.at.ns}:${t.at.device}` : t.at.ns,
    ...(t.ttlAtDelivery !== undefined ? { ttl: t.ttlAtDelivery } : {}),
    ...(src && src.kind === 'ipv4' ? { seenSource: formatIpv4(src.src) } : {}),
  };
}
