// Differential fuzzing of the routing core: each generated configuration runs as a bash
// script in fresh namespaces of the real kernel and, command by command, on a fresh model;
// every command's stdout, stderr and exit status must be equal byte for byte. A mismatch is
// shrunk to a minimal script that still shows it.
import { Session } from '../../lib/session.ts';
import { asReferenceKernel, reconcileWithModel } from './kernel-differences.ts';
import { shrinkCommands } from './shrink.ts';
import { FUZZ_CLASSES, generateConfig, type FuzzClass, type FuzzCommand, type FuzzConfig } from './fuzz-gen.ts';
import { LabMountNs, runBash, settleFunction, differs, unwrapResults, wrapCommands, type CommandResult } from './kernel.ts';

export interface FuzzOptions {
  seed: number;
  configs: number;
  lookups: number;
  /** Only this configuration index (to replay one case). */
  only?: number;
  prefix: string;
  /** How many mismatches to shrink (each shrink re-runs the kernel many times). */
  shrinkLimit: number;
  /** Kernel scripts run at once. */
  parallel: number;
  log: (line: string) => void;
}

export interface Mismatch {
  config: number;
  seed: number;
  /** The command that differs and its results in both worlds. */
  command: string;
  kernel: CommandResult;
  model: CommandResult & { unsupported: boolean };
  /** The shrunk script reproducing it (commands in order), when shrunk. */
  script: string[] | undefined;
  /** Which of stdout/stderr/status differ. */
  fields: string[];
  /** The shrunk script ran clean once more: the difference depends on timing. */
  flaky?: boolean;
  /** The class of the differing command. */
  cls: FuzzClass;
}

/** Per class: commands run in both worlds, how many the kernel refused, first mismatches. */
export type ClassCounts = Record<FuzzClass, { commands: number; refused: number; mismatches: number }>;

export interface FuzzSummary {
  configs: number;
  commands: number;
  lookups: number;
  shows: number;
  kernelErrors: number;
  mismatches: Mismatch[];
  /** Configurations the harness could not run (kernel script broke down). */
  harnessErrors: string[];
  classes: ClassCounts;
}

function emptyCounts(): ClassCounts {
  return Object.fromEntries(FUZZ_CLASSES.map((c) => [c, { commands: 0, refused: 0, mismatches: 0 }])) as ClassCounts;
}

/** The per-class table the fuzzer prints at the end. */
export function formatClassCounts(c: ClassCounts): string {
  const rows = FUZZ_CLASSES.map((k) => `  ${k.padEnd(13)} ${String(c[k].commands).padStart(8)} ${String(c[k].refused).padStart(8)} ${String(c[k].mismatches).padStart(10)}`);
  const total = FUZZ_CLASSES.reduce((t, k) => ({ commands: t.commands + c[k].commands, refused: t.refused + c[k].refused, mismatches: t.mismatches + c[k].mismatches }), { commands: 0, refused: 0, mismatches: 0 });
  return [
    `  ${'class'.padEnd(13)} ${'commands'.padStart(8)} ${'refused'.padStart(8)} ${'mismatches'.padStart(10)}`,
    ...rows,
    `  ${'total'.padEnd(13)} ${String(total.commands).padStart(8)} ${String(total.refused).padStart(8)} ${String(total.mismatches).padStart(10)}`,
  ].join('\n');
}

export function runModel(commands: readonly string[]): (CommandResult & { unsupported: boolean })[] {
  const s = new Session();
  return commands.map((c) => {
    const r = s.runCommand(c);
    return { stdout: r.stdout, stderr: r.stderr, status: r.status, unsupported: r.unsupported };
  });
}

export async function runKernel(commands: readonly string[], namespaces: readonly string[], mountNs: LabMountNs): Promise<CommandResult[] | string> {
  const after = namespaces.map((ns) => `ip netns del ${ns} 2>/dev/null`).join('\n');
  const settle = `nalab_settle ${namespaces.join(' ')}`;
  // `ip netns del` returns before cleanup_net has destroyed the namespace's devices (and the
  // veth ends elsewhere that go with them); the model shows the settled state, so wait for it:
  // until no remaining namespace lists a device whose peer's namespace lost its name.
  const nsGone = `nalab_nsgone() { local n=0 ns b; while [ $n -lt 100 ]; do b=0; for ns in "$@"; do ip -n "$ns" -o link 2>/dev/null | grep -q 'link-netnsid' && b=1; done; [ $b = 0 ] && return 0; sleep 0.02; n=$((n+1)); done; echo "lab: devices of a deleted namespace did not go in 2 s"; }`;
  const between = (c: string) =>
    / link (add|set|del|delete) /.test(c) ? settle : /^ip netns del /.test(c) ? `nalab_nsgone ${namespaces.join(' ')}; ${settle}` : undefined;
  const r = await runBash(wrapCommands(commands, { before: settleFunction() + '\n' + nsGone, after, between }), { timeoutMs: 120_000, mountNs });
  return unwrapResults(commands.length, r);
}

