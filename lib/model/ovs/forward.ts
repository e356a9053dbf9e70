// The NORMAL action of an OVS bridge (ofproto/ofproto-dpif-xlate.c xlate_normal with
// lib/mac-learning.c): VLAN of the input port, MAC learning keyed by (VLAN, MAC), output to
// the learned port or flood to every other port in the VLAN, VLAN tag pushed or popped per
// output port. Ports: `tag=N` is an access port (untagged in and out, VLAN N inside);
// without a tag a port is a trunk of its `trunks` (all VLANs when empty), VLAN 0 meaning
// untagged. Bonds: active-backup sends on its active member (the first member, by name,
// whose device has carrier; the model's choice of "the" active member).
import type { Mac } from '../../net/mac.ts';
import { hasCarrier } from '../device.ts';
import type { Netns } from '../netns.ts';
import type { OvsBridge, OvsInterface, OvsPort } from './db.ts';

export interface OvsFrame {
  srcMac: Mac;
  dstMac: Mac;
  /** 802.1Q VLAN id on the wire; absent (or 0) for an untagged frame. */
  vlan?: number;
}

export interface OvsOutput {
  port: OvsPort;
  /** The interface (Linux device name) the frame leaves through; for a bond, its member. */
  iface: OvsInterface;
  ofport: number | 'LOCAL';
  /** The VLAN tag on the frame as it leaves; undefined = untagged. */
  vlan?: number;
}

export interface OvsForwarding {
  bridge: OvsBridge;
  inPort: OvsPort;
  /** The VLAN the frame belongs to inside the bridge (0 = untagged). */
  vlan: number;
  /** The frame was dropped at ingress (VLAN not allowed on the input port). */
  dropped?: string;
  learned?: { vlan: number; mac: Mac; moved: boolean };
  /** 'learned': one output from the MAC table; 'flood': unknown or broadcast destination. */
  decision: 'learned' | 'flood' | 'drop';
  outputs: OvsOutput[];
}

function isMulticast(mac: Mac): boolean {
  return (parseInt(mac.slice(0, 2), 16) & 1) === 1;
}

/** The VLAN a frame arriving on `port` belongs to, or a reason to drop it. */
export function ingressVlan(port: OvsPort, frameVlan: number | undefined): number | string {
  const tagged = frameVlan !== undefined && frameVlan !== 0;
  if (port.tag !== undefined) {
    if (tagged) return `port ${port.name} is an access port (tag ${port.tag}): tagged frames (VLAN ${frameVlan}) are dropped`;
    return port.tag;
  }
  const vlan = tagged ? frameVlan! : 0;
  if (port.trunks.length > 0 && !port.trunks.includes(vlan)) return `port ${port.name} does not trunk VLAN ${vlan}`;
  return vlan;
}

/** Whether `port` carries `vlan`, and the tag a frame of that VLAN has when it leaves. */
export function egress(port: OvsPort, vlan: number): { ok: boolean; tag?: number } {
  if (port.tag !== undefined) return { ok: port.tag === vlan };
  if (port.trunks.length > 0 && !port.trunks.includes(vlan)) return { ok: false };
  return vlan === 0 ? { ok: true } : { ok: true, tag: vlan };
}

/** The interface a port sends on: itself, or a bond's active member. */
export function portMember(ns: Netns, port: OvsPort): OvsInterface | undefined {
  if (port.interfaces.length === 1) return port.interfaces[0];
  const byName = [...port.interfaces].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return byName.find((i) => {
    const d = ns.device(i.name);
    return d !== undefined && hasCarrier(d);
  });
}

export function portByIface(bridge: OvsBridge, iface: string): OvsPort | undefined {
  return bridge.ports.find((p) => p.interfaces.some((i) => i.name === iface));
}

/** mac_learning_insert + update: the entry moves to the most recently used end. */
function learn(bridge: OvsBridge, vlan: number, mac: Mac, port: OvsPort): { moved: boolean } {
  const i = bridge.fdb.findIndex((e) => e.vlan === vlan && e.mac === mac);
  let moved = false;
  if (i >= 0) {
    moved = bridge.fdb[i]!.port !== port;
    bridge.fdb.splice(i, 1);
  }
  bridge.fdb.push({ vlan, mac, port });
  return { moved };
}

/**
 * ovsForward: the frame `frame` entered `bridge` on the port with interface `inIface`;
 * learns its source and returns the output port(s) with the VLAN tag each one sends.
 */
export function ovsForward(ns: Netns, bridge: OvsBridge, inIface: string, frame: OvsFrame): OvsForwarding {
  const inPort = portByIface(bridge, inIface);
  if (!inPort) throw new Error(`${inIface} is not a port of bridge ${bridge.name}`);
  const v = ingressVlan(inPort, frame.vlan);
  if (typeof v === 'string') return { bridge, inPort, vlan: frame.vlan ?? 0, dropped: v, decision: 'drop', outputs: [] };
  const vlan = v;
  let learned: OvsForwarding['learned'];
  if (!isMulticast(frame.srcMac)) learned = { vlan, mac: frame.srcMac, ...learn(bridge, vlan, frame.srcMac, inPort) };
  const out = (port: OvsPort): OvsOutput | undefined => {
    const e = egress(port, vlan);
    const iface = portMember(ns, port);
    if (!e.ok || !iface) return undefined;
    const o: OvsOutput = { port, iface, ofport: iface.ofport };
    if (e.tag !== undefined) o.vlan = e.tag;
    return o;
  };
  const known = isMulticast(frame.dstMac) ? undefined : bridge.fdb.find((e) => e.vlan === vlan && e.mac === frame.dstMac);
  if (known) {
    if (known.port === inPort) return { bridge, inPort, vlan, ...(learned ? { learned } : {}), decision: 'drop', dropped: 'learned on the input port (no hairpin)', outputs: [] };
    const o = out(known.port);
    return { bridge, inPort, vlan, ...(learned ? { learned } : {}), decision: 'learned', outputs: o ? [o] : [] };
  }
  const outputs = bridge.ports.filter((p) => p !== inPort).map(out).filter((o): o is OvsOutput => o !== undefined);
  outputs.sort((a, b) => ofportKey(a.ofport) - ofportKey(b.ofport));
  return { bridge, inPort, vlan, ...(learned ? { learned } : {}), decision: 'flood', outputs };
}

function ofportKey(p: number | 'LOCAL'): number {
  return p === 'LOCAL' ? 0xfffe : p;
}

/** The bridge and port a Linux device is attached to (as an internal or system interface). */
export function ovsPortOfDevice(ns: Netns, devName: string): { bridge: OvsBridge; port: OvsPort } | undefined {
  const db = ns.ext.ovs;
  if (!db) return undefined;
  for (const bridge of db.bridges) {
    const port = portByIface(bridge, devName);
    if (port) return { bridge, port };
  }
  return undefined;
}
