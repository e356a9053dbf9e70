// `busybox ip addr|link|route`: BusyBox 1.35's own printers (networking/libiproute).
// They differ from iproute2: no `state`/`group`/`mode`, `@ifN` resolved only locally, and
// M-DOWN whenever the lower device is not up *in this namespace*.
import { IFF, hasCarrier, iflinkOf, linkFlags, linkType, qdiscOf, type Device } from '../../model/device.ts';
import type { Route } from '../../model/route.ts';
import { formatIpv4 } from '../../net/ipv4.ts';
import { formatIpv6 } from '../../net/ipv6.ts';
import { registerTool } from '../registry.ts';
import { eprint, print, UnsupportedError, type ToolContext } from '../tool.ts';
import { scopeName } from '../iproute2/names.ts';

const FLAGS: [number, string][] = [
  [IFF.LOOPBACK, 'LOOPBACK'],
  [IFF.BROADCAST, 'BROADCAST'],
  [IFF.POINTOPOINT, 'POINTOPOINT'],
  [IFF.MULTICAST, 'MULTICAST'],
  [IFF.NOARP, 'NOARP'],
  [IFF.UP, 'UP'],
  [IFF.LOWER_UP, 'LOWER_UP'],
];

function flagsText(dev: Device, mdown: boolean): string {
  let f = linkFlags(dev);
  let s = '<';
  if (f & IFF.UP && !hasCarrier(dev)) s += 'NO-CARRIER,';
  f &= ~IFF.RUNNING;
  const names: string[] = [];
  for (const [bit, name] of FLAGS) {
    if (f & bit) {
      names.push(name);
      f &= ~bit;
    }
  }
  s += names.join(',');
  // print_link_flags: the bits left over follow the last name as hex, with no comma
  // (`LOWER_UP800` for a bond member's SLAVE bit, seen on 6.1 with BusyBox 1.35).
  if (f) s += f.toString(16);
  if (mdown) s += ',M-DOWN';
  return s + '> ';
}

/**
 * BusyBox 1.35 print_route (seen on the kernel): no `proto`, no `linkdown`, and `src` and
 * `metric` with a space on both sides: `10.1.0.0/24 dev va0 scope link  src 10.1.0.1 `.
 */
function routeLine(r: Route): string {
  let s = r.type !== 'unicast' ? `${r.type} ` : '';
  s += r.dst.len === 0 ? 'default ' : r.dst.len === 32 ? `${formatIpv4(r.dst.addr)} ` : `${formatIpv4(r.dst.addr)}/${r.dst.len} `;
  // A multipath route has no RTA_GATEWAY/RTA_OIF, and BusyBox does not print RTA_MULTIPATH.
  const nh = r.nexthops.length === 1 ? r.nexthops[0] : undefined;
  if (nh?.gw !== undefined) s += `via ${formatIpv4(nh.gw)} `;
  if (nh?.dev) s += `dev ${nh.dev.name} `;
  if (r.scope !== 0) s += `scope ${scopeName(r.scope)} `;
  if (r.prefsrc !== undefined) s += ` src ${formatIpv4(r.prefsrc)} `;
  // BusyBox prints the priority with %d: 4294967295 shows as -1 (seen on the kernel).
  if (r.metric) s += ` metric ${r.metric | 0} `;
  if (nh?.onlink) s += 'onlink ';
  return s + '\n';
}

function linkHeader(dev: Device): string {
  let s = `${dev.ifindex}: ${dev.name}`;
  const lower = iflinkOf(dev);
  if (lower) {
    const local = dev.ns.deviceByIndex(lower.ifindex);
    const name = local && lower.ns === dev.ns ? local.name : local ? local.name : `if${lower.ifindex}`;
    s += `@${name}: `;
    s += flagsText(dev, !(local?.adminUp ?? false));
  } else {
    s += ': ' + flagsText(dev, false);
  }
  s += `mtu ${dev.mtu} qdisc ${qdiscOf(dev)} `;
  if (dev.master) s += `master ${dev.master.name} `;
  if (dev.txqlen) s += `qlen ${dev.txqlen}`;
  s += '\n';
  s += `    link/${linkType(dev)} ${dev.mac} brd ${dev.brd}\n`;
  return s;
}

