// `ip route add|del|replace|append|prepend|change|show|get|flush` (iproute.c).
import { Scope, type Device } from '../../model/device.ts';
import { KernelError } from '../../model/errno.ts';
import { addRoute, deleteRoute, fibTableExists, type NexthopSpec, type RouteOp } from '../../model/route-config.ts';
import { inputRoute, nexthopGateway, outputRoute } from '../../model/route-resolve.ts';
import { RouteTypes, Table, type Route, type RouteType } from '../../model/route.ts';
import { AddressError, formatIpv4, maskOf, parseIproute2Ipv4, parseIpv4Interface, prefixContains, networkOf, type Ipv4Addr, type Ipv4Prefix } from '../../net/ipv4.ts';
import { Args, cUnsigned, IpUsageError, matches, notModelled, parseDsfield, parseU32 } from './args.ts';
import { requireDevice, type IpCtx } from './context.ts';
import { UnsupportedError } from '../tool.ts';
import { parseProto, parseScope, parseTable } from './names.ts';
import { printPmtu, printResolved, printRoute, type RouteFilterView } from './print-route.ts';
import { allExceptions, flushRouteCache } from '../../model/pmtu.ts';
import { formatRoute6, ipv6Routes, route6Json } from './print-route6.ts';
import { jsonLine, resolvedJson, routeJson } from './json.ts';

export function ipRoute(ctx: IpCtx, a: Args): number {
  const cmd = a.done ? 'show' : a.next();
  if (cmd === 'add') return modify(ctx, a, 'add');
  if (cmd === 'append') return modify(ctx, a, 'append');
  if (cmd === 'prepend') return modify(ctx, a, 'prepend');
  if (matches(cmd, 'replace')) return modify(ctx, a, 'replace');
  if (matches(cmd, 'change') || cmd === 'chg') return modify(ctx, a, 'change');
  if (matches(cmd, 'delete')) return modify(ctx, a, 'delete');
  if (matches(cmd, 'show') || matches(cmd, 'list') || matches(cmd, 'lst')) return show(ctx, a, false);
  if (matches(cmd, 'flush')) return show(ctx, a, true);
  if (matches(cmd, 'get')) return get(ctx, a);
  throw new IpUsageError(`Command "${cmd}" is unknown, try "ip route help".`);
}

/** get_prefix: host bits are cleared for show filters; `asWritten` keeps them for the kernel to judge. */
function prefix(tok: string, asWritten = false): Ipv4Prefix {
  try {
    const p = parseIpv4Interface(tok);
    return { addr: asWritten ? p.addr : networkOf(p.addr, p.len), len: p.len };
  } catch (e) {
    if (e instanceof AddressError) {
      if (tok.includes(':')) throw notModelled(tok, 'ip route (IPv6 routes)');
      throw new IpUsageError(`Error: any valid prefix is expected rather than "${tok}".`, 1);
    }
    throw e;
  }
}

/** get_addr for `via`, `src` (and get_prefix for `from`): iproute2's own parse errors, status 1. */
function address(tok: string, what: string, kind: 'address' | 'prefix' = 'address'): Ipv4Addr {
  const a = tok.includes('/') && kind === 'prefix' ? (() => {
    try {
      return parseIpv4Interface(tok).addr;
    } catch {
      return undefined;
    }
  })() : parseIproute2Ipv4(tok);
  if (a !== undefined) return a;
  if (tok.includes(':')) throw notModelled(tok, 'ip route (IPv6)');
  throw new IpUsageError(`Error: ${what} ${kind} is expected rather than "${tok}".`, 1);
}

/** `table` of add/del: "table" value is invalid (invarg's message carries its own newline). */
function table(tok: string, what = '"table" value is invalid'): number {
  const t = parseTable(tok);
  if (t === undefined) throw new IpUsageError(`Error: argument "${tok}" is wrong: ${what}\n`, 255);
  return t;
}

