// The contract between the shell interpreter and each modelled tool (ip, bridge, sysctl...).
import type { Netns } from '../model/netns.ts';
import type { World } from '../model/world.ts';

export interface Output {
  stream: 'stdout' | 'stderr';
  text: string;
}

export interface ToolContext {
  world: World;
  /** The namespace the command runs in (`ip netns exec` changes it). */
  ns: Netns;
  /** Script name and line, for messages about unsupported input. */
  where: string;
  out: Output[];
  /** Runs a nested command line (for `ip netns exec NS cmd ...`). */
  exec(argv: string[], ns: Netns): number;
  /** The command line ended in `&` (only tools with `inBackground` get it). */
  background?: boolean;
  /** A here-string's text (`<<< WORD`: WORD and a newline; only tools with `readsStdin`). */
  stdin?: string;
}

/** A tool runs one command and returns its exit status; it writes through ctx.out. */
export type Tool = ((argv: string[], ctx: ToolContext) => number) & {
  /** The tool can be started as a background job (`cmd &`). */
  inBackground?: boolean;
  /** The tool reads its stdin (`cmd <<< WORD`). */
  readsStdin?: boolean;
};

export function print(ctx: ToolContext, text: string): void {
  ctx.out.push({ stream: 'stdout', text });
}

export function eprint(ctx: ToolContext, text: string): void {
  ctx.out.push({ stream: 'stderr', text });
}

/** Thrown by a tool for input the model does not support: the run stops with a clear message. */
export class UnsupportedError extends Error {
  readonly token: string;
  constructor(message: string, token: string) {
    super(message);
    this.name = 'UnsupportedError';
    this.token = token;
  }
}
