// Validation across fields, on the resolved cluster: what a careful engineer checks before
// running anything on a node. Every error names the field it is about and, for a conflict,
// the other field too.
import { formatIpv4, parseIpv4 } from '../net/ipv4.ts';
import type { Cluster } from './cluster.ts';
import { at, paramError, type ParamError } from './errors.ts';
import { cidrBroadcast, cidrContains, cidrOverlap, IFNAMSIZ_MAX, type Cidr } from './formats.ts';
import { DEFAULTS } from './resolve.ts';

const cidr = (text: string): Cidr => {
  const [a, l] = text.split('/');
  return { addr: parseIpv4(a!), len: Number(l), text };
};

interface Named {
  path: string;
  value: string;
}

const RESERVED = ['lo', 'ovs-system'];

const SPECIAL: { net: Cidr; what: string }[] = [
  { net: cidr('0.0.0.0/8'), what: '"this network" (0.0.0.0/8)' },
  { net: cidr('127.0.0.0/8'), what: 'loopback (127.0.0.0/8)' },
  { net: cidr('169.254.0.0/16'), what: 'link-local (169.254.0.0/16; the pods use 169.254.1.1 as their gateway)' },
  { net: cidr('224.0.0.0/4'), what: 'multicast (224.0.0.0/4)' },
  { net: cidr('240.0.0.0/4'), what: 'reserved (240.0.0.0/4)' },
];

function special(path: string, c: Cidr, errors: ParamError[]): void {
  for (const s of SPECIAL) {
    if (cidrOverlap(c, s.net)) {
      errors.push(paramError(path, 'special-address', `${c.text} is in the ${s.what} range`, { value: c.text, range: s.net.text }));
      return;
    }
  }
}

/** `ip` must be a host address of `net` (not its network or broadcast address). */
function hostIn(path: string, ip: string, net: Cidr, netPath: string, errors: ParamError[]): boolean {
  const a = parseIpv4(ip);
  if (!cidrContains(net, a)) {
    errors.push(paramError(path, 'outside', `${ip} is outside ${netPath} ${net.text}`, { value: ip, subnet: net.text, field: netPath }));
    return false;
  }
  if (net.len < 31 && (a === net.addr || a === cidrBroadcast(net))) {
    const which = a === net.addr ? 'network' : 'broadcast';
    errors.push(paramError(path, 'network-or-broadcast', `${ip} is the ${which} address of ${net.text}`, { value: ip, subnet: net.text, which }));
    return false;
  }
  return true;
}

function duplicates(items: Named[], what: string, errors: ParamError[]): void {
  const seen = new Map<string, string>();
  for (const it of items) {
    const first = seen.get(it.value);
    if (first !== undefined) errors.push(paramError(it.path, 'duplicate', `${what} ${it.value} is already used by ${first}`, { value: it.value, field: first }));
    else seen.set(it.value, it.path);
  }
}

function ifnameLength(path: string, name: string, what: string, errors: ParamError[]): void {
  if (name.length > IFNAMSIZ_MAX) {
    errors.push(paramError(path, 'ifname-length', `makes the interface name "${name}" (${what}), ${name.length} characters; Linux allows at most ${IFNAMSIZ_MAX} (IFNAMSIZ 16, with the final NUL)`, { value: name, length: name.length }));
  }
}

