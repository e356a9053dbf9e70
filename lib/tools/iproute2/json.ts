// `ip -j`: the same objects the text printers show, as iproute2's JSON writer emits them
// (print_linkinfo, print_addrinfo, print_route, print_rule, print_neigh with PRINT_JSON).
// Keys and their order follow iproute2 6.1; absent fields are left out, as there.
import { kindOps } from '../../kinds/registry.ts';
import { tsoMaxSizeOf } from '../../kinds/common.ts';
import { UnsupportedError } from '../tool.ts';
import { Scope, operState, type Device } from '../../model/device.ts';
import { reportedOperState } from '../../model/link-ops.ts';
import type { NeighEntry } from '../../model/neigh.ts';
import type { ResolvedRoute } from '../../model/route-resolve.ts';
import type { Route } from '../../model/route.ts';
import { writeJson } from './json-writer.ts';
import type { Rule } from '../../model/rule.ts';
import type { Netns } from '../../model/netns.ts';
import { hasCarrier, linkType, promiscuity, qdiscOf } from '../../model/device.ts';
import { formatIpv4 } from '../../net/ipv4.ts';
import { formatIpv6 } from '../../net/ipv6.ts';
import { protoName, scopeName, tableName } from './names.ts';
import { formatFlags, iproute2Mdown, linkName } from './print-link.ts';
import { formatDst, multipathLinkdown, nexthopFlags, type RouteFilterView } from './print-route.ts';

type Obj = Record<string, unknown>;

function flagList(dev: Device, mdown: boolean): string[] {
  const text = formatFlags(dev, mdown);
  return text === '<>' ? [] : text.slice(1, -1).split(',');
}

function linkHead(dev: Device): Obj {
  const o: Obj = { ifindex: dev.ifindex };
  const { lower } = linkName(dev);
  if (lower) {
    if (lower.ns !== dev.ns) o.link_index = lower.ifindex;
    else o.link = lower.name;
  }
  o.ifname = dev.name;
  o.flags = flagList(dev, iproute2Mdown(dev));
  o.mtu = dev.mtu;
  o.qdisc = qdiscOf(dev);
  if (dev.master) o.master = dev.master.name;
  o.operstate = reportedOperState(dev);
  return o;
}

function netnsid(dev: Device): number | undefined {
  const { lower } = linkName(dev);
  return lower && lower.ns !== dev.ns ? dev.ns.peerId(lower.ns) : undefined;
}

export function linkJson(dev: Device, o: { addr: boolean; family: 0 | 4 | 6; details?: boolean }): Obj {
  const j = linkHead(dev);
  if (!o.addr) j.linkmode = 'DEFAULT';
  j.group = 'default';
  if (dev.txqlen) j.txqlen = dev.txqlen;
  const id = netnsid(dev);
  if (o.family === 0) {
    j.link_type = linkType(dev);
    j.address = dev.mac;
    j.broadcast = dev.brd;
  }
  if (id !== undefined) j.link_netnsid = id;
  if (o.details) Object.assign(j, detailsJson(dev));
  if (o.addr) j.addr_info = addrInfo(dev, o.family);
  return j;
}

/** `-d`: the fields print_linkinfo adds, with the kind's linkinfo (lib/kinds/). */
function detailsJson(dev: Device): Obj {
  const ops = kindOps(dev);
  if (!ops.linkinfoJson) throw new UnsupportedError(`ip -j -d link: the details of a ${dev.kind} device are not modelled in JSON (ip -d link without -j is)`, dev.name);
  let info = ops.linkinfoJson(dev);
  const slave = dev.master ? kindOps(dev.master).slaveLinkinfoJson?.(dev.master, dev) : undefined;
  if (slave) info = { ...(info ?? {}), ...slave };
  const queues = ops.queues ?? 1;
  return {
    promiscuity: promiscuity(dev),
    allmulti: dev.master && kindOps(dev.master).portAllmulti ? 1 : 0,
    min_mtu: dev.minMtu,
    max_mtu: dev.maxMtu,
    ...(info ? { linkinfo: info } : {}),
    inet6_addr_gen_mode: 'eui64',
    num_tx_queues: queues,
    num_rx_queues: queues,
    gso_max_size: 65536,
    gso_max_segs: 65535,
    tso_max_size: tsoMaxSizeOf(dev),
    tso_max_segs: 65535,
    gro_max_size: 65536,
  };
}

