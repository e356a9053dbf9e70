// The whole path of a chapter's packet at a glance (PathPicture.astro): the model's trace,
// folded into hosts, the devices the packet crosses on each, and what happens there that
// changes the packet (routing, VXLAN, NAT, VLAN tags). Computed at build time from the
// reference cluster, like the widgets' static rendering. No DOM.
import type { Trace } from '../../lib/trace/index.ts';

export interface PathHost {
  ns: string;
  devices: string[];
  events: string[];
}

/** Step types/actions worth naming in the picture, in the order they happen. */
const EVENTS: Record<string, string> = {
  'routing:ROUTED': 'route',
  'forward:FORWARDED': 'forward',
  'encapsulate:ENCAPSULATED': 'encap',
  'decapsulate:DECAPSULATED': 'decap',
  'netfilter:TRANSFORMED': 'nat',
  'vlan:TAGGED': 'tag',
  'vlan:UNTAGGED': 'untag',
  'ovs:SWITCHED': 'ovs',
  'bond:TRANSMITTED': 'bond',
  'deliver:DELIVERED': 'deliver',
};

export function pathHosts(t: Trace): PathHost[] {
  const out: PathHost[] = [];
  for (const s of t.steps) {
    let host = out[out.length - 1];
    if (!host || host.ns !== s.ns) out.push((host = { ns: s.ns, devices: [], events: [] }));
    // A routing lookup reported on lo is the local delivery decision, not a device crossed.
    if (s.device && s.device !== 'lo' && host.devices[host.devices.length - 1] !== s.device) host.devices.push(s.device);
    const e = EVENTS[`${s.type}:${s.action}`];
    // The origin's own routing is part of sending; the destination's is the local delivery.
    if (e && host.events[host.events.length - 1] !== e && !(e === 'route' && (s.ns === t.query.from || s.device === 'lo'))) host.events.push(e);
  }
  return out;
}
