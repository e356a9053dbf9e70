// `bridge fdb add|append|del|replace|show` for vxlan devices (bridge/fdb.c print_fdb),
// plus the address-list entries every Ethernet device reports.
import type { Device } from '../../model/device.ts';
import { kindOps } from '../../kinds/registry.ts';
import { KernelError } from '../../model/errno.ts';
import type { FdbEntry } from '../../model/fdb.ts';
import { mcList } from '../../model/mc-list.ts';
import { formatIpv4, parseIproute2Ipv4 } from '../../net/ipv4.ts';
import { parseMac, type Mac } from '../../net/mac.ts';
import { bridgeAddressUnknown, bridgeFdb, bridgeFdbSync } from '../../model/bridge-fdb.ts';
import { bridgePortState } from '../../kinds/bridge.ts';
import { writeJson } from '../iproute2/json-writer.ts';
import { learnedStateRefusal } from '../../trace/traffic-seen.ts';
import { registerTool } from '../registry.ts';
import { eprint, print, UnsupportedError, type ToolContext } from '../tool.ts';
import { Args, IpUsageError, matches } from '../iproute2/args.ts';

/** Unicast addresses `bridge fdb add MAC dev DEV [self]` put on a device (dev_uc_add_excl). */
const ucLists = new WeakMap<Device, Mac[]>();

/** ndo_dflt_fdb_dump: the device's unicast, then multicast list (vxlan dumps its own FDB instead). */
function addressList(dev: Device): Mac[] {
  if (kindOps(dev).noAddrList) return [];
  return [...(ucLists.get(dev) ?? []), ...mcList(dev)];
}

function isBridge(dev: Device | undefined): boolean {
  return dev?.kind === 'bridge';
}

/**
 * `bridge fdb add|append|replace|del MAC dev PORT master` (br_fdb_add, br_fdb_delete): an
 * entry for vid 0 and one for each VLAN of the port (the default PVID 1), as the 6.1
 * reference kernel keeps them. `permanent` makes a local entry, `static` a static one,
 * `dynamic` an entry that ages and needs a port that learns (forwarding).
 */
function bridgeMasterOp(br: Device, port: Device | undefined, mac: Mac, op: 'add' | 'append' | 'replace' | 'del', state: FdbEntry['state']): number {
  bridgeFdbSync(br);
  const l = bridgeFdb(br);
  if (op === 'del') {
    // __br_fdb_delete for vid 0 and each VLAN: ENOENT only when none of them was there.
    let found = false;
    for (let i = l.length - 1; i >= 0; i--) {
      if (l[i]!.mac === mac && l[i]!.port === port) {
        l.splice(i, 1);
        found = true;
      }
    }
    if (!found) throw new KernelError('ENOENT');
    return 0;
  }
  // fdb_add_entry: an entry of the bridge itself must be permanent; without NUD_PERMANENT or
  // NUD_NOARP a port that cannot learn is refused.
  if (!port && state !== 'permanent') throw new KernelError('EINVAL');
  if (port && state === 'reachable' && bridgePortState(port) !== 'forwarding') throw new KernelError('EPERM');
  for (const vlan of [0, 1]) {
    const e = l.find((x) => x.mac === mac && x.vlan === vlan);
    if (e) {
      // NLM_F_EXCL (add): EEXIST; append and replace change the entry where it is.
      if (op === 'add') throw new KernelError('EEXIST');
      e.port = port;
      e.state = state;
      e.own = false;
    } else l.unshift({ mac, port, vlan, state, own: false });
  }
  return 0;
}

