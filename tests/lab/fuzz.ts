// Differential fuzzing of the routing core: each generated configuration runs as a bash
// script in fresh namespaces of the real kernel and, command by command, on a fresh model;
// every command's stdout, stderr and exit status must be equal byte for byte. A mismatch is
// shrunk to a minimal script that still shows it.
import { Session } from '../../lib/session.ts';
import { generateConfig, type FuzzCommand, type FuzzConfig } from './fuzz-gen.ts';
import { LabMountNs, runBash, settleFunction, unwrapResults, wrapCommands, type CommandResult } from './kernel.ts';

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
}

export interface FuzzSummary {
  configs: number;
  commands: number;
  lookups: number;
  shows: number;
  kernelErrors: number;
  mismatches: Mismatch[];
  /** Configurations the harness could not run (kernel script broke down). */
  harnessErrors: string[];
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
  const between = (c: string) => (/ link (add|set|del|delete) /.test(c) ? settle : undefined);
  const r = await runBash(wrapCommands(commands, { before: settleFunction(), after, between }), { timeoutMs: 120_000, mountNs });
  return unwrapResults(commands.length, r);
}

function differs(k: CommandResult, m: CommandResult & { unsupported: boolean }): string[] {
  const f: string[] = [];
  if (m.unsupported) f.push('unsupported');
  if (k.stdout !== m.stdout) f.push('stdout');
  if (k.stderr !== m.stderr) f.push('stderr');
  if (k.status !== m.status) f.push('status');
  return f;
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
  const kernel = await kp;
  if (typeof kernel === 'string') return kernel;
  let first = -1;
  for (let i = 0; i < texts.length; i++) {
    if (differs(kernel[i]!, model[i]!).length) {
      first = i;
      break;
    }
  }
  return { kernel, model, first };
}

/**
 * Drops commands while the mismatch of the target command persists. Lookups and shows change
 * no state, so all of them (but the target) go in one step; then chunks of the rest, halves
 * first (ddmin), then single commands, until nothing more can go.
 */
async function shrink(cmds: FuzzCommand[], target: number, namespaces: readonly string[], mountNs: LabMountNs): Promise<FuzzCommand[]> {
  const tgt = cmds[target]!;
  let cur = cmds.slice(0, target + 1);
  const stillFails = async (trial: FuzzCommand[]): Promise<boolean> => {
    const c = await compare(trial, namespaces, mountNs);
    if (typeof c === 'string') return false;
    const ti = trial.indexOf(tgt);
    return differs(c.kernel[ti]!, c.model[ti]!).length > 0;
  };
  const readOnly = cur.filter((c) => c !== tgt && (c.kind === 'lookup' || c.kind === 'show'));
  if (readOnly.length) {
    const trial = cur.filter((c) => !readOnly.includes(c));
    if (await stillFails(trial)) cur = trial;
  }
  let chunk = Math.max(1, Math.floor(cur.length / 2));
  for (;;) {
    let removed = false;
    for (let start = cur.length - 2; start >= 0; start -= chunk) {
      const from = Math.max(0, start - chunk + 1);
      const drop = cur.slice(from, start + 1).filter((c) => !c.fixed && c !== tgt);
      if (drop.length === 0) continue;
      const trial = cur.filter((c) => !drop.includes(c));
      if (await stillFails(trial)) {
        cur = trial;
        removed = true;
      }
    }
    if (chunk === 1 && !removed) break;
    if (!removed) chunk = Math.max(1, Math.floor(chunk / 2));
  }
  return cur;
}

export async function runFuzz(o: FuzzOptions): Promise<FuzzSummary> {
  const sum: FuzzSummary = { configs: 0, commands: 0, lookups: 0, shows: 0, kernelErrors: 0, mismatches: [], harnessErrors: [] };
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
  if (c.first < 0) return;
  const i = c.first;
  const mm: Mismatch = {
    config: cfg.index,
    seed: cfg.seed,
    command: cfg.commands[i]!.text,
    kernel: c.kernel[i]!,
    model: c.model[i]!,
    script: undefined,
    fields: differs(c.kernel[i]!, c.model[i]!),
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
  let s = `--- mismatch in config ${m.config} (replay: npm run lab -- --fuzz-only --seed ${seed} --config ${m.config}) ---\n`;
  s += `differs: ${m.fields.join(', ')}${m.flaky ? ' (did NOT reproduce on a re-run of the shrunk script: timing-dependent?)' : ''}\n`;
  if (m.script) s += `minimal script (${m.script.length} commands; run it with bash as root, then \`ip netns del\` its namespaces):\n${m.script.map((l) => `  ${l}`).join('\n')}\n`;
  s += `command: ${m.script ? m.script[m.script.length - 1] : m.command}\n`;
  s += show('kernel', m.kernel);
  s += show('model', m.model);
  return s;
}
