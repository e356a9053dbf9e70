// 40-underlay: the gateway's VLAN interfaces (simulation), the nodes' 802.1Q sub-interfaces
// biz.<vlan>, and the underlay pods on ipvlan L2 slaves of them.
import type { Cluster } from '../cluster.ts';
import { StageBuilder, type Stage } from '../plan.ts';

export function underlayStage(c: Cluster): Stage {
  const b = new StageBuilder();
  const u = c.underlay.device;
  const tor = b.on(c.sim.switch, false);
  if (c.vlans.length > 0) b.blank();
  for (const v of c.vlans) {
    tor('ip', `link set ${v.gatewayDevice} up`);
    tor('ip', `addr add ${v.gateway}/${v.len} brd + dev ${v.gatewayDevice}`);
  }
  const used = c.nodes.filter((n) => n.underlayPods.length > 0);
  if (used.length > 0) b.blank();
  for (const n of used) {
    const on = b.on(n.name, true);
    for (const v of c.vlans) {
      if (!n.underlayPods.some((p) => p.vlan === v.id)) continue;
      on('ip', `link add link ${u} name ${u}.${v.id} type vlan id ${v.id}`);
      on('ip', `link set ${u}.${v.id} up`);
    }
  }
  let previous: string | undefined;
  for (const n of c.nodes) {
    for (const p of n.underlayPods) {
      const v = c.vlans.find((x) => x.id === p.vlan)!;
      const inPod = (args: string) => b.cmd(p.name, n.name, 'ip', args);
      b.blank();
      b.comment(`${p.name}: ${p.ip} in VLAN ${p.vlan}${previous === n.name ? ', also' : ''} on ${n.name}`, { node: n.name });
      previous = n.name;
      b.cmd(null, n.name, 'ip', `netns add ${p.name}`);
      inPod('link set lo up');
      b.cmd(n.name, n.name, 'ip', `link add link ${u}.${p.vlan} name eth0 netns ${p.name} type ipvlan mode l2`);
      inPod('link set eth0 up');
      inPod(`addr add ${p.ip}/${v.len} brd + dev eth0`);
      inPod(`route add default via ${v.gateway} dev eth0`);
    }
  }
  return {
    id: '40-underlay',
    header: [
      'The underlay: pods with addresses from the physical VLAN subnets, on ipvlan L2 slaves of',
      `the node's 802.1Q sub-interfaces ${u}.<vlan>. The gateway routes between the VLANs.`,
    ],
    title: used.length === 0 ? undefined : `underlay pods: ${u}.<vlan> sub-interfaces and ipvlan L2 pods`,
    kernel: false,
    items: b.items,
  };
}
