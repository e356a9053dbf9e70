// What one `ip` invocation carries: global options and the namespace it acts on.
import type { Device } from '../../model/device.ts';
import type { Netns } from '../../model/netns.ts';
import { eprint, print, type ToolContext } from '../tool.ts';
import { IpUsageError } from './args.ts';

export interface IpOptions {
  family: 4 | 6 | 0;
  details: boolean;
  brief: boolean;
  json: boolean;
  oneline: boolean;
  /** -pretty: indented JSON (iproute2 ignores it without -json). */
  pretty: boolean;
  stats: boolean;
}

export interface IpCtx {
  tool: ToolContext;
  ns: Netns;
  opts: IpOptions;
  out(text: string): void;
  err(text: string): void;
}

export function makeIpCtx(tool: ToolContext, ns: Netns, opts: IpOptions): IpCtx {
  return { tool, ns, opts, out: (t) => print(tool, t), err: (t) => eprint(tool, t) };
}

/** `Cannot find device "X"` (exit 1), as ll_name_to_index failures print. */
export function requireDevice(ctx: IpCtx, name: string): Device {
  const dev = ctx.ns.device(name);
  if (!dev) throw new IpUsageError(`Cannot find device "${name}"`, 1);
  return dev;
}
