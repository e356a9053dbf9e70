// The encapsulation and MTU widget: the reader changes the underlay MTU, puts the biz
// network in a VLAN, changes the pods' MTU and the packet size; the widget turns that into
// a script of `ip link set ... mtu` / `ovs-vsctl set port ... tag=` commands, runs it on a
// fresh reference session and traces a ping between two overlay pods. What fits, what is
// dropped and where is the tracer's answer; this module only lays the frame out.
import type { World } from '../model/world.ts';
import type { Session } from '../session.ts';
import { trace, TraceError, type Trace } from '../trace/index.ts';
import { stackView, type LayerView } from './headers-view.ts';
import { collect, parseInteger, type FieldError } from './inputs.ts';
import type { Script } from './session-pool.ts';
import { stepWhere } from './trace-view.ts';

/** The flow and the devices of the reference cluster the widget changes. */
export const MTU_SCENARIO = {
  from: 'pod-9-60',
  to: '10.20.4.5',
  /** The underlay path: NICs, bond and the biz port on both nodes; the switch's side. */
  underlay: [
    ['node-a', ['ens5f0np0', 'ens7f0np0', 'bond0', 'biz']],
    ['node-b', ['ens5f0np0', 'ens7f0np0', 'bond0', 'biz']],
    ['tor', ['a-p1', 'a-p2', 'b-p1', 'b-p2', 'bond-a', 'bond-b', 'gw-biz']],
  ] as [string, string[]][],
  /** The VTEPs: their MTU follows the underlay minus the 50 bytes of VXLAN overhead. */
  vxlan: [
    ['node-a', 'vxlan.2'],
    ['node-b', 'vxlan.2'],
  ] as [string, string][],
  /** Both pods and their host-side veths (the CNI sets both ends). */
  pods: [
    ['node-a', 'upvx4279f78e5dc'],
    ['pod-9-60', 'eth0'],
    ['node-b', 'upvx6d1e0b7a2f3'],
    ['pod-4-5', 'eth0'],
  ] as [string, string][],
  /** OVS ports that carry biz: an access tag on all three puts biz in that VLAN on the trunks. */
  vlanPorts: [
    ['node-a', 'biz'],
    ['node-b', 'biz'],
    ['tor', 'gw-biz'],
  ] as [string, string][],
  defaults: { underlay: 1500, pod: 1450 },
  /** Outer IPv4 20 + UDP 8 + VXLAN 8 + inner Ethernet 14: how flannel sizes vxlan.2. */
  vxlanOverhead: 50,
};

export interface MtuState {
  underlay: string;
  /** '' = untagged. */
  vlan: string;
  pod: string;
  size: string;
}

export function mtuDefaults(over: Partial<MtuState> = {}): MtuState {
  return { underlay: '1500', vlan: '', pod: '1450', size: '1450', ...over };
}

export interface MtuSettings {
  underlay: number;
  vlan?: number;
  pod: number;
  size: number;
}

export function mtuQuestion(state: MtuState): { settings?: MtuSettings; errors: FieldError[] } {
  const underlay = parseInteger('underlay', state.underlay, 576, 9216);
  const vlan = parseInteger('vlan', state.vlan, 1, 4094, true);
  const pod = parseInteger('pod', state.pod, 576, 9216);
  const size = parseInteger('size', state.size, 28, 65535);
  const errors = collect([underlay, vlan, pod, size]);
  if (errors.length || !underlay.ok || !vlan.ok || !pod.ok || !size.ok) return { errors };
  return {
    settings: { underlay: underlay.value!, ...(vlan.value !== undefined ? { vlan: vlan.value } : {}), pod: pod.value!, size: size.value! },
    errors: [],
  };
}

