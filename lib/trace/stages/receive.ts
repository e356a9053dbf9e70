// Receive (netif_receive_skb → ip_rcv): a port's master, upper devices (VLAN, ipvlan,
// macvlan), the IP stack: input route, local delivery or forwarding.
import type { Device } from '../../model/device.ts';
import { KernelError } from '../../model/errno.ts';
import type { Netns } from '../../model/netns.ts';
import { inputRoute, type ResolvedRoute } from '../../model/route-resolve.ts';
import { natInput, natPrerouting } from '../../model/netfilter/nat-hooks.ts';
import { ipvsOut } from '../../model/ipvs.ts';
import { formatIpv4 } from '../../net/ipv4.ts';
import { BROADCAST_MAC } from '../../net/mac.ts';
import type { Header } from '../headers.ts';
import { eth, ip, l3Of } from '../frame.ts';
import { allKinds, kindOps } from '../../kinds/registry.ts';
import { Stop, type Walk } from '../walk.ts';
import { applyNf, filterStep } from './netfilter-hook.ts';
import { dfTooBig } from './device-xmit.ts';

/** A packet received by a device's IP stack (ip_rcv). */
export function ipReceive(w: Walk, dev: Device, stack: Header[]): void {
  const ns = dev.ns;
  const h = ip(stack);
  w.step(ns, 'receive', 'RECEIVED', `received on ${dev.name}: ${formatIpv4(h.src)} → ${formatIpv4(h.dst)} ttl ${h.ttl}`, stack, { dev });
  w.ct = undefined;
  w.mark = 0; // a namespace crossing scrubs skb->mark (skb_scrub_packet)
  if (w.tracks(ns, stack)) {
    const nat = natPrerouting(ns, w.nf(stack), dev);
    w.natStep(ns, stack, nat, dev);
  }
  let r: ResolvedRoute;
  try {
    r = inputRoute(ns, { dst: h.dst, src: h.src, iif: dev });
  } catch (e) {
    if (!(e instanceof KernelError)) throw e;
    const rpf = Math.max(dev.conf.rp_filter, ns.sysctl.all.rp_filter);
    if (e.errno === 'EINVAL') {
      const why = `martian source ${formatIpv4(h.src)} on ${dev.name}: fib_validate_source rejected it (rp_filter=${rpf}${rpf === 1 ? ': strict, the reverse route must use the receiving device' : ''})`;
      w.step(ns, 'drop', 'DENIED', `dropped: ${why}`, stack, { dev, why: [why] });
      throw new Stop('DENIED', { ns: ns.name, device: dev.name }, why);
    }
    const why = e.errno === 'EHOSTUNREACH' && !dev.conf.forwarding ? `${ns.name} does not forward (ip_forward=0) and ${formatIpv4(h.dst)} is not local` : `no route to ${formatIpv4(h.dst)}: ${e.iproute2Message()}`;
    w.step(ns, 'drop', 'NO_ROUTE', `dropped: ${why}`, stack, { dev, why: [why] });
    throw new Stop(e.errno === 'EACCES' ? 'DENIED' : 'NO_ROUTE', { ns: ns.name, device: dev.name }, why);
  }
  w.routingStep(ns, stack, r, `input route lookup (iif ${dev.name})`);
  if (r.type === 'local' || r.type === 'broadcast') {
    filterStep(w, ns, stack, 'INPUT', dev, { in: dev.name });
    if (w.tryIpvs(ns, stack, dev)) return;
    if (w.tryVxlanDecap(ns, dev, stack)) return;
    if (w.tracks(ns, stack)) w.natStep(ns, stack, natInput(ns, w.nf(stack), dev), dev);
    throw w.deliver(ns, dev, stack, `${formatIpv4(ip(stack).dst)} is local to ${ns.name}`);
  }
  // Forwarding.
  if (h.ttl <= 1) {
    w.step(ns, 'drop', 'TTL_EXCEEDED', `dropped: TTL ${h.ttl} would reach 0 (ICMP time exceeded)`, stack, { dev });
    throw new Stop('TTL_EXCEEDED', { ns: ns.name, device: dev.name }, 'TTL exceeded');
  }
  // ip_forward checks the size before the FORWARD hook (ip_dst_mtu_maybe_forward: the output
  // device's MTU, as net.ipv4.ip_forward_use_pmtu is 0): a DF packet that does not fit is
  // answered with "fragmentation needed" and dropped before conntrack confirms it.
  if (h.df && h.totalLength > r.dev.mtu) {
    throw dfTooBig(w, ns, r.dev, stack, 'dropped by ip_forward', 'ip_forward sends ICMP "fragmentation needed" back instead of fragmenting, before the FORWARD hook');
  }
  h.ttl -= 1;
  w.step(ns, 'forward', 'FORWARDED', `forwarded by ${ns.name}: ttl ${h.ttl + 1} → ${h.ttl}`, stack, {
    dev: r.dev,
    why: [`ip_forward=1: ${ns.name} routes the packet on (ip_forward decrements the TTL)`],
    changed: ['ipv4.ttl'],
  });
  filterStep(w, ns, stack, 'FORWARD', r.dev, { in: dev.name, out: r.dev.name });
  if (ns.ext.ipvs) {
    const back = ipvsOut(ns, w.nf(stack));
    if (back) {
      w.track(back.packet);
      const changed = applyNf(stack, back.packet);
      w.step(ns, 'ipvs', 'TRANSFORMED', `IPVS reply: source ${formatIpv4(back.from.addr)}:${back.from.port} → ${formatIpv4(back.to.addr)}:${back.to.port} (the virtual service)`, stack, {
        dev: r.dev,
        changed,
        why: ['a reply from a real server of an IPVS connection gets the virtual address back (ip_vs_out)'],
      });
    }
  }
  w.postroutingAndTransmit(ns, stack, r);
}

export function deliver(w: Walk, ns: Netns, dev: Device, stack: Header[], why: string): Stop {
  const h = ip(stack);
  w.step(ns, 'deliver', 'DELIVERED', `delivered to ${ns.name} on ${dev.name}: ${formatIpv4(h.src)} → ${formatIpv4(h.dst)}, ttl ${h.ttl}`, stack, { dev, why: [why] });
  return new Stop('DELIVERED', { ns: ns.name, device: dev.name }, why, h.ttl);
}

/** A frame arrives on a device: bond/OVS/bridge ports, VLAN demux, ipvlan demux, IP. */
export function l2Receive(w: Walk, dev: Device, frame: Header[], viaSwitch = false): void {
  const ns = dev.ns;
  if (!dev.adminUp) throw w.dropAt(dev, frame, `${dev.name} is down`);
  const portReceive = dev.master ? kindOps(dev.master).portReceive : undefined;
  if (dev.master && portReceive && !viaSwitch) return portReceive(w, dev.master, dev, frame);
  // Upper devices take their frames before the IP stack: VLAN sub-interfaces, ipvlan, macvlan.
  for (const k of allKinds()) if (k.receiveUpper?.(w, dev, frame)) return;
  const e = eth(frame);
  if (e.dst !== dev.mac && e.dst !== BROADCAST_MAC) {
    throw w.dropAt(dev, frame, `frame for ${e.dst}, not ${dev.name}'s ${dev.mac} (PACKET_OTHERHOST)`);
  }
  w.ipReceive(dev, l3Of(frame));
}