function addrInfo(dev: Device, family: 0 | 4 | 6): Obj[] {
  const out: Obj[] = [];
  if (family !== 6) {
    for (const a of dev.ipv4) {
      const o: Obj = { family: 'inet', local: formatIpv4(a.local) };
      if (a.peer !== undefined) o.address = formatIpv4(a.peer);
      o.prefixlen = a.len;
      if (a.metric) o.metric = a.metric;
      if (a.broadcast !== undefined) o.broadcast = formatIpv4(a.broadcast);
      o.scope = scopeName(a.scope);
      if (a.secondary) o.secondary = true;
      if (a.noprefixroute) o.noprefixroute = true;
      o.label = a.label;
      o.valid_life_time = 4294967295;
      o.preferred_life_time = 4294967295;
      out.push(o);
    }
  }
  if (family !== 4) {
    for (const a of dev.ipv6) {
      out.push({ family: 'inet6', local: formatIpv6(a.addr), prefixlen: a.len, scope: scopeName(a.scope === Scope.host ? Scope.host : a.scope), valid_life_time: 4294967295, preferred_life_time: 4294967295 });
    }
  }
  return out;
}

export function linkBriefJson(dev: Device, o: { addr: boolean; family: 0 | 4 | 6 }): Obj {
  const j: Obj = {};
  const { lower } = linkName(dev);
  if (lower) {
    if (lower.ns !== dev.ns) j.link_index = lower.ifindex;
    else j.link = lower.name;
  }
  j.ifname = dev.name;
  j.operstate = reportedOperState(dev);
  if (o.addr) {
    const info: Obj[] = [];
    if (o.family !== 6) for (const a of dev.ipv4) info.push({ local: formatIpv4(a.local), prefixlen: a.len });
    if (o.family !== 4) for (const a of dev.ipv6) info.push({ local: formatIpv6(a.addr), prefixlen: a.len });
    j.addr_info = info;
  } else {
    j.address = dev.mac;
    j.flags = flagList(dev, iproute2Mdown(dev));
  }
  return j;
}

function routeFlags(r: Route): string[] {
  const nh = r.nexthops.length === 1 ? r.nexthops[0] : undefined;
  if (!nh) return multipathLinkdown(r) ? ['linkdown'] : [];
  return nexthopFlags(nh);
}

export function routeJson(r: Route, f: RouteFilterView): Obj {
  const o: Obj = {};
  if ((r.type !== 'unicast' || f.details) && !f.typeGiven) o.type = r.type;
  o.dst = formatDst(r.dst.addr, r.dst.len);
  if (r.tos) o.tos = `0x${r.tos.toString(16).padStart(2, '0')}`;
  const multi = r.nexthops.length > 1;
  const nh = multi ? undefined : r.nexthops[0];
  if (nh?.gw !== undefined) o.gateway = formatIpv4(nh.gw);
  if (nh?.dev && !f.devGiven) o.dev = nh.dev.name;
  if (r.table !== 254 && !f.tableGiven) o.table = tableName(r.table);
  if ((r.proto !== 3 || f.details) && !f.protoGiven) o.protocol = protoName(r.proto);
  if ((r.scope !== 0 || f.details) && !f.scopeGiven) o.scope = scopeName(r.scope);
  if (r.prefsrc !== undefined) o.prefsrc = formatIpv4(r.prefsrc);
  if (r.metric) o.metric = r.metric;
  o.flags = routeFlags(r);
  if (multi) {
    o.nexthops = r.nexthops.map((x) => {
      const n: Obj = {};
      if (x.gw !== undefined) n.gateway = formatIpv4(x.gw);
      n.dev = x.dev?.name ?? '';
      n.weight = x.weight;
      n.flags = nexthopFlags(x);
      return n;
    });
  }
  return o;
}

