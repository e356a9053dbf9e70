// Changes to the OVS database the way ovs-vsctl makes them (utilities/ovs-vsctl.c: add-br,
// add-port, add-bond, del-port, del-br, set Port/Interface), applied at once together with
// what ovs-vswitchd does in response (db.ts: realizeInterface / releaseInterface).
import type { Netns } from '../netns.ts';
import {
  conflict,
  ovsDb,
  pickLocalMac,
  realizeInterface,
  releaseDatapathIfUnused,
  releaseInterface,
  type BondMode,
  type OvsBridge,
  type OvsDb,
  type OvsInterface,
  type OvsPort,
} from './db.ts';

/** ctl_fatal's message (ovs-vsctl prints "ovs-vsctl: " before it and exits 1). */
export class OvsError extends Error {}

function checkConflict(db: OvsDb, name: string, what: string): void {
  const c = conflict(db, name);
  if (!c) return;
  if (c.kind === 'bridge') throw new OvsError(`${what} because a bridge named ${name} already exists`);
  if (c.kind === 'port') throw new OvsError(`${what} because a port named ${name} already exists on bridge ${c.bridge}`);
  throw new OvsError(`${what} because an interface named ${name} already exists on bridge ${c.bridge}`);
}

export function findBridge(db: OvsDb, name: string): OvsBridge {
  const b = db.bridge(name);
  if (!b) throw new OvsError(`no bridge named ${name}`);
  return b;
}

function newIface(db: OvsDb, name: string, type: '' | 'internal'): OvsInterface {
  return { uuid: db.newUuid('Interface', name), name, type, ofport: -1 };
}

/** Interfaces vswitchd could not set up, for ovs-vsctl's post-commit check. */
export interface AddResult {
  failed: OvsInterface[];
}

/** `add-br BR`: the bridge, its port and internal interface BR (OpenFlow LOCAL). */
export function addBridge(ns: Netns, name: string, mayExist = false): AddResult {
  const db = ovsDb(ns);
  if (name === '') throw new OvsError('bridge name must not be empty string');
  if (mayExist && db.bridge(name)) return { failed: [] };
  checkConflict(db, name, `cannot create a bridge named ${name}`);
  const iface = newIface(db, name, 'internal');
  const port: OvsPort = { uuid: db.newUuid('Port', name), name, interfaces: [iface], trunks: [] };
  const bridge: OvsBridge = { uuid: db.newUuid('Bridge', name), name, ports: [port], fdb: [], nextOfport: 1 };
  db.bridges.push(bridge);
  realizeInterface(ns, bridge, iface);
  pickLocalMac(ns, bridge);
  return { failed: [] };
}

export interface PortSettings {
  tag?: number;
  trunks?: number[];
  /** `-- set interface NAME type=...` in the same transaction. */
  ifaceTypes?: Map<string, '' | 'internal'>;
  bondMode?: BondMode;
  lacp?: 'off' | 'active' | 'passive';
}

/** `add-port BR PORT` / `add-bond BR PORT IFACE...`. */
export function addPort(ns: Netns, bridgeName: string, portName: string, ifaceNames: string[], s: PortSettings, mayExist = false): AddResult {
  const db = ovsDb(ns);
  const bridge = findBridge(db, bridgeName);
  if (mayExist) {
    const existing = db.port(portName);
    if (existing) {
      if (existing.bridge !== bridge) throw new OvsError(`"--may-exist add-port ${bridgeName} ${portName}" but ${portName} is actually attached to bridge ${existing.bridge.name}`);
      return { failed: [] };
    }
  }
  checkConflict(db, portName, `cannot create a port named ${portName}`);
  for (const i of ifaceNames) if (i !== portName) checkConflict(db, i, `cannot create an interface named ${i}`);
  const interfaces = ifaceNames.map((n) => newIface(db, n, s.ifaceTypes?.get(n) ?? ''));
  const port: OvsPort = { uuid: db.newUuid('Port', portName), name: portName, interfaces, trunks: s.trunks ?? [] };
  if (s.tag !== undefined) port.tag = s.tag;
  if (ifaceNames.length > 1 || s.bondMode !== undefined) port.bond = { mode: s.bondMode ?? 'active-backup', lacp: s.lacp ?? 'off' };
  bridge.ports.push(port);
  for (const iface of interfaces) realizeInterface(ns, bridge, iface);
  pickLocalMac(ns, bridge);
  return { failed: interfaces.filter((i) => i.ofport === -1) };
}

function removePort(ns: Netns, bridge: OvsBridge, port: OvsPort): void {
  bridge.ports = bridge.ports.filter((p) => p !== port);
  bridge.fdb = bridge.fdb.filter((e) => e.port !== port);
  for (const i of port.interfaces) releaseInterface(ns, i);
  pickLocalMac(ns, bridge);
}

/** `del-port [BR] PORT`. */
export function delPort(ns: Netns, bridgeName: string | undefined, portName: string, ifExists = false): void {
  const db = ovsDb(ns);
  const bridge = bridgeName !== undefined ? findBridge(db, bridgeName) : undefined;
  const found = db.port(portName);
  if (!found) {
    if (ifExists) return;
    throw new OvsError(`no port named ${portName}`);
  }
  if (bridge && found.bridge !== bridge) {
    throw new OvsError(`bridge ${bridgeName} does not have a port ${portName} (although its parent bridge ${found.bridge.name} does)`);
  }
  removePort(ns, found.bridge, found.port);
}

/** `del-br BR`. */
export function delBridge(ns: Netns, name: string, ifExists = false): void {
  const db = ovsDb(ns);
  const bridge = db.bridge(name);
  if (!bridge) {
    if (ifExists) return;
    throw new OvsError(`no bridge named ${name}`);
  }
  for (const p of [...bridge.ports]) removePort(ns, bridge, p);
  db.bridges.splice(db.bridges.indexOf(bridge), 1);
  releaseDatapathIfUnused(ns, db);
}

/** `set Port NAME tag=N trunks=...` (a missing record: "no row"). */
export function setPort(ns: Netns, name: string, s: { tag?: number | null; trunks?: number[] }): void {
  const found = ovsDb(ns).port(name) ?? findBridgeOwnPort(ovsDb(ns), name);
  if (!found) throw new OvsError(`no row "${name}" in table Port`);
  const { bridge, port } = found;
  if (s.tag === null) delete port.tag;
  else if (s.tag !== undefined) port.tag = s.tag;
  if (s.trunks !== undefined) port.trunks = s.trunks;
  // A VLAN change invalidates what was learned on the port (vswitchd revalidates).
  bridge.fdb = bridge.fdb.filter((e) => e.port !== port);
}

function findBridgeOwnPort(db: OvsDb, name: string): { bridge: OvsBridge; port: OvsPort } | undefined {
  const b = db.bridge(name);
  const p = b?.ports.find((x) => x.name === name);
  return b && p ? { bridge: b, port: p } : undefined;
}

/** `set Interface NAME type=internal|system`: vswitchd re-creates the interface. */
export function setInterfaceType(ns: Netns, name: string, type: '' | 'internal'): AddResult {
  const db = ovsDb(ns);
  const found = db.iface(name);
  if (!found) throw new OvsError(`no row "${name}" in table Interface`);
  if (found.iface.type === type) return { failed: [] };
  releaseInterface(ns, found.iface);
  found.iface.type = type;
  found.iface.ofport = -1;
  realizeInterface(ns, found.bridge, found.iface);
  pickLocalMac(ns, found.bridge);
  return { failed: found.iface.ofport === -1 ? [found.iface] : [] };
}