function modify(ctx: IpCtx, a: Args, op: RouteOp | 'delete'): number {
  let type: RouteType | undefined;
  let dst: Ipv4Prefix | undefined;
  let gw: Ipv4Addr | undefined;
  let devName: string | undefined;
  let tableId: number | undefined;
  let proto: number | undefined;
  let scope: number | undefined;
  let metric: number | undefined;
  let prefsrc: Ipv4Addr | undefined;
  let onlink = false;
  let tos = 0;
  let multipath: NexthopSpec[] | undefined;
  // iproute2 names the family in its messages: AF_INET once -4 or a destination other than
  // default/all/any set it, AF_UNSPEC ("any valid") before.
  const fam = (): string => (ctx.opts.family === 4 || dstWord !== undefined || gw !== undefined ? 'inet' : 'any valid');
  let dstWord: string | undefined;
  const prefixNoting = (t: string): Ipv4Prefix => {
    const p = prefix(t, true);
    if (t !== 'default' && t !== 'all' && t !== 'any') dstWord = t;
    return p;
  };
  while (!a.done) {
    const tok = a.next();
    if (tok === 'via') {
      const v = a.value();
      if (v === 'inet') gw = address(a.value(), 'inet');
      else gw = address(v, fam());
    } else if (tok === 'dev' || tok === 'oif') devName = a.value();
    else if (tok === 'table') tableId = table(a.value());
    else if (tok === 'proto' || tok === 'protocol') {
      const v = a.value();
      proto = parseProto(v);
      if (proto === undefined) throw new IpUsageError(`Error: argument "${v}" is wrong: "protocol" value is invalid\n`, 255);
    } else if (tok === 'scope') {
      const v = a.value();
      scope = parseScope(v);
      if (scope === undefined) throw new IpUsageError(`Error: argument "${v}" is wrong: invalid "scope" value\n`, 255);
    } else if (tok === 'metric' || tok === 'priority' || tok === 'preference') metric = parseU32(a.value(), '"metric" value is invalid\n');
    else if (tok === 'src') prefsrc = address(a.value(), fam());
    else if (tok === 'onlink') onlink = true;
    else if (tok === 'tos' || tok === 'dsfield') tos = parseDsfield(a.value(), '"tos" value is invalid\n');
    else if (tok === 'nexthop') {
      multipath = parseNexthops(ctx, a, fam);
    } else if (tok === 'to') dst = prefixNoting(a.value());
    else if ((RouteTypes as readonly string[]).includes(tok) && dst === undefined) type = tok as RouteType;
    else if (dst === undefined) dst = prefixNoting(tok);
    else throw notModelled(tok, `ip route ${op}`);
  }
  if (dst === undefined) throw new IpUsageError('Error: destination prefix is expected.', 255);
  const dev = devName !== undefined ? requireDevice(ctx, devName) : undefined;
  if (op === 'delete') {
    // iproute_modify picks a scope for typed deletes too (local/nat host; broadcast,
    // multicast, anycast link); only unicast deletes leave it open (RT_SCOPE_NOWHERE).
    if (scope === undefined && type !== undefined) {
      if (type === 'local' || type === 'nat') scope = Scope.host;
      else if (type === 'broadcast' || type === 'multicast' || type === 'anycast') scope = Scope.link;
    }
    deleteRoute(ctx.ns, {
      table: tableId ?? (type === 'local' || type === 'broadcast' || type === 'nat' || type === 'anycast' ? Table.local : Table.main),
      dst,
      tos,
      ...(type !== undefined ? { type } : {}),
      ...(metric !== undefined ? { metric } : {}),
      ...(proto !== undefined ? { proto } : {}),
      ...(scope !== undefined ? { scope } : {}),
      ...(prefsrc !== undefined ? { prefsrc } : {}),
      ...(gw !== undefined ? { gw } : {}),
      ...(dev ? { dev } : {}),
      ...(multipath ? { multipath } : {}),
    });
    return 0;
  }
  const t: RouteType = type ?? 'unicast';
  const defaultTable = t === 'local' || t === 'broadcast' || t === 'nat' || t === 'anycast' ? Table.local : Table.main;
  const defaultScope =
    t === 'local' || t === 'nat'
      ? Scope.host
      : t === 'broadcast' || t === 'multicast' || t === 'anycast'
        ? Scope.link
        : t === 'unicast' && gw === undefined && multipath === undefined
          ? Scope.link
          : Scope.universe;
  addRoute(
    ctx.ns,
    {
      table: tableId ?? defaultTable,
      type: t,
      dst,
      tos,
      metric: metric ?? 0,
      proto: proto ?? 3,
      scope: scope ?? defaultScope,
      onlink,
      ...(prefsrc !== undefined ? { prefsrc } : {}),
      ...(gw !== undefined ? { gw } : {}),
      ...(dev ? { dev } : {}),
      ...(multipath ? { multipath } : {}),
    },
    op,
  );
  return 0;
}

