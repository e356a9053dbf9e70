// A topology diagram of the model, laid out for an SVG drawn at build time: one box per
// namespace with its devices in tiers (pod-facing devices, L3 devices, Open vSwitch ports,
// bonds, NICs), the switch namespace in the middle, pods outside their node's box, and the
// veth, VLAN/ipvlan/VXLAN-lower, bond-member and OVS links between devices. Every device
// has a key `ns:device` and every box a key `ns`, which is what the tracer's steps name
// (lib/views/trace-view.ts stepKey), so the widget can highlight the current place.
import { kindOps } from '../kinds/registry.ts';
import type { Device } from '../model/device.ts';
import type { Netns } from '../model/netns.ts';
import type { World } from '../model/world.ts';

export interface TopoDevice {
  key: string;
  ns: string;
  name: string;
  /** The name as drawn: long names are cut (the full one is in the key and the tooltip). */
  label: string;
  kind: string;
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface TopoBox {
  key: string;
  label: string;
  x: number;
  y: number;
  w: number;
  h: number;
  /** A namespace with a single device drawn outside its host (a pod, the outside host). */
  leaf: boolean;
}

export interface TopoGroup {
  /** The OVS bridge around its internal ports. */
  label: string;
  ns: string;
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface TopoLink {
  a: string;
  b: string;
  kind: 'veth' | 'lower' | 'member' | 'ovs';
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

export interface Topology {
  width: number;
  height: number;
  boxes: TopoBox[];
  groups: TopoGroup[];
  devices: TopoDevice[];
  links: TopoLink[];
}

const CHAR_W = 6.1; // 10px monospace
const MAX_LABEL = 11;
const DEV_H = 24;
const LEAF_H = 36;
const GAP = 6;
const ROW_GAP = 16;
const PAD = 12;
const TITLE_H = 22;
const BOX_GAP = 40;
const MARGIN = 8;

type Tier = 'attach' | 'l3' | 'switch' | 'bond' | 'nic';
type OvsDb = { bridges: { name: string; ports: { name: string }[] }[] };

const shown = (d: Device) => !kindOps(d).view.hidden;
const devicesOf = (ns: Netns) => ns.devicesInOrder().filter(shown);

/** The device in another namespace a device is tied to (veth peer, vlan/ipvlan lower). */
function across(d: Device): Device | undefined {
  const wire = kindOps(d).view.wire;
  if (wire === 'veth') return d.peer && d.peer.ns !== d.ns ? d.peer : undefined;
  if (wire === 'lower' && d.lower && d.lower.ns !== d.ns) return d.lower;
  return undefined;
}

/** A name cut to fit a device box (`upvx4279f78e5dc` → `upvx4279f7…`). */
export function shortLabel(name: string): string {
  return name.length <= MAX_LABEL ? name : name.slice(0, MAX_LABEL - 1) + '…';
}

export function topology(world: World): Topology {
  const all = world.namespaces();
  // Leaves: one device, tied to a device in another namespace (pods, the outside host).
  const leafOf = new Map<Netns, Device>(); // leaf ns → the device it hangs from
  for (const ns of all) {
    const devs = devicesOf(ns);
    const other = devs.length === 1 ? across(devs[0]!) : undefined;
    if (other) leafOf.set(ns, other);
  }
  const cores = all.filter((ns) => !leafOf.has(ns));
  const coreLinks = (ns: Netns) => devicesOf(ns).filter((d) => kindOps(d).view.wire === 'veth' && d.peer && cores.includes(d.peer.ns) && d.peer.ns !== ns).length;
  const hub = cores.reduce<Netns | undefined>((best, ns) => (best === undefined || coreLinks(ns) > coreLinks(best) ? ns : best), undefined);
  const others = cores.filter((ns) => ns !== hub);
  const order: { ns: Netns; facing: 'down' | 'hub' | 'up' }[] = [];
  if (others[0]) order.push({ ns: others[0], facing: 'down' });
  if (hub) order.push({ ns: hub, facing: others.length ? 'hub' : 'down' });
  for (const ns of others.slice(1)) order.push({ ns, facing: 'up' });

  const attachDevs = new Set(leafOf.values());
  const tierOf = (d: Device): Tier => {
    if (attachDevs.has(d)) return 'attach';
    return kindOps(d).view.tier?.(d) ?? 'l3';
  };
  // For the hub: which neighbour core a NIC or bond faces.
  const sideOf = (d: Device): Netns | undefined => {
    if (kindOps(d).view.wire === 'veth') return d.peer?.ns;
    if (kindOps(d).view.masterLink === 'member') {
      const slave = d.ns.devicesInOrder().find((s) => s.master === d && kindOps(s).view.wire === 'veth');
      return slave?.peer?.ns;
    }
    return undefined;
  };

  const names = all.flatMap((ns) => devicesOf(ns).map((d) => d.name)).concat([...leafOf.keys()].map((ns) => ns.name));
  const devW = Math.ceil(Math.min(MAX_LABEL, Math.max(...names.map((n) => n.length), 6)) * CHAR_W + 12);

  // Rows of each core box.
  const rowsOf = (ns: Netns, facing: 'down' | 'hub' | 'up'): Device[][] => {
    const devs = devicesOf(ns);
    const by = (t: Tier, pred: (d: Device) => boolean = () => true) => devs.filter((d) => tierOf(d) === t && pred(d));
    let rows: Device[][];
    if (facing === 'hub') {
      const top = order[0]?.ns;
      const fromTop = (d: Device) => sideOf(d) === top;
      const fromBottom = (d: Device) => sideOf(d) !== undefined && sideOf(d) !== top;
      rows = [
        by('nic', fromTop),
        by('bond', fromTop),
        [...by('switch'), ...by('l3'), ...by('attach'), ...devs.filter((d) => (tierOf(d) === 'nic' || tierOf(d) === 'bond') && sideOf(d) === undefined)],
        by('bond', fromBottom),
        by('nic', fromBottom),
      ];
    } else {
      rows = [by('attach'), by('l3'), by('switch'), by('bond'), by('nic')];
      if (facing === 'up') rows.reverse();
    }
    return rows.filter((r) => r.length > 0);
  };

  const rowWidth = (n: number) => n * devW + (n - 1) * GAP;
  const plans = order.map((o) => ({ ...o, rows: rowsOf(o.ns, o.facing) }));
  const boxW = Math.max(...plans.map((p) => Math.max(...p.rows.map((r) => rowWidth(r.length)))), devW) + 2 * PAD;
  // Leaves of the hub go to its right.
  const hubLeaves = [...leafOf.entries()].filter(([, d]) => d.ns === hub && order.some((o) => o.facing === 'hub'));
  const width = MARGIN * 2 + boxW + (hubLeaves.length ? BOX_GAP / 2 + devW : 0);

  const boxes: TopoBox[] = [];
  const groups: TopoGroup[] = [];
  const devices: TopoDevice[] = [];
  const pos = new Map<Device, TopoDevice>();
  const leafPos = new Map<Netns, TopoBox>();
  let y = MARGIN;
  const boxX = MARGIN;

  // Leaf boxes hanging from `ns`, in a row at yRow (x is set once the devices are placed).
  const placeLeaves = (ns: Netns, yRow: number) => {
    const leaves = [...leafOf.keys()].filter((leaf) => leafOf.get(leaf)!.ns === ns);
    for (const leaf of leaves) leafPos.set(leaf, { key: leaf.name, label: leaf.name, x: 0, y: yRow, w: devW, h: LEAF_H, leaf: true });
    return leaves.length > 0;
  };

  for (const p of plans) {
    if (p.facing === 'hub') placeLeaves(p.ns, 0);
    else if (p.facing === 'down' && placeLeaves(p.ns, y)) y += LEAF_H + ROW_GAP + 6;
    const h = TITLE_H + p.rows.length * DEV_H + (p.rows.length - 1) * ROW_GAP + PAD;
    boxes.push({ key: p.ns.name, label: p.ns.name, x: boxX, y, w: boxW, h, leaf: false });
    p.rows.forEach((row, i) => {
      const ry = y + TITLE_H + i * (DEV_H + ROW_GAP);
      const rx = boxX + (boxW - rowWidth(row.length)) / 2;
      row.forEach((d, j) => {
        const td: TopoDevice = { key: `${p.ns.name}:${d.name}`, ns: p.ns.name, name: d.name, label: shortLabel(d.name), kind: d.kind, x: rx + j * (devW + GAP), y: ry, w: devW, h: DEV_H };
        devices.push(td);
        pos.set(d, td);
      });
      const sw = row.filter((d) => kindOps(d).view.tier?.(d) === 'switch');
      if (sw.length === row.length && sw.length > 0) {
        const db = (p.ns.ext as { ovs?: OvsDb }).ovs;
        const bridge = db?.bridges.find((b) => b.ports.some((pt) => pt.name === sw[0]!.name));
        groups.push({ label: bridge ? `OVS ${bridge.name}` : 'OVS', ns: p.ns.name, x: rx - 6, y: ry - 6, w: rowWidth(row.length) + 12, h: DEV_H + 12 });
      }
    });
    y += h;
    if (p.facing === 'up' && placeLeaves(p.ns, y + ROW_GAP + 6)) y += ROW_GAP + 6 + LEAF_H;
    y += BOX_GAP;
  }
  const height = y - BOX_GAP + MARGIN;

  // Leaf x (and the hub's leaves' y): next to the device they hang from.
  for (const [leaf, dev] of leafOf) {
    const b = leafPos.get(leaf);
    const at = pos.get(dev);
    if (!b || !at) continue;
    if (dev.ns === hub && order.some((o) => o.facing === 'hub')) {
      b.x = boxX + boxW + BOX_GAP / 2;
      b.y = at.y + at.h / 2 - LEAF_H / 2;
    } else b.x = at.x;
    boxes.push(b);
  }
  const leafDevKey = (leaf: Netns) => `${leaf.name}:${devicesOf(leaf)[0]!.name}`;
  for (const [leaf] of leafOf) {
    const b = leafPos.get(leaf)!;
    devices.push({ key: leafDevKey(leaf), ns: leaf.name, name: devicesOf(leaf)[0]!.name, label: shortLabel(devicesOf(leaf)[0]!.name), kind: devicesOf(leaf)[0]!.kind, x: b.x, y: b.y, w: b.w, h: b.h });
  }

  // Links.
  const links: TopoLink[] = [];
  const centre = (t: { x: number; y: number; w: number; h: number }) => [t.x + t.w / 2, t.y + t.h / 2] as const;
  const link = (a: TopoDevice | TopoBox, b: TopoDevice | TopoBox, kind: TopoLink['kind']) => {
    const [x1, y1] = centre(a);
    const [x2, y2] = centre(b);
    links.push({ a: a.key, b: b.key, kind, x1, y1, x2, y2 });
  };
  const seen = new Set<Device>();
  for (const p of plans) {
    for (const d of devicesOf(p.ns)) {
      const td = pos.get(d);
      if (!td) continue;
      const view = kindOps(d).view;
      if (view.wire === 'veth' && d.peer && !seen.has(d)) {
        seen.add(d);
        seen.add(d.peer);
        const other = pos.get(d.peer);
        if (other) link(td, other, 'veth');
      }
      const lower = view.drawnLower?.(d);
      if (lower && pos.get(lower)) link(td, pos.get(lower)!, 'lower');
      const masterLink = d.master ? kindOps(d.master).view.masterLink : undefined;
      if (masterLink === 'member' && pos.get(d.master!)) link(td, pos.get(d.master!)!, 'member');
      if (view.masterLink === 'member' && masterLink === 'ovs') {
        const g = groups.find((x) => x.ns === p.ns.name);
        if (g) links.push({ a: td.key, b: `${p.ns.name}:ovs`, kind: 'ovs', x1: td.x + td.w / 2, y1: td.y + td.h / 2, x2: td.x + td.w / 2, y2: g.y + g.h / 2 });
      }
    }
  }
  for (const [leaf, dev] of leafOf) {
    const b = leafPos.get(leaf);
    const at = pos.get(dev);
    if (b && at) link(at, { ...b, key: leafDevKey(leaf) }, leaf.devicesInOrder().some((d) => kindOps(d).view.wire === 'lower') ? 'lower' : 'veth');
  }
  return { width: Math.ceil(width), height: Math.ceil(height), boxes, groups, devices, links };
}
