// Device transmit (dev_queue_xmit): MTU and fragmentation, then the kind's own transmit hook
// (lib/kinds/); bond member choice, Open vSwitch and Linux bridge forwarding.
import { hasCarrier, type Device } from '../../model/device.ts';
import type { Netns } from '../../model/netns.ts';
import { bondSelectSlave } from '../../model/bond-hash.ts';
import { ovsForward, portByIface } from '../../model/ovs/forward.ts';
import { isInternalPort } from '../../kinds/ovs.ts';
import { BROADCAST_MAC } from '../../net/mac.ts';
import { ETH_P_IP, headerSize, type Header } from '../headers.ts';
import { label, reachesMac } from '../l2.ts';
import { eth, ip, l4, setVlan, vlanOf } from '../frame.ts';
import { kindOps } from '../../kinds/registry.ts';
import { Stop, type Walk } from '../walk.ts';

export function l3Transmit(w: Walk, ns: Netns, dev: Device, nexthop: number, stack: Header[]): void {
  const h = ip(stack);
  if (h.totalLength > dev.mtu) {
    if (h.df) throw dfTooBig(w, ns, dev, stack, `dropped at ${dev.name}`, 'the kernel sends ICMP "fragmentation needed" back instead of fragmenting');
    w.fragment(ns, dev, stack);
  }
  const l3 = kindOps(dev).l3Transmit;
  if (l3) return l3(w, ns, dev, nexthop, stack);
  if (!hasCarrier(dev)) {
    const why = `${dev.name} has no carrier`;
    w.step(ns, 'drop', 'DROPPED', `dropped: ${why}`, stack, { dev, why: [why] });
    throw new Stop('NEIGHBOR_UNREACHABLE', { ns: ns.name, device: dev.name }, why);
  }
  const mac = w.resolve(ns, dev, nexthop, stack);
  const frame: Header[] = [{ kind: 'eth', src: dev.mac, dst: mac, ethertype: ETH_P_IP }, ...stack];
  w.step(ns, 'transmit', 'TRANSMITTED', `sent on ${dev.name} (${dev.kind}) to ${mac}`, frame, { dev, changed: ['eth'] });
  w.l2Transmit(dev, frame);
}

/**
 * A DF packet larger than `dev`'s MTU: the drop step, and the stop that carries the MTU an
 * ICMP "fragmentation needed" reports back (Trace.nextHopMtu). `at` and `who` say where and
 * by whom, for the reader.
 */
export function dfTooBig(w: Walk, ns: Netns, dev: Device, stack: Header[], at: string, who: string): Stop {
  const h = ip(stack);
  const why = `the packet is ${h.totalLength} bytes, ${dev.name} has MTU ${dev.mtu}`;
  w.step(ns, 'drop', 'MTU_EXCEEDED', `${at}: ${why}, DF set (ICMP fragmentation needed, mtu ${dev.mtu})`, stack, { dev, why: [why, `DF is set: ${who}`] });
  return new Stop('MTU_EXCEEDED', { ns: ns.name, device: dev.name }, `${why}; DF set`, undefined, dev.mtu);
}

/**
 * ip_fragment: without DF the packet is cut into fragments of at most the MTU (data in
 * multiples of 8 bytes). The trace follows the first fragment; the others take the same
 * path and the receiver reassembles them.
 */
export function fragment(w: Walk, ns: Netns, dev: Device, stack: Header[]): void {
  const h = ip(stack);
  const data = h.totalLength - 20;
  const per = Math.floor((dev.mtu - 20) / 8) * 8;
  const count = Math.ceil(data / per);
  const firstLen = 20 + per;
  const pay = stack[stack.length - 1];
  const l4len = stack.slice(1, -1).reduce((n, x) => n + headerSize(x), 0);
  h.totalLength = firstLen;
  if (pay?.kind === 'payload') pay.length = firstLen - 20 - l4len;
  const sizes = Array.from({ length: count }, (_, i) => 20 + Math.min(per, data - i * per));
  w.step(ns, 'transmit', 'FRAGMENTED', `fragmented for ${dev.name} (MTU ${dev.mtu}): ${count} fragments of ${sizes.join(', ')} bytes; following the first`, stack, {
    dev,
    changed: ['ipv4.totalLength'],
    why: ['DF is clear: ip_fragment splits the packet; each fragment carries up to MTU - 20 bytes of data, in multiples of 8', 'the destination reassembles the fragments before delivery'],
    detail: { fragments: count, sizes },
  });
}

export function l2Transmit(w: Walk, dev: Device, frame: Header[]): void {
  const tx = kindOps(dev).transmit;
  if (!tx) throw w.limit(dev, frame, `transmitting on a ${dev.kind} device is not modelled`);
  return tx(w, dev, frame);
}