export function validateCluster(c: Cluster): ParamError[] {
  const errors: ParamError[] = [];

  // --- prefixes: no two networks of the cluster may overlap --------------------------------
  const nets: { path: string; net: Cidr }[] = [
    { path: 'underlay.subnet', net: cidr(c.underlay.subnet) },
    { path: 'overlay.podCidr', net: cidr(c.overlay.podCidr) },
  ];
  if (c.services) nets.push({ path: 'services.cidr', net: cidr(c.services.cidr) });
  c.planes.forEach((p, i) => nets.push({ path: at(at('planes', i), 'subnet'), net: cidr(p.subnet) }));
  c.vlans.forEach((v, i) => nets.push({ path: at(at('vlans', i), 'subnet'), net: cidr(v.subnet) }));
  const outsideNet = cidr(`${formatIpv4(parseIpv4(c.sim.outside.address) & (c.sim.outside.len === 0 ? 0 : (0xffffffff << (32 - c.sim.outside.len)) >>> 0))}/${c.sim.outside.len}`);
  nets.push({ path: 'simulation.outside.address', net: outsideNet });
  for (const n of nets) special(n.path, n.net, errors);
  nets.forEach((b, j) => {
    for (const a of nets.slice(0, j)) {
      if (cidrOverlap(a.net, b.net)) {
        errors.push(paramError(b.path, 'overlap', `${b.net.text} overlaps ${a.path} ${a.net.text}`, { value: b.net.text, other: a.net.text, field: a.path }));
        break;
      }
    }
  });

  // --- the underlay ----------------------------------------------------------------------------
  const underlay = cidr(c.underlay.subnet);
  hostIn('underlay.gateway', c.underlay.gateway, underlay, 'underlay.subnet', errors);
  c.nodes.forEach((n, i) => hostIn(at(at('nodes', i), 'address'), n.address, underlay, 'underlay.subnet', errors));

  const maxPodMtu = c.underlay.mtu - DEFAULTS.vxlanOverhead;
  if (c.overlay.podMtu > maxPodMtu) {
    errors.push(
      paramError(
        'overlay.podMtu',
        'mtu',
        `${c.overlay.podMtu} does not fit the underlay: VXLAN over IPv4 adds 50 bytes (outer IPv4 20 + UDP 8 + VXLAN 8 + inner Ethernet 14; the kernel's VXLAN_HEADROOM), so with underlay.mtu ${c.underlay.mtu} the pods get at most ${maxPodMtu}. An 802.1Q tag on the underlay does not count: it is part of the Ethernet header, not of the MTU`,
        { value: c.overlay.podMtu, max: maxPodMtu, mtu: c.underlay.mtu },
      ),
    );
  }

  // --- pod subnets -----------------------------------------------------------------------------
  const podCidr = cidr(c.overlay.podCidr);
  const subnets: { path: string; net: Cidr }[] = [];
  c.nodes.forEach((n, i) => {
    const path = at(at('nodes', i), 'podSubnet');
    const net = cidr(n.podSubnet);
    if (!cidrContains(podCidr, net.addr) || net.len < podCidr.len) {
      errors.push(paramError(path, 'outside', `${n.podSubnet} is outside overlay.podCidr ${c.overlay.podCidr}`, { value: n.podSubnet, subnet: c.overlay.podCidr, field: 'overlay.podCidr' }));
    } else if (net.len > 30) {
      errors.push(paramError(path, 'range', `${n.podSubnet} is too small: a node's pod subnet needs its network address for the VTEP and room for pods (/30 or larger)`, { value: n.podSubnet, min: 0, max: 30 }));
    } else {
      const other = subnets.find((s) => cidrOverlap(s.net, net));
      if (other) errors.push(paramError(path, 'overlap', `${n.podSubnet} overlaps ${other.path} ${other.net.text}`, { value: n.podSubnet, other: other.net.text, field: other.path }));
      subnets.push({ path, net });
    }
    n.pods.forEach((p) => hostIn(at(p.path, 'ip'), p.ip, net, path, errors));
  });

  // --- planes and VLANs ------------------------------------------------------------------------
  const planeNames = new Set(c.planes.map((p) => p.name));
  c.planes.forEach((p, i) => {
    const path = at('planes', i);
    hostIn(at(path, 'gateway'), p.gateway, cidr(p.subnet), at(path, 'subnet'), errors);
    c.nodes.forEach((n, j) => hostIn(at(at(at('nodes', j), 'planes'), p.name), n.planes[p.name]!, cidr(p.subnet), at(path, 'subnet'), errors));
    ifnameLength(at(path, 'name'), p.gatewayDevice, "the gateway's interface in the simulation", errors);
  });
  c.nodes.forEach((n, j) => {
    for (const k of Object.keys(n.planes)) {
      if (!planeNames.has(k)) errors.push(paramError(at(at(at('nodes', j), 'planes'), k), 'unknown-plane', `there is no plane "${k}" in planes`, { value: k }));
    }
    for (const k of Object.keys(n.macs.planes)) {
      if (!planeNames.has(k)) errors.push(paramError(at(at(at(at('nodes', j), 'macs'), 'planes'), k), 'unknown-plane', `there is no plane "${k}" in planes`, { value: k }));
    }
  });
  duplicates(c.planes.map((p, i) => ({ path: at(at('planes', i), 'name'), value: p.name })), 'plane name', errors);
  duplicates(
    [...c.planes.map((p, i) => ({ path: at(at('planes', i), 'vlan'), value: String(p.vlan) })), ...c.vlans.map((v, i) => ({ path: at(at('vlans', i), 'id'), value: String(v.id) }))],
    'VLAN',
    errors,
  );
  c.vlans.forEach((v, i) => {
    hostIn(at(at('vlans', i), 'gateway'), v.gateway, cidr(v.subnet), at(at('vlans', i), 'subnet'), errors);
    ifnameLength(at(at('vlans', i), 'id'), `${c.underlay.device}.${v.id}`, 'the VLAN sub-interface', errors);
  });
  for (const n of c.nodes) {
    for (const u of n.underlayPods) {
      const v = c.vlans.find((x) => x.id === u.vlan)!;
      hostIn(at(u.path, 'ip'), u.ip, cidr(v.subnet), at(at('vlans', c.vlans.indexOf(v)), 'subnet'), errors);
    }
  }

  // --- services --------------------------------------------------------------------------------
  if (c.services) {
    const net = cidr(c.services.cidr);
    c.services.list.forEach((s, i) => hostIn(at(at(at('services', 'list'), i), 'ip'), s.ip, net, 'services.cidr', errors));
    duplicates(
      c.services.list.map((s, i) => ({ path: at(at('services', 'list'), i), value: `${s.proto} ${s.ip}:${s.port}` })),
      'service',
      errors,
    );
  }

  // --- simulation ------------------------------------------------------------------------------
  hostIn('simulation.outside.gateway', c.sim.outside.gateway, outsideNet, 'simulation.outside.address', errors);
  hostIn('simulation.outside.address', c.sim.outside.address, outsideNet, 'simulation.outside.address', errors);

  // --- every address once ----------------------------------------------------------------------
  const ips: Named[] = [
    { path: 'underlay.gateway', value: c.underlay.gateway },
    ...c.nodes.map((n, i) => ({ path: at(at('nodes', i), 'address'), value: n.address })),
    ...c.planes.map((p, i) => ({ path: at(at('planes', i), 'gateway'), value: p.gateway })),
    ...c.nodes.flatMap((n, i) => Object.entries(n.planes).map(([k, v]) => ({ path: at(at(at('nodes', i), 'planes'), k), value: v }))),
    ...c.vlans.map((v, i) => ({ path: at(at('vlans', i), 'gateway'), value: v.gateway })),
    ...c.nodes.flatMap((n) => n.pods.map((p) => ({ path: at(p.path, 'ip'), value: p.ip }))),
    ...c.nodes.flatMap((n) => n.underlayPods.map((u) => ({ path: at(u.path, 'ip'), value: u.ip }))),
    { path: 'simulation.outside.gateway', value: c.sim.outside.gateway },
    { path: 'simulation.outside.address', value: c.sim.outside.address },
  ];
  duplicates(ips, 'address', errors);

  // --- every MAC once --------------------------------------------------------------------------
  const macs: Named[] = [
    { path: 'underlay.gatewayMac', value: c.underlay.gatewayMac },
    ...c.planes.map((p, i) => ({ path: at(at('planes', i), 'gatewayMac'), value: p.gatewayMac })),
    ...c.vlans.map((v, i) => ({ path: at(at('vlans', i), 'gatewayMac'), value: v.gatewayMac })),
    { path: 'simulation.outside.gatewayMac', value: c.sim.uplinkMac },
    { path: 'simulation.outside.mac', value: c.sim.outside.mac },
  ];
  c.nodes.forEach((n, i) => {
    const p = at('nodes', i);
    macs.push({ path: at(at(p, 'macs'), 'underlay'), value: n.macs.underlay }, { path: at(at(p, 'macs'), 'vtep'), value: n.macs.vtep });
    macs.push({ path: at(p, 'labPortMac'), value: n.labPeerMac });
    if (c.services) macs.push({ path: at(at(p, 'macs'), 'services'), value: n.macs.services });
    for (const pl of c.planes) macs.push({ path: at(at(at(p, 'macs'), 'planes'), pl.name), value: n.macs.planes[pl.name]! });
    n.nics.forEach((nic, j) => macs.push({ path: at(at(p, 'nicMacs'), j), value: nic.mac }, { path: at(at(p, 'switchPortMacs'), j), value: nic.switchPortMac }));
    for (const pod of n.pods) macs.push({ path: at(pod.path, 'mac'), value: pod.mac }, { path: at(pod.path, 'hostMac'), value: pod.hostMac });
  });
  duplicates(macs, 'MAC', errors);

  // --- names -----------------------------------------------------------------------------------
  const hosts: Named[] = [
    ...c.nodes.map((n, i) => ({ path: at(at('nodes', i), 'name'), value: n.name })),
    { path: 'simulation.switch', value: c.sim.switch },
    { path: 'simulation.outside.name', value: c.sim.outside.name },
    ...c.nodes.flatMap((n) => n.pods.map((p) => ({ path: at(p.path, 'name'), value: p.name }))),
    ...c.nodes.flatMap((n) => n.underlayPods.map((u) => ({ path: at(u.path, 'name'), value: u.name }))),
  ];
  duplicates(hosts, 'name', errors);
  duplicates(c.nodes.map((n, i) => ({ path: at(at('nodes', i), 'tag'), value: n.tag })), 'tag', errors);
  c.nodes.forEach((n, i) => {
    const p = at('nodes', i);
    ifnameLength(at(p, 'tag'), n.switchBond, "this node's bond in the simulated switch", errors);
    ifnameLength(at(p, 'tag'), n.labPeer, "this node's port in the lab fabric's bridge", errors);
    ifnameLength(at(p, 'tag'), n.nics[n.nics.length - 1]!.switchPort, 'a switch port in the simulation', errors);
    for (const pod of n.pods) ifnameLength(at(pod.path, 'hostVeth'), pod.hostVeth, 'the host side of the veth', errors);
  });
  // Device names on a node must differ; the node-wide ones are reported once.
  const shared: Named[] = [
    ...c.fabric.nics.map((x, j) => ({ path: at(at('fabric', 'nics'), j), value: x })),
    { path: 'fabric.bond.name', value: c.fabric.bond.name },
    { path: 'fabric.bridge', value: c.fabric.bridge },
    { path: 'underlay.device', value: c.underlay.device },
    ...c.planes.map((x, j) => ({ path: at(at('planes', j), 'name'), value: x.name })),
    { path: 'overlay.device', value: c.overlay.device },
    ...(c.services ? [{ path: 'services.device', value: c.services.device }] : []),
    ...c.vlans.map((v, j) => ({ path: at(at('vlans', j), 'id'), value: `${c.underlay.device}.${v.id}` })),
  ];
  for (const d of shared) {
    if (RESERVED.includes(d.value)) errors.push(paramError(d.path, 'duplicate', `"${d.value}" is a name the kernel or Open vSwitch already uses`, { value: d.value, field: d.value }));
  }
  duplicates(shared, 'interface name', errors);
  for (const n of c.nodes) {
    const found: ParamError[] = [];
    duplicates([...shared, ...n.pods.map((x) => ({ path: at(x.path, 'hostVeth'), value: x.hostVeth }))], 'interface name', found);
    errors.push(...found.filter((e) => e.path.startsWith('nodes')));
  }
  // And in the simulated switch.
  duplicates(
    [
      { path: 'underlay.device', value: c.sim.gatewayDevice },
      ...c.planes.map((x, j) => ({ path: at(at('planes', j), 'name'), value: x.gatewayDevice })),
      ...c.vlans.map((v, j) => ({ path: at(at('vlans', j), 'id'), value: v.gatewayDevice })),
      ...c.nodes.flatMap((n, i) => [
        { path: at(at('nodes', i), 'tag'), value: n.switchBond },
        { path: at(at('nodes', i), 'tag'), value: n.labPeer },
        ...n.nics.map((x) => ({ path: at(at('nodes', i), 'tag'), value: x.switchPort })),
      ]),
      { path: 'simulation', value: c.sim.uplink },
      { path: 'simulation.switchBridge', value: c.sim.bridge },
    ],
    'interface name (in the simulated switch)',
    errors,
  );
  ifnameLength('overlay.device', c.overlay.device, 'the VXLAN device', errors);

  return dedupe(errors);
}

/** One error per (path, message). */
function dedupe(errors: ParamError[]): ParamError[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    const k = `${e.path}\u0000${e.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
