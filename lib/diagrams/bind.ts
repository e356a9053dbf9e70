// Ties a diagram to the model. A diagram declares its bindings in `%%` comments:
//   %% model: node-a                     the default namespace for device names
//   %% bind: VxlanDev=vxlan.2, PodA=@pod-9-60, RouteTable=@route, Nic1=node-a:ens5f0np0
//   %% trace: from=pod-9-60 to=10.20.4.5 [proto=tcp dport=80]   (sequence diagrams)
//   %% roles: Pod=pod, Veth=veth, Routing=routing, Vxlan=vxlan, BizIf=ovs-port, ...
//   %% unbound: the reason a diagram is only a picture (it is then not checked)
// `@NS` binds a node to a namespace (a pod, a host), `@route` to the namespace's routing
// table and netfilter, a bare name to a device in the default namespace.
import { kindOps } from '../kinds/registry.ts';
import type { Device } from '../model/device.ts';
import type { Netns } from '../model/netns.ts';
import type { World } from '../model/world.ts';
import { portByIface } from '../model/ovs/forward.ts';
import { senderParticipants, senderTimeline, trace, type Proto, type Role } from '../trace/index.ts';
import type { Diagram, Flowchart, Sequence } from './mermaid.ts';

export interface DiagramProblem {
  /** 1-based line inside the diagram, when one applies. */
  line?: number;
  message: string;
}

type Target = { kind: 'device'; dev: Device } | { kind: 'netns'; ns: Netns } | { kind: 'route'; ns: Netns };

function directive(comments: string[], key: string): string | undefined {
  const c = comments.find((x) => x.startsWith(`${key}:`));
  return c?.slice(key.length + 1).trim();
}

function pairs(text: string | undefined): Map<string, string> {
  const m = new Map<string, string>();
  for (const part of (text ?? '').split(/[,\s]+/).filter(Boolean)) {
    const [k, v] = part.split('=');
    if (k && v) m.set(k, v);
  }
  return m;
}

export function unboundReason(d: Diagram): string | undefined {
  return directive(d.comments, 'unbound');
}

function resolve(world: World, defaultNs: Netns | undefined, spec: string): Target | string {
  if (spec === '@route') return defaultNs ? { kind: 'route', ns: defaultNs } : '"@route" needs "%% model: NS"';
  if (spec.startsWith('@')) {
    const ns = world.netns(spec.slice(1));
    return ns ? { kind: 'netns', ns } : `namespace "${spec.slice(1)}" does not exist in the model`;
  }
  const [nsName, devName] = spec.includes(':') ? spec.split(':') : [undefined, spec];
  const ns = nsName !== undefined ? world.netns(nsName) : defaultNs;
  if (!ns) return `namespace "${nsName ?? '(default)'}" does not exist in the model`;
  const dev = ns.device(devName!);
  return dev ? { kind: 'device', dev } : `device "${devName}" does not exist in ${ns.name}`;
}

/** Whether two bound things are directly connected in the model. */
function adjacent(a: Target, b: Target): boolean {
  if (a.kind === 'device' && b.kind === 'device') return devicesAdjacent(a.dev, b.dev) || devicesAdjacent(b.dev, a.dev);
  const nsOf = (t: Target) => (t.kind === 'device' ? t.dev.ns : t.ns);
  if (a.kind === 'netns' && b.kind === 'device') return touches(a.ns, b.dev);
  if (b.kind === 'netns' && a.kind === 'device') return touches(b.ns, a.dev);
  // The routing table connects every device with an address or a route in its namespace.
  if (a.kind === 'route' || b.kind === 'route') return nsOf(a) === nsOf(b);
  return false;
}

function touches(ns: Netns, dev: Device): boolean {
  return dev.ns === ns || dev.peer?.ns === ns || dev.lower?.ns === ns;
}

function devicesAdjacent(a: Device, b: Device): boolean {
  if (a.peer === b || a.master === b || a.lower === b) return true;
  // Two ports of one OVS bridge, or a port and the bridge's own device.
  const db = a.ns.ext.ovs;
  if (db && a.ns === b.ns) {
    for (const br of db.bridges) {
      const pa = portByIface(br, a.name);
      const pb = portByIface(br, b.name);
      if (pa && (pb || b.name === br.name || kindOps(b).view.masterLink === 'ovs')) return true;
    }
  }
  return false;
}

