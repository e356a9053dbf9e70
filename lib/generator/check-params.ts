// The whole check of a parameter set: parse (shape and formats), resolve (defaults),
// validate (relations between fields). A cluster only when there is no error at all.
import type { Cluster } from './cluster.ts';
import type { ParamError } from './errors.ts';
import { parseParams } from './parse.ts';
import { resolveParams } from './resolve.ts';
import { validateCluster } from './validate.ts';

export interface Checked {
  cluster?: Cluster;
  errors: ParamError[];
}

export function checkParams(json: unknown): Checked {
  const parsed = parseParams(json);
  if (!parsed.params) return { errors: parsed.errors };
  const resolved = resolveParams(parsed.params);
  const errors = [...resolved.errors, ...validateCluster(resolved.cluster)];
  return errors.length > 0 ? { errors } : { cluster: resolved.cluster, errors };
}
