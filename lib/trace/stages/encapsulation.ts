// VXLAN encapsulation (vxlan_xmit) and decapsulation (vxlan_rcv).
import type { Device } from '../../model/device.ts';
import { KernelError } from '../../model/errno.ts';
import type { Netns } from '../../model/netns.ts';
import { outputRoute, type ResolvedRoute } from '../../model/route-resolve.ts';
import { conntrackActive, natPostrouting } from '../../model/netfilter/nat-hooks.ts';
import { IPPROTO_UDP } from '../../model/netfilter/packet.ts';
import { formatIpv4 } from '../../net/ipv4.ts';
import { ETH_P_IP, stackSize, type Header } from '../headers.ts';
import { eth, ip, l4 } from '../frame.ts';
import { kernelStop, Stop, type Walk } from '../walk.ts';
import { filterStep } from './netfilter-hook.ts';

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

export function vxlanEncap(w: Walk, ns: Netns, dev: Device, nexthop: number, stack: Header[]): void {
  const v = dev.vxlan!;
  const mac = w.resolve(ns, dev, nexthop, stack);
  const fdb = ns.fdb.find((e) => e.dev === dev && e.mac === mac) ?? ns.fdb.find((e) => e.dev === dev && e.mac === '00:00:00:00:00:00');
  const inner: Header[] = [{ kind: 'eth', src: dev.mac, dst: mac, ethertype: ETH_P_IP }, ...stack];
  if (!fdb || fdb.dst === undefined) {
    const why = `${dev.name} has no FDB entry for ${mac} (and no default 00:00:00:00:00:00 entry): it does not know which VTEP to send to`;
    w.step(ns, 'drop', 'NEIGHBOR_UNREACHABLE', `dropped by ${dev.name}: ${why}`, inner, { dev, why: [why] });
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
  w.step(ns, 'encapsulate', 'ENCAPSULATED', `${dev.name} encapsulates: VNI ${v.vni}, ${formatIpv4(local!)}:${sp.port} → ${formatIpv4(remote)}:${v.dstport} (+50 bytes)`, outer, {
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
  w.routingStep(ns, outer, r, 'the encapsulated packet goes back to the IP stack: output route lookup for the outer header');
  // The outer packet is locally generated (ip_local_out): the filter table's OUTPUT sees it.
  filterStep(w, ns, outer, 'OUTPUT', r.dev, { out: r.dev.name });
  if (conntrackActive(ns)) {
    w.ct = undefined;
    w.natStep(ns, outer, natPostrouting(ns, w.nf(outer), r.dev, r.gw ?? remote), r.dev);
  }
  w.l3Transmit(ns, r.dev, r.gw ?? remote, outer);
}

export function tryVxlanDecap(w: Walk, ns: Netns, dev: Device, stack: Header[]): boolean {
  const t = l4(stack);
  if (t?.kind !== 'udp') return false;
  const vx = ns.devicesInOrder().find((d) => d.vxlan !== undefined && d.adminUp && d.vxlan.dstport === t.dport);
  if (!vx) return false;
  const v = stack[2];
  if (v?.kind !== 'vxlan') return false;
  if (v.vni !== vx.vxlan!.vni) {
    const why = `VNI ${v.vni} does not match ${vx.name} (VNI ${vx.vxlan!.vni})`;
    w.step(ns, 'drop', 'DROPPED', `dropped: ${why}`, stack, { dev: vx, why: [why] });
    throw new Stop('DENIED', { ns: ns.name, device: vx.name }, why);
  }
  const inner = stack.slice(3);
  w.step(ns, 'decapsulate', 'DECAPSULATED', `${vx.name} decapsulates VNI ${v.vni}: outer IPv4/UDP/VXLAN (${20 + 8 + 8} bytes) removed`, inner, {
    dev: vx,
    why: [`UDP port ${t.dport} belongs to ${vx.name} (dstport ${vx.vxlan!.dstport}, VNI ${vx.vxlan!.vni})`, 'the inner Ethernet frame is received on the vxlan device'],
    detail: { vni: v.vni, outerSrc: formatIpv4(ip(stack).src), outerDst: formatIpv4(ip(stack).dst) },
  });
  w.l2Receive(vx, inner);
  return true;
}
