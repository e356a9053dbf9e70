// Differential fuzzing of the devices only the reference kernel (the VM) has: bond, VLAN,
// ipvlan, dummy, IPVS, Open vSwitch, iptables nat (vm-fuzz-gen.ts). Each configuration runs
// as one wrapped bash script in the VM, in namespaces of its own that the script deletes at
// its end (with that namespace's Open vSwitch daemons), and command by command on a fresh
// model; every command's stdout, stderr and exit status must be equal byte for byte. Masked
// on both sides, and only these: MAC addresses the kernel drew at random (every MAC the
// generator writes starts with MAC_PREFIX; a bond made without `address`, an OVS bridge or
// internal port gets a random one) and the Open_vSwitch UUID `ovs-vsctl show` prints first.
// A mismatch is shrunk to a minimal script as tests/lab/fuzz.ts does.
import type { ReferenceVm } from '../../lib/vm/machine.ts';
import { Session } from '../../lib/session.ts';
import { settleFunction, differs, unwrapResults, wrapCommands, type CommandResult } from './kernel.ts';
import { shrinkCommands } from './shrink.ts';
import { generateVmConfig, MAC_PREFIX, VM_DEVICE_CLASSES, type VmDeviceClass, type VmFuzzCommand, type VmFuzzConfig } from './vm-fuzz-gen.ts';

export interface VmFuzzOptions {
  seed: number;
  configs: number;
  log?: (line: string) => void;
  /** Only this configuration index (to replay one case). */
  only?: number;
  /** Only this device class (every index generates it). */
  cls?: VmDeviceClass;
  /** How many mismatches to shrink (each shrink step is one VM run, ~0.3-1 s). */
  shrinkLimit?: number;
  /** Namespace prefix (configuration i uses `${prefix}${i}a`, `...b`). */
  prefix?: string;
}

export interface VmFuzzMismatch {
  config: number;
  cls: VmDeviceClass;
  /** The configuration's own seed (subSeed of the run seed). */
  seed: number;
  command: string;
  kernel: CommandResult;
  model: CommandResult & { unsupported: boolean };
  fields: string[];
  /** Minimal script (commands in order) that still shows the difference, when shrunk. */
  script?: string[];
  /** The shrunk script did not show it again (timing-dependent?). */
  flaky?: boolean;
}

export interface VmFuzzClassCount {
  configs: number;
  commands: number;
  shows: number;
  invalid: number;
  kernelErrors: number;
  mismatches: number;
  /** Seconds the class's configurations took in the guest (first runs, not shrinking). */
  guestSeconds: number;
}

export interface VmFuzzSummary {
  seed: number;
  configs: number;
  commands: number;
  perClass: Record<VmDeviceClass, VmFuzzClassCount>;
  mismatches: VmFuzzMismatch[];
  harnessErrors: string[];
  /** Seconds the configurations took in the guest (first runs only) and wall seconds in all (shrinking included). */
  guestSeconds: number;
  seconds: number;
}

const UUID_LINE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const MAC = /\b[0-9a-f]{2}(?::[0-9a-f]{2}){5}\b/g;
/**
 * An EUI-64 link-local address (fe80::IID, IID = MAC with ff:fe inserted) whose MAC the
 * kernel drew: a MAC_PREFIX one (02:00:00:...) gives fe80::ff:feXX:YYZZ, with its first IID
 * group zero, so one with a first group left is random (a dummy made without `address`).
 */
const RANDOM_EUI64 = /\bfe80::[0-9a-f]{1,4}:[0-9a-f]{0,2}ff:fe[0-9a-f]{2}:[0-9a-f]{1,4}\b/g;

/** The values the kernel draws at random, masked (see the header). */
export function maskVmRandom(text: string): string {
  return text
    .split('\n')
    .map((l, i) => (i === 0 && UUID_LINE.test(l) ? '<uuid>' : l))
    .join('\n')
    .replace(MAC, (m) => (m.startsWith(MAC_PREFIX) || m === '00:00:00:00:00:00' || m === 'ff:ff:ff:ff:ff:ff' ? m : '<random-mac>'))
    .replace(RANDOM_EUI64, 'fe80::<random-eui64>');
}