export function resolvedJson(r: ResolvedRoute, uid: boolean): Obj {
  const o: Obj = {};
  if (r.type !== 'unicast') o.type = r.type;
  o.dst = formatIpv4(r.dst);
  if (r.givenSrc) o.from = formatIpv4(r.givenSrc);
  if (r.gw !== undefined) o.gateway = formatIpv4(r.gw);
  o.dev = r.dev.name;
  if (r.table !== undefined && r.table !== 254) o.table = tableName(r.table);
  if (r.direction === 'output' && r.src !== undefined && r.src !== r.givenSrc) o.prefsrc = formatIpv4(r.src);
  o.flags = [];
  if (r.direction === 'output' && uid) o.uid = 0;
  o.cache = r.cacheFlags;
  if (r.pmtu) {
    // The text form says `mtu lock N`; how iproute2 writes the lock in JSON is not modelled.
    if (r.pmtu.locked) throw new UnsupportedError('ip -j route get: a locked path MTU exception is not modelled in JSON', 'get');
    if (r.pmtu.expires) o.expires = r.pmtu.expires;
    o.metrics = [{ mtu: r.pmtu.mtu }];
  }
  if (r.direction === 'input' && r.iif) o.iif = r.iif.name;
  return o;
}

/** `ns` tells which iif/oif devices are absent (FIB_RULE_*_DETACHED: `"iif_detached": null`). */
export function ruleJson(r: Rule, ns?: Netns): Obj {
  const o: Obj = { priority: r.priority };
  if (r.not) o.not = null;
  o.src = r.from ? formatIpv4(r.from.addr) : 'all';
  if (r.from && r.from.len !== 32) o.srclen = r.from.len;
  if (r.to) {
    o.dst = formatIpv4(r.to.addr);
    if (r.to.len !== 32) o.dstlen = r.to.len;
  }
  if (r.tos) o.tos = `0x${r.tos.toString(16).padStart(2, '0')}`;
  if (r.fwmark !== undefined) {
    o.fwmark = `0x${r.fwmark.toString(16)}`;
    if (r.fwmask !== undefined && r.fwmask !== 0xffffffff) o.fwmask = `0x${r.fwmask.toString(16)}`;
  }
  if (r.iif !== undefined) {
    o.iif = r.iif;
    if (ns && !ns.device(r.iif)) o.iif_detached = null;
  }
  if (r.oif !== undefined) {
    o.oif = r.oif;
    if (ns && !ns.device(r.oif)) o.oif_detached = null;
  }
  if (r.action === 'lookup') {
    o.table = tableName(r.table);
    if (r.suppressPrefixlen !== undefined) o.suppress_prefixlen = r.suppressPrefixlen;
  } else if (r.action === 'goto') o.goto = r.gotoTarget;
  else o.action = r.action;
  return o;
}

export function neighJson(n: NeighEntry, devGiven: boolean): Obj {
  const o: Obj = { dst: formatIpv4(n.dst) };
  if (!devGiven) o.dev = n.dev.name;
  if (n.lladdr && (n.proxy || ['PERMANENT', 'NOARP', 'REACHABLE', 'STALE', 'DELAY', 'PROBE'].includes(n.state))) o.lladdr = n.lladdr;
  if (n.router) o.router = null;
  if (n.proxy) o.proxy = null;
  // print_neigh_state: NONE prints no word (an empty array in JSON).
  o.state = n.state === 'NONE' ? [] : [n.state];
  return o;
}

/** The JSON text iproute2 prints for a list of objects: one line, or `-p`'s pretty layout. */
export function jsonLine(objs: unknown[], pretty = false): string {
  // One writer for both forms (it writes what JSON.stringify would, and the fixed-decimal
  // timers of bridge details as bare numbers).
  return pretty ? writeJson(objs, true) : writeJson(objs, false) + '\n';
}
