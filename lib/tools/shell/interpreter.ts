// Runs a script line by line against the model, as `bash SCRIPT` would on a root shell:
// `set -e`/`-u`/`-x`, variable assignments, and each command dispatched to its tool.
import type { Netns } from '../../model/netns.ts';
import type { World } from '../../model/world.ts';
import { findTool, toolNames } from '../registry.ts';
import { UnsupportedError, type Output, type ToolContext } from '../tool.ts';
import { logicalLines, ShellSyntaxError, splitWords, type LineExtras } from './lexer.ts';

export interface ShellState {
  env: Map<string, string>;
  errexit: boolean;
  xtrace: boolean;
}

export function newShellState(): ShellState {
  return { env: new Map(), errexit: false, xtrace: false };
}

export interface ScriptOutcome {
  status: number;
  /** True when the run stopped because the model could not honour a command. */
  unsupported: boolean;
}

const ASSIGN = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s;

export class Interpreter {
  readonly world: World;
  readonly out: Output[];
  readonly state: ShellState;

  constructor(world: World, out: Output[], state: ShellState = newShellState()) {
    this.world = world;
    this.out = out;
    this.state = state;
  }

  /** Runs a whole script. `name` is what bash would call it in its messages. */
  runScript(text: string, name: string, ns: Netns = this.world.root): ScriptOutcome {
    let status = 0;
    const refused = scriptBytesRefused(text, name);
    if (refused) {
      this.out.push({ stream: 'stderr', text: refused.message });
      return { status: refused.status, unsupported: refused.status === 2 };
    }
    this.state.env.set('0', name);
    for (const { line, text: src } of logicalLines(text)) {
      let words: string[];
      const extras: LineExtras = {};
      try {
        words = splitWords(src, line, this.state.env, extras);
      } catch (e) {
        if (e instanceof ShellSyntaxError) {
          this.out.push({ stream: 'stderr', text: `netatlas: ${name}:${e.line}: ${e.message}\n` });
          return { status: 2, unsupported: true };
        }
        throw e;
      }
      if (words.length === 0) continue;
      const r = this.runWords(words, `${name}:${line}`, ns, extras);
      if (r.unsupported) return r;
      status = r.status;
      if (status !== 0 && this.state.errexit) return { status, unsupported: false };
    }
    return { status, unsupported: false };
  }

  /** Runs one command line (already split into words). */
  runWords(words: string[], where: string, ns: Netns, extras: LineExtras = {}): ScriptOutcome {
    let i = 0;
    while (i < words.length && ASSIGN.test(words[i]!)) i++;
    if (i === words.length) {
      for (const w of words) {
        const m = ASSIGN.exec(w)!;
        this.state.env.set(m[1]!, m[2]!);
      }
      this.state.env.set('?', '0');
      return { status: 0, unsupported: false };
    }
    const argv = words.slice(i);
    if (this.state.xtrace) this.out.push({ stream: 'stderr', text: `+ ${argv.join(' ')}\n` });
    try {
      if (argv[0] === 'set') return this.builtinSet(argv);
      if ((extras.background || extras.stdin !== undefined) && i > 0) throw new UnsupportedError('variable assignments before a background or here-string command are not modelled', words[0]!);
      const status = this.dispatch(argv, ns, where, extras);
      // A background job: bash goes on at once and $? is 0.
      if (extras.background) {
        this.state.env.set('?', '0');
        return { status: 0, unsupported: false };
      }
      this.state.env.set('?', String(status));
      return { status, unsupported: false };
    } catch (e) {
      if (e instanceof UnsupportedError) {
        this.out.push({ stream: 'stderr', text: `netatlas: ${where}: ${e.message}\n` });
        return { status: 2, unsupported: true };
      }
      // Any other failure is a gap in the model: say so in one line and stop the run, keeping
      // the output so far (never a stack trace).
      const what = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
      this.out.push({ stream: 'stderr', text: `netatlas: ${where}: the model failed on "${argv.join(' ').slice(0, 200)}" (${what}); please report it\n` });
      return { status: 2, unsupported: true };
    }
  }

  private dispatch(argv: string[], ns: Netns, where: string, extras: LineExtras = {}): number {
    const name = argv[0]!;
    const tool = findTool(name);
    if (!tool) {
      const hint = name.endsWith('\r')
        ? ' (the line ends in a carriage return: the script has Windows CRLF line endings, which bash also fails on; convert it with dos2unix)'
        : '';
      throw new UnsupportedError(
        `"${JSON.stringify(name).slice(1, -1)}" is not a command the model runs (it runs: ${toolNames().join(', ')})${hint}`,
        name,
      );
    }
    // `ip netns exec NS cmd` hands its command on: the job and its stdin go with it.
    const wrapper = name === 'ip' && argv[1] === 'netns' && argv[2] === 'exec';
    if (extras.background && !tool.inBackground && !wrapper) throw new UnsupportedError(`"${name} ... &": the model runs in the background only a server it keeps (socat ... &)`, '&');
    if (extras.stdin !== undefined && !tool.readsStdin && !wrapper) throw new UnsupportedError(`"${name} ... <<< ...": ${name} does not read stdin in the model`, '<<<');
    const ctx: ToolContext = {
      world: this.world,
      ns,
      where,
      out: this.out,
      exec: (nested, nestedNs) => this.dispatch(nested, nestedNs, where, extras),
      ...(extras.background ? { background: true } : {}),
      ...(extras.stdin !== undefined ? { stdin: extras.stdin } : {}),
    };
    return tool(argv, ctx);
  }

  private builtinSet(argv: string[]): ScriptOutcome {
    for (const a of argv.slice(1)) {
      const m = /^([-+])([euxo]+)$/.exec(a);
      if (!m) {
        if (a === 'pipefail' || a === '-o') continue;
        throw new UnsupportedError(`set: option "${a}" is not supported (use -e, -u, -x)`, a);
      }
      const on = m[1] === '-';
      for (const f of m[2]!) {
        if (f === 'e') this.state.errexit = on;
        if (f === 'x') this.state.xtrace = on;
        if (f === 'u') this.state.env.set('-u', on ? '1' : '0');
      }
    }
    this.state.env.set('?', '0');
    return { status: 0, unsupported: false };
  }
}

/**
 * Bytes bash would not read as a script: a NUL in the first line makes bash refuse the file
 * ("cannot execute binary file", status 126); a NUL further on or a UTF-8 byte order mark
 * (which bash reads as part of the first command) stop the model with a message saying so.
 */
export function scriptBytesRefused(text: string, name: string): { message: string; status: number } | undefined {
  const nul = text.indexOf('\0');
  if (nul >= 0) {
    const line = countLines(text, nul);
    if (line === 1) return { message: `${name}: ${name}: cannot execute binary file\n`, status: 126 };
    return {
      message: `netatlas: ${name}:${line}: the script contains a NUL byte (bash drops it without a word); remove it\n`,
      status: 2,
    };
  }
  if (text.startsWith('\ufeff')) {
    return {
      message: `netatlas: ${name}:1: the script starts with a UTF-8 byte order mark (BOM), which bash reads as part of the first command's name (and then fails with "command not found"); save the file without it\n`,
      status: 2,
    };
  }
  return undefined;
}

function countLines(text: string, upTo: number): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < upTo; i = text.indexOf('\n', i + 1)) n++;
  return n;
}
