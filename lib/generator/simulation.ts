// The simulation scripts: the stages printed with every machine a network namespace.
import type { Cluster } from './cluster.ts';
import type { StageId } from './plan.ts';
import { renderSimulation } from './render.ts';
import { buildStages, KERNEL, PRODUCTION } from './stages/index.ts';

export interface Script {
  name: string;
  text: string;
}

export const ALL_STAGES: readonly StageId[] = ['00-hosts', '10-fabric', '10-fabric-lab', '20-node-net', '21-planes', '30-overlay', '40-underlay', '50-services', '60-snat'];

/** Simulation scripts, `NN-name.sh`: every stage, or the production or kernel set in run order. */
export function simulationScripts(c: Cluster, which: 'all' | 'production' | 'kernel' = 'all'): Script[] {
  const stages = buildStages(c);
  const ids = which === 'all' ? ALL_STAGES : which === 'production' ? PRODUCTION : KERNEL;
  return ids.map((id) => ({ name: `${id}.sh`, text: renderSimulation(stages[id]) }));
}
