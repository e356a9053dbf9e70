// Defaults: ClusterParams (already parsed, every value well-formed) → Cluster. Every default
// is deterministic — the same parameters always give the same scripts — and documented in
// the README the generator writes. Derived addresses that cannot be found (a subnet with no
// free address left) are reported as errors.
import { formatIpv4, maskOf, parseIpv4 } from '../net/ipv4.ts';
import { deterministicMac } from '../net/mac.ts';
import type { Cluster, Node, Plane, Pod, UnderlayPod, Vlan } from './cluster.ts';
import { at, paramError, type ParamError } from './errors.ts';
import type { ClusterParams, NodeParams } from './params.ts';

export const DEFAULTS = {
  underlayDevice: 'biz',
  mtu: 1500,
  bond: 'bond0',
  bridge: 'br-bond0',
  miimon: 100,
  lacpRate: 'fast',
  vxlanPort: 4789,
  vethPrefix: 'upvx',
  servicesDevice: 'kube-ipvs0',
  scheduler: 'rr',
  switch: 'tor',
  switchBridge: 'br-tor',
  uplink: 'wan0',
  outside: 'ext',
  outsideAddress: '203.0.113.10/24',
  outsideGateway: '203.0.113.1',
  outsideDevice: 'eth0',
  /** VXLAN over IPv4: outer IPv4 20 + UDP 8 + VXLAN 8 + inner Ethernet 14 (VXLAN_HEADROOM). */
  vxlanOverhead: 50,
} as const;

const split = (cidr: string): { addr: number; len: number } => {
  const [a, l] = cidr.split('/');
  return { addr: parseIpv4(a!), len: Number(l) };
};