/** ndo_dflt_fdb_add/del on a device without an FDB of its own: its unicast address list. */
function selfUcOp(dev: Device, mac: Mac, op: 'add' | 'append' | 'replace' | 'del', state: FdbEntry['state']): number {
  const l = ucLists.get(dev) ?? [];
  ucLists.set(dev, l);
  if (op === 'del') {
    const i = l.indexOf(mac);
    if (i < 0) throw new KernelError('ENOENT');
    l.splice(i, 1);
    return 0;
  }
  // "default FDB implementation only supports local addresses"
  if (state !== 'permanent') throw new KernelError('EINVAL');
  if (l.includes(mac)) {
    if (op === 'add') throw new KernelError('EEXIST'); // NLM_F_EXCL
    return 0;
  }
  l.push(mac);
  return 0;
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
  let self = false;
  let master = false;
  while (!a.done) {
    const tok = a.next();
    if (tok === 'dev') devName = a.value();
    else if (tok === 'dst') {
      const v = a.value();
      dst = parseIproute2Ipv4(v);
      // fdb.c: get_addr(&addr, *argv, preferred_family) fails
      if (dst === undefined) throw new IpUsageError(`Error: any valid address is expected rather than "${v}".`, 1);
    }
    else if (tok === 'vni') vni = Number(a.value());
    else if (tok === 'port' || tok === 'dstport') port = Number(a.value());
    else if (tok === 'self') self = true;
    else if (tok === 'master') master = true;
    else if (tok === 'permanent' || tok === 'local') state = 'permanent';
    else if (tok === 'static' || tok === 'temp') state = 'static';
    else if (tok === 'dynamic') state = 'reachable';
    else throw new UnsupportedError(`bridge fdb: "${tok}" is not supported by the model`, tok);
  }
  if (devName === undefined) throw new IpUsageError('Device is a required argument.', 255);
  const dev = ctx.ns.device(devName);
  if (!dev) throw new IpUsageError(`Cannot find device "${devName}"`, 255);
  // fdb_modify: neither flag means self.
  if (!self && !master) self = true;
  if (!kindOps(dev).fdbSelf) {
    const multicast = (parseInt(mac.slice(0, 2), 16) & 1) === 1;
    if (mac === '00:00:00:00:00:00' || multicast) throw new UnsupportedError(`bridge fdb ${op} ${mac}: a multicast or zero address outside vxlan is not modelled`, mac);
    if (vni !== undefined || dst !== undefined || port !== undefined) throw new UnsupportedError(`bridge fdb ${op}: dst, vni and port apply to vxlan devices only in the model`, devName);
    // rtnl_fdb_add/rtnl_fdb_del: the master's (bridge's) handler first when the device is
    // a bridge port, then the device's own; neither (master on a non-port) is EOPNOTSUPP.
    const onPort = master && dev.master !== undefined && isBridge(dev.master);
    if (onPort) bridgeMasterOp(dev.master!, dev, mac, op, state);
    // A bridge's own handler (br_fdb_add/br_fdb_delete with no port): entries of its own.
    if (self && isBridge(dev)) bridgeMasterOp(dev, undefined, mac, op, state);
    else if (self) selfUcOp(dev, mac, op, state);
    else if (!onPort) throw new KernelError('EOPNOTSUPP');
    return 0;
  }
  if (master) throw new UnsupportedError('bridge fdb ... master on a vxlan device is not modelled', 'master');
  if (!kindOps(dev).fdbSelf) throw new UnsupportedError(`bridge fdb on a ${dev.kind} device is not modelled (only vxlan "self" entries are)`, devName);
  const fdb = ctx.ns.fdb;
  const same = fdb.filter((e) => e.dev === dev && e.mac === mac && (e.vni ?? -1) === (vni ?? -1));
  if (op === 'del') {
    if (same.length === 0) throw new KernelError('ENOENT');
    // __vxlan_fdb_delete: a known MAC without that remote is not an error (nothing goes).
    const victim = same.find((e) => dst === undefined || e.dst === dst);
    if (victim) fdb.splice(fdb.indexOf(victim), 1);
    return 0;
  }
  if (op === 'add' && same.length > 0) throw new KernelError('EEXIST');
  if (op === 'replace') {
    const zero = mac === '00:00:00:00:00:00';
    const multicast = (parseInt(mac.slice(0, 2), 16) & 1) === 1;
    // vxlan_fdb_update_create: replace may not create the default or a multicast entry.
    if (same.length === 0 && (zero || multicast)) throw new KernelError('EOPNOTSUPP');
    if (same.length > 0 && (zero || multicast)) throw new KernelError('EOPNOTSUPP', 'Cannot replace non-unicast fdb entries');
    if (same.length > 0) {
      // vxlan_fdb_replace: a remote already listed changes nothing; else the first one is rewritten.
      if (same.some((e) => e.dst === dst)) return 0;
      const first = same[0]!;
      fdb[fdb.indexOf(first)] = { mac, dev, state, ...(dst !== undefined ? { dst: dst as never } : {}), ...(vni !== undefined ? { vni } : {}), ...(port !== undefined ? { port } : {}) };
      return 0;
    }
  }
  if (op === 'append' && same.some((e) => e.dst === dst)) return 0;
  // vxlan_fdb_update_existing: only the default and multicast entries take more remotes;
  // appending to a unicast MAC changes nothing (and is no error).
  if (op === 'append' && same.length > 0 && !(mac === '00:00:00:00:00:00' || (parseInt(mac.slice(0, 2), 16) & 1) === 1)) return 0;
  fdb.push({ mac, dev, state, ...(dst !== undefined ? { dst: dst as never } : {}), ...(vni !== undefined ? { vni } : {}), ...(port !== undefined ? { port } : {}) });
  return 0;
}

