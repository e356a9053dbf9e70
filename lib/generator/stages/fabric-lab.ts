// 10-fabric-lab: a fabric for the simulation on a kernel without bond, OVS or 802.1Q — each
// node's biz is a veth into a Linux bridge in the switch. Written into a reader's
// simulation/ only, never into the reference scripts (content/scripts).
import type { Cluster } from '../cluster.ts';
import { StageBuilder, type Stage } from '../plan.ts';
import { mtuOpt, uplinkCommand } from './fabric.ts';

export function fabricLabStage(c: Cluster): Stage {
  const b = new StageBuilder();
  const sw = c.sim.switch;
  const gw = c.sim.gatewayDevice;
  const tor = b.on(sw, false);
  tor('ip', `link add ${gw}${mtuOpt(c)} type bridge`);
  tor('ip', `link set ${gw} address ${c.underlay.gatewayMac}`);
  for (const n of c.nodes) {
    b.cmd(null, undefined, 'ip', `link add ${c.underlay.device} netns ${n.name} address ${n.macs.underlay}${mtuOpt(c)} type veth peer name ${n.labPeer} netns ${sw} address ${n.labPeerMac}${mtuOpt(c)}`);
  }
  for (const n of c.nodes) tor('ip', `link set ${n.labPeer} master ${gw}`);
  for (const n of c.nodes) tor('ip', `link set ${n.labPeer} up`);
  b.cmd(null, undefined, 'ip', uplinkCommand(c));
  const u = c.underlay.device;
  return {
    id: '10-fabric-lab',
    header: [
      'Not the production fabric: a replacement for 10-fabric.sh on a machine whose kernel has',
      `no bond, Open vSwitch or 802.1Q. Each node's ${u} is a veth into a Linux bridge in ${sw}`,
      `(${gw}), which carries only the untagged ${u} network: enough for 00, this, 20, 30 and`,
      '60, not for 21, 40 or 50. Interfaces and their indexes differ from the production',
      "node's (no NICs, bond or OVS ports), so ip link output does not match this atlas.",
    ],
    title: undefined,
    kernel: true,
    items: b.items,
  };
}
