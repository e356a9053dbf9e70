// `ip link add|set|del|show`: iplink.c's parser over the model's device operations.
import type { Device, DeviceKind } from '../../model/device.ts';
import { kindByTypeName, kindOps } from '../../kinds/registry.ts';
import { KernelError } from '../../model/errno.ts';
import { createDevice, deleteDevice, moveDevice, setDeviceUp, setMaster, setMtu, setMac, renameDevice } from '../../model/link-ops.ts';
import type { Netns } from '../../model/netns.ts';
import { parseIpv4 } from '../../net/ipv4.ts';
import { Args, duplicateOrGarbage, IpUsageError, matches, notModelled, parseU32 } from './args.ts';
import { altIfnameOk, ifnameOk, invalidIfname, parseLinkAddress, parseMtu, parseTxqueuelen } from './link-args.ts';
import { requireDevice, type IpCtx } from './context.ts';
import { printLinkBrief, printLinkHeader } from './print-link.ts';
import { jsonLine, linkBriefJson, linkJson } from './json.ts';

interface LinkAttrs {
  name?: string;
  /** `ip link set DEV name NEW`: the new name (for `add`, `name` is the device's name). */
  newName?: string;
  index?: number;
  mac?: string;
  mtu?: number;
  txqlen?: number;
  netns?: Netns;
  link?: string;
  up?: boolean;
  master?: string | null;
  noarp?: boolean;
}

function resolveNetns(ctx: IpCtx, name: string): Netns {
  const ns = ctx.ns.world.netns(name);
  if (!ns) throw new IpUsageError(`Cannot open network namespace "${name}": No such file or directory`);
  return ns;
}

/** Common link attributes (iplink_parse), stopping at `type`/`peer` keywords. */
function parseAttrs(ctx: IpCtx, a: Args, stopAt: (tok: string) => boolean, allowName: boolean | 'set'): LinkAttrs {
  const at: LinkAttrs = {};
  while (!a.done && !stopAt(a.peek()!)) {
    const tok = a.next();
    if (tok === 'up') at.up = true;
    else if (tok === 'down') at.up = false;
    else if (tok === 'name') {
      const v = a.value();
      if (!ifnameOk(v)) throw invalidIfname('name', v);
      if (allowName === 'set' && at.name !== undefined) at.newName = v;
      else at.name = v;
    }
    else if (matches(tok, 'index')) at.index = parseU32(a.value(), 'Invalid "index" value');
    else if (matches(tok, 'address')) {
      at.mac = parseLinkAddress(a.value());
    } else if (matches(tok, 'mtu')) at.mtu = parseMtu(a.value());
    else if (matches(tok, 'txqueuelen') || tok === 'qlen' || matches(tok, 'txqlen')) at.txqlen = parseTxqueuelen(a.value());
    else if (tok === 'netns') at.netns = resolveNetns(ctx, a.value());
    else if (tok === 'link') at.link = a.value();
    else if (matches(tok, 'master')) {
      // iplink_parse resolves the master as it reads it: invarg("Device does not exist\n").
      const m = a.value();
      if (!ctx.ns.device(m)) throw new IpUsageError(`Error: argument "${m}" is wrong: Device does not exist\n`);
      at.master = m;
    }
    else if (tok === 'nomaster') at.master = null;
    else if (tok === 'arp') at.noarp = a.value() === 'off';
    else if (IPLINK_KEYWORDS.has(tok)) throw notModelled(tok, 'ip link');
    else if (allowName && (tok === 'dev' || at.name === undefined)) {
      const v = tok === 'dev' ? a.value() : tok;
      // iplink_parse: a second device name is duparg2("dev", ...), status 255.
      if (at.name !== undefined) throw duplicateOrGarbage('dev', v);
      if (!altIfnameOk(v)) throw invalidIfname('dev', v);
      at.name = v;
    } else if (allowName) throw duplicateOrGarbage('dev', tok);
    else throw notModelled(tok, 'ip link');
  }
  return at;
}

function nameOrThrow(at: LinkAttrs): string {
  if (at.name === undefined) throw new IpUsageError('Not enough information: "dev" argument is required.');
  return at.name;
}

/** iplink_parse's keywords the model does not act on: refused as unsupported, not as garbage. */
const IPLINK_KEYWORDS = new Set(['broadcast', 'brd', 'peer', 'multicast', 'allmulticast', 'promisc', 'trailers', 'carrier', 'alias', 'group', 'mode', 'state', 'vf', 'xdp', 'xdpgeneric', 'xdpdrv', 'xdpoffload', 'dynamic', 'numtxqueues', 'numrxqueues', 'addrgenmode', 'link-netns', 'link-netnsid', 'protodown', 'protodown_reason', 'gso_max_size', 'gso_max_segs', 'gro_max_size', 'parentdev', 'vrf', 'netns']);

export function ipLink(ctx: IpCtx, a: Args): number {
  const cmd = a.done ? 'show' : a.next();
  if (matches(cmd, 'add')) return linkAdd(ctx, a);
  if (matches(cmd, 'set') || matches(cmd, 'change')) return linkSet(ctx, a);
  if (matches(cmd, 'delete')) return linkDel(ctx, a);
  if (matches(cmd, 'show') || matches(cmd, 'list') || matches(cmd, 'lst')) return linkShow(ctx, a);
  throw new IpUsageError(`Command "${cmd}" is unknown, try "ip link help".`);
}

