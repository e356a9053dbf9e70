// Checked blocks on a real kernel: the one place the doctest hands blocks to a kernel.
//
// The seam is one function type, KernelRunner: given checked blocks, it runs each one as a
// reader would on a real Linux machine (the block's scripts= with bash, then every prompt
// line in its namespace) and says, per block, either what every command printed (stdout and
// stderr in one stream, as a terminal shows them, and the exit status) and which kernel
// printed it, or why the block was not run. Everything else — comparing with an expected
// output, the kernel tests, `doctest --update` — is built on top (confirmOnKernel), so a new
// kernel (a Linux VM with bond, 802.1Q, ipvlan, OVS and IPVS) is one more KernelRunner.
//
// hostNetnsRunner is today's runner: the host's kernel, in network namespaces, for blocks
// whose scripts are all in KERNEL_SCRIPTS (the host kernel has no bond, OVS, 802.1Q, ipvlan,
// dummy or IPVS). Each block runs in a private mount namespace with its own tmpfs on
// /run/netns, so its namespaces (node-a, pod-9-60, ...) cannot clash with anyone else's and
// disappear with it, even when the run is killed.
import { spawnSync } from 'node:child_process';
import { release } from 'node:os';
import { KERNEL_SCRIPTS } from './kernel-scripts.ts';
import type { Block, Command } from './parse.ts';
import { renderSection, sectionsEqual } from './run.ts';

/** What one command printed on the kernel. */
export interface KernelCommandResult {
  /** stdout and stderr interleaved as one stream (2>&1). */
  combined: string;
  status: number;
}

export type KernelOutcome =
  | {
      ran: true;
      /** The kernel that ran it, e.g. "Linux 6.18.0 (host kernel, network namespaces)". */
      kernel: string;
      /** One per block.commands entry (hidden commands included), in order. */
      results: KernelCommandResult[];
      /**
       * Masks values this kernel draws at random (an OVS datapath's MAC, say); applied to the
       * expected and the kernel's lines alike before comparing. Each runner names its own.
       */
      mask?: (lines: readonly string[]) => string[];
    }
  | {
      ran: false;
      /**
       * unsupported: this runner's kernel cannot run the block's scripts (no such devices);
       * unavailable: the kernel cannot be used on this machine at all (not root, no `ip netns`);
       * failed: a script of the block failed on the kernel.
       */
      why: 'unsupported' | 'unavailable' | 'failed';
      reason: string;
    };

/**
 * Runs checked blocks on a kernel. Returns one outcome per block, in order. It never throws
 * for a block it cannot run: it says why in the outcome.
 */
export type KernelRunner = (blocks: readonly Block[]) => Promise<KernelOutcome[]>;

/** A block, and what each of its commands must print (renderSection form: lines, then `[N]`). */
export interface KernelRequest {
  block: Block;
  /** One per block.commands entry; ignored for hidden commands, which must exit 0. */
  expected: readonly (readonly string[])[];
}

export interface CommandDifference {
  command: Command;
  expected: string[];
  kernel: string[];
}

export interface Confirmation {
  block: Block;
  /** The kernel printed every command's expected section, and every hidden command exited 0. */
  confirmed: boolean;
  /** The kernel that ran the block (when it ran). */
  kernel?: string;
  /** When the block was not run: why (the runner's outcome). */
  notRun?: { why: 'unsupported' | 'unavailable' | 'failed'; reason: string };
  /** When it ran: the commands where the kernel differs (hidden ones: a non-zero status). */
  differences: CommandDifference[];
}

/** The sections every command of a block shows now (its expected output as written). */
export function writtenSections(block: Block): string[][] {
  return block.commands.map((c) => c.section);
}

/**
 * Runs each request's block on the kernel and compares. Requests that run the same scripts
 * and commands expecting the same output (a block in both locales) run once.
 */
export async function confirmOnKernel(requests: readonly KernelRequest[], runner: KernelRunner): Promise<Confirmation[]> {
  const keyOf = (r: KernelRequest): string =>
    JSON.stringify([r.block.meta.scripts ?? [], r.block.commands.map((c, i) => [c.netns ?? null, c.text, c.hidden, c.hidden ? null : r.expected[i]])]);
  const unique = new Map<string, KernelRequest>();
  for (const r of requests) if (!unique.has(keyOf(r))) unique.set(keyOf(r), r);
  const firsts = [...unique.values()];
  const outcomes = await runner(firsts.map((r) => r.block));
  const byKey = new Map<string, KernelOutcome>();
  firsts.forEach((r, i) => byKey.set(keyOf(r), outcomes[i] ?? { ran: false, why: 'failed', reason: 'the kernel runner returned no outcome for this block' }));
  return requests.map((r) => compare(r, byKey.get(keyOf(r))!));
}

