// Open vSwitch's devices (the openvswitch datapath): an internal port is a device of kind
// `openvswitch` the switch creates (the model calls it ovs-internal); `ovs-system` is the
// datapath's own device, the master of every system port. Frames sent on an internal
// port, or received on a system port, go through the bridge (lib/model/ovs/forward.ts).
import type { Device } from '../model/device.ts';
import { egress, ingressVlan, portByIface, portMember } from '../model/ovs/forward.ts';
import { ETHER_DEFAULTS, ETHER_FLAGS } from './common.ts';
import type { KindOps, Push } from './types.ts';

function ovsOf(dev: Device) {
  const db = dev.ns.ext.ovs;
  if (!db) return undefined;
  for (const bridge of db.bridges) {
    const port = portByIface(bridge, dev.name);
    if (port) return { bridge, port };
  }
  return undefined;
}

/** Where a broadcast entering the bridge at `d`'s port goes: every port of its VLAN. */
function ovsFlood(d: Device, vlan: number | undefined, push: Push): void {
  const at = ovsOf(d);
  if (!at) return;
  const v = ingressVlan(at.port, vlan);
  if (typeof v === 'string') return;
  for (const port of at.bridge.ports) {
    if (port === at.port) continue;
    const e = egress(port, v);
    const iface = portMember(d.ns, port);
    if (!e.ok || !iface) continue;
    const dev = d.ns.device(iface.name);
    if (!dev) continue;
    // An internal port hands the frame to its own stack; a system port sends it out.
    push(dev, isInternalPort(dev) ? 'rx' : 'tx', e.tag);
  }
}

/** An OVS interface of type internal is a device the switch made (one of these kinds). */
export function isInternalPort(dev: Device): boolean {
  return dev.kind === 'ovs-internal';
}

export const ovsInternal: KindOps<'ovs-internal'> = {
  kind: 'ovs-internal',
  defaults: () => ETHER_DEFAULTS,
  operUp: () => 'UNKNOWN',
  flags: ETHER_FLAGS,
  details: () => 'openvswitch ',
  linkType: 'ether',
  transmit: (w, dev, frame) => w.ovsSwitch(dev, frame),
  floodTx: ovsFlood,
  view: { tier: () => 'switch', participant: 'ovs-port' },
};

export const ovsSystem: KindOps<'ovs-system'> = {
  kind: 'ovs-system',
  defaults: () => ETHER_DEFAULTS,
  operUp: () => 'UNKNOWN',
  flags: ETHER_FLAGS,
  details: () => 'openvswitch ',
  slaveDetails: () => 'openvswitch_slave ',
  linkType: 'ether',
  portReceive: (w, _master, port, frame) => w.ovsSwitch(port, frame),
  floodPort: (_master, port, vlan, push) => ovsFlood(port, vlan, push),
  view: { hidden: true, masterLink: 'ovs' },
};
