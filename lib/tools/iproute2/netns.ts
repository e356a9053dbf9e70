// `ip netns add|del|list|exec`.
import { Args, IpUsageError, matches } from './args.ts';
import type { IpCtx } from './context.ts';
import { destroyNetns } from '../../model/netns-ops.ts';

export function ipNetns(ctx: IpCtx, a: Args): number {
  const world = ctx.ns.world;
  const cmd = a.done ? 'list' : a.next();
  if (matches(cmd, 'list') || cmd === 'show') {
    // netns_list: ` (id: N)` when the namespace ip runs in has an id for it.
    for (const ns of [...world.namespaces()].reverse()) {
      const id = ctx.ns.knownPeerId(ns);
      ctx.out(`${ns.name}${id !== undefined ? ` (id: ${id})` : ''}\n`);
    }
    return 0;
  }
  if (cmd === 'add') {
    const name = a.value();
    if (world.hasNetns(name)) {
      ctx.err(`Cannot create namespace file "/run/netns/${name}": File exists\n`);
      return 1;
    }
    world.addNetns(name);
    return 0;
  }
  if (matches(cmd, 'delete')) {
    const name = a.value();
    if (!world.hasNetns(name)) {
      ctx.err(`Cannot remove namespace file "/run/netns/${name}": No such file or directory\n`);
      return 1;
    }
    destroyNetns(world, name);
    return 0;
  }
  if (matches(cmd, 'exec')) {
    const name = a.value();
    const ns = world.netns(name);
    if (!ns) {
      ctx.err(`Cannot open network namespace "${name}": No such file or directory\n`);
      return 1;
    }
    const rest = a.rest();
    if (rest.length === 0) throw new IpUsageError('No command specified', 255);
    return ctx.tool.exec(rest, ns);
  }
  throw new IpUsageError(`Command "${cmd}" is unknown, try "ip netns help".`);
}