function addrLines(dev: Device, family: 0 | 4 | 6): string {
  let s = '';
  if (family !== 6) {
    for (const a of dev.ipv4) {
      s += `    inet ${formatIpv4(a.local)}/${a.len} `;
      if (a.broadcast !== undefined) s += `brd ${formatIpv4(a.broadcast)} `;
      s += `scope ${scopeName(a.scope)} `;
      if (a.secondary) s += 'secondary ';
      s += `${a.label}\n       valid_lft forever preferred_lft forever\n`;
    }
  }
  if (family !== 4) {
    for (const a of dev.ipv6) s += `    inet6 ${formatIpv6(a.addr)}/${a.len} scope ${scopeName(a.scope)} \n       valid_lft forever preferred_lft forever\n`;
  }
  return s;
}

function selectDevs(ctx: ToolContext, args: string[]): Device[] | undefined {
  let name: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const t = args[i]!;
    if (t === 'dev') name = args[++i];
    else if (name === undefined) name = t;
    else throw new UnsupportedError(`busybox ip: "${t}" is not supported by the model`, t);
  }
  if (name === undefined) return ctx.ns.devicesByIndex();
  const dev = ctx.ns.device(name);
  if (!dev) {
    eprint(ctx, `ip: can't find device '${name}'\n`);
    return undefined;
  }
  return [dev];
}

function runBusybox(argv: string[], ctx: ToolContext): number {
  if (argv[1] !== 'ip') throw new UnsupportedError(`busybox ${argv[1] ?? ''}: only the "ip" applet is modelled`, argv[1] ?? 'busybox');
  let i = 2;
  let family: 0 | 4 | 6 = 0;
  while (argv[i]?.startsWith('-')) {
    if (argv[i] === '-4') family = 4;
    else if (argv[i] === '-6') family = 6;
    else throw new UnsupportedError(`busybox ip: option "${argv[i]}" is not supported by the model`, argv[i]!);
    i++;
  }
  const obj = argv[i] ?? '';
  const cmd = argv[i + 1];
  const rest = argv.slice(i + 2);
  const isShow = cmd === undefined || 'show'.startsWith(cmd) || 'list'.startsWith(cmd);
  if ('address'.startsWith(obj) && obj) {
    if (!isShow) throw new UnsupportedError('busybox ip addr: only "show" is modelled (use iproute2 to configure)', cmd!);
    const devs = selectDevs(ctx, rest);
    if (!devs) return 1;
    for (const d of devs) {
      if (family === 4 && d.ipv4.length === 0) continue;
      print(ctx, linkHeader(d) + addrLines(d, family));
    }
    return 0;
  }
  if ('link'.startsWith(obj) && obj) {
    if (!isShow) throw new UnsupportedError('busybox ip link: only "show" is modelled', cmd!);
    const devs = selectDevs(ctx, rest);
    if (!devs) return 1;
    for (const d of devs) print(ctx, linkHeader(d));
    return 0;
  }
  if ('route'.startsWith(obj) && obj) {
    if (!isShow) throw new UnsupportedError('busybox ip route: only "show" is modelled', cmd ?? obj);
    // `show dev X` (seen on the kernel): only routes through X, printed whole ("dev X" kept);
    // an unknown device: "ip: can't find device 'X'", status 1.
    let only: Device | undefined;
    if (rest.length > 0) {
      if ((rest[0] !== 'dev' && rest[0] !== 'oif') || rest.length !== 2) throw new UnsupportedError('busybox ip route show: only "dev X" is modelled', rest[0]!);
      only = ctx.ns.device(rest[1]!);
      if (!only) {
        eprint(ctx, `ip: can't find device '${rest[1]}'\n`);
        return 1;
      }
    }
    const main = ctx.ns.existingTable(254);
    if (main && family !== 6) for (const r of main.all()) if (!only || (r.nexthops.length === 1 && r.nexthops[0]!.dev === only)) print(ctx, routeLine(r));
    return 0;
  }
  throw new UnsupportedError(`busybox ip ${obj}: not modelled (addr, link and route show are)`, obj);
}

registerTool('busybox', runBusybox);