function maskResult<T extends CommandResult>(r: T): T {
  return { ...r, stdout: maskVmRandom(r.stdout), stderr: maskVmRandom(r.stderr) };
}

/**
 * `ovs-vsctl show` lists a bridge's ports in the order of the Port UUIDs (random): compared
 * as a set, the ports of each bridge sorted by name on both sides. Everything else in order.
 */
export function sortOvsShowPorts(text: string): string {
  const lines = text.split('\n');
  const out: string[] = [];
  let i = 0;
  while (i < lines.length) {
    if (/^ {8}Port /.test(lines[i]!)) {
      const blocks: string[][] = [];
      while (i < lines.length && /^ {8}Port /.test(lines[i]!)) {
        const b = [lines[i++]!];
        while (i < lines.length && /^ {9,}/.test(lines[i]!)) b.push(lines[i++]!);
        blocks.push(b);
      }
      blocks.sort((x, y) => (x[0]! < y[0]! ? -1 : x[0]! > y[0]! ? 1 : 0));
      for (const b of blocks) out.push(...b);
    } else out.push(lines[i++]!);
  }
  return out.join('\n');
}

function normalise<T extends CommandResult>(command: string, r: T): T {
  return / ovs-vsctl (.* )?show\b/.test(command) ? { ...r, stdout: sortOvsShowPorts(r.stdout) } : r;
}

/** Bash that empties the shared Open vSwitch host: its bridges and every device but lo. */
export function emptyOvsHost(ns: string): string {
  return (
    `for br in $(ip netns exec ${ns} ovs-vsctl list-br 2>/dev/null); do ip netns exec ${ns} ovs-vsctl --if-exists del-br $br; done\n` +
    `for d in $(ip -n ${ns} -o link 2>/dev/null | awk -F': ' '{ split($2, a, "@"); print a[1] }'); do [ $d = lo ] || [ $d = ovs-system ] || ip -n ${ns} link del $d 2>/dev/null; done`
  );
}

/** Bash run after the commands: each namespace's Open vSwitch daemons stopped, the namespaces deleted. */
export function vmCleanup(namespaces: readonly string[]): string {
  return namespaces
    .map(
      (ns) =>
        `for p in /run/openvswitch/${ns}/ovs-vswitchd.pid /run/openvswitch/${ns}/ovsdb-server.pid; do [ -e "$p" ] && kill "$(cat "$p")" 2>/dev/null; done\n` +
        `ip netns del ${ns} 2>/dev/null\nrm -rf /run/openvswitch/${ns} /var/lib/openvswitch/${ns} /var/log/openvswitch/${ns}`,
    )
    .join('\n');
}

/** The kernel's results for the commands, one wrapped script (link state settled after each link command). */
export async function runVmKernel(
  vm: ReferenceVm,
  commands: readonly string[],
  namespaces: readonly string[],
  shared?: VmFuzzConfig['shared'],
): Promise<{ results: CommandResult[] | string; guestSeconds: number }> {
  const settle = `nalab_settle ${namespaces.join(' ')}`;
  // Each configuration starts from a kernel without 8021q, as the model's fresh world does:
  // a VLAN created by an earlier configuration leaves the module loaded (/proc/net/vlan/
  // exists), and the previous namespaces may still be going away (retried for up to 2.5 s).
  const fresh = `for i in $(seq 50); do [ -d /sys/module/8021q ] || break; modprobe -r 8021q 2>/dev/null && break; sleep 0.05; done`;
  // Carrier changes (up, master, a lower device going) reach operstate through linkwatch.
  const between = (c: string) => (/ link (set|del|delete) /.test(c) ? settle : undefined);
  const before = shared ? `${fresh}\n${settleFunction()}\nip netns list | grep -q '^${shared.ns}\\b' || { ${shared.prelude.join('; ')}; }\n${emptyOvsHost(shared.ns)}` : `${fresh}\n${settleFunction()}`;
  const after = shared ? emptyOvsHost(shared.ns) : vmCleanup(namespaces);
  const script = wrapCommands(commands, { before, after, between });
  const r = await vm.run(script, { timeoutS: 120 });
  const results = unwrapResults(commands.length, { stdout: r.stdout, stderr: r.stderr, status: r.status, timedOut: r.status === 124 });
  return { results: typeof results === 'string' ? `${results}: ${r.stderr.slice(-600)}` : results.map((x, i) => normalise(commands[i]!, maskResult(x))), guestSeconds: r.guestSeconds };
}

