// Netfilter hooks on the packet's way: NAT and conntrack (nf_nat_*), the filter table's
// INPUT/FORWARD/OUTPUT verdicts, and IPVS at LOCAL_IN (ip_vs_in, ip_vs_nat_xmit).
import type { Device } from '../../model/device.ts';
import type { Netns } from '../../model/netns.ts';
import type { NatStep } from '../../model/netfilter/nat-hooks.ts';
import type { NfPacket } from '../../model/netfilter/packet.ts';
import { ipvsLocalIn } from '../../model/ipvs.ts';
import { filterHook } from '../../model/netfilter/filter-hooks.ts';
import type { FilterHook } from '../../model/netfilter/nat-table.ts';
import { formatIpv4 } from '../../net/ipv4.ts';
import { conntrackLine } from '../../tools/netfilter/conntrack-print.ts';
import type { Header } from '../headers.ts';
import { ip, l4 } from '../frame.ts';
import { Stop, type Walk } from '../walk.ts';

export function nfOf(stack: Header[]): NfPacket {
  const h = ip(stack);
  const t = l4(stack);
  const p: NfPacket = { proto: h.proto, src: h.src as never, dst: h.dst as never, sport: 0, dport: 0, mark: 0 };
  if (t?.kind === 'tcp' || t?.kind === 'udp') {
    p.sport = t.sport;
    p.dport = t.dport;
  } else if (t?.kind === 'icmp') {
    p.sport = t.id;
    p.icmpType = t.type;
    p.icmpCode = t.code;
  }
  return p;
}

/** Writes a NAT'ed tuple back into the headers; returns the fields that changed. */
export function applyNf(stack: Header[], p: NfPacket): string[] {
  const changed: string[] = [];
  const h = ip(stack);
  if (h.src !== p.src) (h.src = p.src), changed.push('ipv4.src');
  if (h.dst !== p.dst) (h.dst = p.dst), changed.push('ipv4.dst');
  const t = l4(stack);
  if (t?.kind === 'tcp' || t?.kind === 'udp') {
    if (t.sport !== p.sport) (t.sport = p.sport), changed.push(`${t.kind}.sport`);
    if (t.dport !== p.dport) (t.dport = p.dport), changed.push(`${t.kind}.dport`);
  } else if (t?.kind === 'icmp' && t.id !== p.sport) {
    t.id = p.sport;
    changed.push('icmp.id');
  }
  return changed;
}

export function natStep(w: Walk, ns: Netns, stack: Header[], nat: NatStep, dev: Device): boolean {
  w.track(nat.packet);
  if (nat.conntrack?.created) w.createdCt.add(nat.conntrack.entry);
  if (nat.verdict === 'drop') {
    w.step(ns, 'netfilter', 'DENIED', `netfilter ${nat.hook}: dropped`, stack, { dev, why: [nat.dropReason ?? 'dropped'] });
    throw new Stop('DENIED', { ns: ns.name, device: dev.name }, `netfilter ${nat.hook}: ${nat.dropReason ?? 'dropped'}`);
  }
  if (!nat.rewrite) return false;
  const before = ip(stack).dst;
  const changed = applyNf(stack, nat.packet);
  const rw = nat.rewrite;
  const ct = nat.conntrack;
  const why = [
    rw.via === 'rule' ? `rule: ${nat.rule?.text ?? rw.by}` : `conntrack: this packet belongs to a known connection (${ct?.dir ?? ''} direction); the kernel applies its mapping`,
    ...(ct ? [`conntrack entry ${ct.created ? 'created' : w.createdCt.has(ct.entry) ? 'created for this packet by an earlier hook' : 'matched'}`] : []),
    ...nat.notes,
  ];
  const fmt = (e: { addr: number; port: number }) => `${formatIpv4(e.addr)}${e.port ? `:${e.port}` : ''}`;
  w.step(ns, 'netfilter', 'TRANSFORMED', `${rw.by} in ${nat.hook}: ${rw.field} ${fmt(rw.from)} → ${fmt(rw.to)}`, stack, {
    dev,
    why,
    changed,
    detail: { hook: nat.hook, by: rw.by, field: rw.field, from: fmt(rw.from), to: fmt(rw.to), rule: nat.rule?.text ?? null, conntrack: ct ? conntrackLine(ct.entry) : null },
  });
  return ip(stack).dst !== before;
}

