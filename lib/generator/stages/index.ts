// Every stage of the cluster, in the order they run.
import type { Cluster } from '../cluster.ts';
import type { Stage, StageId } from '../plan.ts';
import { SITE } from '../../site/manifest.ts';
import { fabricLabStage } from './fabric-lab.ts';
import { fabricStage } from './fabric.ts';
import { hostsStage } from './hosts.ts';
import { nodeNetStage } from './node-net.ts';
import { overlayStage } from './overlay.ts';
import { planesStage } from './planes.ts';
import { servicesStage } from './services.ts';
import { snatStage } from './snat.ts';
import { underlayStage } from './underlay.ts';

const STAGE_IDS: readonly StageId[] = ['00-hosts', '10-fabric', '10-fabric-lab', '20-node-net', '21-planes', '30-overlay', '40-underlay', '50-services', '60-snat'];
function stageIds(ids: readonly string[]): readonly StageId[] {
  for (const id of ids) if (!STAGE_IDS.includes(id as StageId)) throw new Error(`site.manifest.json names stage "${id}", which the generator does not have`);
  return ids as readonly StageId[];
}

/** The production form (bond, OVS, 802.1Q, ipvlan, IPVS): the reference scripts, run on the reference kernel VM (site.manifest.json). */
export const PRODUCTION: readonly StageId[] = stageIds(SITE.scripts.production);
/**
 * The overlay on a kernel without bond, OVS, 802.1Q, ipvlan, dummy or IPVS (a laptop, the
 * host-kernel lab): 10-fabric-lab for the fabric, without the stages that need those devices.
 */
export const NO_OVS: readonly StageId[] = ['00-hosts', '10-fabric-lab', '20-node-net', '30-overlay', '60-snat'];

export function buildStages(c: Cluster): Record<StageId, Stage> {
  return {
    '00-hosts': hostsStage(c),
    '10-fabric': fabricStage(c),
    '10-fabric-lab': fabricLabStage(c),
    '20-node-net': nodeNetStage(c),
    '21-planes': planesStage(c),
    '30-overlay': overlayStage(c),
    '40-underlay': underlayStage(c),
    '50-services': servicesStage(c),
    '60-snat': snatStage(c),
  };
}
