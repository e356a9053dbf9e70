// The walk of one packet: the steps recorded so far, the conntrack entry the packet carries,
// and one method per stage of the kernel's path, each implemented in ./stages/ (output route,
// netfilter hook, neighbour, device xmit, encapsulation, receive). Ends with a Stop.
import type { Device } from '../model/device.ts';
import { KernelError } from '../model/errno.ts';
import type { Netns } from '../model/netns.ts';
import type { World } from '../model/world.ts';
import type { ResolvedRoute } from '../model/route-resolve.ts';
import { conntrackActive, type NatStep } from '../model/netfilter/nat-hooks.ts';
import type { NfPacket } from '../model/netfilter/packet.ts';
import type { Mac } from '../net/mac.ts';
import { headerSize, stackSize, type Header } from './headers.ts';
import { clone, l4 } from './frame.ts';
import type { TraceWalk } from '../kinds/types.ts';
import type { Disposition, Step, StepDetail, StepType } from './types.ts';
import * as output_route from './stages/output-route.ts';
import * as netfilter_hook from './stages/netfilter-hook.ts';
import { nfOf } from './stages/netfilter-hook.ts';
import * as neighbour from './stages/neighbour.ts';
import * as device_xmit from './stages/device-xmit.ts';
import * as encapsulation from './stages/encapsulation.ts';
import * as receive from './stages/receive.ts';

export const MAX_STEPS = 400;

/** Ends the walk: thrown inside the tracer, caught by `trace`. */
export class Stop {
  readonly disposition: Disposition;
  readonly at: { ns: string; device?: string };
  readonly reason: string;
  readonly ttl: number | undefined;
  /** MTU_EXCEEDED where the kernel answers with ICMP "fragmentation needed": the MTU it carries. */
  readonly nextHopMtu: number | undefined;
  constructor(disposition: Disposition, at: { ns: string; device?: string }, reason: string, ttl?: number, nextHopMtu?: number) {
    this.disposition = disposition;
    this.at = at;
    this.reason = reason;
    this.ttl = ttl;
    this.nextHopMtu = nextHopMtu;
  }
}

export function kernelStop(e: KernelError, ns: Netns, what: string): Stop {
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

export class Walk implements TraceWalk {
  readonly steps: Step[] = [];
  readonly world: World;
  /** skb->_nfct: the connection the packet was attached to by the first NAT hook in this
   * namespace; later hooks must see it. Reset when the packet enters a namespace or is
   * encapsulated (skb_scrub_packet). */
  ct: NfPacket['ct'];
  /** Conntrack entries this trace created (the hook that creates one may rewrite nothing). */
  readonly createdCt = new Set<unknown>();

  /** skb->mark: set by MARK rules, read by later hooks in the namespace; cleared with ct. */
  mark = 0;

  nf(stack: Header[]): NfPacket {
    const p = nfOf(stack);
    if (this.ct) p.ct = this.ct;
    p.mark = this.mark;
    return p;
  }

  track(p: NfPacket): void {
    this.ct = p.ct;
    this.mark = p.mark;
  }

  /** Do this namespace's conntrack and NAT hooks see the packet? Not an ICMP error (see TraceQuery.icmpError). */
  tracks(ns: Netns, stack: Header[]): boolean {
    const t = l4(stack);
    return conntrackActive(ns) && !(t?.kind === 'icmp' && t.type === 3);
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

  originate(ns: Netns, stack: Header[], r: ResolvedRoute): void {
    return output_route.originate(this, ns, stack, r);
  }

  reroute(ns: Netns, stack: Header[], why: string, keepSrc = true): ResolvedRoute {
    return output_route.reroute(this, ns, stack, why, keepSrc);
  }

  routingStep(ns: Netns, stack: Header[], r: ResolvedRoute, why: string): void {
    return output_route.routingStep(this, ns, stack, r, why);
  }

  natStep(ns: Netns, stack: Header[], nat: NatStep, dev: Device): boolean {
    return netfilter_hook.natStep(this, ns, stack, nat, dev);
  }

  tryIpvs(ns: Netns, stack: Header[], iif: Device | undefined): boolean {
    return netfilter_hook.tryIpvs(this, ns, stack, iif);
  }

  postroutingAndTransmit(ns: Netns, stack: Header[], r: ResolvedRoute): void {
    return output_route.postroutingAndTransmit(this, ns, stack, r);
  }

  ipReceive(dev: Device, stack: Header[]): void {
    return receive.ipReceive(this, dev, stack);
  }

  oneToMany(ns: Netns, stack: Header[], r: ResolvedRoute): Stop {
    return output_route.oneToMany(this, ns, stack, r);
  }

  /** Ends the trace where the model stops, not the network (MODEL_LIMIT). */
  limit(dev: Device, frame: Header[], why: string): Stop {
    this.step(dev.ns, 'limit', 'MODEL_LIMIT', `not traced further at ${dev.name}: ${why}`, frame, { dev, why: [why] });
    return new Stop('MODEL_LIMIT', { ns: dev.ns.name, device: dev.name }, why);
  }

  stop(disposition: Disposition, at: { ns: string; device?: string }, reason: string): Stop {
    return new Stop(disposition, at, reason);
  }

  tryVxlanDecap(ns: Netns, dev: Device, stack: Header[]): boolean {
    return encapsulation.tryVxlanDecap(this, ns, dev, stack);
  }

  deliver(ns: Netns, dev: Device, stack: Header[], why: string): Stop {
    return receive.deliver(this, ns, dev, stack, why);
  }

  l3Transmit(ns: Netns, dev: Device, nexthop: number, stack: Header[]): void {
    return device_xmit.l3Transmit(this, ns, dev, nexthop, stack);
  }

  fragment(ns: Netns, dev: Device, stack: Header[]): void {
    return device_xmit.fragment(this, ns, dev, stack);
  }

  resolve(ns: Netns, dev: Device, nexthop: number, stack: Header[]): Mac {
    return neighbour.resolve(this, ns, dev, nexthop, stack);
  }

  vxlanEncap(ns: Netns, dev: Device, nexthop: number, stack: Header[]): void {
    return encapsulation.vxlanEncap(this, ns, dev, nexthop, stack);
  }

  l2Transmit(dev: Device, frame: Header[]): void {
    return device_xmit.l2Transmit(this, dev, frame);
  }

  dropAt(dev: Device, frame: Header[], why: string, disposition: Disposition = 'NEIGHBOR_UNREACHABLE'): Stop {
    this.step(dev.ns, 'drop', disposition, `dropped at ${dev.name}: ${why}`, frame, { dev, why: [why] });
    return new Stop(disposition, { ns: dev.ns.name, device: dev.name }, why);
  }

  bondTransmit(bond: Device, frame: Header[]): void {
    return device_xmit.bondTransmit(this, bond, frame);
  }

  ovsSwitch(dev: Device, frame: Header[]): void {
    return device_xmit.ovsSwitch(this, dev, frame);
  }

  bridgeForward(br: Device, inPort: Device | undefined, frame: Header[]): void {
    return device_xmit.bridgeForward(this, br, inPort, frame);
  }

  l2Receive(dev: Device, frame: Header[], viaSwitch = false): void {
    return receive.l2Receive(this, dev, frame, viaSwitch);
  }
}
