// Output routing (ip_route_output_key → ip_local_out): a locally generated packet is routed,
// passes OUTPUT and POSTROUTING, and goes to the device; broadcast and multicast stop here.
import { KernelError } from '../../model/errno.ts';
import type { Netns } from '../../model/netns.ts';
import { outputRoute, type ResolvedRoute } from '../../model/route-resolve.ts';
import { natOutput, natPostrouting } from '../../model/netfilter/nat-hooks.ts';
import { formatIpv4 } from '../../net/ipv4.ts';
import { printRoute } from '../../tools/iproute2/print-route.ts';
import { printRule } from '../../tools/iproute2/rule.ts';
import { tableName } from '../../tools/iproute2/names.ts';
import type { Header } from '../headers.ts';
import { ip } from '../frame.ts';
import type { StepDetails } from '../types.ts';
import { kernelStop, Stop, type Walk } from '../walk.ts';
import { filterStep } from './netfilter-hook.ts';

export function routeLine(r: ResolvedRoute): string | undefined {
  return r.fib ? printRoute(r.fib.route).trimEnd() : undefined;
}

/** The first line `ip route get` prints for a broadcast/multicast route. */
export function routeGetLine(r: ResolvedRoute, dst: string): string {
  return `ip route get: ${r.type} ${dst} dev ${r.dev.name}${r.src !== undefined ? ` src ${formatIpv4(r.src)}` : ''}`;
}

export function routeDetail(r: ResolvedRoute): StepDetails['routing'] {
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

/** Locally generated packet: OUTPUT, routing, POSTROUTING, transmit. */
export function originate(w: Walk, ns: Netns, stack: Header[], r: ResolvedRoute): void {
  w.routingStep(ns, stack, r, 'the packet is locally generated: output route lookup');
  if (w.tracks(ns, stack)) {
    w.ct = undefined;
    const nat = natOutput(ns, w.nf(stack), r.dev);
    if (w.natStep(ns, stack, nat, r.dev)) {
      r = w.reroute(ns, stack, 'the destination changed: route again');
    }
  }
  filterStep(w, ns, stack, 'OUTPUT', r.dev, { out: r.dev.name });
  if (r.type === 'broadcast' || r.type === 'multicast') throw w.oneToMany(ns, stack, r);
  if (r.type === 'local') {
    // Looped back through lo: the packet passes INPUT as well.
    filterStep(w, ns, stack, 'INPUT', ns.device('lo')!, { in: 'lo' });
    if (w.tryIpvs(ns, stack, undefined)) return;
    throw w.deliver(ns, ns.device('lo')!, stack, 'the destination is a local address: the packet loops back to this host');
  }
  w.postroutingAndTransmit(ns, stack, r);
}

/** Routes the packet again after its destination changed. `keepSrc`: the source is one of
 * this host's (locally generated); IPVS forwarding looks up the real server by address only. */
export function reroute(w: Walk, ns: Netns, stack: Header[], why: string, keepSrc = true): ResolvedRoute {
  const h = ip(stack);
  let r: ResolvedRoute;
  try {
    r = outputRoute(ns, { dst: h.dst, ...(keepSrc && ns.deviceWithAddress(h.src) ? { src: h.src } : {}) });
  } catch (e) {
    if (e instanceof KernelError) throw kernelStop(e, ns, `route to ${formatIpv4(h.dst)}`);
    throw e;
  }
  w.routingStep(ns, stack, r, why);
  return r;
}

export function routingStep(w: Walk, ns: Netns, stack: Header[], r: ResolvedRoute, why: string): void {
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
  w.step(ns, 'routing', 'ROUTED', summary, stack, { dev: r.dev, why: whys, detail: routeDetail(r) });
}

/**
 * A locally generated broadcast or multicast: the route `ip route get` prints says
 * broadcast/multicast (cache <local,brd> / <local,mc>): the kernel sends one frame to the
 * link's broadcast or multicast MAC, without ARP, and loops a copy back to the sender.
 * The tracer follows one unicast path: it says so instead of guessing.
 */
export function oneToMany(w: Walk, ns: Netns, stack: Header[], r: ResolvedRoute): Stop {
  const dst = formatIpv4(ip(stack).dst);
  const why = [
    `${dst} routes as ${r.type} (${routeGetLine(r, dst)}): the kernel sends it without ARP to ${r.type === 'broadcast' ? 'ff:ff:ff:ff:ff:ff' : 'the group\'s multicast MAC'} on ${r.dev.name}, and every host on that link may take it; a copy loops back to ${ns.name}`,
    'the tracer follows one unicast packet along one path: one-to-many delivery is not traced',
  ];
  w.step(ns, 'limit', 'MODEL_LIMIT', `not traced: ${dst} is a ${r.type} destination (one-to-many delivery)`, stack, { dev: r.dev, why, detail: { routeType: r.type, dev: r.dev.name } });
  return new Stop('MODEL_LIMIT', { ns: ns.name, device: r.dev.name }, `not traced: ${dst} routes as ${r.type} on ${r.dev.name}; the tracer follows unicast only`);
}

export function postroutingAndTransmit(w: Walk, ns: Netns, stack: Header[], r: ResolvedRoute): void {
  if (w.tracks(ns, stack)) {
    const nh = r.gw ?? ip(stack).dst;
    w.natStep(ns, stack, natPostrouting(ns, w.nf(stack), r.dev, nh), r.dev);
  }
  w.l3Transmit(ns, r.dev, r.gw ?? ip(stack).dst, stack);
}