export function tryIpvs(w: Walk, ns: Netns, stack: Header[], iif: Device | undefined): boolean {
  if (!ns.ext.ipvs) return false;
  const st = ipvsLocalIn(ns, w.nf(stack));
  if (!st) return false;
  w.track(st.packet);
  const changed = applyNf(stack, st.packet);
  const h = ip(stack);
  h.ttl -= 1;
  changed.push('ipv4.ttl');
  const proto = st.service.proto.toUpperCase();
  w.step(ns, 'ipvs', 'TRANSFORMED', `IPVS ${proto} ${formatIpv4(st.from.addr)}:${st.from.port} → real server ${formatIpv4(st.to.addr)}:${st.to.port} (${st.service.scheduler})`, stack, {
    ...(iif ? { dev: iif } : {}),
    why: [
      `${formatIpv4(st.from.addr)} is local (kube-ipvs0), so the packet reaches LOCAL_IN, where IPVS owns the virtual service`,
      `scheduler ${st.service.scheduler}: ${st.why}`,
      'masquerading forwarding (ip_vs_nat_xmit): destination rewritten, TTL decremented, routed again',
      ...(st.conntrackUpdated ? ['net.ipv4.vs.conntrack=1: the conntrack entry now expects replies from the real server'] : []),
    ],
    changed,
    detail: { service: `${proto} ${formatIpv4(st.from.addr)}:${st.from.port}`, realServer: `${formatIpv4(st.to.addr)}:${st.to.port}`, scheduler: st.service.scheduler, newConnection: st.newConnection },
  });
  if (h.ttl <= 0) throw new Stop('TTL_EXCEEDED', { ns: ns.name }, 'TTL reached 0 at IPVS');
  const r = w.reroute(ns, stack, 'after IPVS: route to the real server', false);
  w.postroutingAndTransmit(ns, stack, r);
  return true;
}

/**
 * The filter table at INPUT, FORWARD or OUTPUT: a step when the namespace has a filter table
 * (its verdict, the rule or policy that decided), a stop when the packet is dropped or
 * rejected (REJECT answers with an ICMP error or a TCP reset, which the tracer does not follow).
 */
export function filterStep(w: Walk, ns: Netns, stack: Header[], hook: FilterHook, dev: Device, devs: { in?: string; out?: string }): void {
  const f = filterHook(ns, hook, w.nf(stack), devs);
  if (!f) return;
  const decided = f.rule ? `rule: ${f.rule.text}` : `no rule decided: the chain's policy ${f.policy ?? 'ACCEPT'}`;
  const detail = { hook, rule: f.rule?.text ?? null };
  if (f.verdict === 'accept') {
    w.step(ns, 'netfilter', 'PERMITTED', `filter ${hook}: accepted`, stack, { dev, why: [decided], detail });
    return;
  }
  const what = f.verdict === 'reject' ? `rejected (${f.rejectWith ?? 'icmp-port-unreachable'})` : 'dropped';
  const why = [decided, ...(f.verdict === 'reject' ? [`REJECT answers the sender with ${f.rejectWith === 'tcp-reset' ? 'a TCP reset' : `an ICMP ${f.rejectWith}`}; the tracer does not follow that answer`] : [])];
  w.step(ns, 'netfilter', 'DENIED', `filter ${hook}: ${what}`, stack, { dev, why, detail });
  throw new Stop('DENIED', { ns: ns.name, device: dev.name }, `filter ${hook}: ${what} (${decided})`);
}
