// Random valid parameter sets for the property tests and the kernel lab, reproducible from
// a seed. Networks come from distinct /16 slots, so that they never overlap; everything
// else (counts, names, MTUs, bond mode, optional fields left out for defaults) varies.
import type { ClusterParams, NodeParams, PlaneParams, ServiceParams, VlanParams } from '../../lib/generator/params.ts';
import { BOND_MODES, HASH_POLICIES } from '../../lib/generator/params.ts';

/** mulberry32: small, seeded, the same sequence everywhere. */
export class Rng {
  private s: number;

  constructor(seed: number) {
    this.s = seed >>> 0;
  }

  next(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(a: readonly T[]): T {
    return a[this.int(0, a.length - 1)]!;
  }

  /** n distinct items of `a`, in random order. */
  sample<T>(a: readonly T[], n: number): T[] {
    const copy = [...a];
    const out: T[] = [];
    while (out.length < n && copy.length > 0) out.push(copy.splice(this.int(0, copy.length - 1), 1)[0]!);
    return out;
  }
}

const ip = (n: number) => `${(n >>> 24) & 255}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
const parse = (s: string) => s.split('.').reduce((a, o) => a * 256 + Number(o), 0);

/** Distinct /16 slots from the private ranges, as base addresses. */
function slots(r: Rng, n: number): number[] {
  const all: number[] = [];
  for (let b = 0; b < 256; b += 1) all.push(parse(`10.${b}.0.0`));
  for (let b = 16; b < 32; b++) all.push(parse(`172.${b}.0.0`));
  all.push(parse('192.168.0.0'));
  return r.sample(all, n);
}

/** A random host of net/len (not network, broadcast or one of `taken`). */
function host(r: Rng, net: number, len: number, taken: Set<number>): number {
  const size = 2 ** (32 - len);
  for (;;) {
    const a = net + r.int(1, size - 2);
    if (!taken.has(a)) {
      taken.add(a);
      return a;
    }
  }
}

export interface RandomOptions {
  /** Prefix for every namespace name (the kernel lab's `nagen-<pid>-<n>-`). */
  nsPrefix?: string;
  /** Only what the lab's kernel runs matters (still a full, valid parameter set). */
  maxNodes?: number;
}

export function randomParams(seed: number, opts: RandomOptions = {}): ClusterParams {
  const r = new Rng(seed);
  const pre = opts.nsPrefix ?? '';
  const nNodes = r.int(2, opts.maxNodes ?? 4);
  const nPlanes = r.int(0, 2);
  const nVlans = r.int(0, 3);
  const [uSlot, podSlot, svcSlot, outSlot, ...rest] = slots(r, 4 + nPlanes + nVlans);

  // Underlay: a /20 to /26 inside its slot.
  const uLen = r.int(20, 26);
  const uNet = uSlot! + r.int(0, 2 ** (uLen - 16) - 1) * 2 ** (32 - uLen);
  const uTaken = new Set<number>();
  const gateway = r.chance(0.5) ? uNet + 2 ** (32 - uLen) - 2 : host(r, uNet, uLen, uTaken);
  uTaken.add(gateway);
  const mtu = r.pick([1500, 1500, 1500, 9000, 1600, 4000]);
  const podMtu = r.pick([undefined, mtu - 50, mtu - 100, 1400 > mtu - 50 ? mtu - 50 : 1400]);

  // Pod CIDR: the /16 slot (or its lower /17); node subnets /24 to /26 inside, distinct.
  const podLen = r.pick([16, 17]);
  const subLen = r.int(24, 26);
  const subnetCount = 2 ** (subLen - podLen);
  const subnetIdx = r.sample([...Array(Math.min(subnetCount, 512)).keys()], nNodes);

  const nameStyle = r.pick(['node-', 'k8s-w', 'n']);
  const planeNames = r.sample(['ctl', 'mgm', 'stor'], nPlanes);
  const vlanIds = r.sample([...Array(200).keys()].map((i) => i * 20 + 2), nPlanes + nVlans);
  const planes: PlaneParams[] = planeNames.map((name, i) => {
    const len = r.int(22, 26);
    const net = rest[i]!;
    const p: PlaneParams = { name, vlan: vlanIds[i]!, subnet: `${ip(net)}/${len}`, gateway: ip(net + 2 ** (32 - len) - 2) };
    if (r.chance(0.5)) p.description = r.pick(['control', 'management', 'storage']);
    return p;
  });
  const vlans: VlanParams[] = [...Array(nVlans).keys()].map((i) => {
    const len = r.int(23, 27);
    const net = rest[nPlanes + i]!;
    return { id: vlanIds[nPlanes + i]!, subnet: `${ip(net)}/${len}`, gateway: ip(net + 1) };
  });

  const nodes: NodeParams[] = [...Array(nNodes).keys()].map((i) => {
    const subNet = podSlot! + subnetIdx[i]! * 2 ** (32 - subLen);
    const name = `${pre}${nameStyle}${nameStyle === 'node-' ? String.fromCharCode(97 + i) : i + 1}`;
    const address = host(r, uNet, uLen, uTaken);
    const node: NodeParams = { name, address: ip(address), podSubnet: `${ip(subNet)}/${subLen}` };
    const nPods = r.int(1, 3);
    const podTaken = new Set<number>();
    node.pods = [...Array(nPods).keys()].map((k) => {
      if (!r.chance(0.5)) return pre ? { name: `${pre}p${i}-${k}` } : {};
      const a = host(r, subNet, subLen, podTaken);
      return pre ? { ip: ip(a), name: `${pre}p${i}-${k}` } : { ip: ip(a) };
    });
    if (r.chance(0.3)) node.macs = { vtep: `02:${r.int(16, 255).toString(16)}:00:00:00:${(i + 1).toString(16).padStart(2, '0')}` };
    if (vlans.length > 0) {
      node.underlayPods = [...Array(r.int(i === 0 ? 1 : 0, 2)).keys()].map((k) => {
        const v = r.pick(vlans);
        return pre ? { vlan: v.id, name: `${pre}u${i}-${k}` } : { vlan: v.id };
      });
    }
    return node;
  });

  // A plane address defaults to the plane's network with the node's underlay host part;
  // where that lands on the network, broadcast or gateway address or on another node's,
  // give it explicitly.
  for (const pl of planes) {
    const [net, len] = [parse(pl.subnet.split('/')[0]!), Number(pl.subnet.split('/')[1])];
    const size = 2 ** (32 - len);
    const used = new Set<number>([net, net + size - 1, parse(pl.gateway)]);
    nodes.forEach((n, i) => {
      const dflt = net + (parse(n.address) % size);
      if (!used.has(dflt) && r.chance(0.7)) {
        used.add(dflt);
        return;
      }
      let a = net + 2 + i;
      while (used.has(a)) a++;
      used.add(a);
      n.planes = { ...n.planes, [pl.name]: ip(a) };
    });
  }

  const mode = r.pick(BOND_MODES);
  const bond: ClusterParams['fabric']['bond'] = { mode, xmitHashPolicy: r.pick(HASH_POLICIES) };
  if (mode === '802.3ad' && r.chance(0.5)) bond.lacpRate = r.pick(['fast', 'slow'] as const);
  if (r.chance(0.3)) bond.miimon = r.pick([0, 50, 100, 200]);

  const params: ClusterParams = {
    nodes,
    underlay: { subnet: `${ip(uNet)}/${uLen}`, gateway: ip(gateway), mtu },
    fabric: { nics: r.sample(['ens5f0np0', 'ens7f0np0', 'eno1', 'eth1', 'enp65s0f1'], r.int(1, 3)), bond },
    overlay: { podCidr: `${ip(podSlot!)}/${podLen}`, vni: r.pick([1, 2, 42, 4096, r.int(1, 16777215)]), snat: r.chance(0.7) },
    planes,
    vlans,
  };
  if (podMtu !== undefined) params.overlay.podMtu = podMtu;
  if (r.chance(0.3)) params.overlay.port = r.pick([8472, 4789, r.int(1024, 65000)]);
  if (r.chance(0.3)) params.overlay.vethPrefix = r.pick(['cali', 'veth', 'lxc']);
  if (r.chance(0.2)) params.overlay.device = r.pick(['flannel.1', 'vxlan0']);
  if (r.chance(0.2)) params.underlay.device = r.pick(['ul0', 'bizx']);
  if (r.chance(0.7)) {
    const svcLen = r.pick([12, 16, 20].filter((l) => l >= 16));
    const svcNet = svcSlot!;
    const podIps = nodes.flatMap((n) => (n.pods ?? []).flatMap((p) => (p.ip ? [p.ip] : [])));
    const list: ServiceParams[] = [...Array(r.int(1, 3)).keys()].map((k) => ({
      ip: ip(svcNet + 1 + k * 9),
      proto: r.pick(['tcp', 'udp'] as const),
      port: r.pick([53, 80, 443, 8080]),
      endpoints: podIps.length > 0 && r.chance(0.7) ? r.sample(podIps, r.int(1, 2)).map((a) => `${a}:${r.pick([53, 80, 8080])}`) : [`${nodes[0]!.address}:6443`],
    }));
    params.services = { cidr: `${ip(svcNet)}/${svcLen}`, list };
  }
  const outLen = r.int(24, 28);
  const outNet = outSlot! + r.int(0, 255) * 256;
  params.simulation = {
    switch: `${pre}${r.pick(['tor', 'sw1', 'leaf'])}`,
    outside: { name: `${pre}${r.pick(['ext', 'internet', 'out'])}`, address: `${ip(outNet + 10)}/${outLen}`, gateway: ip(outNet + 1) },
  };
  return params;
}