/**
 * The model's results, command by command on a fresh Session (as fuzz.ts runModel), except
 * that a command that throws is a result, not the end of the run: exit status -1 and the
 * exception on stderr (a crash is a mismatch like any other, and the next configuration runs).
 */
export function runModelSafe(commands: readonly string[]): (CommandResult & { unsupported: boolean })[] {
  const s = new Session();
  return commands.map((c) => {
    try {
      const r = s.runCommand(c);
      return { stdout: r.stdout, stderr: r.stderr, status: r.status, unsupported: r.unsupported };
    } catch (e) {
      return { stdout: '', stderr: `model threw: ${(e as Error).name}: ${(e as Error).message}\n`, status: -1, unsupported: false };
    }
  });
}

interface Compared {
  kernel: CommandResult[];
  model: (CommandResult & { unsupported: boolean })[];
  first: number;
  guestSeconds: number;
}

async function compare(vm: ReferenceVm, cmds: readonly VmFuzzCommand[], namespaces: readonly string[], shared?: VmFuzzConfig['shared']): Promise<Compared | string> {
  const texts = cmds.map((c) => c.text);
  const kp = runVmKernel(vm, texts, namespaces, shared);
  const pre = shared?.prelude ?? [];
  const model = runModelSafe([...pre, ...texts])
    .slice(pre.length)
    .map((x, i) => normalise(texts[i]!, maskResult(x)));
  const { results: kernel, guestSeconds } = await kp;
  if (typeof kernel === 'string') return kernel;
  const first = texts.findIndex((_, i) => differs(kernel[i]!, model[i]!).length > 0);
  return { kernel, model, first, guestSeconds };
}

/** The minimal script that still shows the mismatch of command `target` (shrink.ts; shows change no state). */
function shrink(vm: ReferenceVm, cmds: VmFuzzCommand[], target: number, namespaces: readonly string[], shared?: VmFuzzConfig['shared']): Promise<VmFuzzCommand[]> {
  return shrinkCommands(
    cmds,
    target,
    (c) => c.kind === 'show',
    async (trial, tgt) => {
      const c = await compare(vm, trial, namespaces, shared);
      if (typeof c === 'string') return false;
      const ti = trial.indexOf(tgt);
      return differs(c.kernel[ti]!, c.model[ti]!).length > 0;
    },
  );
}

function emptyCounts(): Record<VmDeviceClass, VmFuzzClassCount> {
  const o = {} as Record<VmDeviceClass, VmFuzzClassCount>;
  for (const c of VM_DEVICE_CLASSES) o[c] = { configs: 0, commands: 0, shows: 0, invalid: 0, kernelErrors: 0, mismatches: 0, guestSeconds: 0 };
  return o;
}

/** Runs `configs` configurations of `seed` in the (booted) VM against the model. */
export async function runVmFuzz(vm: ReferenceVm, o: VmFuzzOptions): Promise<VmFuzzSummary> {
  const t0 = Date.now();
  const log = o.log ?? (() => {});
  const prefix = o.prefix ?? 'vf';
  const shrinkLimit = o.shrinkLimit ?? 5;
  const sum: VmFuzzSummary = { seed: o.seed, configs: 0, commands: 0, perClass: emptyCounts(), mismatches: [], harnessErrors: [], guestSeconds: 0, seconds: 0 };
  const indexes = o.only !== undefined ? [o.only] : [...Array(o.configs).keys()];
  const sharedNs = new Set<string>();
  try {
    for (const index of indexes) {
      const cfg = generateVmConfig(o.seed, index, prefix, o.cls);
      if (cfg.shared) sharedNs.add(cfg.shared.ns);
      await runOne(vm, cfg, sum, shrinkLimit, log);
    }
  } finally {
    if (sharedNs.size) await vm.run(vmCleanup([...sharedNs]), { timeoutS: 60 });
  }
  sum.seconds = (Date.now() - t0) / 1000;
  return sum;
}

