// `ip neigh add|replace|change|del|show|flush` (ipneigh.c).
import { KernelError } from '../../model/errno.ts';
import { neighAdd, nudValid, type NudState } from '../../model/neigh.ts';
import { formatIpv4, parseIproute2Ipv4, parseIpv4Interface, maskOf, type Ipv4Addr } from '../../net/ipv4.ts';
import { parseLladdr } from './link-args.ts';
import { Args, IpUsageError, matches, notModelled } from './args.ts';
import { requireDevice, type IpCtx } from './context.ts';
import { jsonLine, neighJson } from './json.ts';
import { learnedStateRefusal } from '../../trace/traffic-seen.ts';
import { UnsupportedError } from '../tool.ts';

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
  let lla: string | undefined;
  let devName: string | undefined;
  let state: NudState = 'PERMANENT';
  let router = false;
  let proxy = false;
  while (!a.done) {
    const tok = a.next();
    if (tok === 'lladdr') {
      lla = a.value();
    } else if (tok === 'nud') {
      const v = a.value();
      const s = NUD[v];
      if (!s) throw new IpUsageError(`Error: argument "${v}" is wrong: nud state is bad`, 255);
      state = s;
    } else if (tok === 'dev') devName = a.value();
    else if (tok === 'router') router = true;
    else if (tok === 'proxy') proxy = true;
    else if (tok === 'to' || dst === undefined) {
      const v = tok === 'to' ? a.value() : tok;
      dst = parseIproute2Ipv4(v);
      if (dst === undefined) {
        if (v.includes(':')) throw notModelled(v, 'ip neigh (IPv6)');
        throw new IpUsageError(`Error: any valid address is expected rather than "${v}".`, 1);
      }
    } else throw notModelled(tok, 'ip neigh');
  }
  if (devName === undefined || dst === undefined) throw new IpUsageError('Device and destination are required arguments.', 255);
  // ipneigh.c parses lladdr after the arguments (ll_addr_a2n into a 20-byte buffer; the
  // kernel judges the length); "null" sends none.
  const lladdr = lla !== undefined && lla !== 'null' ? parseLladdr(lla, 20) : undefined;
  const dev = requireDevice(ctx, devName);
  const table = ctx.ns.neigh;
  if (op === 'del') {
    const i = table.findIndex((n) => n.dst === dst && n.dev === dev && n.proxy === proxy);
    if (i < 0) throw new KernelError('ENOENT');
    table.splice(i, 1);
    return 0;
  }
  neighAdd(ctx.ns, { dst: dst as Ipv4Addr, dev, state, router, proxy, ...(lladdr ? { lladdr } : {}) }, op);
  return 0;
}

function show(ctx: IpCtx, a: Args, flush: boolean): number {
  const refusal = learnedStateRefusal(ctx.ns.world, ctx.ns.name, `ip neigh ${flush ? 'flush' : 'show'}`);
  if (refusal) throw new UnsupportedError(refusal, 'neigh');
  let devName: string | undefined;
  let nud: NudState | 'all' | undefined;
  let proxy = false;
  let pfx: { addr: number; len: number } | undefined;
  while (!a.done) {
    const tok = a.next();
    if (tok === 'dev') devName = a.value();
    else if (tok === 'nud') {
      const v = a.value();
      nud = v === 'all' ? 'all' : NUD[v];
      if (!nud) throw new IpUsageError(`Error: argument "${v}" is wrong: nud state is bad`, 255);
    } else if (tok === 'proxy') proxy = true;
    else if (tok === 'to' || pfx === undefined) {
      // ipneigh.c: get_prefix(&filter.pfx, ...); a bare word is the prefix.
      const v = tok === 'to' ? a.value() : tok;
      try {
        pfx = parseIpv4Interface(v);
      } catch {
        if (v.includes(':')) throw notModelled(v, 'ip neigh show (IPv6)');
        throw new IpUsageError(`Error: any valid prefix is expected rather than "${v}".`, 1);
      }
    } else throw notModelled(tok, 'ip neigh show');
  }
  const dev = devName !== undefined ? requireDevice(ctx, devName) : undefined;
  const rows = ctx.ns.neigh.filter(
    (n) =>
      n.proxy === proxy &&
      (!dev || n.dev === dev) &&
      (!pfx || ((n.dst ^ pfx.addr) & maskOf(pfx.len)) === 0) &&
      (nud === 'all' || (nud ? n.state === nud : n.state !== 'NOARP' && n.state !== 'NONE')),
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
    // The kernel sends NDA_LLADDR only for a state that has one (NUD_VALID).
    if (n.lladdr && (nudValid(n.state) || n.proxy)) s += `lladdr ${n.lladdr} `;
    if (n.router) s += 'router ';
    if (n.proxy) s += 'proxy ';
    if (n.state !== 'NONE') s += `${n.state} `;
    ctx.out(s + '\n');
  }
  return 0;
}
