// Open vSwitch's configuration (the Open_vSwitch database: bridges, ports, interfaces) and
// what ovs-vswitchd makes of it in the kernel (the ovs-system datapath device, internal
// devices, system devices attached with `master ovs-system`).
//
// MODEL ONLY: the lab kernel has no openvswitch module. Modelling choices:
// - every network namespace has its own database and vswitchd (a real host has one);
// - row UUIDs are derived from the namespace, table, name and creation serial (FNV-1a), so
//   `ovs-vsctl show` is reproducible; ovsdb sorts set members by UUID, and so does show;
// - OpenFlow port numbers are handed out 1, 2, ... per bridge in order of addition and not
//   reused; the bridge's own port is LOCAL;
// - ovs_version is 3.1.0.
import { deterministicMac, macBytes, type Mac } from '../../net/mac.ts';
import type { Device } from '../device.ts';
import { createDevice, deleteDevice } from '../link-ops.ts';
import type { Netns } from '../netns.ts';

export const OVS_VERSION = '3.1.0';

export interface OvsInterface {
  uuid: string;
  name: string;
  /** '' is a system (netdev) interface. */
  type: '' | 'internal';
  /** OpenFlow port number; 'LOCAL' for the bridge's own interface; -1 when it failed. */
  ofport: number | 'LOCAL';
  /** Interface.error, e.g. "could not open network device X (No such device)". */
  error?: string;
}

export type BondMode = 'active-backup' | 'balance-slb' | 'balance-tcp';

export interface OvsPort {
  uuid: string;
  name: string;
  interfaces: OvsInterface[];
  /** Access VLAN (Port.tag). */
  tag?: number;
  /** Trunked VLANs (Port.trunks); empty with no tag: every VLAN. */
  trunks: number[];
  /** Set for ports made by add-bond (two or more interfaces). */
  bond?: { mode: BondMode; lacp: 'off' | 'active' | 'passive' };
}

export interface MacEntry {
  vlan: number;
  mac: Mac;
  port: OvsPort;
}

export interface OvsBridge {
  uuid: string;
  name: string;
  ports: OvsPort[];
  /** MAC learning table, least recently updated first (the order fdb/show prints). */
  fdb: MacEntry[];
  nextOfport: number;
}

export class OvsDb {
  readonly uuid: string;
  readonly bridges: OvsBridge[] = [];
  private serial = 0;
  private readonly seed: string;

  constructor(seed: string) {
    this.seed = seed;
    this.uuid = this.newUuid('Open_vSwitch', '');
  }

  /** A stable UUID for a new row (FNV-1a over the namespace, table, name and serial). */
  newUuid(table: string, name: string): string {
    const text = `${this.seed}\0${table}\0${name}\0${this.serial++}`;
    const words: number[] = [];
    let h = 0x811c9dc5;
    for (let round = 0; round < 4; round++) {
      for (let i = 0; i < text.length; i++) {
        h ^= text.charCodeAt(i);
        h = Math.imul(h, 0x01000193) >>> 0;
      }
      h ^= round + 0x9e;
      h = Math.imul(h, 0x01000193) >>> 0;
      words.push(h);
    }
    const hex = words.map((w) => w.toString(16).padStart(8, '0')).join('');
    // Shape it like a random (version 4) UUID.
    const v = `${hex.slice(0, 12)}4${hex.slice(13, 16)}${((parseInt(hex[16]!, 16) & 3) | 8).toString(16)}${hex.slice(17, 32)}`;
    return `${v.slice(0, 8)}-${v.slice(8, 12)}-${v.slice(12, 16)}-${v.slice(16, 20)}-${v.slice(20, 32)}`;
  }

  bridge(name: string): OvsBridge | undefined {
    return this.bridges.find((b) => b.name === name);
  }

  /** The port named `name` on any bridge (a bridge's own port does not count). */
  port(name: string): { bridge: OvsBridge; port: OvsPort } | undefined {
    for (const bridge of this.bridges) {
      for (const port of bridge.ports) if (port.name === name && port.name !== bridge.name) return { bridge, port };
    }
    return undefined;
  }

  /** The interface named `name` on any bridge. */
  iface(name: string): { bridge: OvsBridge; port: OvsPort; iface: OvsInterface } | undefined {
    for (const bridge of this.bridges) {
      for (const port of bridge.ports) for (const iface of port.interfaces) if (iface.name === name) return { bridge, port, iface };
    }
    return undefined;
  }
}

declare module '../extensions.ts' {
  interface NsExtensions {
    ovs?: OvsDb;
  }
}

export function ovsDb(ns: Netns): OvsDb {
  ns.ext.ovs ??= new OvsDb(ns.name);
  return ns.ext.ovs;
}

