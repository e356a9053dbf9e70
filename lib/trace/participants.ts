// Maps a trace onto the roles of the article's sequence diagram (pod, host veth, routing,
// VXLAN device, OVS port, OVS bridge, bond), so diagrams can be generated from, or checked
// against, the tracer's answer.
import { kindOf } from '../kinds/registry.ts';
import type { Step, Trace } from './types.ts';

export type Role = 'pod' | 'veth' | 'routing' | 'vxlan' | 'ovs-port' | 'ovs-bridge' | 'bond' | 'nic';

export interface Participant {
  role: Role;
  ns: string;
  device?: string;
}

/** The roles met on the sending node, in order of first appearance (up to the wire). */
export function senderParticipants(t: Trace): Participant[] {
  const out: Participant[] = [];
  for (const p of senderTimeline(t)) if (!out.some((x) => x.role === p.role)) out.push(p);
  return out;
}

/** Every role the packet meets on the sending node, in order, repeats included (routing
 * comes twice for VXLAN: the inner packet, then the encapsulated one). */
export function senderTimeline(t: Trace): Participant[] {
  const out: Participant[] = [];
  const origin = t.steps[0]?.ns;
  let node: string | undefined;
  const add = (p: Participant) => {
    if (out.at(-1)?.role !== p.role) out.push(p);
  };
  for (const s of t.steps) {
    if (s.ns === origin) {
      if (s.type === 'originate') add({ role: 'pod', ns: s.ns });
      continue;
    }
    node ??= s.ns;
    if (s.ns !== node) break;
    if (s.type === 'receive' && roleOf(s) === 'veth') add({ role: 'veth', ns: s.ns, device: s.device! });
    else if (s.type === 'routing') add({ role: 'routing', ns: s.ns });
    else if (s.type === 'encapsulate') add({ role: 'vxlan', ns: s.ns, device: s.device! });
    else if (s.type === 'transmit' && roleOf(s) === 'ovs-port') add({ role: 'ovs-port', ns: s.ns, device: s.device! });
    else if (s.type === 'ovs') add({ role: 'ovs-bridge', ns: s.ns, device: s.device! });
    else if (s.type === 'bond' && s.action === 'TRANSMITTED') add({ role: 'bond', ns: s.ns, device: s.device! });
    else if (s.type === 'veth' && roleOf(s) === 'veth' && out.some((p) => p.role === 'bond')) add({ role: 'nic', ns: s.ns, device: s.device! });
  }
  return out;
}

/** The sequence-diagram role the step's device kind plays ('veth', 'ovs-port'). */
function roleOf(s: Step): 'veth' | 'ovs-port' | undefined {
  return s.deviceKind !== undefined ? kindOf(s.deviceKind)?.view.participant : undefined;
}
