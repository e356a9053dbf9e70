// `ip addr add|del|flush|show`.
import { Scope } from '../../model/device.ts';
import { addAddress, deleteAddress, flushAddresses } from '../../model/addr-ops.ts';
import { AddressError, broadcastOf, parseIproute2Ipv4, parseIpv4Interface, type Ipv4Addr } from '../../net/ipv4.ts';
import { Args, IpUsageError, matches, notModelled, parseU32 } from './args.ts';
import { requireDevice, type IpCtx } from './context.ts';
import { filterLinks, parseLinkFilter } from './link.ts';
import { parseScope } from './names.ts';
import { hasSelectedAddress, printAddrBrief, printAddrOneline, printAddrStanza, type AddrSelect } from './print-addr.ts';
import { jsonLine, linkBriefJson, linkJson } from './json.ts';

export function ipAddr(ctx: IpCtx, a: Args): number {
  const cmd = a.done ? 'show' : a.next();
  if (matches(cmd, 'add') || matches(cmd, 'replace')) return addrModify(ctx, a, 'add');
  if (matches(cmd, 'delete')) return addrModify(ctx, a, 'del');
  if (matches(cmd, 'flush')) return addrFlush(ctx, a);
  if (matches(cmd, 'show') || matches(cmd, 'list') || matches(cmd, 'lst')) return addrShow(ctx, a);
  throw new IpUsageError(`Command "${cmd}" is unknown, try "ip address help".`);
}

function prefixArg(tok: string): { addr: Ipv4Addr; len: number; hadLen: boolean; text: string } {
  try {
    const p = parseIpv4Interface(tok);
    return { addr: p.addr, len: p.len, hadLen: tok.includes('/'), text: tok };
  } catch (e) {
    if (e instanceof AddressError) {
      if (tok.includes(':')) throw notModelled(tok, 'ip addr (IPv6 addresses)');
      throw new IpUsageError(`Error: any valid prefix is expected rather than "${tok}".`, 1);
    }
    throw e;
  }
}

function addrModify(ctx: IpCtx, a: Args, op: 'add' | 'del'): number {
  let local: { addr: Ipv4Addr; len: number; hadLen: boolean; text: string } | undefined;
  let devName: string | undefined;
  let brd: Ipv4Addr | '+' | '-' | undefined;
  let scope: number | undefined;
  let label: string | undefined;
  let noprefixroute = false;
  let metric = 0;
  let peer: Ipv4Addr | undefined;
  while (!a.done) {
    const tok = a.next();
    if (tok === 'dev') devName = a.value();
    else if (matches(tok, 'broadcast') || tok === 'brd') {
      const v = a.value();
      const b = v === '+' || v === '-' ? v : parseIproute2Ipv4(v);
      if (b === undefined) throw new IpUsageError(`Error: inet address is expected rather than "${v}".`, 1);
      brd = b;
    } else if (tok === 'scope') {
      const v = a.value();
      const s = parseScope(v);
      if (s === undefined) throw new IpUsageError(`Error: argument "${v}" is wrong: invalid scope value.`, 255);
      scope = s;
    } else if (tok === 'label') label = a.value();
    else if (tok === 'noprefixroute') noprefixroute = true;
    else if (tok === 'metric' || tok === 'priority' || tok === 'preference') metric = parseU32(a.value(), 'metric');
    else if (tok === 'peer' || tok === 'remote') peer = prefixArg(a.value()).addr;
    else if (tok === 'local') local = prefixArg(a.value());
    else if (tok === 'valid_lft' || tok === 'preferred_lft') {
      const v = a.value();
      if (v !== 'forever') throw notModelled(`${tok} ${v}`, 'ip addr');
    } else if (local === undefined) local = prefixArg(tok);
    else throw notModelled(tok, 'ip addr');
  }
  if (op === 'del' && local !== undefined && peer === undefined && !local.hadLen) {
    // ipaddr_modify: an IPv4 delete without a prefix length is a wildcard delete (no
    // IFA_ADDRESS sent), and iproute2 says so before it even looks the device up.
    ctx.err(
      'Warning: Executing wildcard deletion to stay compatible with old scripts.\n' +
        `         Explicitly specify the prefix length (${local.text}/32) to avoid this warning.\n` +
        '         This special behaviour is likely to disappear in further releases,\n' +
        '         fix your scripts!\n',
    );
  }
  if (devName === undefined) throw new IpUsageError('Not enough information: "dev" argument is required.');
  if (local === undefined) throw new IpUsageError('Not enough information: "local" argument is required.', 1);
  const dev = requireDevice(ctx, devName);
  if (op === 'del') {
    deleteAddress(dev, local.addr, local.hadLen ? local.len : undefined);
    return 0;
  }
  let broadcast: Ipv4Addr | undefined;
  if (brd === '+') broadcast = local.len < 31 ? broadcastOf(local.addr, local.len) : undefined;
  else if (brd === '-') broadcast = local.len < 31 ? (((local.addr & ~0) >>> 0) as Ipv4Addr) : undefined;
  else broadcast = brd;
  const defaultScope = local.addr >>> 24 === 127 ? Scope.host : Scope.universe;
  addAddress(dev, {
    local: local.addr,
    len: local.len,
    scope: scope ?? defaultScope,
    label: label ?? dev.name,
    noprefixroute,
    metric,
    ...(broadcast !== undefined ? { broadcast } : {}),
    ...(peer !== undefined ? { peer } : {}),
  });
  return 0;
}

function addrFlush(ctx: IpCtx, a: Args): number {
  const f = parseLinkFilter(ctx, a, 'ip addr flush');
  if (f.name === undefined) throw new IpUsageError('Flush requires arguments.', 1);
  for (const dev of filterLinks(ctx, f)) flushAddresses(dev, ctx.opts.family);
  return 0;
}

function addrShow(ctx: IpCtx, a: Args): number {
  // Address selectors (ipaddr_list_flush_or_save) come out before the link filter sees the rest.
  const sel: AddrSelect = {};
  const rest: string[] = [];
  const words = a.rest();
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (w === 'secondary' || w === 'temporary') sel.secondary = true;
    else if (w === 'primary') sel.secondary = false;
    else if (w === 'label') {
      const v = words[++i];
      if (v === undefined) throw new IpUsageError('Command line is not complete. Try option "help"');
      sel.label = v;
    } else rest.push(w);
  }
  const selecting = sel.secondary !== undefined || sel.label !== undefined;
  if (selecting && ctx.opts.json) throw notModelled(sel.label !== undefined ? 'label' : 'secondary', 'ip -j addr show');
  const f = parseLinkFilter(ctx, new Args(rest), 'ip addr show');
  const fam = ctx.opts.family;
  const devs = filterLinks(ctx, f)
    .filter((d) => !(fam === 4 && d.ipv4.length === 0) && !(fam === 6 && d.ipv6.length === 0))
    .filter((d) => !selecting || hasSelectedAddress(d, fam, sel));
  if (ctx.opts.json) {
    ctx.out(jsonLine(devs.map((d) => (ctx.opts.brief ? linkBriefJson(d, { addr: true, family: fam }) : linkJson(d, { addr: true, family: fam }))), ctx.opts.pretty));
    return 0;
  }
  for (const dev of devs) {
    if (ctx.opts.brief) ctx.out(printAddrBrief(dev, fam));
    else if (ctx.opts.oneline) ctx.out(printAddrOneline(dev, fam, selecting ? sel : undefined));
    else ctx.out(printAddrStanza(dev, fam, ctx.opts.details, selecting ? sel : undefined));
  }
  return 0;
}