async function runOne(vm: ReferenceVm, cfg: VmFuzzConfig, sum: VmFuzzSummary, shrinkLimit: number, log: (l: string) => void): Promise<void> {
  const c = await compare(vm, cfg.commands, cfg.namespaces, cfg.shared);
  if (typeof c === 'string') {
    sum.harnessErrors.push(`config ${cfg.index} (${cfg.cls}): ${c}`);
    return;
  }
  const pc = sum.perClass[cfg.cls];
  sum.configs++;
  sum.commands += cfg.commands.length;
  sum.guestSeconds += c.guestSeconds;
  pc.configs++;
  pc.guestSeconds += c.guestSeconds;
  pc.commands += cfg.commands.length;
  pc.shows += cfg.commands.filter((x) => x.kind === 'show').length;
  pc.invalid += cfg.commands.filter((x) => x.kind === 'invalid').length;
  pc.kernelErrors += c.kernel.filter((k) => k.status !== 0).length;
  if (c.first < 0) return;
  pc.mismatches++;
  const i = c.first;
  const mm: VmFuzzMismatch = { config: cfg.index, cls: cfg.cls, seed: cfg.seed, command: cfg.commands[i]!.text, kernel: c.kernel[i]!, model: c.model[i]!, fields: differs(c.kernel[i]!, c.model[i]!) };
  sum.mismatches.push(mm);
  if (sum.mismatches.length > shrinkLimit) return;
  log(`vm-fuzz: config ${cfg.index} (${cfg.cls}): mismatch at command ${i + 1}/${cfg.commands.length}, shrinking...`);
  const small = await shrink(vm, cfg.commands, i, cfg.namespaces, cfg.shared);
  mm.script = small.map((x) => x.text);
  const again = await compare(vm, small, cfg.namespaces, cfg.shared);
  if (typeof again === 'string') return;
  const t = small.length - 1;
  const f = differs(again.kernel[t]!, again.model[t]!);
  if (f.length) {
    mm.kernel = again.kernel[t]!;
    mm.model = again.model[t]!;
    mm.fields = f;
    mm.command = small[t]!.text;
  } else mm.flaky = true;
}

function showResult(label: string, r: CommandResult): string {
  const block = (name: string, text: string) =>
    text === '' ? `  ${name}: (empty)\n` : `  ${name}:\n${text.replace(/\n$/, '').split('\n').map((l) => `    |${l}`).join('\n')}\n`;
  return `${label} (exit ${r.status})\n${block('stdout', r.stdout)}${block('stderr', r.stderr)}`;
}

export function formatVmMismatch(m: VmFuzzMismatch, runSeed: number): string {
  let s = `--- ${m.cls} mismatch in config ${m.config} (replay: runVmFuzz(vm, { seed: ${runSeed}, configs: 1, only: ${m.config} })) ---\n`;
  s += `differs: ${m.fields.join(', ')}${m.flaky ? ' (did NOT reproduce on a re-run of the shrunk script: timing-dependent?)' : ''}\n`;
  if (m.script) s += `minimal script (${m.script.length} commands):\n${m.script.map((l) => `  ${l}`).join('\n')}\n`;
  s += `command: ${m.command}\n`;
  s += showResult('kernel', m.kernel);
  s += showResult('model', m.model);
  return s;
}

export function formatVmFuzzSummary(s: VmFuzzSummary): string {
  const lines = [`vm-fuzz: seed ${s.seed}: ${s.configs} configurations, ${s.commands} commands, ${s.mismatches.length} with a mismatch; ${s.guestSeconds.toFixed(1)} s in the guest, ${s.seconds.toFixed(1)} s wall (shrinking included)`];
  for (const c of VM_DEVICE_CLASSES) {
    const p = s.perClass[c];
    lines.push(`  ${c.padEnd(7)} ${String(p.configs).padStart(4)} configs ${String(p.commands).padStart(5)} commands ${String(p.shows).padStart(4)} shows ${String(p.invalid).padStart(4)} invalid ${String(p.kernelErrors).padStart(4)} kernel errors ${String(p.mismatches).padStart(4)} mismatching ${p.guestSeconds.toFixed(1).padStart(6)} s`);
  }
  for (const h of s.harnessErrors) lines.push(`  harness: ${h}`);
  return lines.join('\n');
}
