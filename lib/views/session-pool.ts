// Fresh model sessions for the widgets. A trace leaves conntrack/IPVS connections and OVS
// MAC-table entries behind (like real traffic), so every answer a widget shows is computed
// on a session that nothing else has touched: the reference scripts, then the widget's own
// scripts (faults, MTU changes), then the question. Building the reference cluster takes a
// few milliseconds; the pool keeps one clean spare per script set, handed out at once, and
// builds the next spare later (the widget passes a scheduler such as requestIdleCallback),
// so an answer arrives within a frame while the reader types.
import { Session } from '../session.ts';

export interface Script {
  name: string;
  text: string;
}

export interface ScriptFailure {
  name: string;
  status: number;
  output: string;
}

export interface Built {
  session: Session;
  /** Extra scripts that exited non-zero (their output); the reference scripts must not fail. */
  failures: ScriptFailure[];
}

export type Scheduler = (fn: () => void) => void;

/** Builds a session from the reference scripts and the extra ones, in order. */
export function buildSession(base: readonly Script[], extra: readonly Script[] = []): Built {
  const session = new Session();
  for (const s of base) {
    const r = session.runScript(s.text, s.name);
    if (r.status !== 0) throw new Error(`reference script ${s.name} failed (status ${r.status}): ${r.combined}`);
  }
  const failures: ScriptFailure[] = [];
  for (const s of extra) {
    const r = session.runScript(s.text, s.name);
    if (r.status !== 0) failures.push({ name: s.name, status: r.status, output: r.combined });
  }
  return { session, failures };
}

function keyOf(extra: readonly Script[]): string {
  return extra.map((s) => `${s.name}\u0000${s.text}`).join('\u0001');
}

export class SessionPool {
  private readonly base: readonly Script[];
  private readonly schedule: Scheduler | undefined;
  private readonly spares = new Map<string, Built>();
  private readonly pending = new Set<string>();
  /** Sessions built so far (for tests and the curious). */
  builds = 0;

  constructor(base: readonly Script[], schedule?: Scheduler) {
    this.base = base;
    this.schedule = schedule;
  }

  /** A session nobody has used, with `extra` applied after the reference scripts. */
  take(extra: readonly Script[] = []): Built {
    const key = keyOf(extra);
    let built = this.spares.get(key);
    if (built) this.spares.delete(key);
    else built = this.build(extra);
    this.prepare(extra);
    return built;
  }

  /** Builds a spare for `extra` later (when a scheduler was given), if there is none yet. */
  prepare(extra: readonly Script[] = []): void {
    const key = keyOf(extra);
    if (!this.schedule || this.spares.has(key) || this.pending.has(key)) return;
    this.pending.add(key);
    // Keep the pool small: spares for a handful of script sets at most.
    if (this.spares.size >= 8) this.spares.delete(this.spares.keys().next().value!);
    this.schedule(() => {
      this.pending.delete(key);
      if (!this.spares.has(key)) this.spares.set(key, this.build(extra));
    });
  }

  private build(extra: readonly Script[]): Built {
    this.builds++;
    return buildSession(this.base, extra);
  }
}
