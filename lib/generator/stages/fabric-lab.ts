// 10-fabric-lab: the stand-in for 10-fabric on a kernel without bond, OVS or 802.1Q — each
// node's biz is a veth into a Linux bridge in the switch. Simulation only.
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
      'A stand-in for 10-fabric.sh on machines whose kernel has no bond, OVS or 802.1Q (the',
      `project's lab, or your laptop): each node's ${u} is a veth into a Linux bridge in ${sw}`,
      `(${gw}), which carries the untagged ${u} network. Run 00, this, 20 and 30 with bash as`,
      'root to build the overlay for real. It substitutes the transport only: outputs that',
      `depend on it (ip link of ${u}) are not the production node's.`,
    ],
    title: undefined,
    kernel: true,
    items: b.items,
  };
}
