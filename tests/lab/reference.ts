// Same script, two worlds: the reference cluster's scripts (content/scripts) run with bash in
// real network namespaces on the host kernel and on the model, then the show commands a reader
// would type are compared byte for byte. The host kernel has no bond, Open vSwitch, 802.1Q,
// ipvlan, dummy or IPVS, so on it 10-fabric.sh is replaced by the generator's fabric without
// OVS (10-fabric-lab.sh: a veth into a Linux bridge for the biz network, transport only,
// nothing faked), generated from the reference parameters at run time: it is not a reference
// script and content/scripts does not hold it. The scripts that need those devices are left
// to the reference kernel VM (vm-lab.ts), which runs the production scripts themselves.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KERNEL_SCRIPTS } from '../../lib/doctest/kernel-scripts.ts';
import { checkParams } from '../../lib/generator/check-params.ts';
import { REFERENCE_PARAMS } from '../../lib/generator/reference.ts';
import { simulationScripts } from '../../lib/generator/simulation.ts';
import { Session } from '../../lib/session.ts';
import { LabMountNs, runBash, settleFunction, unwrapResults, wrapCommands, type CommandResult } from './kernel.ts';

export const SCRIPTS_DIR = join(import.meta.dirname, '..', '..', 'content', 'scripts');

export interface ScriptPlan {
  /** Scripts (paths relative to content/scripts) the kernel world runs, in order. */
  kernel: string[];
  /** The production cluster, as the site shows it: every script, no stand-ins. */
  production: string[];
  /** Model-only scripts and why. */
  modelOnly: { script: string; why: string }[];
  /** On the host kernel, `X-lab.sh` (generated, see hostStandIns) replaces `X.sh`. */
  standIns: Record<string, string>;
  /** Fault scripts the kernel can run (each is a world of its own: kernel scripts + fault). */
  faults: string[];
  /** Scripts neither list classifies (they are treated as model-only and reported). */
  unclassified: string[];
}

const WHY: Record<string, string> = {
  '10-fabric.sh': "LACP bond and Open vSwitch (the host world runs the generator's 10-fabric-lab.sh instead)",
  '21-planes.sh': 'ctl/mgm are Open vSwitch internal ports on VLAN access ports',
  '40-underlay.sh': '802.1Q sub-interfaces and ipvlan L2',
  '50-services.sh': 'dummy kube-ipvs0 and IPVS',
  'faults/ipvlan-host-address.sh': 'ipvlan',
  'faults/rp-filter-strict.sh': 'not yet in lib/doctest/kernel-scripts.ts',
};

let standIns: Record<string, { name: string; text: string }> | undefined;

/**
 * The host kernel's replacements for reference scripts it cannot run, from the generator's
 * output for the reference parameters (its `no-ovs` simulation): `10-fabric.sh` →
 * `10-fabric-lab.sh`. Generated at run time, never read from content/scripts.
 */
export function hostStandIns(): Record<string, { name: string; text: string }> {
  if (standIns) return standIns;
  const checked = checkParams(REFERENCE_PARAMS);
  if (!checked.cluster) throw new Error(`content/scripts/reference.params.json is invalid: ${checked.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`);
  const production = new Set(simulationScripts(checked.cluster, 'production').map((x) => x.name));
  const out: Record<string, { name: string; text: string }> = {};
  for (const x of simulationScripts(checked.cluster, 'no-ovs')) {
    const m = /^(.*)-lab\.sh$/.exec(x.name);
    if (m && production.has(`${m[1]}.sh`)) out[`${m[1]}.sh`] = x;
  }
  standIns = out;
  return out;
}

function standInText(rel: string): string | undefined {
  return Object.values(hostStandIns()).find((x) => x.name === rel)?.text;
}

