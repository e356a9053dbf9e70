// The packet tracer: walks one packet through the model hop by hop, the way the kernel
// would handle it (routing, neighbour resolution, netfilter NAT, IPVS, VXLAN, 802.1Q,
// ipvlan, bonds, Open vSwitch, veth), recording every decision with the header stack.
// It reads the model and, like real traffic, leaves conntrack/IPVS connections and OVS
// MAC learning behind; it never changes configuration.
import { hasCarrier, type Device } from '../model/device.ts';
import { KernelError } from '../model/errno.ts';
import type { Netns } from '../model/netns.ts';
import type { World } from '../model/world.ts';
import { inputRoute, outputRoute, type ResolvedRoute } from '../model/route-resolve.ts';
import { conntrackActive, natInput, natOutput, natPostrouting, natPrerouting, type NatStep } from '../model/netfilter/nat-hooks.ts';
import { IPPROTO_ICMP, IPPROTO_TCP, IPPROTO_UDP, type NfPacket } from '../model/netfilter/packet.ts';
import { ipvsLocalIn, ipvsOut } from '../model/ipvs.ts';
import { bondSelectSlave } from '../model/bond-hash.ts';
import { ovsForward, portByIface } from '../model/ovs/forward.ts';
import { isInternalPort } from '../kinds/ovs.ts';
import { formatIpv4, tryParseIpv4 } from '../net/ipv4.ts';
import { BROADCAST_MAC, type Mac } from '../net/mac.ts';
import { printRoute } from '../tools/iproute2/print-route.ts';
import { conntrackLine } from '../tools/netfilter/conntrack-print.ts';
import { printRule } from '../tools/iproute2/rule.ts';
import { tableName } from '../tools/iproute2/names.ts';
import { ETH_P_IP, headerSize, stackSize, type Header } from './headers.ts';
import { arpResolve, label, reachesMac } from './l2.ts';
import { clone, eth, ip, l3Of, l4, setVlan, vlanOf, type Ipv4H } from './frame.ts';
import { allKinds, kindOps } from '../kinds/registry.ts';
import type { TraceWalk } from '../kinds/types.ts';
import { TraceError, type Disposition, type Proto, type Step, type StepDetail, type StepDetails, type StepType, type Trace, type TraceQuery } from './types.ts';


const MAX_STEPS = 400;
const PROTO_NUM: Record<Proto, number> = { icmp: IPPROTO_ICMP, tcp: IPPROTO_TCP, udp: IPPROTO_UDP };

/** Ends the walk: thrown inside the tracer, caught by `trace`. */
class Stop {
  readonly disposition: Disposition;
  readonly at: { ns: string; device?: string };
  readonly reason: string;
  readonly ttl: number | undefined;
  constructor(disposition: Disposition, at: { ns: string; device?: string }, reason: string, ttl?: number) {
    this.disposition = disposition;
    this.at = at;
    this.reason = reason;
    this.ttl = ttl;
  }
}

