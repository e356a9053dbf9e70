// The table of device kinds: every kind's parse, create, state, print, trace and view
// hooks (lib/kinds/<kind>.ts), looked up by Device.kind or by `ip link add ... type NAME`.
// A new kind is one module and one line here.
//
// The kind modules import from the model, from iproute2's argument helpers and from the
// tracer's frame helpers, and the model asks this table: the import cycle is resolved at
// call time (no module uses another's exports while it is being evaluated).
import type { Device } from '../model/device.ts';
import { bond } from './bond.ts';
import { bridge } from './bridge.ts';
import { dummy } from './dummy.ts';
import { ipvlan } from './ipvlan.ts';
import { loopback } from './loopback.ts';
import { macvlan } from './macvlan.ts';
import { ovsInternal, ovsSystem } from './ovs.ts';
import type { KindOps } from './types.ts';
import { veth } from './veth.ts';
import { vlan } from './vlan.ts';
import { vxlan } from './vxlan.ts';

/** In the order upper devices take received frames: a VLAN tag first, then ipvlan, macvlan.
 * A function, so that the table is read at call time (see the import cycle above). */
const table = () => [loopback, veth, vxlan, vlan, ipvlan, macvlan, dummy, bond, bridge, ovsInternal, ovsSystem] as const;

/** Device.kind: the kinds the model knows. */
export type DeviceKind = ReturnType<typeof table>[number]['kind'];

let KINDS: readonly KindOps[] | undefined;
let byKind: Map<string, KindOps>;
let byTypeName: Map<string, KindOps>;
function load(): readonly KindOps[] {
  if (KINDS) return KINDS;
  KINDS = table() as readonly KindOps[];
  byKind = new Map(KINDS.map((k) => [k.kind, k]));
  byTypeName = new Map(KINDS.filter((k) => k.typeName !== undefined).map((k) => [k.typeName!, k]));
  return KINDS;
}

/** The kind's operations. */
export function kindOps(dev: Device | { kind: string }): KindOps {
  load();
  return byKind.get(dev.kind)!;
}

export function kindOf(kind: string): KindOps | undefined {
  load();
  return byKind.get(kind);
}

/** The kind `ip link add ... type NAME` creates, if the model has it. */
export function kindByTypeName(name: string): KindOps | undefined {
  load();
  return byTypeName.get(name);
}

/** Every kind, in table order. */
export function allKinds(): readonly KindOps[] {
  return load();
}
