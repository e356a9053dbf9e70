// `ip neigh add|replace|change|del|show|flush` (ipneigh.c).
import { KernelError } from '../../model/errno.ts';
import type { NeighEntry, NudState } from '../../model/neigh.ts';
import { formatIpv4, parseIpv4 } from '../../net/ipv4.ts';
import { parseMac } from '../../net/mac.ts';
import { Args, IpUsageError, matches, notModelled } from './args.ts';
import { requireDevice, type IpCtx } from './context.ts';
import { jsonLine, neighJson } from './json.ts';

const NUD: Record<string, NudState> = {
  permanent: 'PERMANENT',
  reachable: 'REACHABLE',
  stale: 'STALE',
  noarp: 'NOARP',
  delay: 'DELAY',
  probe: 'PROBE',
  failed: 'FAILED',
  incomplete: 'INCOMPLETE',
};

export function ipNeigh(ctx: IpCtx, a: Args): number {
  const cmd = a.done ? 'show' : a.next();
  if (matches(cmd, 'add')) return modify(ctx, a, 'add');
  if (matches(cmd, 'replace')) return modify(ctx, a, 'replace');
  if (matches(cmd, 'change') || cmd === 'chg') return modify(ctx, a, 'change');
  if (matches(cmd, 'delete')) return modify(ctx, a, 'del');
  if (matches(cmd, 'show') || matches(cmd, 'list') || matches(cmd, 'lst')) return show(ctx, a, false);
  if (matches(cmd, 'flush')) return show(ctx, a, true);
  throw new IpUsageError(`Command "${cmd}" is unknown, try "ip neigh help".`);
}

function modify(ctx: IpCtx, a: Args, op: 'add' | 'replace' | 'change' | 'del'): number {
  let dst: number | undefined;
  let lladdr: string | undefined;
  let devName: string | undefined;
  let state: NudState = 'PERMANENT';
  let router = false;
  let proxy = false;
  while (!a.done) {
    const tok = a.next();
    if (tok === 'lladdr') {
      const v = a.value();
      if (!parseMac(v)) throw new IpUsageError(`"${v}" is invalid lladdr.`, 1);
      lladdr = v.toLowerCase();
    } else if (tok === 'nud') {
      const v = a.value();
      const s = NUD[v];
      if (!s) throw new IpUsageError(`nud state "${v}" is invalid.`, 1);
      state = s;
    } else if (tok === 'dev') devName = a.value();
    else if (tok === 'router') router = true;
    else if (tok === 'proxy') proxy = true;
    else if (tok === 'to' || dst === undefined) {
      const v = tok === 'to' ? a.value() : tok;
      try {
        dst = parseIpv4(v);
      } catch {
        throw new IpUsageError(`Error: inet address is expected rather than "${v}".`, 1);
      }
    } else throw notModelled(tok, 'ip neigh');
  }
  if (devName === undefined || dst === undefined) throw new IpUsageError('Device and destination are required arguments.', 255);
  const dev = requireDevice(ctx, devName);
  const table = ctx.ns.neigh;
  const i = table.findIndex((n) => n.dst === dst && n.dev === dev && n.proxy === proxy);
  if (op === 'del') {
    if (i < 0) throw new KernelError('ENOENT');
    table.splice(i, 1);
    return 0;
  }
  if (i >= 0 && op === 'add') throw new KernelError('EEXIST');
  if (i < 0 && op === 'change') throw new KernelError('ENOENT');
  const entry: NeighEntry = { dst: dst as never, dev, state, router, proxy, ...(lladdr ? { lladdr: lladdr as never } : {}) };
  if (i >= 0) table[i] = entry;
  else table.push(entry);
  return 0;
}

function show(ctx: IpCtx, a: Args, flush: boolean): number {
  let devName: string | undefined;
  let nud: NudState | 'all' | undefined;
  let proxy = false;
  while (!a.done) {
    const tok = a.next();
    if (tok === 'dev') devName = a.value();
    else if (tok === 'nud') {
      const v = a.value();
      nud = v === 'all' ? 'all' : NUD[v];
      if (!nud) throw new IpUsageError(`nud state "${v}" is invalid.`, 1);
    } else if (tok === 'proxy') proxy = true;
    else throw notModelled(tok, 'ip neigh show');
  }
  const dev = devName !== undefined ? requireDevice(ctx, devName) : undefined;
  const rows = ctx.ns.neigh.filter(
    (n) => n.proxy === proxy && (!dev || n.dev === dev) && (nud === 'all' || (nud ? n.state === nud : n.state !== 'NOARP')),
  );
  if (flush) {
    if (!devName) throw new IpUsageError('Flush requires arguments.', 1);
    for (const n of rows) if (n.state !== 'PERMANENT' && n.state !== 'NOARP') ctx.ns.neigh.splice(ctx.ns.neigh.indexOf(n), 1);
    return 0;
  }
  if (ctx.opts.json) {
    ctx.out(jsonLine(rows.map((n) => neighJson(n, dev !== undefined)), ctx.opts.pretty));
    return 0;
  }
  for (const n of rows) {
    let s = `${formatIpv4(n.dst)} `;
    if (!dev) s += `dev ${n.dev.name} `;
    if (n.lladdr) s += `lladdr ${n.lladdr} `;
    if (n.router) s += 'router ';
    if (n.proxy) s += 'proxy ';
    s += `${n.state} `;
    ctx.out(s + '\n');
  }
  return 0;
}
