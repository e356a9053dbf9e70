// The public entry point: a fresh model, built by running scripts, queried by commands.
// `netatlas run`, the doctests, the tracer and the widgets all go through this.
import { World } from './model/world.ts';
import type { Netns } from './model/netns.ts';
import { Interpreter, newShellState, type ShellState } from './tools/shell/interpreter.ts';
import { logicalLines, ShellSyntaxError, splitWords, type LineExtras } from './tools/shell/lexer.ts';
import type { Output } from './tools/tool.ts';

export type { Output };
import './tools/all.ts';

export interface RunResult {
  /** Every write in order, with its stream: what a terminal (or \`bash 2>&1\`) shows. */
  chunks: Output[];
  stdout: string;
  stderr: string;
  /** stdout and stderr interleaved in the order they were written (what a terminal shows). */
  combined: string;
  status: number;
  /** The model could not honour a command (the message is in stderr). */
  unsupported: boolean;
}

function collect(out: Output[], status: number, unsupported: boolean): RunResult {
  let stdout = '';
  let stderr = '';
  let combined = '';
  for (const o of out) {
    if (o.stream === 'stdout') stdout += o.text;
    else stderr += o.text;
    combined += o.text;
  }
  return { chunks: out, stdout, stderr, combined, status, unsupported };
}

export class Session {
  readonly world = new World();
  private readonly shell: ShellState = newShellState();

  /** Runs a script as `bash NAME` would. Shell options (set -e) do not leak between scripts. */
  runScript(text: string, name: string): RunResult {
    const out: Output[] = [];
    const interp = new Interpreter(this.world, out, newShellState());
    const r = interp.runScript(text, name);
    return collect(out, r.status, r.unsupported);
  }

  /**
   * Runs one command line (continuations allowed), in the initial namespace or in `netns`
   * as `ip netns exec NETNS ...` would. Variables assigned by earlier commands persist.
   */
  runCommand(line: string, opts: { netns?: string; where?: string } = {}): RunResult {
    const out: Output[] = [];
    let ns: Netns = this.world.root;
    if (opts.netns !== undefined && opts.netns !== '') {
      const found = this.world.netns(opts.netns);
      if (!found) {
        out.push({ stream: 'stderr', text: `Cannot open network namespace "${opts.netns}": No such file or directory\n` });
        return collect(out, 1, false);
      }
      ns = found;
    }
    const interp = new Interpreter(this.world, out, this.shell);
    const where = opts.where ?? 'command';
    const joined = logicalLines(line)
      .map((l) => l.text)
      .join('\n');
    let words: string[];
    const extras: LineExtras = {};
    try {
      words = splitWords(joined, 1, this.shell.env, extras);
    } catch (e) {
      if (e instanceof ShellSyntaxError) {
        out.push({ stream: 'stderr', text: `netatlas: ${where}: ${e.message}\n` });
        return collect(out, 2, true);
      }
      throw e;
    }
    if (words.length === 0) return collect(out, 0, false);
    const r = interp.runWords(words, where, ns, extras);
    return collect(out, r.status, r.unsupported);
  }
}

/** `netatlas run A B ...`: run the scripts in order on one fresh model, like `bash A; bash B`. */
export function runScripts(scripts: { name: string; text: string }[]): RunResult {
  const session = new Session();
  const out: Output[] = [];
  let status = 0;
  let unsupported = false;
  for (const s of scripts) {
    const interp = new Interpreter(session.world, out, newShellState());
    const r = interp.runScript(s.text, s.name);
    status = r.status;
    if (r.unsupported) {
      unsupported = true;
      break;
    }
  }
  return collect(out, status, unsupported);
}