/** 4·n hex digits from an FNV-1a hash of the seed (stable across machines and runs). */
export function hashHex(seed: string, digits: number): string {
  let out = '';
  let h = 0x811c9dc5;
  for (let round = 0; out.length < digits; round++) {
    for (let i = 0; i < seed.length; i++) {
      h ^= seed.charCodeAt(i);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    h ^= round + 1;
    h = Math.imul(h, 0x01000193) >>> 0;
    out += h.toString(16).padStart(8, '0');
  }
  return out.slice(0, digits);
}

/** The node's switch-side tag: a, b, ... p. */
export function defaultTag(index: number): string {
  return String.fromCharCode(97 + index);
}

/** Octets of `ip` not fixed by a prefix of length `len`, joined by '-': 10.20.9.41 in a /16 → 9-41. */
function hostOctets(ip: string, len: number): string {
  const o = ip.split('.');
  const keep = len >= 24 ? 1 : len >= 16 ? 2 : len >= 8 ? 3 : 4;
  return o.slice(4 - keep).join('-');
}

/** Allocates free addresses of a subnet in order, from network + 2, skipping taken ones. */
class Allocator {
  private next: number;
  private readonly last: number;
  private readonly taken: Set<number>;

  constructor(cidr: string, taken: Iterable<string>) {
    const { addr, len } = split(cidr);
    this.next = addr + 2;
    this.last = (addr | ~maskOf(len)) >>> 0;
    this.taken = new Set([...taken].map(parseIpv4));
  }

  take(): string | undefined {
    while (this.next < this.last && this.taken.has(this.next)) this.next++;
    if (this.next >= this.last) return undefined;
    this.taken.add(this.next);
    return formatIpv4(this.next++);
  }
}

function pods(n: NodeParams, path: string, c: { podCidr: string; vethPrefix: string }, errors: ParamError[]): Pod[] {
  const list = n.pods ?? [];
  const alloc = new Allocator(n.podSubnet, list.flatMap((p) => (p.ip ? [p.ip] : [])));
  const cidrLen = split(c.podCidr).len;
  const out: Pod[] = [];
  list.forEach((p, i) => {
    const pp = at(at(path, 'pods'), i);
    const ip = p.ip ?? alloc.take();
    if (ip === undefined) {
      errors.push(paramError(at(pp, 'ip'), 'exhausted', `no free address left in ${n.podSubnet} for a default`, { subnet: n.podSubnet }));
      return;
    }
    const name = p.name ?? `pod-${hostOctets(ip, cidrLen)}`;
    const hostVeth = p.hostVeth ?? c.vethPrefix + hashHex(`${n.name}/${name}`, 15 - c.vethPrefix.length);
    out.push({
      name,
      ip,
      mac: p.mac ?? deterministicMac(`${name}/eth0`),
      hostVeth,
      hostMac: p.hostMac ?? deterministicMac(`${n.name}/${hostVeth}`),
      index: p.index,
      hostIndex: p.hostIndex,
      path: pp,
    });
  });
  return out;
}

function underlayPods(n: NodeParams, path: string, vlans: Vlan[], allocs: Map<number, Allocator>, errors: ParamError[]): UnderlayPod[] {
  const out: UnderlayPod[] = [];
  (n.underlayPods ?? []).forEach((u, i) => {
    const pp = at(at(path, 'underlayPods'), i);
    const v = vlans.find((x) => x.id === u.vlan);
    if (!v) {
      errors.push(paramError(at(pp, 'vlan'), 'unknown-vlan', `there is no VLAN ${u.vlan} in vlans`, { value: u.vlan }));
      return;
    }
    const ip = u.ip ?? allocs.get(v.id)!.take();
    if (ip === undefined) {
      errors.push(paramError(at(pp, 'ip'), 'exhausted', `no free address left in ${v.subnet} for a default`, { subnet: v.subnet }));
      return;
    }
    out.push({ name: u.name ?? `upod-${u.vlan}-${hostOctets(ip, v.len)}`, vlan: u.vlan, ip, path: pp });
  });
  return out;
}

/** Plane address of a node by default: the plane's network with the node's underlay host part. */
function planeAddress(plane: Plane, nodeAddress: string): string {
  const m = maskOf(plane.len);
  return formatIpv4(((parseIpv4(plane.subnet.split('/')[0]!) & m) | (parseIpv4(nodeAddress) & ~m)) >>> 0);
}

export interface Resolved {
  cluster: Cluster;
  /** Defaults that could not be derived, references to nothing; the cluster leaves those out. */
  errors: ParamError[];
}

export function resolveParams(p: ClusterParams): Resolved {
  const errors: ParamError[] = [];
  const sw = p.simulation?.switch ?? DEFAULTS.switch;
  const underlayDevice = p.underlay.device ?? DEFAULTS.underlayDevice;
  const mtu = p.underlay.mtu ?? DEFAULTS.mtu;
  const vni = p.overlay.vni;
  const overlay = {
    podCidr: p.overlay.podCidr,
    vni,
    port: p.overlay.port ?? DEFAULTS.vxlanPort,
    device: p.overlay.device ?? `vxlan.${vni}`,
    podMtu: p.overlay.podMtu ?? mtu - DEFAULTS.vxlanOverhead,
    snat: p.overlay.snat,
    vethPrefix: p.overlay.vethPrefix ?? DEFAULTS.vethPrefix,
  };
  const planes: Plane[] = (p.planes ?? []).map((x) => ({
    name: x.name,
    description: x.description ?? x.name,
    vlan: x.vlan,
    subnet: x.subnet,
    len: split(x.subnet).len,
    gateway: x.gateway,
    gatewayMac: x.gatewayMac ?? deterministicMac(`${sw}/gw-${x.name}`),
    gatewayDevice: `gw-${x.name}`,
  }));
  const vlans: Vlan[] = (p.vlans ?? []).map((x) => ({
    id: x.id,
    subnet: x.subnet,
    len: split(x.subnet).len,
    gateway: x.gateway,
    gatewayMac: x.gatewayMac ?? deterministicMac(`${sw}/gw-v${x.id}`),
    gatewayDevice: `gw-v${x.id}`,
  }));
  // Default underlay pod addresses come from one allocator per VLAN, shared by all nodes.
  const explicitUnderlay = p.nodes.flatMap((n) => (n.underlayPods ?? []).flatMap((u) => (u.ip ? [u.ip] : [])));
  const allocs = new Map(vlans.map((v) => [v.id, new Allocator(v.subnet, [v.gateway, ...explicitUnderlay])]));

  const nodes: Node[] = p.nodes.map((n, i) => {
    const path = at('nodes', i);
    const tag = n.tag ?? defaultTag(i);
    const nodePlanes: Record<string, string> = {};
    const planeMacs: Record<string, string> = {};
    for (const pl of planes) {
      nodePlanes[pl.name] = n.planes?.[pl.name] ?? planeAddress(pl, n.address);
      planeMacs[pl.name] = n.macs?.planes?.[pl.name] ?? deterministicMac(`${n.name}/${pl.name}`);
    }
    for (const [k, v] of Object.entries(n.planes ?? {})) if (!(k in nodePlanes)) nodePlanes[k] = v; // validate reports it
    return {
      name: n.name,
      tag,
      address: n.address,
      podSubnet: n.podSubnet,
      vtep: n.podSubnet.split('/')[0]!,
      planes: nodePlanes,
      macs: {
        underlay: n.macs?.underlay ?? deterministicMac(`${n.name}/${underlayDevice}`),
        vtep: n.macs?.vtep ?? deterministicMac(`${n.name}/${overlay.device}`),
        services: n.macs?.services ?? deterministicMac(`${n.name}/${p.services?.device ?? DEFAULTS.servicesDevice}`),
        planes: planeMacs,
      },
      nics: p.fabric.nics.map((nic, j) => {
        const port = `${tag}-p${j + 1}`;
        return {
          name: nic,
          mac: n.nicMacs?.[j] ?? deterministicMac(`${n.name}/${nic}`),
          switchPort: port,
          switchPortMac: n.switchPortMacs?.[j] ?? deterministicMac(`${sw}/${port}`),
        };
      }),
      switchBond: `bond-${tag}`,
      labPeer: `${tag}-${underlayDevice}`,
      labPeerMac: n.labPortMac ?? deterministicMac(`${sw}/${tag}-${underlayDevice}`),
      pods: pods(n, path, overlay, errors),
      underlayPods: underlayPods(n, path, vlans, allocs, errors),
    };
  });

  const o = p.simulation?.outside;
  const outsideAddress = o?.address ?? DEFAULTS.outsideAddress;
  const [oa, ol] = outsideAddress.split('/');
  const cluster: Cluster = {
    nodes,
    underlay: {
      subnet: p.underlay.subnet,
      len: split(p.underlay.subnet).len,
      gateway: p.underlay.gateway,
      mtu,
      device: underlayDevice,
      gatewayMac: p.underlay.gatewayMac ?? deterministicMac(`${sw}/gw-${underlayDevice}`),
    },
    fabric: {
      nics: p.fabric.nics,
      bond: {
        name: p.fabric.bond.name ?? DEFAULTS.bond,
        mode: p.fabric.bond.mode,
        policy: p.fabric.bond.xmitHashPolicy,
        miimon: p.fabric.bond.miimon ?? DEFAULTS.miimon,
        lacpRate: p.fabric.bond.lacpRate ?? DEFAULTS.lacpRate,
      },
      bridge: p.fabric.bridge ?? DEFAULTS.bridge,
    },
    overlay,
    planes,
    vlans,
    services: p.services && {
      cidr: p.services.cidr,
      device: p.services.device ?? DEFAULTS.servicesDevice,
      list: p.services.list.map((s) => ({ ip: s.ip, proto: s.proto, port: s.port, scheduler: s.scheduler ?? DEFAULTS.scheduler, endpoints: s.endpoints })),
    },
    sim: {
      switch: sw,
      bridge: p.simulation?.switchBridge ?? DEFAULTS.switchBridge,
      gatewayDevice: `gw-${underlayDevice}`,
      uplink: DEFAULTS.uplink,
      uplinkMac: o?.gatewayMac ?? deterministicMac(`${sw}/${DEFAULTS.uplink}`),
      outside: {
        name: o?.name ?? DEFAULTS.outside,
        address: oa!,
        len: Number(ol),
        gateway: o?.gateway ?? DEFAULTS.outsideGateway,
        mac: o?.mac ?? deterministicMac(`${o?.name ?? DEFAULTS.outside}/${DEFAULTS.outsideDevice}`),
        device: DEFAULTS.outsideDevice,
      },
    },
  };
  return { cluster, errors };
}
