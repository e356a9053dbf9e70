// 10-fabric: the NICs, the bond, Open vSwitch with the underlay (biz, trunk) and the planes
// (access ports) on each node; in the simulation also the cabling and the switch.
import type { Cluster, Node } from '../cluster.ts';
import { StageBuilder, type Stage } from '../plan.ts';
import { capitalize, numberWord } from '../text.ts';

/** ` mtu N` when the underlay MTU is not Linux's default 1500. */
export function mtuOpt(c: Cluster): string {
  return c.underlay.mtu === 1500 ? '' : ` mtu ${c.underlay.mtu}`;
}

export function bondOptions(c: Cluster): string {
  const b = c.fabric.bond;
  let s = `type bond mode ${b.mode} xmit_hash_policy ${b.policy} miimon ${b.miimon}`;
  if (b.mode === '802.3ad') s += ` lacp_rate ${b.lacpRate}`;
  return s;
}

function modeWord(c: Cluster): string {
  return c.fabric.bond.mode === '802.3ad' ? 'LACP' : c.fabric.bond.mode;
}

function portsWord(n: number): string {
  return n === 1 ? 'its port' : n === 2 ? 'both ports' : `all ${numberWord(n)} ports`;
}

function nodeFabric(b: StageBuilder, c: Cluster, n: Node): void {
  const on = b.on(n.name, true);
  const bond = c.fabric.bond.name;
  const br = c.fabric.bridge;
  on('ip', `link add ${bond}${mtuOpt(c)} ${bondOptions(c)}`);
  for (const nic of n.nics) {
    b.realOnly(n.name, 'ip', `link set ${nic.name} down`);
    on('ip', `link set ${nic.name} master ${bond}`);
  }
  on('ip', `link set ${bond} up`);
  on('ovs-vsctl', `add-br ${br}`);
  on('ovs-vsctl', `add-port ${br} ${bond}`);
  on('ovs-vsctl', `add-port ${br} ${c.underlay.device} -- set interface ${c.underlay.device} type=internal`);
  for (const p of c.planes) on('ovs-vsctl', `add-port ${br} ${p.name} tag=${p.vlan} -- set interface ${p.name} type=internal`);
  on('ip', `link set ${c.underlay.device} address ${n.macs.underlay}${mtuOpt(c)}`);
  for (const p of c.planes) on('ip', `link set ${p.name} address ${n.macs.planes[p.name]}`);
}

export function fabricStage(c: Cluster): Stage {
  const b = new StageBuilder();
  const sw = c.sim.switch;
  const nics = c.fabric.nics.length;
  const planes = 1 + c.planes.length;
  b.blank();
  b.comment(`${capitalize(numberWord(nics))} port${nics === 1 ? '' : 's'} per node, cabled to the top-of-rack switch.`);
  for (const n of c.nodes) {
    for (const nic of n.nics) {
      b.cmd(null, undefined, 'ip', `link add ${nic.name} netns ${n.name} address ${nic.mac}${mtuOpt(c)} type veth peer name ${nic.switchPort} netns ${sw} address ${nic.switchPortMac}${mtuOpt(c)}`);
    }
  }
  c.nodes.forEach((n, i) => {
    b.blank();
    if (i === 0) {
      b.comment(`${n.name}: ${modeWord(c)} ${c.fabric.bond.name} over ${portsWord(nics)}, under the OVS bridge ${c.fabric.bridge} with ${numberWord(planes)} plane${planes === 1 ? '' : 's'}.`);
    } else b.comment(`${n.name}: the same.`);
    b.comment('A NIC joins a bond only while it is down: the kernel refuses to enslave it up.', { sim: false, node: n.name });
    nodeFabric(b, c, n);
  });

  b.blank();
  b.comment(`The switch: one ${modeWord(c)} bond per node, trunked; the gateway's interfaces per VLAN.`);
  const tor = b.on(sw, false);
  for (const n of c.nodes) {
    tor('ip', `link add ${n.switchBond}${mtuOpt(c)} ${bondOptions(c)}`);
    for (const nic of n.nics) tor('ip', `link set ${nic.switchPort} master ${n.switchBond}`);
    tor('ip', `link set ${n.switchBond} up`);
  }
  tor('ovs-vsctl', `add-br ${c.sim.bridge}`);
  for (const n of c.nodes) tor('ovs-vsctl', `add-port ${c.sim.bridge} ${n.switchBond}`);
  tor('ovs-vsctl', `add-port ${c.sim.bridge} ${c.sim.gatewayDevice} -- set interface ${c.sim.gatewayDevice} type=internal`);
  const gws = [
    ...c.planes.map((p) => ({ dev: p.gatewayDevice, vlan: p.vlan, mac: p.gatewayMac })),
    ...c.vlans.map((v) => ({ dev: v.gatewayDevice, vlan: v.id, mac: v.gatewayMac })),
  ].sort((x, y) => x.vlan - y.vlan);
  for (const g of gws) tor('ovs-vsctl', `add-port ${c.sim.bridge} ${g.dev} tag=${g.vlan} -- set interface ${g.dev} type=internal`);
  tor('ip', `link set ${c.sim.gatewayDevice} address ${c.underlay.gatewayMac}${mtuOpt(c)}`);
  for (const g of gws) tor('ip', `link set ${g.dev} address ${g.mac}`);

  b.blank();
  b.comment("The outside world: one host behind the gateway's uplink.");
  b.cmd(null, undefined, 'ip', uplinkCommand(c));

  return {
    id: '10-fabric',
    header: [
      'The physical layer and Open vSwitch on each node, and the switch they plug into.',
      'Needs a kernel with bonding, 802.1Q and the Open vSwitch datapath, and an Open vSwitch',
      'database and daemon for every namespace that runs ovs-vsctl (each one is a host).',
    ],
    title: `NICs ${c.fabric.nics.join(', ')} in ${c.fabric.bond.name} (${c.fabric.bond.mode}), Open vSwitch ${c.fabric.bridge} with ${[c.underlay.device, ...c.planes.map((p) => p.name)].join(', ')}`,
    kernel: false,
    items: b.items,
  };
}

/** The switch's uplink to the outside host (in both fabrics). */
export function uplinkCommand(c: Cluster): string {
  const o = c.sim.outside;
  return `link add ${c.sim.uplink} netns ${c.sim.switch} address ${c.sim.uplinkMac} type veth peer name ${o.device} netns ${o.name} address ${o.mac}`;
}