export function checkFlowchart(world: World, d: Flowchart): DiagramProblem[] {
  const problems: DiagramProblem[] = [];
  const nsName = directive(d.comments, 'model');
  const defaultNs = nsName ? world.netns(nsName) : undefined;
  if (nsName && !defaultNs) problems.push({ message: `"%% model: ${nsName}": no such namespace in the model` });
  const binds = pairs(directive(d.comments, 'bind'));
  const targets = new Map<string, Target>();
  for (const [id, node] of d.nodes) {
    const spec = binds.get(id);
    if (!spec) {
      problems.push({ message: `node ${id} ("${node.label}") is not bound to the model (add it to "%% bind:")` });
      continue;
    }
    const t = resolve(world, defaultNs, spec);
    if (typeof t === 'string') problems.push({ message: `node ${id} ("${node.label}"): ${t}` });
    else targets.set(id, t);
  }
  for (const id of binds.keys()) if (!d.nodes.has(id)) problems.push({ message: `"%% bind:" names ${id}, which is not a node of the diagram` });
  for (const l of d.links) {
    const a = targets.get(l.from);
    const b = targets.get(l.to);
    if (!a || !b) continue;
    if (!adjacent(a, b)) problems.push({ line: l.line, message: `link ${l.from} — ${l.to}: ${binds.get(l.from)} and ${binds.get(l.to)} are not connected in the model` });
  }
  return problems;
}

export function checkSequence(world: World, d: Sequence): DiagramProblem[] {
  const problems: DiagramProblem[] = [];
  const tr = pairs(directive(d.comments, 'trace'));
  const roles = pairs(directive(d.comments, 'roles'));
  const from = tr.get('from');
  const to = tr.get('to');
  if (!from || !to) return [{ message: 'a sequence diagram needs "%% trace: from=NS to=IP" (or "%% unbound: reason")' }];
  const t = trace(world, {
    from,
    to,
    ...(tr.get('proto') ? { proto: tr.get('proto') as Proto } : {}),
    ...(tr.get('dport') ? { dport: Number(tr.get('dport')) } : {}),
  });
  if (t.disposition !== 'DELIVERED') problems.push({ message: `the traced flow ${from} → ${to} is not delivered (${t.disposition}: ${t.reason})` });
  const order = senderParticipants(t).map((p) => p.role);
  const drawn: Role[] = [];
  for (const p of d.participants) {
    const role = roles.get(p.id) as Role | undefined;
    if (!role) {
      problems.push({ message: `participant ${p.id} ("${p.label}") has no role in "%% roles:"` });
      continue;
    }
    if (!order.includes(role)) problems.push({ message: `participant ${p.id} plays "${role}", which the trace does not pass through (it passes: ${order.join(', ')})` });
    drawn.push(role);
  }
  const expected = order.filter((r) => drawn.includes(r));
  if (drawn.join(',') !== expected.join(',')) problems.push({ message: `participants are in the order ${drawn.join(', ')}; the trace meets them as ${expected.join(', ')}` });
  // Messages walk the trace's timeline: each hands the packet from one role to one met
  // later (the encapsulated packet really does go back to routing), never backwards in time.
  const timeline = senderTimeline(t).map((p) => p.role);
  let at = 0;
  for (const m of d.messages) {
    const a = roles.get(m.from) as Role | undefined;
    const b = roles.get(m.to) as Role | undefined;
    if (!a || !b) continue;
    let i = timeline.indexOf(a, at);
    if (i < 0) i = timeline.lastIndexOf(a);
    if (m.from === m.to) {
      at = Math.max(at, i);
      continue;
    }
    const j = timeline.indexOf(b, i + 1);
    if (i < 0 || j < 0 || i < at) {
      problems.push({ line: m.line, message: `message ${m.from} → ${m.to} ("${m.text}") does not follow the trace (${timeline.join(' → ')})` });
      continue;
    }
    at = j;
  }
  return problems;
}

export function checkDiagram(world: World, d: Diagram): DiagramProblem[] {
  if (unboundReason(d) !== undefined) return [];
  if (d.kind === 'flowchart') return checkFlowchart(world, d);
  if (d.kind === 'sequence') return checkSequence(world, d);
  return [{ message: 'unknown diagram type: bind it or add "%% unbound: reason"' }];
}
