// What a node's check script compares, and why. Each check is a show command run on the
// node, optionally narrowed by a filter to what is meaningful on a real machine: interface
// indexes, the MACs of physical NICs, qdiscs, IPv6 and counters differ from node to node
// and say nothing about whether the setup is right, so the filters keep addresses,
// routes, neighbours, FDB entries, VXLAN and bond parameters, MTUs and sysctls.
//
// A filter exists twice, as a bash pipeline (in the check script) and as a function (for
// the expected output, computed from the model): tests run both on the same text.
import type { Cluster, Node } from './cluster.ts';
import type { StageId } from './plan.ts';

export interface Filter {
  /** The pipeline stage appended to the command in the check script. */
  bash: string;
  apply(text: string): string;
}

const keepLines = (re: RegExp) => (text: string) =>
  text
    .split('\n')
    .filter((l) => re.test(l))
    .map((l) => l + '\n')
    .join('');

/** grep -oE: every match, one per line. */
const matches = (re: RegExp) => (text: string) => {
  let out = '';
  for (const line of text.split('\n')) for (const m of line.matchAll(re)) out += m[0] + '\n';
  return out;
};

export const FILTERS = {
  /** The IPv4 address lines of `ip -4 addr show` (not the link line: index, qdisc, state). */
  inet: { bash: "grep -E '^ +inet '", apply: keepLines(/^ +inet /) },
  /** What makes a VTEP work: VNI, local address, lower device, UDP port, learning, MTU. */
  vxlan: {
    bash: "grep -oE '\\bmtu [0-9]+|vxlan id [0-9]+|local [0-9.]+|dev [^ ]+|dstport [0-9]+|nolearning'",
    apply: matches(/\bmtu [0-9]+|vxlan id [0-9]+|local [0-9.]+|dev [^ ]+|dstport [0-9]+|nolearning/g),
  },
  /** The MTU of a device. */
  mtu: { bash: "grep -oE '\\bmtu [0-9]+'", apply: matches(/\bmtu [0-9]+/g) },
  /** The bond's configuration, not its partner or counters. */
  bond: {
    bash: "grep -E '^(Bonding Mode|Transmit Hash Policy|MII Polling Interval \\(ms\\)|LACP rate|Slave Interface):'",
    apply: keepLines(/^(Bonding Mode|Transmit Hash Policy|MII Polling Interval \(ms\)|LACP rate|Slave Interface):/),
  },
  /**
   * Lines in byte order: the kernel lists neighbours in hash-table order, hashed with a
   * random seed and the device's address (arp_hashfn, neigh_hash_alloc), and older kernels
   * list a VXLAN device's FDB by hash bucket: the order says nothing, the lines do.
   */
  sorted: {
    bash: 'LC_ALL=C sort',
    apply: (text: string) =>
      text
        .split('\n')
        .filter((l) => l !== '')
        .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
        .map((l) => l + '\n')
        .join(''),
  },
} satisfies Record<string, Filter>;

export type FilterId = keyof typeof FILTERS;

export interface CheckDef {
  /** File-name part of the expected output: `NN-slug`. */
  id: string;
  stage: StageId;
  title: string;
  /** The command as run on the node (before the filter). */
  command: string;
  filter?: FilterId;
  /** exact: the (filtered) output must equal the expected one; contains: every expected line must appear. */
  mode: 'exact' | 'contains';
  /** Why it is compared this way (a comment in the check script). */
  why: string;
}

/** The command line of the check script: the command and its filter. */
export function checkCommandLine(c: CheckDef): string {
  return c.filter ? `${c.command} | ${FILTERS[c.filter].bash}` : c.command;
}

/** Trailing blanks are not meaningful (iproute2 ends many lines with one; editors strip them). */
export function normalizeOutput(text: string): string {
  return text
    .split('\n')
    .map((l) => l.replace(/\s+$/, ''))
    .join('\n')
    .replace(/\n+$/, '');
}

function slug(s: string): string {
  return s.replace(/[^A-Za-z0-9.]+/g, '-').replace(/^-|-$/g, '');
}

