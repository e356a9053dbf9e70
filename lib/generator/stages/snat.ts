// 60-snat: MASQUERADE for overlay egress (when the parameters ask for it).
import type { Cluster } from '../cluster.ts';
import { StageBuilder, type Stage } from '../plan.ts';

export function snatStage(c: Cluster): Stage {
  const b = new StageBuilder();
  const cidr = c.overlay.podCidr;
  if (c.overlay.snat) {
    for (const n of c.nodes) b.on(n.name, true)('iptables', `-t nat -A POSTROUTING -s ${cidr} ! -d ${cidr} -j MASQUERADE`);
  }
  return {
    id: '60-snat',
    header: c.overlay.snat
      ? [
          "Overlay egress: traffic from the pod CIDR to anything outside it leaves with the node's",
          'address (MASQUERADE), and conntrack maps the replies back.',
        ]
      : [
          'Overlay egress is not SNATed in this cluster (overlay.snat is false): traffic from the',
          "pod CIDR leaves with the pod's own address, so the network outside must route the pod",
          'CIDR back to the nodes.',
        ],
    title: c.overlay.snat ? `SNAT: MASQUERADE for traffic from ${cidr} leaving it` : undefined,
    kernel: true,
    items: b.items,
  };
}