interface FdbLine {
  mac: Mac;
  dev: Device;
  dst?: number;
  vlan?: number;
  port?: number;
  vni?: number;
  self: boolean;
  master?: Device;
  state: FdbEntry['state'];
}

/** print_fdb (bridge/fdb.c): the text line, or the JSON object with -j. */
function fdbText(e: FdbLine, devShown: boolean): string {
  let s = `${e.mac} `;
  if (devShown) s += `dev ${e.dev.name} `;
  if (e.dst !== undefined) s += `dst ${formatIpv4(e.dst)} `;
  if (e.vlan) s += `vlan ${e.vlan} `;
  if (e.port !== undefined) s += `port ${e.port} `;
  if (e.vni !== undefined) s += `vni ${e.vni} `;
  if (e.self) s += 'self ';
  if (e.master) s += `master ${e.master.name} `;
  return s + (e.state === 'reachable' ? '' : e.state) + '\n';
}

function fdbJson(e: FdbLine, devShown: boolean): Record<string, unknown> {
  const o: Record<string, unknown> = { mac: e.mac };
  if (devShown) o.ifname = e.dev.name;
  if (e.dst !== undefined) o.dst = formatIpv4(e.dst);
  if (e.vlan) o.vlan = e.vlan;
  if (e.port !== undefined) o.port = e.port;
  if (e.vni !== undefined) o.vni = e.vni;
  o.flags = e.self ? ['self'] : [];
  if (e.master) o.master = e.master.name;
  o.state = e.state === 'reachable' ? '' : e.state;
  return o;
}

/** The bridge's entries pointing to `port` (undefined: its own), as br_fdb_dump walks them. */
function masterLines(br: Device, port: Device | undefined): FdbLine[] {
  return bridgeFdb(br)
    .filter((e) => e.port === port)
    .map((e) => ({ mac: e.mac, dev: port ?? br, ...(e.vlan ? { vlan: e.vlan } : {}), self: false, master: br, state: e.state }));
}

function selfLines(ctx: ToolContext, dev: Device): FdbLine[] {
  const out: FdbLine[] = addressList(dev).map((mac) => ({ mac, dev, self: true, state: 'permanent' as const }));
  // The vxlan FDB lists the newest MAC first; the remotes of one MAC (`append`) in the
  // order they were added (vxlan_fdb_append adds at the tail).
  const mine = ctx.ns.fdb.filter((e) => e.dev === dev);
  const macs = [...new Set(mine.map((e) => e.mac))].reverse();
  for (const e of macs.flatMap((m) => mine.filter((x) => x.mac === m))) {
    out.push({
      mac: e.mac,
      dev,
      ...(e.dst !== undefined ? { dst: e.dst } : {}),
      ...(e.port !== undefined ? { port: e.port } : {}),
      ...(e.vni !== undefined ? { vni: e.vni } : {}),
      self: true,
      state: e.state,
    });
  }
  return out;
}