export function nodeChecks(c: Cluster, n: Node): CheckDef[] {
  const out: Omit<CheckDef, 'id'>[] = [];
  const u = c.underlay.device;
  const vx = c.overlay.device;
  const bond = c.fabric.bond.name;

  out.push({
    stage: '10-fabric',
    title: `${bond}: mode, hash policy, link monitoring, members`,
    command: `cat /proc/net/bonding/${bond}`,
    filter: 'bond',
    mode: 'exact',
    why: 'the bond configuration the switch must match; the partner, speeds and counters are left out',
  });
  out.push({
    stage: '10-fabric',
    title: `the ports of ${c.fabric.bridge}`,
    command: `ovs-vsctl list-ports ${c.fabric.bridge}`,
    mode: 'exact',
    why: 'the bond and the internal ports for the underlay and the planes',
  });
  out.push({
    stage: '20-node-net',
    title: `${u}: address`,
    command: `ip -4 addr show dev ${u}`,
    filter: 'inet',
    mode: 'exact',
    why: 'the inet lines only: the link line has the interface index, qdisc and state, which differ between machines',
  });
  out.push({ stage: '20-node-net', title: 'default route', command: 'ip route show default', mode: 'exact', why: 'the way out for the node and, through proxy ARP, for its pods' });
  for (const p of c.planes) {
    out.push({ stage: '21-planes', title: `${p.name}: address`, command: `ip -4 addr show dev ${p.name}`, filter: 'inet', mode: 'exact', why: 'the inet lines only' });
  }
  out.push({
    stage: '30-overlay',
    title: `${vx}: VNI, local address, device, port, MTU`,
    command: `ip -d link show dev ${vx}`,
    filter: 'vxlan',
    mode: 'exact',
    why: 'a wrong VNI, port or local address breaks the overlay silently; the rest of ip -d (queues, GSO sizes) differs between kernels',
  });
  out.push({ stage: '30-overlay', title: `${vx}: VTEP address`, command: `ip -4 addr show dev ${vx}`, filter: 'inet', mode: 'exact', why: 'the inet lines only' });
  out.push({
    stage: '30-overlay',
    title: `routes in the pod CIDR ${c.overlay.podCidr}`,
    command: `ip route show root ${c.overlay.podCidr}`,
    mode: 'exact',
    why: "the other nodes' subnets through the VTEP, and a /32 per local pod (pods your CNI made show up as extra lines)",
  });
  out.push({
    stage: '30-overlay',
    title: `neighbours on ${vx}`,
    command: `ip neigh show dev ${vx}`,
    filter: 'sorted',
    mode: 'exact',
    why: "the other nodes' VTEP MACs, permanent; sorted, since the kernel lists them in the order of a randomly seeded hash",
  });
  out.push({
    stage: '30-overlay',
    title: `forwarding entries of ${vx}`,
    command: `bridge fdb show dev ${vx}`,
    filter: 'sorted',
    mode: 'exact',
    why: "which node's underlay address each VTEP MAC is behind; sorted, since kernels list them in different orders",
  });
  for (const o of c.nodes) {
    if (o === n) continue;
    const target = o.pods[0]?.ip ?? o.vtep;
    out.push({
      stage: '30-overlay',
      title: `the route to ${o.pods[0] ? `${o.pods[0].name} on ${o.name}` : `${o.name}'s VTEP`}`,
      command: `ip route get ${target}`,
      mode: 'exact',
      why: 'what the kernel decides for one packet: next hop, device, source address',
    });
  }
  const sysctls = ['net.ipv4.ip_forward', ...n.pods.map((p) => `net.ipv4.conf.${p.hostVeth}.proxy_arp`)];
  out.push({ stage: '30-overlay', title: 'forwarding and proxy ARP', command: `sysctl ${sysctls.join(' ')}`, mode: 'exact', why: 'without them the node neither routes nor answers ARP for 169.254.1.1' });
  for (const p of n.pods) {
    out.push({ stage: '30-overlay', title: `${p.hostVeth}: MTU`, command: `ip link show dev ${p.hostVeth}`, filter: 'mtu', mode: 'exact', why: `the pod MTU must fit ${vx}` });
    out.push({ stage: '30-overlay', title: `${p.name}: routes inside the pod`, command: `ip -n ${p.name} route`, mode: 'exact', why: 'the pod side: a default route via 169.254.1.1, on-link' });
  }
  for (const p of n.underlayPods) {
    out.push({ stage: '40-underlay', title: `${p.name}: routes inside the pod`, command: `ip -n ${p.name} route`, mode: 'exact', why: "the pod's VLAN subnet and its gateway" });
  }
  if (c.services) {
    out.push({
      stage: '50-services',
      title: `${c.services.device}: ClusterIPs`,
      command: `ip -4 addr show dev ${c.services.device}`,
      filter: 'inet',
      mode: 'contains',
      why: 'every ClusterIP of the parameters must be there; kube-proxy adds the other services of the cluster',
    });
  }
  if (c.overlay.snat) {
    out.push({
      stage: '60-snat',
      title: 'MASQUERADE for overlay egress',
      command: 'iptables -t nat -S POSTROUTING',
      mode: 'contains',
      why: 'the rule must be there; kube-proxy, Docker and others add rules of their own',
    });
  }
  return out.map((x, i) => ({ ...x, id: `${String(i + 1).padStart(2, '0')}-${slug(x.title)}` }));
}
