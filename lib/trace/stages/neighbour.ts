// Neighbour resolution (neigh_resolve_output): a neighbour entry, or ARP over the device's
// broadcast domain (lib/trace/l2.ts).
import type { Device } from '../../model/device.ts';
import type { Netns } from '../../model/netns.ts';
import { formatIpv4 } from '../../net/ipv4.ts';
import type { Mac } from '../../net/mac.ts';
import type { Header } from '../headers.ts';
import { arpResolve, label } from '../l2.ts';
import { ip } from '../frame.ts';
import { Stop, type Walk } from '../walk.ts';

/** Neighbour resolution: a permanent entry, or ARP over the device's broadcast domain. */
export function resolve(w: Walk, ns: Netns, dev: Device, nexthop: number, stack: Header[]): Mac {
  const nh = formatIpv4(nexthop);
  const entry = ns.neigh.find((n) => n.dev === dev && n.dst === nexthop && n.lladdr);
  if (entry) {
    w.step(ns, 'neighbor', 'RESOLVED', `neighbour ${nh} on ${dev.name}: ${entry.lladdr} (${entry.state})`, stack, {
      dev,
      why: [`ip neigh: ${nh} dev ${dev.name} lladdr ${entry.lladdr} ${entry.state}`],
      detail: { method: 'neighbour table', ip: nh, mac: entry.lladdr, entry: `${nh} dev ${dev.name} lladdr ${entry.lladdr} ${entry.state}` },
    });
    return entry.lladdr!;
  }
  if (dev.noarp) {
    const why = `${dev.name} is NOARP and has no neighbour entry for ${nh}`;
    w.step(ns, 'drop', 'NEIGHBOR_UNREACHABLE', `no neighbour: ${why}`, stack, { dev, why: [why] });
    throw new Stop('NEIGHBOR_UNREACHABLE', { ns: ns.name, device: dev.name }, why);
  }
  const sender = ip(stack).src;
  const out = arpResolve(dev, nexthop, sender);
  if (!out.answer) {
    const why = [`ARP who-has ${nh} tell ${formatIpv4(sender)} on ${dev.name}: nobody answered`, ...out.silent.map((s) => `${s.dev}: ${s.why}`)];
    w.step(ns, 'drop', 'NEIGHBOR_UNREACHABLE', `ARP for ${nh} on ${dev.name}: no answer`, stack, { dev, why, detail: { method: 'arp', ip: nh, silent: out.silent } });
    throw new Stop('NEIGHBOR_UNREACHABLE', { ns: ns.name, device: dev.name }, why.join('; '));
  }
  const a = out.answer;
  w.step(ns, 'neighbor', 'RESOLVED', `ARP ${nh} on ${dev.name}: ${a.how === 'proxy' ? 'proxy answer' : 'answered'} by ${label(a.dev)} → ${a.mac}`, stack, {
    dev,
    why: [...a.why, ...out.silent.map((s) => `(silent) ${s.dev}: ${s.why}`)],
    detail: { method: a.how === 'proxy' ? 'proxy arp' : 'arp', ip: nh, mac: a.mac, answeredBy: label(a.dev), path: a.path },
  });
  return a.mac;
}