/**
 * rtnl_fdb_dump: device by device (ifindex order), a bridge port's entries in its bridge
 * first, then the device's own dump; a bridge's own dump (br_fdb_dump) is its address
 * lists, then its entries that point to no port. `br X` keeps X and its ports (nothing when
 * X is no bridge); `dev X` keeps X and leaves the `dev` out of each line.
 */
function fdbShow(ctx: ToolContext, a: Args, json: boolean, pretty: boolean): number {
  const refusal = learnedStateRefusal(ctx.ns.world, ctx.ns.name, 'bridge fdb show');
  if (refusal) throw new UnsupportedError(refusal, 'fdb');
  let devName: string | undefined;
  let brName: string | undefined;
  while (!a.done) {
    const tok = a.next();
    if (tok === 'dev') devName = a.value();
    else if (tok === 'br' || tok === 'brport') {
      if (tok === 'brport') devName = a.value();
      else brName = a.value();
    } else throw new UnsupportedError(`bridge fdb show: "${tok}" is not supported by the model`, tok);
  }
  let br: Device | undefined;
  if (brName !== undefined) {
    br = ctx.ns.device(brName);
    if (!br) throw new IpUsageError(`Cannot find bridge device "${brName}"`, 255);
  }
  const only = devName !== undefined ? ctx.ns.device(devName) : undefined;
  if (devName !== undefined && !only) throw new IpUsageError(`Cannot find device "${devName}"`, 255);
  const lines: FdbLine[] = [];
  for (const dev of ctx.ns.devicesByIndex()) {
    if (only && dev !== only) continue;
    if (br && dev !== br && dev.master !== br) continue;
    if (br && !isBridge(br)) continue;
    if (dev.master && isBridge(dev.master)) {
      bridgeFdbSync(dev.master);
      lines.push(...masterLines(dev.master, dev));
    }
    lines.push(...selfLines(ctx, dev));
    if (isBridge(dev)) {
      if (bridgeAddressUnknown(dev)) {
        throw new UnsupportedError(`bridge fdb show: ${dev.name} has a random address until it gets a port or an address; give it one ("address MAC") to list its entries`, dev.name);
      }
      bridgeFdbSync(dev);
      lines.push(...masterLines(dev, undefined));
    }
  }
  const devShown = only === undefined;
  if (json) print(ctx, writeJson(lines.map((e) => fdbJson(e, devShown)), pretty) + (pretty ? '' : '\n'));
  else for (const e of lines) print(ctx, fdbText(e, devShown));
  return 0;
}

function runBridge(argv: string[], ctx: ToolContext): number {
  const a = new Args(argv.slice(1));
  let c = ctx;
  let json = false;
  let pretty = false;
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
      } else if (opt === '-j' || opt === '-json') json = true;
      else if (opt === '-p' || opt === '-pretty') pretty = true;
      else throw new UnsupportedError(`bridge: option "${opt}" is not supported by the model`, opt);
    }
    const obj = a.next();
    if (!matches(obj, 'fdb')) throw new UnsupportedError(`bridge ${obj}: only "bridge fdb" is modelled`, obj);
    const cmd = a.done ? 'show' : a.next();
    if (cmd === 'add') return fdbAdd(c, a, 'add');
    if (matches(cmd, 'append')) return fdbAdd(c, a, 'append');
    if (matches(cmd, 'replace')) return fdbAdd(c, a, 'replace');
    if (matches(cmd, 'delete')) return fdbAdd(c, a, 'del');
    if (matches(cmd, 'show') || matches(cmd, 'list')) return fdbShow(c, a, json, pretty);
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