/** Classifies content/scripts by lib/doctest/kernel-scripts.ts (the project's one list). */
export function planScripts(dir = SCRIPTS_DIR): ScriptPlan {
  const top = readdirSync(dir).filter((f) => f.endsWith('.sh')).sort();
  const faultDir = join(dir, 'faults');
  let faults: string[] = [];
  try {
    faults = readdirSync(faultDir)
      .filter((f) => f.endsWith('.sh'))
      .sort()
      .map((f) => `faults/${f}`);
  } catch {
    faults = [];
  }
  const subst: Record<string, string> = {};
  for (const [f, x] of Object.entries(hostStandIns())) if (top.includes(f)) subst[f] = x.name;
  const kernel: string[] = [];
  const modelOnly: { script: string; why: string }[] = [];
  const unclassified: string[] = [];
  for (const f of top) {
    if (subst[f]) kernel.push(subst[f]);
    else if (KERNEL_SCRIPTS.has(f)) kernel.push(f);
    if (!KERNEL_SCRIPTS.has(f)) {
      modelOnly.push({ script: f, why: WHY[f] ?? 'not in lib/doctest/kernel-scripts.ts' });
      if (!WHY[f] && !subst[f]) unclassified.push(f);
    }
  }
  const kernelFaults = faults.filter((f) => KERNEL_SCRIPTS.has(f));
  for (const f of faults.filter((x) => !KERNEL_SCRIPTS.has(x))) modelOnly.push({ script: f, why: WHY[f] ?? 'not in lib/doctest/kernel-scripts.ts' });
  return { kernel, production: top, modelOnly, standIns: subst, faults: kernelFaults, unclassified };
}

/** A script's text: from `dir`, or, for a host stand-in (10-fabric-lab.sh), from the generator. */
export function readScript(rel: string, dir = SCRIPTS_DIR): { name: string; text: string } {
  return { name: rel, text: standInText(rel) ?? readFileSync(join(dir, rel), 'utf8') };
}

/** A model world built by running the scripts, as `netatlas run` would. */
export function modelWorld(scripts: readonly string[], dir = SCRIPTS_DIR): { session: Session; results: CommandResult[] } {
  const session = new Session();
  const results = scripts.map((s) => {
    const { name, text } = readScript(s, dir);
    const r = session.runScript(text, name);
    if (r.unsupported) throw new Error(`the model cannot run ${name}: ${r.stderr.trim()}`);
    return { stdout: r.stdout, stderr: r.stderr, status: r.status };
  });
  return { session, results };
}

/** Bash that waits (at most 8 s) until no namespace has a tentative IPv6 address (DAD). */
function dadSettle(): string {
  return `nalab_dad() { local n=0 ns b; while [ $n -lt 80 ]; do b=0; for ns in $(ip netns list | cut -d' ' -f1); do [ -n "$(ip -n $ns -6 addr show tentative 2>/dev/null)" ] && b=1; done; [ $b = 0 ] && return 0; sleep 0.1; n=$((n+1)); done; echo "lab: IPv6 DAD did not settle in 8 s"; }`;
}

/** A kernel world: its own mount namespace, built by running the scripts with bash. */
export class KernelWorld {
  readonly mountNs = new LabMountNs();
  scriptResults: CommandResult[] = [];
  /** Where this world wrote the generated stand-ins it runs (removed by stop). */
  private standInDir: string | undefined;

  async build(scripts: readonly string[], dir = SCRIPTS_DIR): Promise<string | undefined> {
    await this.mountNs.start();
    const path = (s: string) => {
      const text = standInText(s);
      if (text === undefined) return join(dir, s);
      this.standInDir ??= mkdtempSync(join(tmpdir(), 'nalab-standin-'));
      const file = join(this.standInDir, s);
      writeFileSync(file, text);
      return file;
    };
    const cmds = scripts.map((s) => `bash ${JSON.stringify(path(s))}`);
    const script = wrapCommands(cmds, {
      before: `${settleFunction()}\n${dadSettle()}\ncd ${JSON.stringify(dir)}`,
      // Settled state, as the model shows it: link state handled, DAD done.
      after: `nalab_settle $(ip netns list | cut -d' ' -f1) >&2\nnalab_dad >&2`,
    });
    const r = await runBash(script, { mountNs: this.mountNs, timeoutMs: 120_000 });
    const res = unwrapResults(cmds.length, r);
    if (typeof res === 'string') return res;
    this.scriptResults = res;
    const tail = r.stderr.split('\x1e').pop() ?? '';
    if (tail.trim()) return `settling: ${tail.trim()}`;
    return undefined;
  }