export function bondTransmit(w: Walk, bond: Device, frame: Header[]): void {
  const e = eth(frame);
  const h = ip(frame);
  const t = l4(frame);
  const choice = bondSelectSlave(bond, {
    srcMac: e.src,
    dstMac: e.dst,
    ethertype: ETH_P_IP,
    ...(vlanOf(frame) !== undefined ? { vlan: vlanOf(frame)! } : {}),
    ip: {
      src: h.src,
      dst: h.dst,
      proto: h.proto,
      ...(t?.kind === 'tcp' || t?.kind === 'udp' ? { sport: t.sport, dport: t.dport } : {}),
      ...(t?.kind === 'icmp' ? { icmpType: t.type, icmpCode: t.code, icmpId: t.id } : {}),
    },
  });
  if (!choice) throw w.dropAt(bond, frame, `${bond.name} has no usable member`);
  const slave = choice.slave;
  w.step(bond.ns, 'bond', 'TRANSMITTED', `${bond.name} (${bond.bond!.mode}, ${choice.policy}) picks ${slave.name}: hash ${choice.hash} % ${choice.usable.length} = ${choice.index}`, frame, {
    dev: bond,
    why: choice.steps.map((s) => `${s.label}: ${s.detail}`).concat(choice.notes),
    detail: { policy: choice.policy, hash: choice.hash, members: choice.usable.map((d) => d.name), index: choice.index, member: slave.name, steps: choice.steps },
  });
  w.l2Transmit(slave, frame);
}

export function ovsSwitch(w: Walk, dev: Device, frame: Header[]): void {
  const ns = dev.ns;
  const db = ns.ext.ovs;
  const bridge = db?.bridges.find((b) => portByIface(b, dev.name));
  if (!bridge) throw w.dropAt(dev, frame, `${dev.name} is not attached to an Open vSwitch bridge`);
  const e = eth(frame);
  const fwd = ovsForward(ns, bridge, dev.name, { srcMac: e.src, dstMac: e.dst, ...(vlanOf(frame) !== undefined ? { vlan: vlanOf(frame)! } : {}) });
  if (fwd.decision === 'drop' || fwd.outputs.length === 0) {
    throw w.dropAt(dev, frame, `OVS ${bridge.name}: ${fwd.dropped ?? 'no output port'}`);
  }
  let out = fwd.outputs[0]!;
  let how = 'MAC table hit';
  if (fwd.decision === 'flood') {
    const toward = fwd.outputs.find((o) => {
      const d = ns.device(o.iface.name);
      return d !== undefined && reachesMac(d, isInternalPort(d) ? 'rx' : 'tx', o.vlan, e.dst);
    });
    if (!toward) throw w.dropAt(dev, frame, `OVS ${bridge.name} floods VLAN ${fwd.vlan}, but no port leads to ${e.dst}`);
    out = toward;
    how = `unknown destination: flooded to ${fwd.outputs.length} ports; the copy toward ${e.dst} is followed`;
  }
  const next = setVlan(frame, out.vlan);
  const inPort = fwd.inPort;
  w.step(ns, 'ovs', 'SWITCHED', `OVS ${bridge.name}: in ${inPort.name} (VLAN ${fwd.vlan}) → out ${out.port.name}${out.vlan ? ` tagged ${out.vlan}` : ' untagged'}`, next, {
    dev,
    changed: vlanOf(frame) !== vlanOf(next) ? ['vlan'] : [],
    why: [
      `input port ${inPort.name}: ${inPort.tag !== undefined ? `access port, VLAN ${inPort.tag}` : 'trunk'}`,
      `${how} (VLAN ${fwd.vlan}, ${e.dst})`,
      `output port ${out.port.name} (ofport ${out.ofport}): ${out.port.tag !== undefined ? 'access, the tag is removed' : out.vlan ? `trunk, tagged ${out.vlan}` : 'trunk, untagged (VLAN 0)'}`,
    ],
    detail: { bridge: bridge.name, inPort: inPort.name, vlan: fwd.vlan, decision: fwd.decision, outPort: out.port.name, ofport: out.ofport, outVlan: out.vlan ?? null },
  });
  const outDev = ns.device(out.iface.name);
  if (!outDev) throw w.dropAt(dev, frame, `OVS port ${out.port.name} has no device`);
  if (isInternalPort(outDev)) return w.l2Receive(outDev, next, true);
  return w.l2Transmit(outDev, next);
}

export function bridgeForward(w: Walk, br: Device, inPort: Device | undefined, frame: Header[]): void {
  const ns = br.ns;
  const e = eth(frame);
  if (inPort && (e.dst === br.mac || e.dst === BROADCAST_MAC)) {
    w.step(ns, 'receive', 'SWITCHED', `bridge ${br.name}: the frame is for the bridge itself`, frame, { dev: br });
    return w.l2Receive(br, frame, true);
  }
  const ports = ns.devicesInOrder().filter((d) => d.master === br && d !== inPort);
  const out = ports.find((p) => reachesMac(p, 'tx', vlanOf(frame), e.dst));
  if (!out) throw w.dropAt(br, frame, `bridge ${br.name}: no port leads to ${e.dst}`);
  w.step(ns, 'bridge', 'SWITCHED', `bridge ${br.name}: ${inPort ? inPort.name : br.name} → ${out.name}`, frame, {
    dev: br,
    why: [`Linux bridge forwarding to the port behind which ${e.dst} lives`],
    detail: { bridge: br.name, inPort: inPort ? inPort.name : br.name, outPort: out.name, mac: e.dst },
  });
  w.l2Transmit(out, frame);
}
