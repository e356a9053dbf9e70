// The break-it widget's faults: each one is a script under content/scripts/faults/ that is
// run on a fresh reference session before tracing (faults are configuration changes run
// through the model, not switches inside it), with a flow that shows what it breaks.
import type { Script } from './session-pool.ts';
import type { TracerState } from './trace-view.ts';

export interface Fault {
  id: string;
  /** File under content/scripts/faults/. */
  file: string;
  /** The flow that shows the fault (tracer state overrides). */
  demo: Partial<TracerState>;
}

export const FAULTS: readonly Fault[] = [
  { id: 'no-default-route', file: 'no-default-route.sh', demo: { from: 'pod-9-60', to: '10.20.4.5', proto: 'icmp', size: '', dir: 'request' } },
  { id: 'mtu-too-big', file: 'mtu-too-big.sh', demo: { from: 'pod-9-60', to: '10.20.4.5', proto: 'icmp', size: '1500', dir: 'request' } },
  { id: 'missing-fdb', file: 'missing-fdb.sh', demo: { from: 'pod-9-60', to: '10.20.4.5', proto: 'icmp', size: '', dir: 'request' } },
  { id: 'missing-neigh', file: 'missing-neigh.sh', demo: { from: 'pod-9-60', to: '10.20.4.5', proto: 'icmp', size: '', dir: 'request' } },
  { id: 'no-snat', file: 'no-snat.sh', demo: { from: 'pod-9-41', to: '203.0.113.10', proto: 'tcp', dport: '443', size: '', dir: 'reply' } },
  { id: 'rp-filter-strict', file: 'rp-filter-strict.sh', demo: { from: 'ext', to: '10.186.20.11', proto: 'tcp', dport: '6443', size: '', dir: 'request' } },
  { id: 'ipvlan-host-address', file: 'ipvlan-host-address.sh', demo: { from: 'node-a', to: '10.186.101.21', proto: 'icmp', size: '', dir: 'request' } },
];

/** Fault ids from the URL's comma list: the known ones in FAULTS order, and the rest. */
export function parseFaults(text: string): { ids: string[]; unknown: string[] } {
  const asked = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const known = FAULTS.map((f) => f.id);
  return {
    ids: known.filter((id) => asked.includes(id)),
    unknown: asked.filter((id) => !known.includes(id)),
  };
}

export function formatFaults(ids: readonly string[]): string {
  return FAULTS.map((f) => f.id)
    .filter((id) => ids.includes(id))
    .join(',');
}

/** The scripts to run for the faults, in FAULTS order; `texts` maps file names to contents. */
export function faultScripts(ids: readonly string[], texts: Readonly<Record<string, string>>): Script[] {
  return FAULTS.filter((f) => ids.includes(f.id)).map((f) => {
    const text = texts[f.file];
    if (text === undefined) throw new Error(`fault script ${f.file} is missing`);
    return { name: `faults/${f.file}`, text };
  });
}

/** The state that demonstrates one fault: its flow, with that fault (alone) switched on. */
export function demoState(state: TracerState, id: string): TracerState {
  const f = FAULTS.find((x) => x.id === id);
  if (!f) return state;
  return { ...state, sport: '', dport: '', ...f.demo, step: '1', faults: id };
}