function linkAdd(ctx: IpCtx, a: Args): number {
  const at = parseAttrs(ctx, a, (t) => t === 'type', true);
  if (a.done) throw new IpUsageError('Not enough information: "type" argument is required.');
  a.next(); // type
  const typeName = a.value();
  const ops = kindByTypeName(typeName);
  if (!ops) {
    if (['geneve', 'vrf', 'gre', 'ipip', 'wireguard', 'tun', 'tap'].includes(typeName)) throw notModelled(typeName, 'ip link add type');
    throw new KernelError('EOPNOTSUPP', 'Unknown device type');
  }
  const name = nameOrThrow(at);
  const targetNs = at.netns ?? ctx.ns;
  const lower = at.link !== undefined ? requireDevice(ctx, at.link) : undefined;
  const linkAttrs = () => {
    const p = parseAttrs(ctx, a, () => false, true);
    return { name: p.name, ns: p.netns ?? ctx.ns, ...common(p) };
  };
  let own;
  if (ops.parse) own = ops.parse({ ctx, args: a, lower, ns: ctx.ns, linkAttrs });
  else if (!a.done) throw notModelled(a.next(), `ip link add type ${typeName}`);
  createDevice(ctx.ns, { ...own, kind: ops.kind as DeviceKind, name, ns: targetNs, ...common(at) });
  return 0;
}

function common(at: LinkAttrs) {
  return {
    ...(at.index !== undefined ? { index: at.index } : {}),
    ...(at.mac !== undefined ? { mac: at.mac } : {}),
    ...(at.mtu !== undefined ? { mtu: at.mtu } : {}),
    ...(at.txqlen !== undefined ? { txqlen: at.txqlen } : {}),
  };
}

function linkSet(ctx: IpCtx, a: Args): number {
  const at = parseAttrs(ctx, a, (t) => t === 'type', 'set');
  if (at.name === undefined) throw new IpUsageError('Not enough information: "dev" argument is required.');
  let dev = requireDevice(ctx, at.name);
  if (!a.done) {
    // `type KIND ARGS...`: iplink_<kind>.c parses ARGS (after the device was looked up), then
    // rtnl_newlink hands them to the device's changelink before do_setlink.
    a.next(); // type
    const typeName = a.value();
    const ops = kindByTypeName(typeName);
    if (!a.done) {
      if (!ops?.parse) throw notModelled(typeName, 'ip link set type');
      const own = ops.parse({ ctx, args: a, lower: undefined, ns: ctx.ns, linkAttrs: () => { throw notModelled('peer', 'ip link set type'); } });
      const mine = kindOps(dev);
      if (ops !== mine || !mine.changelink) throw new KernelError('EOPNOTSUPP');
      mine.changelink(dev, own);
    }
  }
  // do_setlink's order: namespace, address, mtu, name, master, flags, txqueuelen.
  if (at.netns) dev = moveDevice(dev, at.netns);
  if (at.mac !== undefined) setMac(dev, at.mac);
  if (at.mtu !== undefined) setMtu(dev, at.mtu);
  if (at.newName !== undefined) renameDevice(dev, at.newName);
  if (at.noarp !== undefined) dev.noarp = at.noarp;
  if (at.master !== undefined) setMaster(dev, at.master === null ? null : requireDevice(ctx, at.master));
  if (at.up !== undefined) setDeviceUp(dev, at.up);
  if (at.txqlen !== undefined) dev.txqlen = at.txqlen;
  return 0;
}

function linkDel(ctx: IpCtx, a: Args): number {
  const at = parseAttrs(ctx, a, (t) => t === 'type', true);
  if (at.name === undefined) throw new IpUsageError('Not enough information: "dev" argument is required.');
  const dev = ctx.ns.device(at.name);
  if (!dev) throw new IpUsageError(`Cannot find device "${at.name}"`, 1);
  deleteDevice(dev);
  return 0;
}

export interface LinkFilter {
  name?: string;
  up?: boolean;
  master?: Device;
  kind?: DeviceKind;
}

export function parseLinkFilter(ctx: IpCtx, a: Args, cmdName: string): LinkFilter {
  const f: LinkFilter = {};
  while (!a.done) {
    const tok = a.next();
    if (tok === 'dev') f.name = a.value();
    else if (tok === 'up') f.up = true;
    else if (tok === 'master') f.master = requireDevice(ctx, a.value());
    else if (tok === 'type') {
      const t = a.value();
      const k = kindByTypeName(t);
      if (!k) throw notModelled(t, `${cmdName} type`);
      f.kind = k.kind as DeviceKind;
    } else if (f.name === undefined) f.name = tok;
    else throw notModelled(tok, cmdName);
  }
  if (f.name !== undefined && !ctx.ns.device(f.name)) throw new IpUsageError(`Device "${f.name}" does not exist.`, 1);
  return f;
}

export function filterLinks(ctx: IpCtx, f: LinkFilter): Device[] {
  return ctx.ns
    .devicesByIndex()
    .filter((d) => (f.name === undefined || d.name === f.name) && (!f.up || d.adminUp) && (!f.master || d.master === f.master) && (!f.kind || d.kind === f.kind));
}

function linkShow(ctx: IpCtx, a: Args): number {
  const f = parseLinkFilter(ctx, a, 'ip link show');
  if (ctx.opts.json) {
    ctx.out(jsonLine(filterLinks(ctx, f).map((d) => (ctx.opts.brief ? linkBriefJson(d, { addr: false, family: 0 }) : linkJson(d, { addr: false, family: 0, details: ctx.opts.details }))), ctx.opts.pretty));
    return 0;
  }
  for (const dev of filterLinks(ctx, f)) {
    if (ctx.opts.brief) ctx.out(printLinkBrief(dev));
    else {
      const text = printLinkHeader(dev, { showMode: true, familyFiltered: false, details: ctx.opts.details });
      // -oneline: iproute2's _SL_ is a backslash instead of the line break inside a record.
      ctx.out(ctx.opts.oneline ? text.replace(/\n(?=.)/g, '\\') : text);
    }
  }
  return 0;
}