function compare(r: KernelRequest, o: KernelOutcome): Confirmation {
  if (!o.ran) return { block: r.block, confirmed: false, notRun: { why: o.why, reason: o.reason }, differences: [] };
  const differences: CommandDifference[] = [];
  r.block.commands.forEach((c, i) => {
    const res = o.results[i] ?? { combined: '(not run)\n', status: 1 };
    const mask = (lines: readonly string[]) => (o.mask ? o.mask(lines) : [...lines]);
    const kernel = mask(renderSection(res));
    if (c.hidden) {
      if (res.status !== 0) differences.push({ command: c, expected: ['(a hidden command: exit status 0)'], kernel });
      return;
    }
    const expected = mask(r.expected[i] ?? []);
    if (!sectionsEqual(expected, kernel)) differences.push({ command: c, expected, kernel });
  });
  return { block: r.block, confirmed: differences.length === 0, kernel: o.kernel, differences };
}

/** A confirmation that failed, as lines for a person: what the kernel printed where it differs. */
export function describeDifferences(c: Confirmation, expectedLabel = 'expected'): string[] {
  const out: string[] = [];
  for (const d of c.differences) {
    out.push(`line ${d.command.line}: ${d.command.prompt}${d.command.text.split('\n')[0]}${d.command.text.includes('\n') ? ' \\ ...' : ''}`);
    const width = Math.max('kernel'.length, expectedLabel.length);
    const show = (label: string, lines: string[]): void => {
      if (lines.length === 0) out.push(`  ${label.padEnd(width)} | (nothing)`);
      for (const l of lines) out.push(`  ${label.padEnd(width)} | ${JSON.stringify(l)}`);
    };
    show(expectedLabel, d.expected);
    show('kernel', d.kernel);
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// The host kernel, in network namespaces.

export interface HostRunnerOptions {
  /** Where the block's scripts= live (content/scripts). */
  scriptsDir: string;
  /** Scripts the host kernel can run. Default: KERNEL_SCRIPTS. */
  kernelScripts?: ReadonlySet<string>;
  /** Per block. Default 120 s. */
  timeoutMs?: number;
}

/** Why the host kernel cannot replay blocks here, or undefined when it can. Makes and removes one probe namespace. */
export function hostKernelUnavailable(): string | undefined {
  if (process.platform !== 'linux') return `not Linux (${process.platform})`;
  if (process.getuid?.() !== 0) return 'not running as root (`ip netns add` needs root)';
  for (const tool of ['bash', 'ip', 'bridge', 'iptables', 'busybox', 'unshare', 'mount']) {
    if (spawnSync('bash', ['-c', `command -v ${tool}`], { stdio: 'ignore' }).status !== 0) return `${tool} is not installed (bash scripts/setup.sh installs it)`;
  }
  const probe = privately('ip netns add netatlas-probe && ip -n netatlas-probe link add v0 type veth peer name v1', 30_000);
  if (probe.status !== 0) return `\`ip netns add\` / veth do not work here: ${probe.combined.trim() || `status ${probe.status}`}`;
  return undefined;
}

/** The host kernel's name as a badge or a message gives it. */
export function hostKernelName(): string {
  return `Linux ${release()} (host kernel, network namespaces)`;
}

const RS = '\x1e';

/** Single-quotes a string for bash. */
function q(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Runs a bash script in a private mount namespace with its own /run/netns; 2>&1. */
function privately(script: string, timeoutMs: number): { combined: string; status: number } {
  const body = `exec 2>&1\nmkdir -p /run/netns && mount -t tmpfs netatlas-replay /run/netns || exit 90\n${script}\n`;
  const r = spawnSync('unshare', ['--mount', '--propagation', 'private', 'bash', '-c', body], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, LC_ALL: 'C' },
    maxBuffer: 1 << 26,
    timeout: timeoutMs,
    killSignal: 'SIGKILL',
  });
  if (r.error) return { combined: `${r.error.message}\n${r.stdout ?? ''}${r.stderr ?? ''}`, status: 124 };
  return { combined: (r.stdout ?? '') + (r.stderr ?? ''), status: r.status ?? 128 };
}

/** The bash script that replays one block: scripts, settling, then each command between markers. */
export function replayScript(block: Block, scriptsDir: string): string {
  const lines: string[] = [`cd ${q(scriptsDir)} || exit 90`];
  (block.meta.scripts ?? []).forEach((s, i) => {
    lines.push(`bash ${q(s)}; rc=$?; if [ $rc -ne 0 ]; then printf '${RS}script=${i} rc=%d${RS}' $rc; exit 91; fi`);
  });
  // The kernel's IPv6 DAD marks new addresses tentative for a moment; the model shows settled
  // state, so wait (at most 6 s) until no namespace has a tentative address.
  lines.push(
    'end=$((SECONDS + 6))',
    'while :; do busy=; for n in $(ip netns list | cut -d" " -f1); do if [ -n "$(ip -n "$n" -6 addr show tentative)" ]; then busy=1; break; fi; done; [ -z "$busy" ] && break; [ "$SECONDS" -ge "$end" ] && break; sleep 0.2; done',
  );
  block.commands.forEach((c, i) => {
    const run = c.netns !== undefined ? `ip netns exec ${q(c.netns)} bash -c ${q(c.text)}` : `bash -c ${q(c.text)}`;
    lines.push(`printf '${RS}cmd=${i}${RS}'`, `${run} </dev/null`, `printf '${RS}rc=%d${RS}' $?`);
  });
  return lines.join('\n');
}

/** Splits a replay's output into each command's result; undefined when a marker is missing. */
export function splitReplay(out: string, commands: number): KernelCommandResult[] | undefined {
  const results: KernelCommandResult[] = [];
  const re = new RegExp(`${RS}cmd=(\\d+)${RS}([\\s\\S]*?)${RS}rc=(\\d+)${RS}`, 'g');
  for (const m of out.matchAll(re)) {
    if (Number(m[1]) !== results.length) return undefined;
    results.push({ combined: m[2]!, status: Number(m[3]) });
  }
  return results.length === commands ? results : undefined;
}

/** The host kernel in network namespaces, for blocks whose scripts it can run. */
export function hostNetnsRunner(opts: HostRunnerOptions): KernelRunner {
  const allowed = opts.kernelScripts ?? KERNEL_SCRIPTS;
  let unavailable: string | undefined | null = null;
  return async (blocks) => {
    const outcomes: KernelOutcome[] = [];
    for (const block of blocks) {
      const scripts = block.meta.scripts ?? [];
      const missing = scripts.filter((s) => !allowed.has(s));
      if (scripts.length === 0 || missing.length > 0) {
        const what = scripts.length === 0 ? 'the block names no scripts=' : `${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not among the scripts the host kernel can run (lib/doctest/kernel-scripts.ts; it has no bond, OVS, 802.1Q, ipvlan, dummy or IPVS)`;
        outcomes.push({ ran: false, why: 'unsupported', reason: `no kernel can run this block yet: ${what}` });
        continue;
      }
      if (unavailable === null) unavailable = hostKernelUnavailable();
      if (unavailable !== undefined) {
        outcomes.push({ ran: false, why: 'unavailable', reason: `the host kernel cannot replay blocks here: ${unavailable}` });
        continue;
      }
      const r = privately(replayScript(block, opts.scriptsDir), opts.timeoutMs ?? 120_000);
      const failed = new RegExp(`${RS}script=(\\d+) rc=(\\d+)${RS}`).exec(r.combined);
      if (failed) {
        const s = scripts[Number(failed[1])]!;
        const output = r.combined.slice(0, failed.index).trim();
        outcomes.push({ ran: false, why: 'failed', reason: `${s} exited with status ${failed[2]} on the host kernel${output ? `; it printed:\n${output}` : ''}` });
        continue;
      }
      const results = splitReplay(r.combined, block.commands.length);
      if (!results) {
        outcomes.push({ ran: false, why: 'failed', reason: `the replay on the host kernel stopped (status ${r.status}); it printed:\n${r.combined.replaceAll(RS, '|').trim()}` });
        continue;
      }
      outcomes.push({ ran: true, kernel: hostKernelName(), results });
    }
    return outcomes;
  };
}
