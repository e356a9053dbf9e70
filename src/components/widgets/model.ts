// The reference cluster for the widgets: the scripts of content/scripts/ (imported as text,
// the same files readers copy), the fault scripts, and one session pool per page. Imported
// by the widgets' client code (loaded when a widget scrolls into view) and by the Astro
// components at build time for the static rendering.
import hosts from '../../../content/scripts/00-hosts.sh?raw';
import fabric from '../../../content/scripts/10-fabric.sh?raw';
import nodeNet from '../../../content/scripts/20-node-net.sh?raw';
import planes from '../../../content/scripts/21-planes.sh?raw';
import overlay from '../../../content/scripts/30-overlay.sh?raw';
import underlay from '../../../content/scripts/40-underlay.sh?raw';
import services from '../../../content/scripts/50-services.sh?raw';
import snat from '../../../content/scripts/60-snat.sh?raw';
import noDefaultRoute from '../../../content/scripts/faults/no-default-route.sh?raw';
import mtuTooBig from '../../../content/scripts/faults/mtu-too-big.sh?raw';
import missingFdb from '../../../content/scripts/faults/missing-fdb.sh?raw';
import missingNeigh from '../../../content/scripts/faults/missing-neigh.sh?raw';
import noSnat from '../../../content/scripts/faults/no-snat.sh?raw';
import rpFilterStrict from '../../../content/scripts/faults/rp-filter-strict.sh?raw';
import ipvlanHostAddress from '../../../content/scripts/faults/ipvlan-host-address.sh?raw';
import { SessionPool, type Scheduler, type Script } from '../../../lib/views/session-pool.ts';
import { scriptFiles, SITE } from '../../../lib/site/manifest.ts';

const TEXTS: Record<string, string> = {
  '00-hosts.sh': hosts,
  '10-fabric.sh': fabric,
  '20-node-net.sh': nodeNet,
  '21-planes.sh': planes,
  '30-overlay.sh': overlay,
  '40-underlay.sh': underlay,
  '50-services.sh': services,
  '60-snat.sh': snat,
};

/** The reference cluster in the manifest's order (site.manifest.json); each file's text is imported above. */
export const REFERENCE_SCRIPTS: Script[] = scriptFiles(SITE.scripts.production).map((name) => {
  const text = TEXTS[name];
  if (text === undefined) throw new Error(`site.manifest.json lists ${name}, which the widgets do not import`);
  return { name, text };
});

export const FAULT_TEXTS: Record<string, string> = {
  'no-default-route.sh': noDefaultRoute,
  'mtu-too-big.sh': mtuTooBig,
  'missing-fdb.sh': missingFdb,
  'missing-neigh.sh': missingNeigh,
  'no-snat.sh': noSnat,
  'rp-filter-strict.sh': rpFilterStrict,
  'ipvlan-host-address.sh': ipvlanHostAddress,
};

let pool: SessionPool | undefined;

/** The page's session pool, created on first use; spares are built when the browser is idle. */
export function getPool(): SessionPool {
  if (!pool) {
    const g = globalThis as { requestIdleCallback?: (fn: () => void, o?: { timeout: number }) => void };
    const schedule: Scheduler | undefined =
      typeof g.requestIdleCallback === 'function'
        ? (fn) => g.requestIdleCallback!(fn, { timeout: 500 })
        : typeof window !== 'undefined'
          ? (fn) => setTimeout(fn, 0)
          : undefined;
    pool = new SessionPool(REFERENCE_SCRIPTS, schedule);
  }
  return pool;
}

/** Namespaces of the reference cluster, grouped for the source pickers. */
/** The namespaces as a grouped <select>'s options, with the groups' labels in the page's language. */
export function namespaceOptions(names: string[], groupLabels: Record<'pods' | 'upods' | 'hosts' | 'other', string>): { group: string; options: string[] }[] {
  return namespaceGroups(names).map((g) => ({ group: groupLabels[g.group], options: g.names }));
}

export function namespaceGroups(names: string[]): { group: 'pods' | 'upods' | 'hosts' | 'other'; names: string[] }[] {
  const pods = names.filter((n) => n.startsWith('pod-'));
  const upods = names.filter((n) => n.startsWith('upod-'));
  const other: string[] = names.filter((n) => n === 'ext');
  const hosts = names.filter((n) => !pods.includes(n) && !upods.includes(n) && !other.includes(n));
  return [
    { group: 'pods' as const, names: pods },
    { group: 'upods' as const, names: upods },
    { group: 'hosts' as const, names: hosts },
    { group: 'other' as const, names: other },
  ].filter((g) => g.names.length > 0);
}