function nfOf(stack: Header[]): NfPacket {
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
function applyNf(stack: Header[], p: NfPacket): string[] {
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

/** A deterministic stand-in for udp_flow_src_port: the kernel hashes the inner flow with a
 * random key, so its port is stable per flow but not reproducible; the model hashes the
 * inner 5-tuple with FNV-1a and maps it into ip_local_port_range the kernel's way. */
export function vxlanSourcePort(inner: Header[], min: number, max: number): { port: number; hash: number } {
  const h = ip(inner);
  const t = l4(inner);
  const words = [h.src, h.dst, h.proto, t && 'sport' in t ? t.sport : 0, t && 'dport' in t ? t.dport : t?.kind === 'icmp' ? t.id : 0];
  let x = 0x811c9dc5;
  for (const w of words) {
    for (let i = 0; i < 4; i++) {
      x ^= (w >>> (8 * i)) & 255;
      x = Math.imul(x, 0x01000193) >>> 0;
    }
  }
  let hash = x;
  hash = (hash ^ (hash << 16)) >>> 0;
  const port = Number((BigInt(hash) * BigInt(max - min)) >> 32n) + min;
  return { port, hash };
}

function routeLine(r: ResolvedRoute): string | undefined {
  return r.fib ? printRoute(r.fib.route).trimEnd() : undefined;
}

/** The first line `ip route get` prints for a broadcast/multicast route. */
function routeGetLine(r: ResolvedRoute, dst: string): string {
  return `ip route get: ${r.type} ${dst} dev ${r.dev.name}${r.src !== undefined ? ` src ${formatIpv4(r.src)}` : ''}`;
}

function routeDetail(r: ResolvedRoute): StepDetails['routing'] {
  return {
    direction: r.direction,
    route: routeLine(r) ?? null,
    rule: r.fib?.rule ? printRule(r.fib.rule).trimEnd() : null,
    table: r.fib ? tableName(r.fib.route.table) : null,
    type: r.type,
    nexthop: r.gw !== undefined ? formatIpv4(r.gw) : null,
    dev: r.dev.name,
    src: r.src !== undefined ? formatIpv4(r.src) : null,
  };
}

function kernelStop(e: KernelError, ns: Netns, what: string): Stop {
  const at = { ns: ns.name };
  switch (e.errno) {
    case 'EINVAL':
      return new Stop('NULL_ROUTED', at, `${what}: ${e.iproute2Message()} (blackhole route or rule, or an invalid address)`);
    case 'EACCES':
      return new Stop('DENIED', at, `${what}: ${e.iproute2Message()} (prohibit route or rule)`);
    default:
      return new Stop('NO_ROUTE', at, `${what}: ${e.iproute2Message()}`);
  }
}

class Walk implements TraceWalk {
  readonly steps: Step[] = [];
  readonly world: World;
  /** skb->_nfct: the connection the packet was attached to by the first NAT hook in this
   * namespace; later hooks must see it. Reset when the packet enters a namespace or is
   * encapsulated (skb_scrub_packet). */
  private ct: NfPacket['ct'];

  private nf(stack: Header[]): NfPacket {
    const p = nfOf(stack);
    if (this.ct) p.ct = this.ct;
    return p;
  }

  private track(p: NfPacket): void {
    this.ct = p.ct;
  }

  constructor(world: World) {
    this.world = world;
  }

  step<T extends StepType>(ns: Netns, type: T, action: string, summary: string, stack: Header[], o: { dev?: Device; why?: string[]; detail?: StepDetail<T>; changed?: string[] } = {}): void {
    if (this.steps.length >= MAX_STEPS) throw new Stop('LOOP', { ns: ns.name }, `more than ${MAX_STEPS} steps: the packet is looping`);
    const headers = clone(stack);
    const sizes = headers.map(headerSize);
    this.steps.push({
      n: this.steps.length + 1,
      ns: ns.name,
      ...(o.dev ? { device: o.dev.name, deviceKind: o.dev.kind } : {}),
      type,
      action,
      summary,
      why: o.why ?? [],
      // A drop's reason is also a field, so that views never read `why`.
      detail: type === 'drop' ? { reason: o.why?.[0] ?? summary, ...o.detail } : (o.detail ?? {}),
      headers,
      sizes,
      total: stackSize(headers),
      changed: o.changed ?? [],
    } as Step);
  }

  // ---- IP layer ------------------------------------------------------------------------

  /** Locally generated packet: OUTPUT, routing, POSTROUTING, transmit. */
  originate(ns: Netns, stack: Header[], r: ResolvedRoute): void {
    this.routingStep(ns, stack, r, 'the packet is locally generated: output route lookup');
    if (conntrackActive(ns)) {
      this.ct = undefined;
      const nat = natOutput(ns, this.nf(stack), r.dev);
      if (this.natStep(ns, stack, nat, r.dev)) {
        r = this.reroute(ns, stack, 'the destination changed: route again');
      }
    }
    if (r.type === 'broadcast' || r.type === 'multicast') throw this.oneToMany(ns, stack, r);
    if (r.type === 'local') {
      if (this.tryIpvs(ns, stack, undefined)) return;
      throw this.deliver(ns, ns.device('lo')!, stack, 'the destination is a local address: the packet loops back to this host');
    }
    this.postroutingAndTransmit(ns, stack, r);
  }

  /** Routes the packet again after its destination changed. `keepSrc`: the source is one of
   * this host's (locally generated); IPVS forwarding looks up the real server by address only. */
  private reroute(ns: Netns, stack: Header[], why: string, keepSrc = true): ResolvedRoute {
    const h = ip(stack);
    let r: ResolvedRoute;
    try {
      r = outputRoute(ns, { dst: h.dst, ...(keepSrc && ns.deviceWithAddress(h.src) ? { src: h.src } : {}) });
    } catch (e) {
      if (e instanceof KernelError) throw kernelStop(e, ns, `route to ${formatIpv4(h.dst)}`);
      throw e;
    }
    this.routingStep(ns, stack, r, why);
    return r;
  }

  private routingStep(ns: Netns, stack: Header[], r: ResolvedRoute, why: string): void {
    const line = routeLine(r);
    const via = r.gw !== undefined ? `next hop ${formatIpv4(r.gw)}` : 'directly connected';
    const whys = [why];
    if (r.fib?.rule) whys.push(`rule ${printRule(r.fib.rule).trimEnd().replace('\t', ' ')}`);
    if (line) whys.push(`longest prefix match in table ${tableName(r.fib!.route.table)}: ${line}`);
    if (r.direction === 'output' && r.src !== undefined) whys.push(`source address ${formatIpv4(r.src)}${r.fib?.route.prefsrc !== undefined ? " (the route's src)" : ' (inet_select_addr on the output device, else the first global address)'}`);
    const summary =
      r.type === 'local'
        ? `route: ${formatIpv4(ip(stack).dst)} is local (${line ?? 'local'})`
        : `route: ${line ?? `dev ${r.dev.name}`} → out ${r.dev.name}, ${via}`;
    this.step(ns, 'routing', 'ROUTED', summary, stack, { dev: r.dev, why: whys, detail: routeDetail(r) });
  }

  /** Records a NAT hook's effect; returns true when the destination changed. */
  /** Conntrack entries this trace created (the hook that creates one may rewrite nothing). */
  private readonly createdCt = new Set<unknown>();

  private natStep(ns: Netns, stack: Header[], nat: NatStep, dev: Device): boolean {
    this.track(nat.packet);
    if (nat.conntrack?.created) this.createdCt.add(nat.conntrack.entry);
    if (nat.verdict === 'drop') {
      this.step(ns, 'netfilter', 'DENIED', `netfilter ${nat.hook}: dropped`, stack, { dev, why: [nat.dropReason ?? 'dropped'] });
      throw new Stop('DENIED', { ns: ns.name, device: dev.name }, `netfilter ${nat.hook}: ${nat.dropReason ?? 'dropped'}`);
    }
    if (!nat.rewrite) return false;
    const before = ip(stack).dst;
    const changed = applyNf(stack, nat.packet);
    const rw = nat.rewrite;
    const ct = nat.conntrack;
    const why = [
      rw.via === 'rule' ? `rule: ${nat.rule?.text ?? rw.by}` : `conntrack: this packet belongs to a known connection (${ct?.dir ?? ''} direction); the kernel applies its mapping`,
      ...(ct ? [`conntrack entry ${ct.created ? 'created' : this.createdCt.has(ct.entry) ? 'created for this packet by an earlier hook' : 'matched'}`] : []),
      ...nat.notes,
    ];
    const fmt = (e: { addr: number; port: number }) => `${formatIpv4(e.addr)}${e.port ? `:${e.port}` : ''}`;
    this.step(ns, 'netfilter', 'TRANSFORMED', `${rw.by} in ${nat.hook}: ${rw.field} ${fmt(rw.from)} → ${fmt(rw.to)}`, stack, {
      dev,
      why,
      changed,
      detail: { hook: nat.hook, by: rw.by, field: rw.field, from: fmt(rw.from), to: fmt(rw.to), rule: nat.rule?.text ?? null, conntrack: ct ? conntrackLine(ct.entry) : null },
    });
    return ip(stack).dst !== before;
  }

  private tryIpvs(ns: Netns, stack: Header[], iif: Device | undefined): boolean {
    if (!ns.ext.ipvs) return false;
    const st = ipvsLocalIn(ns, this.nf(stack));
    if (!st) return false;
    this.track(st.packet);
    const changed = applyNf(stack, st.packet);
    const h = ip(stack);
    h.ttl -= 1;
    changed.push('ipv4.ttl');
    const proto = st.service.proto.toUpperCase();
    this.step(ns, 'ipvs', 'TRANSFORMED', `IPVS ${proto} ${formatIpv4(st.from.addr)}:${st.from.port} → real server ${formatIpv4(st.to.addr)}:${st.to.port} (${st.service.scheduler})`, stack, {
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
    const r = this.reroute(ns, stack, 'after IPVS: route to the real server', false);
    this.postroutingAndTransmit(ns, stack, r);
    return true;
  }

  private postroutingAndTransmit(ns: Netns, stack: Header[], r: ResolvedRoute): void {
    if (conntrackActive(ns)) {
      const nh = r.gw ?? ip(stack).dst;
      this.natStep(ns, stack, natPostrouting(ns, this.nf(stack), r.dev, nh), r.dev);
    }
    this.l3Transmit(ns, r.dev, r.gw ?? ip(stack).dst, stack);
  }

  /** A packet received by a device's IP stack (ip_rcv). */
  ipReceive(dev: Device, stack: Header[]): void {
    const ns = dev.ns;
    const h = ip(stack);
    this.step(ns, 'receive', 'RECEIVED', `received on ${dev.name}: ${formatIpv4(h.src)} → ${formatIpv4(h.dst)} ttl ${h.ttl}`, stack, { dev });
    this.ct = undefined;
    if (conntrackActive(ns)) {
      const nat = natPrerouting(ns, this.nf(stack), dev);
      this.natStep(ns, stack, nat, dev);
    }
    let r: ResolvedRoute;
    try {
      r = inputRoute(ns, { dst: h.dst, src: h.src, iif: dev });
    } catch (e) {
      if (!(e instanceof KernelError)) throw e;
      const rpf = Math.max(dev.conf.rp_filter, ns.sysctl.all.rp_filter);
      if (e.errno === 'EINVAL') {
        const why = `martian source ${formatIpv4(h.src)} on ${dev.name}: fib_validate_source rejected it (rp_filter=${rpf}${rpf === 1 ? ': strict, the reverse route must use the receiving device' : ''})`;
        this.step(ns, 'drop', 'DENIED', `dropped: ${why}`, stack, { dev, why: [why] });
        throw new Stop('DENIED', { ns: ns.name, device: dev.name }, why);
      }
      const why = e.errno === 'EHOSTUNREACH' && !dev.conf.forwarding ? `${ns.name} does not forward (ip_forward=0) and ${formatIpv4(h.dst)} is not local` : `no route to ${formatIpv4(h.dst)}: ${e.iproute2Message()}`;
      this.step(ns, 'drop', 'NO_ROUTE', `dropped: ${why}`, stack, { dev, why: [why] });
      throw new Stop(e.errno === 'EACCES' ? 'DENIED' : 'NO_ROUTE', { ns: ns.name, device: dev.name }, why);
    }
    this.routingStep(ns, stack, r, `input route lookup (iif ${dev.name})`);
    if (r.type === 'local' || r.type === 'broadcast') {
      if (this.tryIpvs(ns, stack, dev)) return;
      if (this.tryVxlanDecap(ns, dev, stack)) return;
      if (conntrackActive(ns)) this.natStep(ns, stack, natInput(ns, this.nf(stack), dev), dev);
      throw this.deliver(ns, dev, stack, `${formatIpv4(ip(stack).dst)} is local to ${ns.name}`);
    }
    // Forwarding.
    if (h.ttl <= 1) {
      this.step(ns, 'drop', 'TTL_EXCEEDED', `dropped: TTL ${h.ttl} would reach 0 (ICMP time exceeded)`, stack, { dev });
      throw new Stop('TTL_EXCEEDED', { ns: ns.name, device: dev.name }, 'TTL exceeded');
    }
    h.ttl -= 1;
    this.step(ns, 'forward', 'FORWARDED', `forwarded by ${ns.name}: ttl ${h.ttl + 1} → ${h.ttl}`, stack, {
      dev: r.dev,
      why: [`ip_forward=1: ${ns.name} routes the packet on (ip_forward decrements the TTL)`],
      changed: ['ipv4.ttl'],
    });
    if (ns.ext.ipvs) {
      const back = ipvsOut(ns, this.nf(stack));
      if (back) {
        this.track(back.packet);
        const changed = applyNf(stack, back.packet);
        this.step(ns, 'ipvs', 'TRANSFORMED', `IPVS reply: source ${formatIpv4(back.from.addr)}:${back.from.port} → ${formatIpv4(back.to.addr)}:${back.to.port} (the virtual service)`, stack, {
          dev: r.dev,
          changed,
          why: ['a reply from a real server of an IPVS connection gets the virtual address back (ip_vs_out)'],
        });
      }
    }
    this.postroutingAndTransmit(ns, stack, r);
  }

  /**
   * A locally generated broadcast or multicast: the route `ip route get` prints says
   * broadcast/multicast (cache <local,brd> / <local,mc>): the kernel sends one frame to the
   * link's broadcast or multicast MAC, without ARP, and loops a copy back to the sender.
   * The tracer follows one unicast path: it says so instead of guessing.
   */
  private oneToMany(ns: Netns, stack: Header[], r: ResolvedRoute): Stop {
    const dst = formatIpv4(ip(stack).dst);
    const why = [
      `${dst} routes as ${r.type} (${routeGetLine(r, dst)}): the kernel sends it without ARP to ${r.type === 'broadcast' ? 'ff:ff:ff:ff:ff:ff' : 'the group\'s multicast MAC'} on ${r.dev.name}, and every host on that link may take it; a copy loops back to ${ns.name}`,
      'the tracer follows one unicast packet along one path: one-to-many delivery is not traced',
    ];
    this.step(ns, 'limit', 'MODEL_LIMIT', `not traced: ${dst} is a ${r.type} destination (one-to-many delivery)`, stack, { dev: r.dev, why, detail: { routeType: r.type, dev: r.dev.name } });
    return new Stop('MODEL_LIMIT', { ns: ns.name, device: r.dev.name }, `not traced: ${dst} routes as ${r.type} on ${r.dev.name}; the tracer follows unicast only`);
  }

  /** Ends the trace where the model stops, not the network (MODEL_LIMIT). */
  private limit(dev: Device, frame: Header[], why: string): Stop {
    this.step(dev.ns, 'limit', 'MODEL_LIMIT', `not traced further at ${dev.name}: ${why}`, frame, { dev, why: [why] });
    return new Stop('MODEL_LIMIT', { ns: dev.ns.name, device: dev.name }, why);
  }

  stop(disposition: Disposition, at: { ns: string; device?: string }, reason: string): Stop {
    return new Stop(disposition, at, reason);
  }

  private tryVxlanDecap(ns: Netns, dev: Device, stack: Header[]): boolean {
    const t = l4(stack);
    if (t?.kind !== 'udp') return false;
    const vx = ns.devicesInOrder().find((d) => d.vxlan !== undefined && d.adminUp && d.vxlan.dstport === t.dport);
    if (!vx) return false;
    const v = stack[2];
    if (v?.kind !== 'vxlan') return false;
    if (v.vni !== vx.vxlan!.vni) {
      const why = `VNI ${v.vni} does not match ${vx.name} (VNI ${vx.vxlan!.vni})`;
      this.step(ns, 'drop', 'DROPPED', `dropped: ${why}`, stack, { dev: vx, why: [why] });
      throw new Stop('DENIED', { ns: ns.name, device: vx.name }, why);
    }
    const inner = stack.slice(3);
    this.step(ns, 'decapsulate', 'DECAPSULATED', `${vx.name} decapsulates VNI ${v.vni}: outer IPv4/UDP/VXLAN (${20 + 8 + 8} bytes) removed`, inner, {
      dev: vx,
      why: [`UDP port ${t.dport} belongs to ${vx.name} (dstport ${vx.vxlan!.dstport}, VNI ${vx.vxlan!.vni})`, 'the inner Ethernet frame is received on the vxlan device'],
      detail: { vni: v.vni, outerSrc: formatIpv4(ip(stack).src), outerDst: formatIpv4(ip(stack).dst) },
    });
    this.l2Receive(vx, inner);
    return true;
  }

  private deliver(ns: Netns, dev: Device, stack: Header[], why: string): Stop {
    const h = ip(stack);
    this.step(ns, 'deliver', 'DELIVERED', `delivered to ${ns.name} on ${dev.name}: ${formatIpv4(h.src)} → ${formatIpv4(h.dst)}, ttl ${h.ttl}`, stack, { dev, why: [why] });
    return new Stop('DELIVERED', { ns: ns.name, device: dev.name }, why, h.ttl);
  }

  // ---- transmit ------------------------------------------------------------------------

  l3Transmit(ns: Netns, dev: Device, nexthop: number, stack: Header[]): void {
    const h = ip(stack);
    if (h.totalLength > dev.mtu) {
      const why = `the packet is ${h.totalLength} bytes, ${dev.name} has MTU ${dev.mtu}`;
      if (h.df) {
        this.step(ns, 'drop', 'MTU_EXCEEDED', `dropped at ${dev.name}: ${why}, DF set (ICMP fragmentation needed, mtu ${dev.mtu})`, stack, { dev, why: [why, 'DF is set: the kernel sends ICMP "fragmentation needed" back instead of fragmenting'] });
        throw new Stop('MTU_EXCEEDED', { ns: ns.name, device: dev.name }, `${why}; DF set`);
      }
      this.fragment(ns, dev, stack);
    }
    const l3 = kindOps(dev).l3Transmit;
    if (l3) return l3(this, ns, dev, nexthop, stack);
    if (!hasCarrier(dev)) {
      const why = `${dev.name} has no carrier`;
      this.step(ns, 'drop', 'DROPPED', `dropped: ${why}`, stack, { dev, why: [why] });
      throw new Stop('NEIGHBOR_UNREACHABLE', { ns: ns.name, device: dev.name }, why);
    }
    const mac = this.resolve(ns, dev, nexthop, stack);
    const frame: Header[] = [{ kind: 'eth', src: dev.mac, dst: mac, ethertype: ETH_P_IP }, ...stack];
    this.step(ns, 'transmit', 'TRANSMITTED', `sent on ${dev.name} (${dev.kind}) to ${mac}`, frame, { dev, changed: ['eth'] });
    this.l2Transmit(dev, frame);
  }

  /**
   * ip_fragment: without DF the packet is cut into fragments of at most the MTU (data in
   * multiples of 8 bytes). The trace follows the first fragment; the others take the same
   * path and the receiver reassembles them.
   */
  private fragment(ns: Netns, dev: Device, stack: Header[]): void {
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
    this.step(ns, 'transmit', 'FRAGMENTED', `fragmented for ${dev.name} (MTU ${dev.mtu}): ${count} fragments of ${sizes.join(', ')} bytes; following the first`, stack, {
      dev,
      changed: ['ipv4.totalLength'],
      why: ['DF is clear: ip_fragment splits the packet; each fragment carries up to MTU - 20 bytes of data, in multiples of 8', 'the destination reassembles the fragments before delivery'],
      detail: { fragments: count, sizes },
    });
  }

  /** Neighbour resolution: a permanent entry, or ARP over the device's broadcast domain. */
  private resolve(ns: Netns, dev: Device, nexthop: number, stack: Header[]): Mac {
    const nh = formatIpv4(nexthop);
    const entry = ns.neigh.find((n) => n.dev === dev && n.dst === nexthop && n.lladdr);
    if (entry) {
      this.step(ns, 'neighbor', 'RESOLVED', `neighbour ${nh} on ${dev.name}: ${entry.lladdr} (${entry.state})`, stack, {
        dev,
        why: [`ip neigh: ${nh} dev ${dev.name} lladdr ${entry.lladdr} ${entry.state}`],
        detail: { method: 'neighbour table', ip: nh, mac: entry.lladdr, entry: `${nh} dev ${dev.name} lladdr ${entry.lladdr} ${entry.state}` },
      });
      return entry.lladdr!;
    }
    if (dev.noarp) {
      const why = `${dev.name} is NOARP and has no neighbour entry for ${nh}`;
      this.step(ns, 'drop', 'NEIGHBOR_UNREACHABLE', `no neighbour: ${why}`, stack, { dev, why: [why] });
      throw new Stop('NEIGHBOR_UNREACHABLE', { ns: ns.name, device: dev.name }, why);
    }
    const sender = ip(stack).src;
    const out = arpResolve(dev, nexthop, sender);
    if (!out.answer) {
      const why = [`ARP who-has ${nh} tell ${formatIpv4(sender)} on ${dev.name}: nobody answered`, ...out.silent.map((s) => `${s.dev}: ${s.why}`)];
      this.step(ns, 'drop', 'NEIGHBOR_UNREACHABLE', `ARP for ${nh} on ${dev.name}: no answer`, stack, { dev, why, detail: { method: 'arp', ip: nh, silent: out.silent } });
      throw new Stop('NEIGHBOR_UNREACHABLE', { ns: ns.name, device: dev.name }, why.join('; '));
    }
    const a = out.answer;
    this.step(ns, 'neighbor', 'RESOLVED', `ARP ${nh} on ${dev.name}: ${a.how === 'proxy' ? 'proxy answer' : 'answered'} by ${label(a.dev)} → ${a.mac}`, stack, {
      dev,
      why: [...a.why, ...out.silent.map((s) => `(silent) ${s.dev}: ${s.why}`)],
      detail: { method: a.how === 'proxy' ? 'proxy arp' : 'arp', ip: nh, mac: a.mac, answeredBy: label(a.dev), path: a.path },
    });
    return a.mac;
  }

  vxlanEncap(ns: Netns, dev: Device, nexthop: number, stack: Header[]): void {
    const v = dev.vxlan!;
    const mac = this.resolve(ns, dev, nexthop, stack);
    const fdb = ns.fdb.find((e) => e.dev === dev && e.mac === mac) ?? ns.fdb.find((e) => e.dev === dev && e.mac === '00:00:00:00:00:00');
    const inner: Header[] = [{ kind: 'eth', src: dev.mac, dst: mac, ethertype: ETH_P_IP }, ...stack];
    if (!fdb || fdb.dst === undefined) {
      const why = `${dev.name} has no FDB entry for ${mac} (and no default 00:00:00:00:00:00 entry): it does not know which VTEP to send to`;
      this.step(ns, 'drop', 'NEIGHBOR_UNREACHABLE', `dropped by ${dev.name}: ${why}`, inner, { dev, why: [why] });
      throw new Stop('NEIGHBOR_UNREACHABLE', { ns: ns.name, device: dev.name }, why);
    }
    const remote = fdb.dst;
    let local = v.local;
    let r: ResolvedRoute;
    const lower = v.lowerIfindex !== undefined ? ns.deviceByIndex(v.lowerIfindex) : undefined;
    try {
      r = outputRoute(ns, { dst: remote, ...(local !== undefined ? { src: local } : {}), ...(lower ? { oif: lower } : {}) });
    } catch (e) {
      if (e instanceof KernelError) throw kernelStop(e, ns, `route to VTEP ${formatIpv4(remote)}`);
      throw e;
    }
    local ??= r.src;
    const sp = vxlanSourcePort(stack, ns.sysctl.localPortMin, ns.sysctl.localPortMax);
    const innerLen = stackSize(inner);
    const outer: Header[] = [
      { kind: 'ipv4', src: local!, dst: remote, ttl: v.ttl || 64, proto: IPPROTO_UDP, totalLength: 20 + 8 + 8 + innerLen, df: false },
      { kind: 'udp', sport: sp.port, dport: v.dstport, length: 8 + 8 + innerLen },
      { kind: 'vxlan', vni: v.vni },
      ...inner,
    ];
    this.step(ns, 'encapsulate', 'ENCAPSULATED', `${dev.name} encapsulates: VNI ${v.vni}, ${formatIpv4(local!)}:${sp.port} → ${formatIpv4(remote)}:${v.dstport} (+50 bytes)`, outer, {
      dev,
      changed: ['ipv4', 'udp', 'vxlan', 'eth'],
      why: [
        `FDB: ${fdb.mac} dev ${dev.name} dst ${formatIpv4(remote)} self ${fdb.state}`,
        `outer source ${formatIpv4(local!)}${v.local !== undefined ? ` (the device's local address)` : ' (route source)'}, outer TTL ${v.ttl || 64}`,
        `UDP source port ${sp.port}: the kernel hashes the inner flow with a random key (udp_flow_src_port); the model uses a fixed hash, so the port is stable per flow but not the kernel's number`,
        `overhead 50 bytes = outer IPv4 20 + UDP 8 + VXLAN 8 + inner Ethernet 14: why ${dev.name} has MTU ${dev.mtu}`,
      ],
      detail: { vni: v.vni, remote: formatIpv4(remote), local: formatIpv4(local!), sourcePort: sp.port, dstport: v.dstport, innerFrame: innerLen, fdb: `${fdb.mac} dev ${dev.name} dst ${formatIpv4(remote)} self ${fdb.state}` },
    });
    this.routingStep(ns, outer, r, 'the encapsulated packet goes back to the IP stack: output route lookup for the outer header');
    if (conntrackActive(ns)) {
      this.ct = undefined;
      this.natStep(ns, outer, natPostrouting(ns, this.nf(outer), r.dev, r.gw ?? remote), r.dev);
    }
    this.l3Transmit(ns, r.dev, r.gw ?? remote, outer);
  }

  // ---- link layer ----------------------------------------------------------------------

  l2Transmit(dev: Device, frame: Header[]): void {
    const tx = kindOps(dev).transmit;
    if (!tx) throw this.limit(dev, frame, `transmitting on a ${dev.kind} device is not modelled`);
    return tx(this, dev, frame);
  }

  dropAt(dev: Device, frame: Header[], why: string, disposition: Disposition = 'NEIGHBOR_UNREACHABLE'): Stop {
    this.step(dev.ns, 'drop', disposition, `dropped at ${dev.name}: ${why}`, frame, { dev, why: [why] });
    return new Stop(disposition, { ns: dev.ns.name, device: dev.name }, why);
  }

  bondTransmit(bond: Device, frame: Header[]): void {
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
    if (!choice) throw this.dropAt(bond, frame, `${bond.name} has no usable member`);
    const slave = choice.slave;
    this.step(bond.ns, 'bond', 'TRANSMITTED', `${bond.name} (${bond.bond!.mode}, ${choice.policy}) picks ${slave.name}: hash ${choice.hash} % ${choice.usable.length} = ${choice.index}`, frame, {
      dev: bond,
      why: choice.steps.map((s) => `${s.label}: ${s.detail}`).concat(choice.notes),
      detail: { policy: choice.policy, hash: choice.hash, members: choice.usable.map((d) => d.name), index: choice.index, member: slave.name, steps: choice.steps },
    });
    this.l2Transmit(slave, frame);
  }

  ovsSwitch(dev: Device, frame: Header[]): void {
    const ns = dev.ns;
    const db = ns.ext.ovs;
    const bridge = db?.bridges.find((b) => portByIface(b, dev.name));
    if (!bridge) throw this.dropAt(dev, frame, `${dev.name} is not attached to an Open vSwitch bridge`);
    const e = eth(frame);
    const fwd = ovsForward(ns, bridge, dev.name, { srcMac: e.src, dstMac: e.dst, ...(vlanOf(frame) !== undefined ? { vlan: vlanOf(frame)! } : {}) });
    if (fwd.decision === 'drop' || fwd.outputs.length === 0) {
      throw this.dropAt(dev, frame, `OVS ${bridge.name}: ${fwd.dropped ?? 'no output port'}`);
    }
    let out = fwd.outputs[0]!;
    let how = 'MAC table hit';
    if (fwd.decision === 'flood') {
      const toward = fwd.outputs.find((o) => {
        const d = ns.device(o.iface.name);
        return d !== undefined && reachesMac(d, isInternalPort(d) ? 'rx' : 'tx', o.vlan, e.dst);
      });
      if (!toward) throw this.dropAt(dev, frame, `OVS ${bridge.name} floods VLAN ${fwd.vlan}, but no port leads to ${e.dst}`);
      out = toward;
      how = `unknown destination: flooded to ${fwd.outputs.length} ports; the copy toward ${e.dst} is followed`;
    }
    const next = setVlan(frame, out.vlan);
    const inPort = fwd.inPort;
    this.step(ns, 'ovs', 'SWITCHED', `OVS ${bridge.name}: in ${inPort.name} (VLAN ${fwd.vlan}) → out ${out.port.name}${out.vlan ? ` tagged ${out.vlan}` : ' untagged'}`, next, {
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
    if (!outDev) throw this.dropAt(dev, frame, `OVS port ${out.port.name} has no device`);
    if (isInternalPort(outDev)) return this.l2Receive(outDev, next, true);
    return this.l2Transmit(outDev, next);
  }

  bridgeForward(br: Device, inPort: Device | undefined, frame: Header[]): void {
    const ns = br.ns;
    const e = eth(frame);
    if (inPort && (e.dst === br.mac || e.dst === BROADCAST_MAC)) {
      this.step(ns, 'receive', 'SWITCHED', `bridge ${br.name}: the frame is for the bridge itself`, frame, { dev: br });
      return this.l2Receive(br, frame, true);
    }
    const ports = ns.devicesInOrder().filter((d) => d.master === br && d !== inPort);
    const out = ports.find((p) => reachesMac(p, 'tx', vlanOf(frame), e.dst));
    if (!out) throw this.dropAt(br, frame, `bridge ${br.name}: no port leads to ${e.dst}`);
    this.step(ns, 'bridge', 'SWITCHED', `bridge ${br.name}: ${inPort ? inPort.name : br.name} → ${out.name}`, frame, {
      dev: br,
      why: [`Linux bridge forwarding to the port behind which ${e.dst} lives`],
      detail: { bridge: br.name, inPort: inPort ? inPort.name : br.name, outPort: out.name, mac: e.dst },
    });
    this.l2Transmit(out, frame);
  }

  /** A frame arrives on a device: bond/OVS/bridge ports, VLAN demux, ipvlan demux, IP. */
  l2Receive(dev: Device, frame: Header[], viaSwitch = false): void {
    const ns = dev.ns;
    if (!dev.adminUp) throw this.dropAt(dev, frame, `${dev.name} is down`);
    const portReceive = dev.master ? kindOps(dev.master).portReceive : undefined;
    if (dev.master && portReceive && !viaSwitch) return portReceive(this, dev.master, dev, frame);
    // Upper devices take their frames before the IP stack: VLAN sub-interfaces, ipvlan, macvlan.
    for (const k of allKinds()) if (k.receiveUpper?.(this, dev, frame)) return;
    const e = eth(frame);
    if (e.dst !== dev.mac && e.dst !== BROADCAST_MAC) {
      throw this.dropAt(dev, frame, `frame for ${e.dst}, not ${dev.name}'s ${dev.mac} (PACKET_OTHERHOST)`);
    }
    this.ipReceive(dev, l3Of(frame));
  }
}

/** Validates a query and fills in its defaults. */
export function normalizeQuery(q: TraceQuery): Trace['query'] {
  const proto = q.proto ?? 'icmp';
  if (!['icmp', 'tcp', 'udp'].includes(proto)) throw new TraceError(`unknown protocol "${proto}" (use icmp, tcp or udp)`);
  if (tryParseIpv4(q.to) === undefined) throw new TraceError(`"${q.to}" is not an IPv4 address`);
  const port = (v: number | undefined, what: string, dflt: number): number => {
    const n = v ?? dflt;
    if (!Number.isInteger(n) || n < 0 || n > 65535) throw new TraceError(`${what} ${v} is out of range (0-65535)`);
    return n;
  };
  const sport = port(q.sport, 'source port', proto === 'icmp' ? 1 : 40000);
  const dport = port(q.dport, 'destination port', proto === 'tcp' ? 80 : proto === 'udp' ? 53 : 0);
  const min = 20 + (proto === 'tcp' ? 20 : 8);
  const size = q.size ?? (proto === 'icmp' ? 84 : proto === 'tcp' ? 60 : 60);
  if (!Number.isInteger(size) || size < min || size > 65535) throw new TraceError(`size ${size} is out of range (${min}-65535 bytes for ${proto})`);
  return { from: q.from, to: q.to, proto, sport, dport, size, df: q.df ?? true, reply: q.reply ?? false };
}

/** Traces one packet; throws TraceError for a question the model cannot answer. */
export function trace(world: World, query: TraceQuery): Trace {
  const q = normalizeQuery(query);
  const ns = world.netns(q.from);
  if (!ns) {
    const known = world.namespaces().map((n) => n.name);
    throw new TraceError(`unknown namespace "${q.from}" (namespaces: ${known.join(', ') || 'none'})`);
  }
  const dst = tryParseIpv4(q.to)!;
  const walk = new Walk(world);
  let stop: Stop;
  try {
    let r: ResolvedRoute;
    try {
      r = outputRoute(ns, { dst });
    } catch (e) {
      if (e instanceof KernelError) {
        const s = kernelStop(e, ns, `route to ${q.to}`);
        walk.step(ns, 'drop', s.disposition, `no route: ${s.reason}`, [], { why: [s.reason] });
        throw s;
      }
      throw e;
    }
    const protoNum = PROTO_NUM[q.proto];
    const reply = query.reply === true;
    const l4h: Header =
      q.proto === 'tcp'
        ? { kind: 'tcp', sport: q.sport, dport: q.dport, flags: reply ? 'S.' : 'S' }
        : q.proto === 'udp'
          ? { kind: 'udp', sport: q.sport, dport: q.dport, length: q.size - 20 }
          : { kind: 'icmp', type: reply ? 0 : 8, code: 0, id: q.sport, seq: 1 };
    const stack: Header[] = [
      { kind: 'ipv4', src: r.src ?? 0, dst, ttl: 64, proto: protoNum, totalLength: q.size, df: q.df },
      l4h,
      { kind: 'payload', length: q.size - 20 - headerSize(l4h) },
    ];
    walk.step(ns, 'originate', 'ORIGINATED', `${q.from} sends ${q.proto.toUpperCase()} ${formatIpv4(r.src ?? 0)} → ${q.to}${q.proto !== 'icmp' ? ` port ${q.dport}` : ''}, ${q.size} bytes`, stack, {
      why: [`ttl 64 (net.ipv4.ip_default_ttl)${q.df ? ', DF set' : ''}`],
    });
    walk.originate(ns, stack, r);
    throw new Stop('MODEL_LIMIT', { ns: ns.name }, 'the tracer ended without a verdict (a gap in the model)');
  } catch (e) {
    if (!(e instanceof Stop)) {
      if (e instanceof KernelError) throw new TraceError(`the model refused a step: ${e.iproute2Message()}`);
      throw e;
    }
    stop = e;
  }
  return {
    query: q,
    disposition: stop.disposition,
    at: stop.at,
    reason: stop.reason,
    ...(stop.ttl !== undefined ? { ttlAtDelivery: stop.ttl } : {}),
    steps: walk.steps,
  };
}

/** The reply to a delivered trace: from where it arrived, back to the source it saw. */
export function replyQuery(t: Trace): TraceQuery {
  if (t.disposition !== 'DELIVERED') throw new TraceError('only a delivered packet has a reply');
  const last = t.steps[t.steps.length - 1]!;
  const h = last.headers.find((x) => x.kind === 'ipv4') as Ipv4H;
  const l = last.headers[last.headers.indexOf(h) + 1];
  const sport = l && (l.kind === 'tcp' || l.kind === 'udp') ? l.dport : l?.kind === 'icmp' ? l.id : 0;
  const dport = l && (l.kind === 'tcp' || l.kind === 'udp') ? l.sport : 0;
  return { from: t.at.ns, to: formatIpv4(h.src), proto: t.query.proto, sport, dport, size: t.query.size, df: t.query.df, reply: true };
}