/**
 * parse_nexthops (iproute.c), after the first `nexthop`: the rest of the line is nexthops,
 * each `[via ADDR] [dev NAME] [weight 1..256] [onlink]`.
 */
function parseNexthops(ctx: IpCtx, a: Args, fam: () => string): NexthopSpec[] {
  const list: NexthopSpec[] = [];
  for (;;) {
    if (a.done) throw new IpUsageError('Error: unexpected end of line after "nexthop"');
    const nh: NexthopSpec = { onlink: false, weight: 1 };
    // parse_one_nh: keywords until one it does not know.
    while (!a.done) {
      const tok = a.peek()!;
      if (tok === 'via') {
        a.next();
        const v = a.value();
        nh.gw = v === 'inet' ? address(a.value(), 'inet') : address(v, fam());
      } else if (tok === 'dev') {
        a.next();
        const name = a.value();
        const dev = ctx.ns.device(name);
        if (!dev) throw new IpUsageError(`Cannot find device "${name}"\nError: cannot parse nexthop`);
        nh.dev = dev;
      } else if (tok === 'weight') {
        a.next();
        const v = a.value();
        const w = cUnsigned(v);
        if (w === undefined || w === 0 || w > 256) throw new IpUsageError(`Error: argument "${v}" is wrong: "weight" is invalid\n`);
        nh.weight = w;
      } else if (tok === 'onlink') {
        a.next();
        nh.onlink = true;
      } else if (['realms', 'encap', 'as', 'pervasive'].includes(tok)) throw notModelled(tok, 'ip route nexthop');
      else break;
    }
    list.push(nh);
    if (a.done) return list;
    const tok = a.next();
    if (tok !== 'nexthop') throw new IpUsageError(`Error: "nexthop" or end of line is expected instead of "${tok}"`);
  }
}

interface ShowFilter {
  table: number | 'all';
  tableGiven: boolean;
  dev?: Device;
  proto?: number;
  scope?: number;
  type?: RouteType;
  root?: Ipv4Prefix;
  match?: Ipv4Prefix;
  via?: { addr: number; len: number };
  src?: Ipv4Addr;
}

/** `ip route show cache` / `flush cache` (filter.cloned): the path MTU exceptions. */
function cached(ctx: IpCtx, a: Args, flush: boolean): number {
  if (!a.done) throw new UnsupportedError(`ip route ${flush ? 'flush' : 'show'} cache: selectors after "cache" are not modelled (got "${a.peek()}")`, a.peek() ?? 'cache');
  if (flush) {
    // iproute_flush_cache writes net.ipv4.route.flush; the IPv6 half has no cached routes here.
    flushRouteCache(ctx.ns);
    return 0;
  }
  if (ctx.opts.json) throw new UnsupportedError('ip -j route show cache is not modelled', 'cache');
  for (const { route, nh, exc } of allExceptions(ctx.ns)) {
    if (route.table !== Table.main) throw new UnsupportedError(`ip route show cache: an exception on a route of table ${route.table} is not modelled`, 'cache');
    const gw = nexthopGateway(nh);
    const via = gw !== undefined ? `via ${formatIpv4(gw)} ` : '';
    ctx.out(`${formatIpv4(exc.daddr)} ${via}dev ${nh.dev!.name} \n    cache ${printPmtu(exc)}\n`);
  }
  return 0;
}