  async run(commands: readonly string[], timeoutMs = 120_000): Promise<CommandResult[] | string> {
    const r = await runBash(wrapCommands(commands), { mountNs: this.mountNs, timeoutMs });
    return unwrapResults(commands.length, r);
  }

  /** Runs a raw bash script in the world (traffic checks). */
  async bash(script: string, timeoutMs = 60_000) {
    return runBash(script, { mountNs: this.mountNs, timeoutMs });
  }

  stop(): void {
    this.mountNs.stop();
    if (this.standInDir) rmSync(this.standInDir, { recursive: true, force: true });
    this.standInDir = undefined;
  }
}

export interface ShowCommand {
  ns: string;
  text: string;
  /** `set`: compared as a multiset of lines (the kernel's order is hash order). */
  compare: 'exact' | 'set';
}

/** The reader's show commands for every namespace of a (model) world. */
export function showCommands(session: Session): ShowCommand[] {
  const world = session.world;
  const out: ShowCommand[] = [];
  const addrs = new Set<string>(['169.254.1.1', '8.8.8.8']);
  for (const ns of world.namespaces()) for (const a of ns.addresses()) if (a.local >>> 24 !== 127) addrs.add(fmt(a.local));
  for (const ns of world.namespaces()) {
    const n = ns.name;
    const add = (text: string, compare: 'exact' | 'set' = 'exact') => out.push({ ns: n, text, compare });
    add(`ip -n ${n} link`);
    add(`ip -n ${n} addr`);
    add(`ip -n ${n} -4 addr`);
    add(`ip -n ${n} -o addr`);
    add(`ip -n ${n} route`);
    add(`ip -n ${n} -4 route show table all`);
    // IPv6 as the model has it: link-local and loopback routes, in the order devices got them.
    add(`ip -n ${n} -6 route show table all`);
    add(`ip -n ${n} rule`);
    // Neighbour and FDB dumps walk hash tables: their order is unspecified, so they are
    // compared as sets of lines (still every byte of every line).
    add(`ip -n ${n} neigh`, 'set');
    // A Linux bridge's FDB is learned from traffic (and ages): dynamic state the model
    // does not keep. The only bridge is the lab's stand-in transport (production: OVS).
    if (!ns.devicesInOrder().some((d) => d.kind === 'bridge')) add(`bridge -n ${n} fdb show`, 'set');
    add(`ip netns exec ${n} busybox ip addr`);
    add(`ip netns exec ${n} busybox ip route`);
    for (const d of ns.devicesInOrder()) if (d.kind === 'vxlan') add(`ip -n ${n} -d link show ${d.name}`);
    add(`ip netns exec ${n} sysctl net.ipv4.ip_forward`);
    if (ns.devicesInOrder().some((d) => d.kind === 'vxlan')) {
      add(`ip netns exec ${n} iptables -t nat -S`);
      add(`ip netns exec ${n} conntrack -L`);
    }
    for (const a of addrs) add(`ip -n ${n} route get ${a}`);
  }
  // Forwarding as the node sees a pod's packet: every pod-side source towards every address.
  for (const ns of world.namespaces()) {
    for (const host of ns.devicesInOrder()) {
      const pod = host.kind === 'veth' ? host.peer : undefined;
      if (!pod || pod.ns === ns || pod.ns === world.root) continue;
      const src = pod.ipv4[0];
      if (!src) continue;
      for (const a of addrs) out.push({ ns: ns.name, text: `ip -n ${ns.name} route get ${a} from ${fmt(src.local)} iif ${host.name}`, compare: 'exact' });
    }
  }
  return out;
}

function fmt(a: number): string {
  return `${(a >>> 24) & 255}.${(a >>> 16) & 255}.${(a >>> 8) & 255}.${a & 255}`;
}

export function sameOutput(c: ShowCommand['compare'], k: CommandResult, m: CommandResult): boolean {
  if (k.status !== m.status || k.stderr !== m.stderr) return false;
  if (c === 'exact') return k.stdout === m.stdout;
  const lines = (s: string) => s.split('\n').filter((l) => l !== '').sort().join('\n');
  return lines(k.stdout) === lines(m.stdout) && k.stdout.endsWith('\n') === m.stdout.endsWith('\n');
}
