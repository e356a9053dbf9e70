// The expected output of each node's checks, computed by the model: the production
// simulation scripts run on a fresh model, then every check's command in the node's
// namespace, filtered and normalized as the check script does on the real node.
import { Session } from '../session.ts';
import { FILTERS, nodeChecks, normalizeOutput, type CheckDef } from './node-checks.ts';
import type { Cluster } from './cluster.ts';
import type { Script } from './simulation.ts';

export interface ExpectedCheck {
  check: CheckDef;
  /** Normalized (trailing blanks and final newlines removed). */
  expected: string;
}

export class SimulationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SimulationError';
  }
}

/** Runs the scripts on a fresh model; throws when one fails (the generator has a bug then). */
export function buildModel(scripts: readonly Script[]): Session {
  const s = new Session();
  for (const sc of scripts) {
    const r = s.runScript(sc.text, sc.name);
    if (r.status !== 0) throw new SimulationError(`${sc.name} failed on the model (status ${r.status}):\n${r.combined}`);
  }
  return s;
}

export function expectedChecks(c: Cluster, session: Session): Map<string, ExpectedCheck[]> {
  const out = new Map<string, ExpectedCheck[]>();
  for (const n of c.nodes) {
    out.set(
      n.name,
      nodeChecks(c, n).map((check) => {
        const r = session.runCommand(check.command, { netns: n.name, where: `check ${check.id}` });
        if (r.unsupported) throw new SimulationError(`the model cannot run the check "${check.command}": ${r.stderr}`);
        const text = check.filter ? FILTERS[check.filter].apply(r.combined) : r.combined;
        return { check, expected: normalizeOutput(text) };
      }),
    );
  }
  return out;
}
