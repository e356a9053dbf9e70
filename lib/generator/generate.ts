// Everything `netatlas generate` writes (and the page offers for download), from one
// parameter set: the simulation scripts, each node's setup and check scripts with the
// expected outputs, the parameters and a README. Pure: returns files, writes nothing.
import type { Session } from '../session.ts';
import { checkParams } from './check-params.ts';
import { renderCheckScript } from './node-check-script.ts';
import type { Cluster } from './cluster.ts';
import type { ParamError } from './errors.ts';
import { buildModel, expectedChecks } from './expected.ts';
import { nodeScripts } from './node-script.ts';
import { renderReadme } from './readme.ts';
import { simulationScripts } from './simulation.ts';

export interface GeneratedFile {
  /** Relative path, `/`-separated. */
  path: string;
  text: string;
  /** A script to run (mode 755 in the archive and on disk). */
  executable: boolean;
}

export interface Generated {
  cluster: Cluster;
  files: GeneratedFile[];
  /** The model built from the production simulation scripts (for traces and further questions). */
  session: Session;
}

export type GenerateResult = { ok: true; value: Generated } | { ok: false; errors: ParamError[] };

export function generate(params: unknown): GenerateResult {
  const checked = checkParams(params);
  if (!checked.cluster) return { ok: false, errors: checked.errors };
  const c = checked.cluster;
  const files: GeneratedFile[] = [];
  const all = simulationScripts(c, 'all');
  for (const s of all) files.push({ path: `simulation/${s.name}`, text: s.text, executable: true });
  const session = buildModel(simulationScripts(c, 'production'));
  const expected = expectedChecks(c, session);
  const setups = nodeScripts(c);
  for (const n of c.nodes) {
    const dir = `nodes/${n.name}`;
    files.push({ path: `${dir}/setup-${n.name}.sh`, text: setups.get(n.name)!, executable: true });
    const checks = expected.get(n.name)!;
    files.push({ path: `${dir}/check-${n.name}.sh`, text: renderCheckScript(n, checks), executable: true });
    for (const e of checks) files.push({ path: `${dir}/expected/${e.check.id}.txt`, text: e.expected === '' ? '' : e.expected + '\n', executable: false });
  }
  files.push({ path: 'params.json', text: JSON.stringify(params, null, 2) + '\n', executable: false });
  files.unshift({ path: 'README.md', text: renderReadme(c, files), executable: false });
  return { ok: true, value: { cluster: c, files, session } };
}