function show(ctx: IpCtx, a: Args, flush: boolean): number {
  if (!a.done && ['cache', 'cached', 'cloned'].includes(a.peek()!)) {
    a.next();
    return cached(ctx, a, flush);
  }
  const f: ShowFilter = { table: Table.main, tableGiven: false };
  while (!a.done) {
    const tok = a.next();
    if (tok === 'table') {
      const v = a.value();
      const t = v === 'all' ? 0 : table(v, 'table id value is invalid');
      // RT_TABLE_UNSPEC (all, or 0) filters nothing: every table is dumped.
      f.table = t === 0 ? 'all' : t;
      f.tableGiven = t !== 0;
    } else if (tok === 'dev' || tok === 'oif') f.dev = requireDevice(ctx, a.value());
    else if (tok === 'proto' || tok === 'protocol') {
      const v = a.value();
      const p = parseProto(v);
      if (p === undefined) throw new IpUsageError(`Error: argument "${v}" is wrong: invalid "protocol"\n`, 255);
      f.proto = p;
    } else if (tok === 'scope') {
      const v = a.value();
      const s = parseScope(v);
      if (s === undefined) throw new IpUsageError(`Error: argument "${v}" is wrong: invalid "scope"\n`, 255);
      f.scope = s;
    } else if (tok === 'type') {
      const v = a.value();
      if (!(RouteTypes as readonly string[]).includes(v)) throw new IpUsageError(`Error: argument "${v}" is wrong: node type value is invalid\n`, 255);
      f.type = v as RouteType;
    } else if (tok === 'root') f.root = prefix(a.value());
    else if (tok === 'match') f.match = prefix(a.value());
    else if (tok === 'exact') {
      const p = prefix(a.value());
      f.root = p;
      f.match = p;
    } else if (tok === 'via') {
      // get_prefix: `via 10.1.1.0/24` matches gateways in it; a host address also drops the
      // `via` from each line (print_route: filter.rvia.bitlen == host_len).
      const v = a.value();
      try {
        f.via = parseIpv4Interface(v);
      } catch {
        if (v.includes(':')) throw notModelled(v, 'ip route show via (IPv6)');
        throw new IpUsageError(`Error: any valid prefix is expected rather than "${v}".`, 1);
      }
    }
    else if (tok === 'src') f.src = address(a.value(), 'inet');
    else if ((RouteTypes as readonly string[]).includes(tok)) f.type = tok as RouteType;
    else {
      const p = prefix(tok);
      f.root = p;
      f.match = p;
    }
  }
  // `show` of main never fails (iproute2 filters main itself); `flush` asks the kernel for
  // the table, main included.
  if (f.table !== 'all' && (flush || f.table !== Table.main) && !fibTableExists(ctx.ns, f.table)) {
    // inet_dump_fib with RTA_TABLE: ENOENT and an extack for a table the kernel never made.
    ctx.err(`Error: ipv4: FIB table does not exist.\n${flush ? 'Flush' : 'Dump'} terminated\n`);
    // With -j the array was opened before the dump failed and is never closed; stdout is
    // flushed at exit, after the error.
    if (ctx.opts.json && !flush) ctx.out(ctx.opts.pretty ? '[ ' : '[');
    return 2;
  }
  const tables = f.table === 'all' ? ctx.ns.tablesInDumpOrder() : [ctx.ns.existingTable(f.table)].filter((t) => t !== undefined);
  const view: RouteFilterView = {
    tableGiven: f.tableGiven,
    devGiven: f.dev !== undefined,
    protoGiven: f.proto !== undefined,
    scopeGiven: f.scope !== undefined,
    typeGiven: false,
    viaHost: f.via?.len === 32,
    details: ctx.opts.details,
  };
  const selected: Route[] = [];
  for (const t of tables) {
    for (const r of t.all()) if (keep(r, f)) selected.push(r);
  }
  if (flush) {
    for (const r of selected) ctx.ns.existingTable(r.table)?.remove(r);
    return 0;
  }
  const v4 = ctx.opts.family !== 6 ? selected : [];
  const wantV6 = ctx.opts.family === 6 || (ctx.opts.family === 0 && f.table === 'all');
  // A type filter keeps the IPv6 routes of that type too (fe80::/64 is unicast).
  const v6 =
    wantV6 && !f.root && !f.match && !f.via && !f.src && f.scope === undefined
      ? ipv6Routes(ctx.ns, f.table, f.dev, f.proto).filter((r) => f.type === undefined || (r.type ?? 'unicast') === f.type)
      : [];
  const tableShown = !f.tableGiven;
  if (ctx.opts.json) {
    ctx.out(jsonLine([...v4.map((r) => routeJson(r, view)), ...v6.map((r) => route6Json(r, tableShown))], ctx.opts.pretty));
    return 0;
  }
  // -oneline: _SL_ is a backslash in place of the line breaks inside a multipath route.
  for (const r of v4) ctx.out(ctx.opts.oneline ? printRoute(r, view).replace(/\n(?=.)/g, '\\') : printRoute(r, view));
  for (const r of v6) ctx.out(formatRoute6(r, tableShown));
  return 0;
}

