// Execute a checked block against the model and compare its output with the block's.
//
// A block runs exactly as `netatlas run` would: a fresh Session, its scripts= run in order as
// `bash content/scripts/NAME` would, then each prompt line as one command, in the prompt's
// namespace (`node-a$ `), else the block's ns=, else the initial namespace. What a command
// prints on stdout and stderr, interleaved as a terminal shows it, is compared byte for byte
// with the lines under its prompt (line endings normalised; trailing spaces significant).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { Block, Command } from './parse.ts';

/** What the model returns for a script or a command (lib/session.ts RunResult). */
export interface RunResultLike {
  stdout: string;
  stderr: string;
  combined: string;
  status: number;
  unsupported: boolean;
}

/** The part of lib/session.ts Session the doctest uses. */
export interface ModelSession {
  runScript(text: string, name: string): RunResultLike;
  runCommand(line: string, opts?: { netns?: string; where?: string }): RunResultLike;
  readonly world: {
    netns(name: string): unknown;
    namespaces(): readonly { name: string }[];
  };
}

export type SessionFactory = () => ModelSession;

/** Loads the model (lib/session.ts) lazily, so parsing never needs it. */
export async function loadModel(): Promise<SessionFactory> {
  const mod = await import('../session.ts');
  return () => new mod.Session();
}

export type FailureKind =
  /** The output or exit status differs from the block's. */
  | 'mismatch'
  /** The model could not honour the command. */
  | 'unsupported'
  /** The prompt or ns= names a namespace that does not exist at that point. */
  | 'unknown-netns'
  /** scripts= names a script that is not under content/scripts. */
  | 'unknown-script'
  /** A reference script exited non-zero or used something the model does not support. */
  | 'script-failed'
  /** A #hide command failed. */
  | 'hidden-failed'
  /** The model could not be loaded at all. */
  | 'model';

export interface CommandFailure {
  kind: FailureKind;
  file: string;
  /** Line of the failing command (or of the block's fence for script problems). */
  line: number;
  /** The prompt line as written (with continuation lines), or undefined for a block-level failure. */
  command?: string;
  message: string;
  /** For 'mismatch': the section as written and as the model produced it. */
  expected?: string[];
  actual?: string[];
  /** For 'mismatch': the model's exit status. */
  actualStatus?: number;
  /** The block and command this is about (for --update). */
  block: Block;
  cmd?: Command;
}

export interface BlockResult {
  block: Block;
  passed: boolean;
  failures: CommandFailure[];
}

/** One step of a block's execution, reusable by blocks that run the same things. */
type Step =
  | { kind: 'ran'; result: RunResultLike }
  | { kind: 'unknown-netns'; known: string[] }
  | { kind: 'not-run' };

interface Execution {
  /** Set when the scripts could not be run: the block stops there. */
  scriptFailure?: { kind: 'unknown-script' | 'script-failed'; message: string };
  steps: Step[];
}

export interface RunContext {
  /** Directory the reference scripts live in (content/scripts). */
  scriptsDir: string;
  /** Paths in messages are relative to this directory (the repository root). */
  displayRoot: string;
  factory: SessionFactory;
  /** Executions by what they run (and where: see executionKey). */
  cache?: Map<string, Execution>;
  /** Script texts by name. */
  scriptTexts?: Map<string, string | undefined>;
}

function toDisplay(root: string, path: string): string {
  return relative(root, path).split(sep).join('/');
}

/** Every *.sh under `dir`, relative to it, sorted. */
export function listScripts(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    if (!existsSync(d)) return;
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.sh')) out.push(relative(dir, p).split(sep).join('/'));
    }
  };
  walk(dir);
  return out.sort();
}

/** What the model's result looks like written under a prompt: output lines, then `[N]` if N ≠ 0. */
export function renderSection(r: { combined: string; status: number }): string[] {
  const text = r.combined.replace(/\r\n/g, '\n');
  const lines: string[] = [];
  if (text !== '') {
    const endsWithNewline = text.endsWith('\n');
    const body = endsWithNewline ? text.slice(0, -1) : text;
    lines.push(...body.split('\n'));
    if (!endsWithNewline) lines[lines.length - 1] += ' (no-eol)';
  }
  if (r.status !== 0) lines.push(`[${r.status}]`);
  return lines;
}

/** Byte-for-byte comparison of two sections (lines already without line endings). */
export function sectionsEqual(expected: readonly string[], actual: readonly string[]): boolean {
  if (expected.length !== actual.length) return false;
  for (let i = 0; i < expected.length; i++) if (expected[i] !== actual[i]) return false;
  return true;
}

/** The prompt line(s) of a command as written in the block. */
export function commandAsWritten(c: Command): string {
  return c.prompt + c.text;
}

/**
 * What an execution depends on. The model's messages name the command's file:line (`where`),
 * so the key includes them: blocks of two locales do not share an execution.
 */
function executionKey(block: Block): string {
  return JSON.stringify([block.meta.scripts ?? [], block.commands.map((c) => [c.text, c.netns ?? null, c.hidden, `${block.file}:${c.line}`])]);
}

function indent(text: string, prefix = '    '): string {
  return text
    .replace(/\n$/, '')
    .split('\n')
    .map((l) => prefix + l)
    .join('\n');
}

