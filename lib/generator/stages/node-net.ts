// 20-node-net: the nodes' underlay addresses, default route and forwarding; in the
// simulation also the gateway and the outside host.
import type { Cluster } from '../cluster.ts';
import { StageBuilder, type Stage } from '../plan.ts';

export function nodeNetStage(c: Cluster): Stage {
  const b = new StageBuilder();
  const u = c.underlay.device;
  for (const n of c.nodes) {
    const on = b.on(n.name, true);
    b.blank();
    on('ip', `link set ${u} up`);
    on('ip', `addr add ${n.address}/${c.underlay.len} brd + dev ${u}`);
    on('ip', `route add default via ${c.underlay.gateway} dev ${u}`);
    on('sysctl', '-q -w net.ipv4.ip_forward=1');
  }
  const o = c.sim.outside;
  const tor = b.on(c.sim.switch, false);
  b.blank();
  tor('ip', `link set ${c.sim.gatewayDevice} up`);
  tor('ip', `addr add ${c.underlay.gateway}/${c.underlay.len} brd + dev ${c.sim.gatewayDevice}`);
  tor('ip', `link set ${c.sim.uplink} up`);
  tor('ip', `addr add ${o.gateway}/${o.len} brd + dev ${c.sim.uplink}`);
  tor('sysctl', '-q -w net.ipv4.ip_forward=1');
  const ext = b.on(o.name, false);
  b.blank();
  ext('ip', `link set ${o.device} up`);
  ext('ip', `addr add ${o.address}/${o.len} brd + dev ${o.device}`);
  ext('ip', `route add default via ${o.gateway} dev ${o.device}`);
  return {
    id: '20-node-net',
    header: [
      'Addresses and routes of the nodes and of the gateway.',
    ],
    title: `underlay ${u}: address, default route via ${c.underlay.gateway}, forwarding`,
    kernel: true,
    items: b.items,
  };
}