function keep(r: Route, f: ShowFilter): boolean {
  if (f.type !== undefined && r.type !== f.type) return false;
  // iproute2 filters on RTA_OIF and RTA_GATEWAY, which a multipath route does not carry.
  if (f.dev && !(r.nexthops.length === 1 && r.nexthops[0]!.dev === f.dev)) return false;
  if (f.proto !== undefined && r.proto !== f.proto) return false;
  if (f.scope !== undefined && r.scope !== f.scope) return false;
  if (f.via !== undefined) {
    const gw = r.nexthops.length === 1 ? r.nexthops[0]!.gw : undefined;
    if (gw === undefined || ((gw ^ f.via.addr) & maskOf(f.via.len)) !== 0) return false;
  }
  if (f.src !== undefined && r.prefsrc !== f.src) return false;
  if (f.root && !(r.dst.len >= f.root.len && prefixContains(f.root, r.dst.addr))) return false;
  if (f.match && !(r.dst.len <= f.match.len && prefixContains(r.dst, f.match.addr))) return false;
  return true;
}

function get(ctx: IpCtx, a: Args): number {
  let dst: number | undefined;
  let src = 0;
  let iif: Device | undefined;
  let oif: Device | undefined;
  let mark = 0;
  let tos = 0;
  let fibmatch = false;
  while (!a.done) {
    const tok = a.next();
    if (tok === 'from') src = address(a.value(), 'inet', 'prefix');
    else if (tok === 'iif') iif = requireDevice(ctx, a.value());
    else if (tok === 'oif' || tok === 'dev') oif = requireDevice(ctx, a.value());
    else if (tok === 'mark') mark = parseU32(a.value(), 'invalid mark value');
    else if (tok === 'tos' || tok === 'dsfield') tos = parseDsfield(a.value(), 'tos');
    else if (tok === 'fibmatch') fibmatch = true;
    else if (tok === 'connected') throw notModelled(tok, 'ip route get');
    else {
      const v = tok === 'to' ? a.value() : tok;
      if (dst !== undefined) throw notModelled(tok, 'ip route get');
      const p = (() => {
        try {
          return parseIpv4Interface(v);
        } catch (e) {
          if (!(e instanceof AddressError)) throw e;
          if (v.includes(':')) throw notModelled(v, 'ip route get (IPv6)');
          throw new IpUsageError(`Error: any valid prefix is expected rather than "${v}".`, 1);
        }
      })();
      if (p.len !== 32) ctx.err(`Warning: /${p.len} as prefix is invalid, only /32 (or none) is supported.\n`);
      dst = p.addr;
    }
  }
  if (dst === undefined) throw new IpUsageError('need at least a destination address', 1);
  const r = iif
    ? inputRoute(ctx.ns, { dst, src, iif, mark, tos })
    : outputRoute(ctx.ns, { dst, ...(src ? { src } : {}), ...(oif ? { oif } : {}), mark, tos });
  const alive = r.fib ? r.fib.route.nexthops.filter((nh) => !nh.dead) : [];
  if (!oif && alive.length > 1) {
    // fib_select_multipath: the path is picked by fib_multipath_hash(), a siphash of the flow
    // under a key the kernel draws at random at boot (6.1 has no fib_multipath_hash_seed),
    // so which nexthop answers cannot be known from the configuration.
    throw new UnsupportedError(
      `ip route get ${formatIpv4(dst)}: the route has ${alive.length} live nexthops and the kernel picks one by a flow hash keyed at random at boot; give "oif DEV" to ask about one path`,
      formatIpv4(dst),
    );
  }
  if (fibmatch) {
    // inet_rtm_getroute resolves the route first, then dumps the FIB entry behind it with
    // the reported table and the resolved type; without one (oif fallback, broadcast):
    // EHOSTUNREACH.
    if (!r.fib) throw new KernelError('EHOSTUNREACH');
    ctx.out(printRoute({ ...r.fib.route, table: r.table ?? r.fib.route.table, type: r.type }));
    return 0;
  }
  ctx.out(ctx.opts.json ? jsonLine([resolvedJson(r, !iif)], ctx.opts.pretty) : printResolved(r, { uid: !iif }));
  return 0;
}