function execute(block: Block, ctx: RunContext): Execution {
  const key = executionKey(block);
  const cached = ctx.cache?.get(key);
  if (cached) return cached;
  const exec: Execution = { steps: [] };
  const texts = ctx.scriptTexts ?? new Map<string, string | undefined>();
  const scripts: { name: string; display: string; text: string }[] = [];
  for (const name of block.meta.scripts ?? []) {
    let text = texts.get(name);
    if (!texts.has(name)) {
      const path = join(ctx.scriptsDir, name);
      text = existsSync(path) && statSync(path).isFile() ? readFileSync(path, 'utf8') : undefined;
      texts.set(name, text);
    }
    if (text === undefined) {
      const have = listScripts(ctx.scriptsDir);
      const where = toDisplay(ctx.displayRoot, ctx.scriptsDir);
      exec.scriptFailure = {
        kind: 'unknown-script',
        message: `unknown scenario script "${name}": ${where}/ has ${have.length > 0 ? have.join(', ') : 'no scripts'}`,
      };
      ctx.cache?.set(key, exec);
      return exec;
    }
    scripts.push({ name, display: toDisplay(ctx.displayRoot, join(ctx.scriptsDir, name)), text });
  }
  const session = ctx.factory();
  for (const s of scripts) {
    const r = session.runScript(s.text, s.display);
    if (r.unsupported || r.status !== 0) {
      const why = r.unsupported ? 'uses something the model does not support' : `exited with status ${r.status}`;
      exec.scriptFailure = {
        kind: 'script-failed',
        message: `scenario script ${s.display} ${why}; its output:\n${indent(r.combined || '(nothing)')}`,
      };
      ctx.cache?.set(key, exec);
      return exec;
    }
  }
  let stopped = false;
  for (const c of block.commands) {
    if (stopped) {
      exec.steps.push({ kind: 'not-run' });
      continue;
    }
    if (c.netns !== undefined && session.world.netns(c.netns) === undefined) {
      exec.steps.push({ kind: 'unknown-netns', known: session.world.namespaces().map((n) => n.name) });
      stopped = true;
      continue;
    }
    const opts: { netns?: string; where: string } = { where: `${block.file}:${c.line}` };
    if (c.netns !== undefined) opts.netns = c.netns;
    const r = session.runCommand(c.text, opts);
    exec.steps.push({ kind: 'ran', result: r });
    if (r.unsupported || (c.hidden && r.status !== 0)) stopped = true;
  }
  ctx.cache?.set(key, exec);
  return exec;
}

function mismatchMessage(expectedStatus: number, actualStatus: number, sameOutput: boolean): string {
  if (expectedStatus === actualStatus) return 'the output differs from the model\'s';
  const also = sameOutput ? '' : '; the output differs too';
  if (expectedStatus === 0) {
    return `the command exited with status ${actualStatus}, but the block does not mark an error: if this error is meant to be shown, put a line "[${actualStatus}]" after its output; otherwise fix the command or the scripts${also}`;
  }
  if (actualStatus === 0) return `the block marks exit status [${expectedStatus}] but the command exited 0${also}`;
  return `the command exited with status ${actualStatus}, the block marks [${expectedStatus}]${also}`;
}

/** Runs one checked block (without problems) and compares every command. */
export function runBlock(block: Block, ctx: RunContext): BlockResult {
  const failures: CommandFailure[] = [];
  const exec = execute(block, ctx);
  const scriptsSummary = (block.meta.scripts ?? []).join(' ');
  if (exec.scriptFailure) {
    failures.push({ kind: exec.scriptFailure.kind, file: block.file, line: block.line, message: exec.scriptFailure.message, block });
    return { block, passed: false, failures };
  }
  block.commands.forEach((c, i) => {
    const step = exec.steps[i] ?? { kind: 'not-run' };
    const base = { file: block.file, line: c.line, command: commandAsWritten(c), block, cmd: c };
    if (step.kind === 'not-run') return;
    if (step.kind === 'unknown-netns') {
      const from = c.promptNetns !== undefined ? `the prompt "${c.promptNetns}$"` : 'ns= of the block';
      const known = step.known.length > 0 ? `the namespaces that exist at this point are: ${step.known.join(', ')}` : 'no namespace exists at this point';
      failures.push({
        ...base,
        kind: 'unknown-netns',
        message: `unknown namespace "${c.netns}" (named by ${from}); after scripts="${scriptsSummary}" ${known}`,
      });
      return;
    }
    const r = step.result;
    if (r.unsupported) {
      failures.push({ ...base, kind: 'unsupported', message: `the model does not support this command: ${r.stderr.trim() || r.combined.trim()}` });
      return;
    }
    if (c.hidden) {
      if (r.status !== 0) {
        failures.push({
          ...base,
          kind: 'hidden-failed',
          message: `hidden setup command exited with status ${r.status}; its output:\n${indent(r.combined || '(nothing)')}`,
        });
      }
      return;
    }
    const actual = renderSection(r);
    if (!sectionsEqual(c.section, actual)) {
      const expectedOutput = c.output;
      const actualOutput = r.status !== 0 ? actual.slice(0, -1) : actual;
      failures.push({
        ...base,
        kind: 'mismatch',
        message: mismatchMessage(c.status, r.status, sectionsEqual(expectedOutput, actualOutput)),
        expected: c.section,
        actual,
        actualStatus: r.status,
      });
    }
  });
  return { block, passed: failures.length === 0, failures };
}