/** The commands that put the settings in place (empty for the reference configuration). */
export function mtuScript(s: MtuSettings): Script {
  const sc = MTU_SCENARIO;
  const lines: string[] = [];
  if (s.underlay !== sc.defaults.underlay) {
    lines.push(`# underlay MTU ${s.underlay}: NICs, bonds, biz and the switch ports`);
    for (const [ns, devs] of sc.underlay) for (const d of devs) lines.push(`ip -n ${ns} link set ${d} mtu ${s.underlay}`);
    lines.push(`# vxlan.2 follows: ${s.underlay} - ${sc.vxlanOverhead}, as flannel sets it`);
    for (const [ns, d] of sc.vxlan) lines.push(`ip -n ${ns} link set ${d} mtu ${s.underlay - sc.vxlanOverhead}`);
  }
  if (s.pod !== sc.defaults.pod) {
    lines.push(`# pod MTU ${s.pod}: both pods and their host-side veths`);
    for (const [ns, d] of sc.pods) lines.push(`ip -n ${ns} link set ${d} mtu ${s.pod}`);
  }
  if (s.vlan !== undefined) {
    lines.push(`# biz in VLAN ${s.vlan} on the trunks (access tag on the biz ports)`);
    for (const [ns, port] of sc.vlanPorts) lines.push(`ip netns exec ${ns} ovs-vsctl set port ${port} tag=${s.vlan}`);
  }
  return { name: 'mtu.sh', text: lines.length ? 'set -e\n' + lines.join('\n') + '\n' : '' };
}

export interface MtuPathRow {
  n: number;
  where: string;
  device: string;
  mtu: number;
  /** The IPv4 packet the device sends (the inner one on a VXLAN device, before encapsulation). */
  ipLength: number;
  fits: boolean;
  /** Too big, DF clear: the tracer shows it cut into fragments there. */
  fragmented: boolean;
}

export interface MtuView {
  trace: Trace;
  /** The biggest frame the packet became (the one on the wire), as layers with offsets. */
  wire: { n: number; where: string; layers: (LayerView & { offset: number })[]; total: number; tunnelled: boolean };
  path: MtuPathRow[];
}

/** Traces the scenario's ping on `session` (with the settings' script already applied). */
export function mtuView(session: Session, s: MtuSettings): { view?: MtuView; error?: FieldError } {
  let t: Trace;
  try {
    t = trace(session.world, { from: MTU_SCENARIO.from, to: MTU_SCENARIO.to, proto: 'icmp', size: s.size });
  } catch (e) {
    if (e instanceof TraceError) return { error: { field: 'size', code: 'model', value: String(s.size), message: e.message } };
    throw e;
  }
  return { view: { trace: t, wire: wireFrame(t), path: mtuPath(t, session.world) } };
}

/** The largest frame of the trace: with VXLAN, the encapsulated one on the wire. */
export function wireFrame(t: Trace): MtuView['wire'] {
  let best = t.steps[0]!;
  for (const s of t.steps) if (s.total > best.total) best = s;
  const stack = stackView(best.headers);
  let offset = 0;
  const layers = stack.layers.map((l) => {
    const withOffset = { ...l, offset };
    offset += l.bytes;
    return withOffset;
  });
  return { n: best.n, where: stepWhere(best), layers, total: stack.total, tunnelled: best.headers.some((h) => h.kind === 'vxlan') };
}

/** Every device the packet is routed out of, with its MTU and the packet it is given. */
export function mtuPath(t: Trace, world: World): MtuPathRow[] {
  const rows: MtuPathRow[] = [];
  for (const s of t.steps) {
    if (s.type !== 'routing' || !s.device || s.detail.type === 'local' || s.detail.type === 'broadcast') continue;
    const dev = world.netns(s.ns)?.device(s.device);
    const ip = s.headers.find((h) => h.kind === 'ipv4');
    if (!dev || !ip || ip.kind !== 'ipv4') continue;
    const fragmented = t.steps.some((x) => x.n > s.n && x.action === 'FRAGMENTED' && x.ns === s.ns && x.device === s.device);
    rows.push({ n: s.n, where: stepWhere(s), device: s.device, mtu: dev.mtu, ipLength: ip.totalLength, fits: ip.totalLength <= dev.mtu, fragmented });
  }
  return rows;
}
