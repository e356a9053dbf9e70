// iproute2's argument conventions: keywords match by prefix (`matches()`), NEXT_ARG
// complains when a value is missing, and every complaint names the offending token.
import { strtoul } from '../../net/ipv4.ts';
import { UnsupportedError } from '../tool.ts';

/** iproute2's matches(): `arg` is a non-empty prefix of `keyword`. */
export function matches(arg: string, keyword: string): boolean {
  return arg.length > 0 && arg.length <= keyword.length && keyword.startsWith(arg);
}

/** An error iproute2 itself prints (to stderr) before exiting with status 255 or 1. */
export class IpUsageError extends Error {
  readonly status: number;
  constructor(message: string, status = 255) {
    super(message);
    this.name = 'IpUsageError';
    this.status = status;
  }
}

export class Args {
  private i = 0;
  private readonly argv: readonly string[];
  constructor(argv: readonly string[]) {
    this.argv = argv;
  }

  get done(): boolean {
    return this.i >= this.argv.length;
  }

  peek(): string | undefined {
    return this.argv[this.i];
  }

  next(): string {
    const v = this.argv[this.i++];
    if (v === undefined) throw new IpUsageError('Command line is not complete. Try option "help"');
    return v;
  }

  /** NEXT_ARG(): the value after a keyword. */
  value(): string {
    if (this.i >= this.argv.length) throw new IpUsageError('Command line is not complete. Try option "help"');
    return this.argv[this.i++]!;
  }

  rest(): string[] {
    const r = this.argv.slice(this.i);
    this.i = this.argv.length;
    return r;
  }
}

/** iproute2's "Error: either "to" is duplicate, or "X" is a garbage." */
export function duplicateOrGarbage(keyword: string, token: string): IpUsageError {
  return new IpUsageError(`Error: either "${keyword}" is duplicate, or "${token}" is a garbage.`);
}

export function invalidArg(what: string, token: string): IpUsageError {
  return new IpUsageError(`Error: argument "${token}" is wrong: ${what}`);
}

export function notModelled(token: string, context: string): UnsupportedError {
  return new UnsupportedError(`${context}: "${token}" is not supported by the model`, token);
}

/**
 * C's strtoul(token, &end, 0) taking the whole token (get_unsigned, rtnl_*_a2n): leading
 * blanks and a sign allowed, `0x` hex, a leading `0` octal (`08` is refused, `010` is 8);
 * undefined when something is left over or the value is above `max`.
 */
export function cUnsigned(token: string, max = 0xffffffff): number | undefined {
  if (token === '') return undefined;
  const { value, end } = strtoul(token);
  if (end === 0 || end !== token.length || value > max) return undefined;
  return value;
}

export function parseU32(token: string, what: string): number {
  const n = cUnsigned(token);
  if (n === undefined) throw invalidArg(what, token);
  return n;
}

/** rtnl_dsfield_a2n: a TOS/dsfield is read in base 16 (`tos 08`, `tos 0x10`, `tos 10` = 16), at most 255. */
export function parseDsfield(token: string, what: string): number {
  const m = /^[ \t\n\v\f\r]*\+?(?:0[xX])?([0-9a-fA-F]+)$/.exec(token);
  const n = m ? parseInt(m[1]!.slice(-8).padStart(1, '0'), 16) : NaN;
  if (!m || m[1]!.replace(/^0+/, '').length > 2 || n > 255) throw invalidArg(what, token);
  return n;
}
