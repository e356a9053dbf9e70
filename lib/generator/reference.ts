// The reference cluster as parameters: the generator reproduces content/scripts/*.sh from
// them byte for byte (tests/generator/reference.test.ts).
import reference from '../../content/scripts/reference.params.json' with { type: 'json' };
import type { ClusterParams } from './params.ts';

export const REFERENCE_PARAMS: ClusterParams = reference as ClusterParams;