export type OvsConflict = { kind: 'bridge'; name: string } | { kind: 'port'; name: string; bridge: string } | { kind: 'iface'; name: string; bridge: string };

/** check_conflicts: a new bridge/port/interface name must be unused. */
export function conflict(db: OvsDb, name: string): OvsConflict | undefined {
  if (db.bridge(name)) return { kind: 'bridge', name };
  for (const b of db.bridges) for (const p of b.ports) if (p.name === name) return { kind: 'port', name, bridge: b.name };
  const i = db.iface(name);
  if (i) return { kind: 'iface', name, bridge: i.bridge.name };
  return undefined;
}

// ---- ovs-vswitchd: the kernel side ----

const DATAPATH = 'ovs-system';

function datapathDevice(ns: Netns): Device {
  let dp = ns.device(DATAPATH);
  if (!dp) {
    dp = createDevice(ns, { kind: 'ovs-system', name: DATAPATH, ns });
    // The datapath's devices are promiscuous from the start (internal_dev_create:
    // `ip -d link` shows "promiscuity 1" on ovs-system and every internal port, 6.1).
    dp.promisc = true;
  }
  return dp;
}

/**
 * Brings an interface into the datapath: an internal interface gets a new device of kind
 * ovs-internal (DOWN until set up); a system interface attaches the existing device, which
 * then shows `master ovs-system` and PROMISC (netdev_vport: dev_set_promiscuity; a bond
 * passes promiscuity on to its members). A missing device leaves the interface in error.
 */
export function realizeInterface(ns: Netns, bridge: OvsBridge, iface: OvsInterface): void {
  const dp = datapathDevice(ns);
  if (iface.type === 'internal') {
    if (!ns.device(iface.name)) createDevice(ns, { kind: 'ovs-internal', name: iface.name, ns }).promisc = true;
    if (iface.ofport === -1) iface.ofport = iface.name === bridge.name ? 'LOCAL' : bridge.nextOfport++;
    delete iface.error;
    return;
  }
  const dev = ns.device(iface.name);
  if (!dev) {
    iface.ofport = -1;
    iface.error = `could not open network device ${iface.name} (No such device)`;
    return;
  }
  dev.master = dp;
  setPromisc(dev, true);
  if (iface.ofport === -1) iface.ofport = bridge.nextOfport++;
  delete iface.error;
}

function setPromisc(dev: Device, on: boolean): void {
  dev.promisc = on;
  if (dev.kind === 'bond') for (const s of dev.ns.devicesInOrder()) if (s.master === dev) s.promisc = on;
}

/** Takes an interface out of the datapath: an internal device goes away, a system one is released. */
export function releaseInterface(ns: Netns, iface: OvsInterface): void {
  const dev = ns.device(iface.name);
  if (!dev) return;
  if (iface.type === 'internal' && dev.kind === 'ovs-internal') {
    deleteDevice(dev);
    return;
  }
  if (dev.master?.kind === 'ovs-system') {
    delete dev.master;
    setPromisc(dev, false);
  }
}

/** With no bridge left, vswitchd deletes the datapath and its ovs-system device. */
export function releaseDatapathIfUnused(ns: Netns, db: OvsDb): void {
  if (db.bridges.length > 0) return;
  const dp = ns.device(DATAPATH);
  if (dp) deleteDevice(dp);
}

/**
 * bridge_pick_local_hw_addr (vswitchd reconfigures on every database change and every
 * rtnetlink link event): the bridge's own internal device takes the lowest MAC among its
 * other ports, counting only universally administered unicast addresses; with none, it
 * gets its default one (random in OVS: from the bridge's UUID). Each port is
 * represented by its interface whose name sorts first. On 6.1 with OVS 3.1, br-bond0 over
 * bond0 (b8:ce:f6:0a:00:01) and internal ports with 02:... MACs shows b8:ce:f6:0a:00:01.
 */
export function pickLocalMac(ns: Netns, bridge: OvsBridge): void {
  const local = ns.device(bridge.name);
  if (!local || local.kind !== 'ovs-internal') return;
  let best: Mac | undefined;
  for (const port of bridge.ports) {
    if (port.name === bridge.name) continue;
    const iface = [...port.interfaces].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))[0];
    const dev = iface ? ns.device(iface.name) : undefined;
    if (!dev) continue;
    const b = macBytes(dev.mac);
    if (b[0]! & 0x03 || b.every((x) => x === 0)) continue; // multicast or locally administered
    if (best === undefined || dev.mac < best) best = dev.mac;
  }
  // With none, the default address again (6.1 + OVS 3.1: after del-port of the only
  // candidate, the bridge no longer shows its MAC); the model's stand-in for the
  // UUID-derived default is the device's deterministic MAC.
  local.mac = best ?? deterministicMac(`${ns.name}/${bridge.name}`);
}
