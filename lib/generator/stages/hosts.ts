// 00-hosts: the machines of the simulation, each one a network namespace. Nothing of it
// runs on a real node (the node is the machine).
import type { Cluster } from '../cluster.ts';
import { StageBuilder, type Stage } from '../plan.ts';
import { numberWord } from '../text.ts';

export function hostsStage(c: Cluster): Stage {
  const nodes = c.nodes.map((n) => n.name).join(', ');
  const rows: [string, string][] = [
    [nodes, `${numberWord(c.nodes.length)} Kubernetes nodes`],
    [c.sim.switch, 'the top-of-rack switch and the physical gateway of the underlay'],
    [c.sim.outside.name, 'a host outside the cluster'],
  ];
  const width = Math.max(...rows.map(([k]) => k.length)) + 2;
  const header = [
    'The machines of the cluster, each one a network namespace:',
    ...rows.map(([k, v]) => `  ${k.padEnd(width)}${v}`),
    'Pods get namespaces of their own in the overlay and underlay scripts.',
  ];
  const b = new StageBuilder();
  const machines = [...c.nodes.map((n) => n.name), c.sim.switch, c.sim.outside.name];
  for (const m of machines) b.cmd(null, undefined, 'ip', `netns add ${m}`);
  for (const m of machines) b.cmd(m, undefined, 'ip', 'link set lo up');
  return { id: '00-hosts', header, title: undefined, kernel: true, items: b.items };
}
