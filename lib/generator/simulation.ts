// The simulation scripts: the stages printed with every machine a network namespace.
import type { Cluster } from './cluster.ts';
import type { StageId } from './plan.ts';
import { renderSimulation } from './render.ts';
import { buildStages, NO_OVS, PRODUCTION } from './stages/index.ts';

export interface Script {
  name: string;
  text: string;
}

/**
 * The reference scripts: what content/scripts holds for the reference parameters (the
 * production cluster, no stand-ins; tests/generator/reference.test.ts).
 */
export const REFERENCE_STAGES: readonly StageId[] = PRODUCTION;

/**
 * Every stage the generator writes into a reader's `simulation/`: the production stages and
 * 10-fabric-lab, a fabric without bond, Open vSwitch or 802.1Q for machines whose kernel lacks
 * them. 10-fabric-lab is a simulation convenience, never part of the reference scripts.
 */
export const ALL_STAGES: readonly StageId[] = ['00-hosts', '10-fabric', '10-fabric-lab', '20-node-net', '21-planes', '30-overlay', '40-underlay', '50-services', '60-snat'];

/**
 * Simulation scripts, `NN-name.sh`, in run order: every stage (`all`), the production cluster
 * (`production`, the reference scripts' form), or the overlay on the fabric without bond/OVS
 * (`no-ovs`: 00-hosts, 10-fabric-lab, 20-node-net, 30-overlay, 60-snat).
 */
export function simulationScripts(c: Cluster, which: 'all' | 'production' | 'no-ovs' = 'all'): Script[] {
  const stages = buildStages(c);
  const ids = which === 'all' ? ALL_STAGES : which === 'production' ? PRODUCTION : NO_OVS;
  return ids.map((id) => ({ name: `${id}.sh`, text: renderSimulation(stages[id]) }));
}
