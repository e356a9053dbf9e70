// `ovs-appctl fdb/show|fdb/flush|bond/show` answered by the namespace's modelled vswitchd
// (ofproto/ofproto-dpif.c ofproto_unixctl_fdb_show, ofproto/bond.c bond_print_details).
// MAC ages are 0: the model has no clock, an entry is as fresh as when it was learned.
import { ovsDb, type OvsBridge, type OvsPort } from '../../model/ovs/db.ts';
import { portMember } from '../../model/ovs/forward.ts';
import type { Netns } from '../../model/netns.ts';
import { hasCarrier } from '../../model/device.ts';
import { learnedStateRefusal } from '../../trace/traffic-seen.ts';
import { registerTool } from '../registry.ts';
import { eprint, print, UnsupportedError, type ToolContext } from '../tool.ts';

class UnixctlError extends Error {}

/** ofputil_port_to_string: a number, or LOCAL. */
function portText(bridge: OvsBridge, port: OvsPort): string {
  if (port.name === bridge.name) return 'LOCAL';
  const nums = port.interfaces.map((i) => i.ofport).filter((n): n is number => typeof n === 'number' && n > 0);
  return nums.length > 0 ? String(Math.min(...nums)) : '-1';
}

function fdbShow(ns: Netns, name: string): string {
  const bridge = ovsDb(ns).bridge(name);
  if (!bridge) throw new UnixctlError('no such bridge');
  let s = ' port  VLAN  MAC                Age\n';
  for (const e of bridge.fdb) s += `${portText(bridge, e.port).padStart(5)}  ${String(e.vlan).padStart(4)}  ${e.mac}  ${'0'.padStart(3)}\n`;
  return s;
}

function fdbFlush(ns: Netns, name: string | undefined): string {
  const db = ovsDb(ns);
  if (name !== undefined) {
    const b = db.bridge(name);
    if (!b) throw new UnixctlError('no such bridge');
    b.fdb = [];
  } else {
    for (const b of db.bridges) b.fdb = [];
  }
  return 'table successfully flushed\n';
}

function bondDetails(ns: Netns, port: OvsPort): string {
  const bond = port.bond!;
  if (bond.mode !== 'active-backup' || bond.lacp !== 'off') {
    throw new UnsupportedError(`ovs-appctl bond/show: only active-backup bonds without LACP are modelled (${port.name} is ${bond.mode}, lacp ${bond.lacp})`, port.name);
  }
  const active = portMember(ns, port);
  const activeDev = active ? ns.device(active.name) : undefined;
  let s = `---- ${port.name} ----\n`;
  s += 'bond_mode: active-backup\n';
  s += 'bond may use recirculation: no, Recirc-ID : -1\n';
  s += 'bond-hash-basis: 0\n';
  s += 'lb_output action: disabled, bond-id: -1\n';
  s += 'updelay: 0 ms\ndowndelay: 0 ms\n';
  s += 'lacp_status: off\n';
  s += 'lacp_fallback_ab: false\n';
  s += 'active-backup primary: <none>\n';
  s += `active member mac: ${activeDev?.mac ?? '00:00:00:00:00:00'}(${active?.name ?? 'none'})\n`;
  const members = [...port.interfaces].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const m of members) {
    const dev = ns.device(m.name);
    const up = dev !== undefined && hasCarrier(dev);
    s += `\nmember ${m.name}: ${up ? 'enabled' : 'disabled'}\n`;
    if (m === active) s += '  active member\n';
    s += `  may_enable: ${up ? 'true' : 'false'}\n`;
  }
  return `${s}\n`;
}

function bondShow(ns: Netns, name: string | undefined): string {
  const bonds = ovsDb(ns)
    .bridges.flatMap((b) => b.ports)
    .filter((p) => p.bond)
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  if (name !== undefined) {
    const p = bonds.find((x) => x.name === name);
    if (!p) throw new UnixctlError('no such bond');
    return bondDetails(ns, p);
  }
  return bonds.map((p) => bondDetails(ns, p)).join('');
}

export function ovsAppctl(argv: string[], ctx: ToolContext): number {
  const args = argv.slice(1);
  while (args[0]?.startsWith('-')) {
    if (args[0] === '-t' || args[0] === '--target') {
      if (args[1] !== 'ovs-vswitchd') throw new UnsupportedError('ovs-appctl: only the ovs-vswitchd target is modelled', args[1] ?? '');
      args.splice(0, 2);
    } else throw new UnsupportedError(`ovs-appctl: option ${args[0]} is not modelled`, args[0]);
  }
  const [cmd, ...rest] = args;
  try {
    let text: string;
    const refusal = cmd === 'fdb/show' ? learnedStateRefusal(ctx.ns.world, ctx.ns.name, 'ovs-appctl fdb/show') : undefined;
    if (refusal) throw new UnsupportedError(refusal, cmd!);
    if (cmd === 'fdb/show' && rest.length === 1) text = fdbShow(ctx.ns, rest[0]!);
    else if (cmd === 'fdb/flush' && rest.length <= 1) text = fdbFlush(ctx.ns, rest[0]);
    else if (cmd === 'bond/show' && rest.length <= 1) text = bondShow(ctx.ns, rest[0]);
    else throw new UnsupportedError(`ovs-appctl: ${args.join(' ')} is not modelled (the model has fdb/show BR, fdb/flush [BR], bond/show [PORT])`, cmd ?? '');
    print(ctx, text);
    return 0;
  } catch (e) {
    if (e instanceof UnixctlError) {
      eprint(ctx, `${e.message}\novs-appctl: ovs-vswitchd: server returned an error\n`);
      return 2;
    }
    throw e;
  }
}

registerTool('ovs-appctl', ovsAppctl);