/**
 * Runs of consecutive `fe80::/64` or `multicast ff00::/8` routes that differ only in their
 * device, sorted by device name: a set, because their order is the kernel's insertion order,
 * which races (see compare). Every other line, and the number of lines, stays as printed.
 */
export function orderAddrconfRoutes(text: string): string {
  const lines = text.split('\n');
  const key = (l: string) => (/^(fe80::\/64|multicast ff00::\/8) /.test(l) ? l.replace(/ dev \S+/, ' dev *') : undefined);
  const out: string[] = [];
  for (let i = 0; i < lines.length; ) {
    const k = key(lines[i]!);
    let j = i + 1;
    if (k !== undefined) while (j < lines.length && key(lines[j]!) === k) j++;
    out.push(...lines.slice(i, j).sort());
    i = j;
  }
  return out.join('\n');
}

interface Compared {
  kernel: CommandResult[];
  model: (CommandResult & { unsupported: boolean })[];
  /** Index of the first differing command, -1 if none. */
  first: number;
}

async function compare(cmds: readonly FuzzCommand[], namespaces: readonly string[], mountNs: LabMountNs): Promise<Compared | string> {
  const texts = cmds.map((c) => c.text);
  const kp = runKernel(texts, namespaces, mountNs);
  const model = runModel(texts); // computed while the kernel script runs
  const raw = await kp;
  if (typeof raw === 'string') return raw;
  // The host kernel (6.18) as the reference kernel (6.1) would print it: the recorded
  // differences (tests/lab/kernel-differences.ts).
  const kernel = raw.map((k, i) => {
    const r = { ...k, stdout: asReferenceKernel(k.stdout), stderr: asReferenceKernel(k.stderr) };
    return reconcileWithModel(texts[i]!, r, model[i]!);
  });
  // The per-device routes addrconf adds (fe80::/64, ff00::/8) are listed in the order they
  // were inserted, and a veth end coming up races its peer's linkwatch event for that
  // (seed 1 config 74: vb0's before va0's once, va0's before vb0's on the re-run).
  for (let i = 0; i < texts.length; i++) {
    if (!/\broute\b/.test(texts[i]!)) continue;
    kernel[i] = { ...kernel[i]!, stdout: orderAddrconfRoutes(kernel[i]!.stdout) };
    model[i] = { ...model[i]!, stdout: orderAddrconfRoutes(model[i]!.stdout) };
  }
  let first = -1;
  for (let i = 0; i < texts.length; i++) {
    if (differs(kernel[i]!, model[i]!).length) {
      first = i;
      break;
    }
  }
  return { kernel, model, first };
}

/** The minimal script that still shows the mismatch of command `target` (shrink.ts). */
function shrink(cmds: FuzzCommand[], target: number, namespaces: readonly string[], mountNs: LabMountNs): Promise<FuzzCommand[]> {
  return shrinkCommands(
    cmds,
    target,
    (c) => c.kind === 'lookup' || c.kind === 'show',
    async (trial, tgt) => {
      const c = await compare(trial, namespaces, mountNs);
      if (typeof c === 'string') return false;
      const ti = trial.indexOf(tgt);
      return differs(c.kernel[ti]!, c.model[ti]!).length > 0;
    },
  );
}

