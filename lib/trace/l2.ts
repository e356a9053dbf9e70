// Layer-2 reachability: where a broadcast sent on a device arrives (veth peers, VLAN
// tagging, ipvlan slaves, bonds, OVS bridges), and who answers an ARP request. Pure: it
// reads the model and changes nothing (no MAC learning), so the tracer can ask it freely.
import type { Device } from '../model/device.ts';
import type { Netns } from '../model/netns.ts';
import { allKinds, kindOps } from '../kinds/registry.ts';
import { KernelError } from '../model/errno.ts';
import { inputRoute } from '../model/route-resolve.ts';
import { formatIpv4 } from '../net/ipv4.ts';
import type { Mac } from '../net/mac.ts';

/** A device that hands received frames to an IP stack, and the VLAN tag it gets them with. */
export interface Endpoint {
  dev: Device;
  /** Path of devices from the sender, for explanations. */
  path: string[];
}

type Pos = { dev: Device; dir: 'tx' | 'rx'; vlan: number | undefined; path: string[] };

/** The devices a broadcast frame sent on `from` reaches, in discovery order. */
export function broadcastDomain(from: Device): Endpoint[] {
  return exploreFrom({ dev: from, dir: 'tx', vlan: undefined }).filter((e) => e.dev !== from);
}

function exploreFrom(start: { dev: Device; dir: 'tx' | 'rx'; vlan: number | undefined }): Endpoint[] {
  const from = start.dir === 'tx' ? start.dev : undefined;
  const out: Endpoint[] = [];
  const seen = new Set<string>();
  const queue: Pos[] = [{ ...start, path: [label(start.dev)] }];
  while (queue.length > 0) {
    const p = queue.shift()!;
    const key = `${p.dev.ns.name}/${p.dev.ifindex}/${p.dir}/${p.vlan ?? '-'}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const push = (dev: Device, dir: 'tx' | 'rx', vlan: number | undefined) => {
      if (dev.adminUp) queue.push({ dev, dir, vlan, path: [...p.path, label(dev)] });
    };
    const d = p.dev;
    if (p.dir === 'tx') {
      kindOps(d).floodTx?.(d, p.vlan, push);
      continue;
    }
    // Receiving: a port hands the frame to its master (rx_handler), a tagged frame goes to
    // its VLAN's sub-interface, an untagged one also to the device's ipvlan/macvlan uppers.
    const floodPort = d.master ? kindOps(d.master).floodPort : undefined;
    if (d.master && floodPort) {
      floodPort(d.master, d, p.vlan, push);
      continue;
    }
    let consumed = false;
    for (const k of allKinds()) if (!consumed && k.floodLowerRx?.(d, p.vlan, push)) consumed = true;
    if (consumed) continue;
    if (d !== from) out.push({ dev: d, path: p.path });
  }
  return out;
}

export function label(dev: Device): string {
  return `${dev.ns.name || '(host)'}:${dev.name}`;
}

export interface ArpAnswer {
  dev: Device;
  mac: Mac;
  how: 'owner' | 'proxy';
  why: string[];
  path: string[];
}

export interface ArpOutcome {
  answer?: ArpAnswer;
  /** Devices that heard the request but did not answer, with the reason. */
  silent: { dev: string; why: string }[];
}

/** arp_process on each device the request reaches: the first that answers wins. */
export function arpResolve(from: Device, target: number, sender: number): ArpOutcome {
  const silent: ArpOutcome['silent'] = [];
  const tgt = formatIpv4(target);
  for (const ep of broadcastDomain(from)) {
    const e = ep.dev;
    const ns = e.ns;
    const owner = ns.deviceWithAddress(target);
    const arpIgnore = Math.max(e.conf.arp_ignore, ns.sysctl.all.arp_ignore);
    if (owner) {
      if (arpIgnore >= 1 && owner !== e) {
        silent.push({ dev: label(e), why: `${tgt} is local to ${ns.name} (on ${owner.name}), but arp_ignore=${arpIgnore} answers only for addresses on the receiving device` });
        continue;
      }
      const why = owner === e ? [`${tgt} is configured on ${e.name}`] : [`${tgt} is local to ${ns.name} (on ${owner.name}); with arp_ignore=0 Linux answers for any local address on any interface`];
      return { answer: { dev: e, mac: e.mac, how: 'owner', why, path: ep.path }, silent };
    }
    const proxy = Math.max(e.conf.proxy_arp, ns.sysctl.all.proxy_arp);
    if (!proxy) {
      silent.push({ dev: label(e), why: `${tgt} is not local and proxy_arp is off` });
      continue;
    }
    if (!e.conf.forwarding) {
      silent.push({ dev: label(e), why: `proxy_arp=1 but forwarding is off on ${e.name}` });
      continue;
    }
    // arp_fwd_proxy: the host must route the target, as a unicast, out another interface.
    try {
      const r = inputRoute(ns, { dst: target, src: sender, iif: e });
      if (r.type !== 'unicast') {
        silent.push({ dev: label(e), why: `proxy_arp=1 but ${tgt} routes as ${r.type}` });
        continue;
      }
      if (r.dev === e) {
        silent.push({ dev: label(e), why: `proxy_arp=1 but ${ns.name} routes ${tgt} back out ${e.name} itself` });
        continue;
      }
      const line = r.fib ? `${r.gw !== undefined ? `via ${formatIpv4(r.gw)} ` : ''}dev ${r.dev.name}` : r.dev.name;
      return {
        answer: {
          dev: e,
          mac: e.mac,
          how: 'proxy',
          why: [`proxy_arp=1 and forwarding=1 on ${e.name}`, `${ns.name} routes ${tgt} ${line}, another interface (arp_fwd_proxy)`],
          path: ep.path,
        },
        silent,
      };
    } catch (err) {
      if (!(err instanceof KernelError)) throw err;
      silent.push({ dev: label(e), why: `proxy_arp=1 but ${ns.name} has no route to ${tgt} (${err.iproute2Message()})` });
    }
  }
  return { silent };
}

export function nsLabel(ns: Netns): string {
  return ns.name || '(host)';
}

/** Whether a frame for `mac` sent (tx) or handed (rx) to `dev` reaches the device owning `mac`. */
export function reachesMac(dev: Device, dir: 'tx' | 'rx', vlan: number | undefined, mac: Mac): boolean {
  if (dir === 'rx' && dev.mac === mac && (vlan === undefined || vlan === 0)) return true;
  const probe = probeDevice(dev, dir, vlan);
  return broadcastDomainFrom(probe).some((e) => e.dev.mac === mac);
}

function probeDevice(dev: Device, dir: 'tx' | 'rx', vlan: number | undefined): { dev: Device; dir: 'tx' | 'rx'; vlan: number | undefined } {
  return { dev, dir, vlan };
}

/** broadcastDomain, starting from an arbitrary position (used to pick a flooded copy). */
function broadcastDomainFrom(start: { dev: Device; dir: 'tx' | 'rx'; vlan: number | undefined }): Endpoint[] {
  if (start.dir === 'rx' && (start.vlan === undefined || start.vlan === 0) && !start.dev.master && !allKinds().some((k) => k.hasUppers?.(start.dev))) {
    return [{ dev: start.dev, path: [label(start.dev)] }];
  }
  return exploreFrom(start);
}
