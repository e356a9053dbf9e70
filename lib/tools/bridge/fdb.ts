// `bridge fdb add|append|del|replace|show` for vxlan devices (bridge/fdb.c print_fdb),
// plus the address-list entries every Ethernet device reports.
import type { Device } from '../../model/device.ts';
import { KernelError } from '../../model/errno.ts';
import type { FdbEntry } from '../../model/fdb.ts';
import { mcList } from '../../model/mc-list.ts';
import { formatIpv4, parseIpv4 } from '../../net/ipv4.ts';
import { parseMac, type Mac } from '../../net/mac.ts';
import { registerTool } from '../registry.ts';
import { eprint, print, UnsupportedError, type ToolContext } from '../tool.ts';
import { Args, IpUsageError, matches } from '../iproute2/args.ts';

/** ndo_dflt_fdb_dump: the device's multicast list (vxlan dumps its own FDB instead). */
function addressList(dev: Device): Mac[] {
  if (dev.kind === 'loopback' || dev.kind === 'vxlan') return [];
  return mcList(dev);
}

function fdbAdd(ctx: ToolContext, a: Args, op: 'add' | 'append' | 'replace' | 'del'): number {
  const macText = a.next();
  const mac = parseMac(macText);
  if (!mac) throw new IpUsageError(`Invalid mac address ${macText}`, 255);
  let devName: string | undefined;
  let dst: number | undefined;
  let vni: number | undefined;
  let port: number | undefined;
  let state: FdbEntry['state'] = 'permanent';
  while (!a.done) {
    const tok = a.next();
    if (tok === 'dev') devName = a.value();
    else if (tok === 'dst') dst = parseIpv4(a.value());
    else if (tok === 'vni') vni = Number(a.value());
    else if (tok === 'port' || tok === 'dstport') port = Number(a.value());
    else if (tok === 'self') continue;
    else if (tok === 'permanent') state = 'permanent';
    else if (tok === 'static') state = 'static';
    else if (tok === 'dynamic') state = 'reachable';
    else throw new UnsupportedError(`bridge fdb: "${tok}" is not supported by the model`, tok);
  }
  if (devName === undefined) throw new IpUsageError('Device is a required argument.', 255);
  const dev = ctx.ns.device(devName);
  if (!dev) throw new IpUsageError(`Cannot find device "${devName}"`, 255);
  if (dev.kind !== 'vxlan') throw new UnsupportedError(`bridge fdb on a ${dev.kind} device is not modelled (only vxlan "self" entries are)`, devName);
  const fdb = ctx.ns.fdb;
  const same = fdb.filter((e) => e.dev === dev && e.mac === mac && (e.vni ?? -1) === (vni ?? -1));
  if (op === 'del') {
    const victim = same.find((e) => dst === undefined || e.dst === dst);
    if (!victim) throw new KernelError('ENOENT');
    fdb.splice(fdb.indexOf(victim), 1);
    return 0;
  }
  if (op === 'add' && same.length > 0) throw new KernelError('EEXIST');
  if (op === 'replace') for (const e of same) fdb.splice(fdb.indexOf(e), 1);
  if (op === 'append' && same.some((e) => e.dst === dst)) return 0;
  fdb.push({ mac, dev, state, ...(dst !== undefined ? { dst: dst as never } : {}), ...(vni !== undefined ? { vni } : {}), ...(port !== undefined ? { port } : {}) });
  return 0;
}

function fdbShow(ctx: ToolContext, a: Args): number {
  let devName: string | undefined;
  while (!a.done) {
    const tok = a.next();
    if (tok === 'dev') devName = a.value();
    else if (tok === 'br') throw new UnsupportedError('bridge fdb show br: Linux bridges are not modelled', tok);
    else throw new UnsupportedError(`bridge fdb show: "${tok}" is not supported by the model`, tok);
  }
  const only = devName !== undefined ? ctx.ns.device(devName) : undefined;
  if (devName !== undefined && !only) throw new IpUsageError(`Cannot find device "${devName}"`, 255);
  for (const dev of ctx.ns.devicesByIndex()) {
    if (only && dev !== only) continue;
    const devPart = only ? '' : `dev ${dev.name} `;
    for (const mac of addressList(dev)) print(ctx, `${mac} ${devPart}self permanent\n`);
    // The vxlan FDB lists the newest entry first.
    const entries = ctx.ns.fdb.filter((e) => e.dev === dev).reverse();
    for (const e of entries) {
      let s = `${e.mac} ${devPart}`;
      if (e.dst !== undefined) s += `dst ${formatIpv4(e.dst)} `;
      if (e.port !== undefined) s += `port ${e.port} `;
      if (e.vni !== undefined) s += `vni ${e.vni} `;
      s += 'self ';
      s += e.state === 'reachable' ? '' : `${e.state}`;
      print(ctx, s + '\n');
    }
  }
  return 0;
}

function runBridge(argv: string[], ctx: ToolContext): number {
  const a = new Args(argv.slice(1));
  let c = ctx;
  try {
    while (!a.done && a.peek()!.startsWith('-')) {
      const opt = a.next();
      if (opt === '-n' || opt === '-netns') {
        const name = a.value();
        const ns = ctx.world.netns(name);
        if (!ns) {
          eprint(ctx, `Cannot open network namespace "${name}": No such file or directory\n`);
          return 255;
        }
        c = { ...ctx, ns };
      } else throw new UnsupportedError(`bridge: option "${opt}" is not supported by the model`, opt);
    }
    const obj = a.next();
    if (!matches(obj, 'fdb')) throw new UnsupportedError(`bridge ${obj}: only "bridge fdb" is modelled`, obj);
    const cmd = a.done ? 'show' : a.next();
    if (cmd === 'add') return fdbAdd(c, a, 'add');
    if (matches(cmd, 'append')) return fdbAdd(c, a, 'append');
    if (matches(cmd, 'replace')) return fdbAdd(c, a, 'replace');
    if (matches(cmd, 'delete')) return fdbAdd(c, a, 'del');
    if (matches(cmd, 'show') || matches(cmd, 'list')) return fdbShow(c, a);
    eprint(ctx, `Command "${cmd}" is unknown, try "bridge fdb help".\n`);
    return 255;
  } catch (e) {
    if (e instanceof KernelError) {
      eprint(ctx, `${e.iproute2Message()}\n`);
      return 255;
    }
    if (e instanceof IpUsageError) {
      eprint(ctx, `${e.message}\n`);
      return e.status;
    }
    throw e;
  }
}

registerTool('bridge', runBridge);
