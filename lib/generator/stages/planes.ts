// 21-planes: addresses on the planes' OVS access ports (model only in the lab).
import type { Cluster } from '../cluster.ts';
import { StageBuilder, type Stage } from '../plan.ts';
import { listWords, wrapComment } from '../text.ts';

export function planesStage(c: Cluster): Stage {
  const b = new StageBuilder();
  for (const n of c.nodes) {
    const on = b.on(n.name, true);
    for (const p of c.planes) {
      on('ip', `link set ${p.name} up`);
      on('ip', `addr add ${n.planes[p.name]}/${p.len} brd + dev ${p.name}`);
    }
  }
  const tor = b.on(c.sim.switch, false);
  for (const p of c.planes) {
    tor('ip', `link set ${p.gatewayDevice} up`);
    tor('ip', `addr add ${p.gateway}/${p.len} brd + dev ${p.gatewayDevice}`);
  }
  const header =
    c.planes.length === 0
      ? ['No planes besides the underlay in this cluster: nothing to do here.']
      : wrapComment(
          `The ${listWords(c.planes.map((p) => `${p.description} (${p.name}, VLAN ${p.vlan})`))} plane${c.planes.length === 1 ? '' : 's'}: model only, since they ride OVS access ports.`,
        );
  return {
    id: '21-planes',
    header,
    title: c.planes.length === 0 ? undefined : `planes ${c.planes.map((p) => `${p.name} (VLAN ${p.vlan})`).join(', ')}`,
    kernel: false,
    items: b.items,
  };
}