export async function runFuzz(o: FuzzOptions): Promise<FuzzSummary> {
  const sum: FuzzSummary = { configs: 0, commands: 0, lookups: 0, shows: 0, kernelErrors: 0, mismatches: [], harnessErrors: [], classes: emptyCounts() };
  const indexes = o.only !== undefined ? [o.only] : [...Array(o.configs).keys()];
  const queue = [...indexes];
  // One mount namespace per worker: a worker listing /run/netns (iproute2 does, to name a
  // peer's namespace) never sees another worker's namespaces come and go.
  const worker = async (): Promise<void> => {
    const mountNs = new LabMountNs();
    await mountNs.start();
    try {
      for (let index = queue.shift(); index !== undefined; index = queue.shift()) {
        const cfg = generateConfig(o.seed, index, o.prefix, { lookups: o.lookups });
        await runOne(cfg, o, sum, mountNs);
      }
    } finally {
      mountNs.stop();
    }
  };
  await Promise.all([...Array(Math.max(1, o.parallel))].map(() => worker()));
  sum.mismatches.sort((a, b) => a.config - b.config);
  o.log(`fuzz: commands per class (each compared in both worlds; "refused" = non-zero status on the kernel; mismatches = first differing command of a configuration):\n${formatClassCounts(sum.classes)}`);
  return sum;
}

async function runOne(cfg: FuzzConfig, o: FuzzOptions, sum: FuzzSummary, mountNs: LabMountNs): Promise<void> {
  const c = await compare(cfg.commands, cfg.namespaces, mountNs);
  if (typeof c === 'string') {
    sum.harnessErrors.push(`config ${cfg.index}: ${c}`);
    return;
  }
  sum.configs++;
  sum.commands += cfg.commands.length;
  sum.lookups += cfg.commands.filter((x) => x.kind === 'lookup').length;
  sum.shows += cfg.commands.filter((x) => x.kind === 'show').length;
  sum.kernelErrors += c.kernel.filter((k) => k.status !== 0).length;
  // Commands after the first mismatch ran on diverged states: counted up to it.
  const upTo = c.first < 0 ? cfg.commands.length : c.first + 1;
  for (let j = 0; j < upTo; j++) {
    const k = sum.classes[cfg.commands[j]!.cls];
    k.commands++;
    if (c.kernel[j]!.status !== 0) k.refused++;
  }
  if (c.first < 0) return;
  sum.classes[cfg.commands[c.first]!.cls].mismatches++;
  const i = c.first;
  const mm: Mismatch = {
    config: cfg.index,
    seed: cfg.seed,
    command: cfg.commands[i]!.text,
    kernel: c.kernel[i]!,
    model: c.model[i]!,
    script: undefined,
    fields: differs(c.kernel[i]!, c.model[i]!),
    cls: cfg.commands[i]!.cls,
  };
  sum.mismatches.push(mm);
  if (sum.mismatches.length <= o.shrinkLimit) {
    o.log(`config ${cfg.index}: mismatch at command ${i + 1}/${cfg.commands.length}, shrinking...`);
    const small = await shrink(cfg.commands, i, cfg.namespaces, mountNs);
    mm.script = small.map((x) => x.text);
    // Report the outputs of the shrunk script's target (they may differ from the original).
    const again = await compare(small, cfg.namespaces, mountNs);
    if (typeof again !== 'string') {
      const t = small.length - 1;
      const f = differs(again.kernel[t]!, again.model[t]!);
      if (f.length) {
        mm.kernel = again.kernel[t]!;
        mm.model = again.model[t]!;
        mm.fields = f;
      } else {
        // Keep the original outputs: the difference did not come back (timing?).
        mm.flaky = true;
      }
    }
  }
}

function show(label: string, r: CommandResult): string {
  const block = (name: string, text: string) =>
    text === '' ? `  ${name}: (empty)\n` : `  ${name}:\n${text.replace(/\n$/, '').split('\n').map((l) => `    |${l}`).join('\n')}\n`;
  return `${label} (exit ${r.status})\n${block('stdout', r.stdout)}${block('stderr', r.stderr)}`;
}

export function formatMismatch(m: Mismatch, seed: number): string {
  let s = `--- mismatch in config ${m.config}, class ${m.cls} (replay: npm run lab -- --fuzz-only --seed ${seed} --config ${m.config}) ---\n`;
  s += `differs: ${m.fields.join(', ')}${m.flaky ? ' (did NOT reproduce on a re-run of the shrunk script: timing-dependent?)' : ''}\n`;
  if (m.script) s += `minimal script (${m.script.length} commands; run it with bash as root, then \`ip netns del\` its namespaces):\n${m.script.map((l) => `  ${l}`).join('\n')}\n`;
  s += `command: ${m.script ? m.script[m.script.length - 1] : m.command}\n`;
  s += show('kernel', m.kernel);
  s += show('model', m.model);
  return s;
}
