// The bond hash widget: a flow's addresses, ports and MACs and an xmit_hash_policy; the
// model's bond_xmit_hash arithmetic (lib/model/bond-hash.ts) picks the member of node-a's
// bond0. The default flow is the one the tracer sends through bond0 for the overlay ping
// pod-9-60 → pod-4-5 (the VXLAN packet between the nodes).
import { bondSelectSlave, bondXmitHash, type BondFrame, type HashStep } from '../model/bond-hash.ts';
import type { XmitHashPolicy } from '../model/device.ts';
import { formatIpv4, parseIpv4 } from '../net/ipv4.ts';
import type { Mac } from '../net/mac.ts';
import type { Session } from '../session.ts';
import { trace } from '../trace/index.ts';
import { collect, parseAddress, parseChoice, parseInteger, parseMacInput, type FieldError } from './inputs.ts';

export const POLICIES: readonly XmitHashPolicy[] = ['layer2', 'layer2+3', 'layer3+4', 'encap2+3', 'encap3+4', 'vlan+srcmac'];
export const BOND_SCENARIO = { ns: 'node-a', bond: 'bond0', flow: { from: 'pod-9-60', to: '10.20.4.5' } };

export interface BondState {
  policy: string;
  src: string;
  dst: string;
  proto: string;
  sport: string;
  dport: string;
  smac: string;
  dmac: string;
  /** '' = untagged. */
  vlan: string;
}

/** The default state: bond0's own policy and the frame the tracer sends through it. */
export function bondDefaults(session: Session): BondState {
  const bond = session.world.netns(BOND_SCENARIO.ns)?.device(BOND_SCENARIO.bond);
  const t = trace(session.world, BOND_SCENARIO.flow);
  const step = t.steps.find((s) => s.type === 'bond' && s.action === 'TRANSMITTED' && s.ns === BOND_SCENARIO.ns);
  const h = step?.headers ?? [];
  const eth = h.find((x) => x.kind === 'eth');
  const vlan = h.find((x) => x.kind === 'vlan');
  const ip = h.find((x) => x.kind === 'ipv4');
  const l4 = ip ? h[h.indexOf(ip) + 1] : undefined;
  const ports = l4 && (l4.kind === 'udp' || l4.kind === 'tcp') ? l4 : undefined;
  return {
    policy: bond?.bond?.xmitHashPolicy ?? 'layer3+4',
    src: ip?.kind === 'ipv4' ? formatIpv4(ip.src) : '',
    dst: ip?.kind === 'ipv4' ? formatIpv4(ip.dst) : '',
    proto: ports?.kind ?? 'udp',
    sport: ports ? String(ports.sport) : '',
    dport: ports ? String(ports.dport) : '',
    smac: eth?.kind === 'eth' ? eth.src : '',
    dmac: eth?.kind === 'eth' ? eth.dst : '',
    vlan: vlan && 'vid' in vlan ? String(vlan.vid) : '',
  };
}

export interface BondView {
  ns: string;
  bond: string;
  policy: XmitHashPolicy;
  /** The policy bond0 is configured with (the tracer uses it). */
  configured: XmitHashPolicy;
  steps: HashStep[];
  notes: string[];
  hash: number;
  members: string[];
  index: number;
  member: string;
}

export function bondView(session: Session, state: BondState): { view?: BondView; errors: FieldError[] } {
  const policy = parseChoice('policy', state.policy, POLICIES);
  const proto = parseChoice('proto', state.proto, ['tcp', 'udp', 'icmp'] as const);
  const src = parseAddress('src', state.src);
  const dst = parseAddress('dst', state.dst);
  const sport = parseInteger('sport', state.sport, 0, 65535);
  const dport = parseInteger('dport', state.dport, 0, 65535, proto.ok && proto.value === 'icmp');
  const smac = parseMacInput('smac', state.smac);
  const dmac = parseMacInput('dmac', state.dmac);
  const vlan = parseInteger('vlan', state.vlan, 1, 4094, true);
  const errors = collect([policy, proto, src, dst, sport, dport, smac, dmac, vlan]);
  if (errors.length || !policy.ok || !proto.ok || !src.ok || !dst.ok || !sport.ok || !dport.ok || !smac.ok || !dmac.ok || !vlan.ok) return { errors };
  const bond = session.world.netns(BOND_SCENARIO.ns)?.device(BOND_SCENARIO.bond);
  if (!bond?.bond) return { errors: [{ field: 'policy', code: 'model', value: '', message: `${BOND_SCENARIO.ns} has no bond ${BOND_SCENARIO.bond}` }] };
  const protoNum = proto.value === 'tcp' ? 6 : proto.value === 'udp' ? 17 : 1;
  const frame: BondFrame = {
    srcMac: smac.value as Mac,
    dstMac: dmac.value as Mac,
    ethertype: 0x0800,
    ...(vlan.value !== undefined ? { vlan: vlan.value } : {}),
    ip: {
      src: parseIpv4(src.value),
      dst: parseIpv4(dst.value),
      proto: protoNum,
      ...(proto.value === 'icmp' ? { icmpType: 8, icmpCode: 0, icmpId: sport.value! } : { sport: sport.value!, dport: dport.value! }),
    },
  };
  // The members bond0 can send on, and (for its own policy) the model's choice in full.
  const choice = bondSelectSlave(bond, frame);
  if (!choice) return { errors: [{ field: 'policy', code: 'model', value: '', message: `${BOND_SCENARIO.bond} has no usable member` }] };
  const members = choice.usable.map((d) => d.name);
  const h = policy.value === bond.bond.xmitHashPolicy ? choice : bondXmitHash(policy.value, frame);
  const steps = [...h.steps];
  let index = choice.index;
  if (h !== choice) {
    // bond_xmit_3ad_xor_slave_get: the same member step the model records for bond0's policy.
    index = h.hash % members.length;
    steps.push({ label: 'member', value: index, detail: `slaves->arr[hash % count] = arr[${h.hash} % ${members.length}] = arr[${index}] = ${members[index]}` });
  }
  return {
    view: { ns: BOND_SCENARIO.ns, bond: BOND_SCENARIO.bond, policy: policy.value, configured: bond.bond.xmitHashPolicy, steps, notes: h.notes, hash: h.hash, members, index, member: members[index]! },
    errors: [],
  };
}
