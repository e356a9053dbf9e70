// ipvlan (drivers/net/ipvlan, iproute2 iplink_ipvlan.c): slaves of one parent share its
// MAC; in L2 mode a frame for the parent's MAC is demultiplexed by destination IP.
import { hasCarrier } from '../model/device.ts';
import { KernelError } from '../model/errno.ts';
import { formatIpv4 } from '../net/ipv4.ts';
import { BROADCAST_MAC } from '../net/mac.ts';
import { IpUsageError, matches } from '../tools/iproute2/args.ts';
import { kindOps } from './registry.ts';
import type { Device } from '../model/device.ts';
import { eth, ip } from '../trace/frame.ts';
import { ETHER_FLAGS, TSO_LEGACY_MAX_SIZE, tsoMaxSizeOf, label, uppersOf } from './common.ts';
import type { KindOps } from './types.ts';

import type { IpvlanMode } from '../model/device.ts';

interface IpvlanData {
  mode?: IpvlanMode;
  flags?: 'bridge' | 'private' | 'vepa';
}

const IPVLAN_USAGE = `Usage: ... ipvlan [ mode MODE ] [ FLAGS ]

MODE: l3 | l3s | l2
FLAGS: bridge | private | vepa
(first values are the defaults if nothing is specified).`;

/** netif_carrier_ok of the lower device as its driver left it, up or not. */
function lowerCarrier(lower: Device): boolean {
  const raw = kindOps(lower).rawCarrier;
  return raw ? raw(lower) : hasCarrier(lower);
}

export const ipvlan: KindOps<'ipvlan'> = {
  kind: 'ipvlan',
  vlanChallenged: true,
  typeName: 'ipvlan',
  // ipvlan_parse_opt (iproute2 6.1): a mode, then at most one flag; anything else is
  // "unknown option" with the usage (status 1). IFLA_IPVLAN_FLAGS goes whenever there are arguments.
  parse({ args, lower }) {
    const d: IpvlanData = {};
    if (!args.done) d.flags = 'bridge';
    let flagGiven = false;
    while (!args.done) {
      const tok = args.next();
      if (matches(tok, 'mode')) {
        const m = args.value();
        if (m !== 'l2' && m !== 'l3' && m !== 'l3s') throw new IpUsageError('Error: argument of "mode" must be either "l2", "l3" or "l3s"', 1);
        d.mode = m;
      } else if (!flagGiven && (matches(tok, 'private') || matches(tok, 'vepa') || matches(tok, 'bridge'))) {
        d.flags = matches(tok, 'private') ? 'private' : matches(tok, 'vepa') ? 'vepa' : 'bridge';
        flagGiven = true;
      } else if (matches(tok, 'help')) throw new IpUsageError(IPVLAN_USAGE, 1);
      else throw new IpUsageError(`ipvlan: unknown option "${tok}"?\n${IPVLAN_USAGE}`, 1);
    }
    // ipvlan_link_new: on an ipvlan slave, the slave's own lower device.
    const phy = lower?.kind === 'ipvlan' && lower.lower ? lower.lower : lower;
    return { ...(phy ? { lower: phy } : {}), ipvlanMode: d.mode ?? 'l3', kindData: d };
  },
  validate(spec) {
    // ipvlan_link_new without IFLA_LINK: EINVAL, no extack.
    if (!spec.lower) throw new KernelError('EINVAL');
  },
  defaults: (spec) => ({ mtu: spec.lower!.mtu, minMtu: 68, maxMtu: spec.lower!.maxMtu || 65535, txqlen: 1000 }),
  inheritsLowerMac: true,
  // vlan_dev_init / ipvlan_init: netif_inherit_tso_max from the lower device.
  tsoMaxSize: (dev) => (dev.lower ? tsoMaxSizeOf(dev.lower) : TSO_LEGACY_MAX_SIZE),
  setup(dev, spec) {
    const lower = spec.lower!;
    const d = (spec.kindData as IpvlanData | undefined) ?? {};
    // The slave always takes the lower device's MAC (an `address` is not used); without
    // one asked for, it is also its perm_addr (NET_ADDR_PERM).
    dev.mac = lower.mac;
    if (!dev.macSetByUser) dev.permAddress = lower.mac;
    // ipvlan_port_create: mode l3, flags 0 (bridge).
    const port = (lower.ipvlanPort ??= { mode: 'l3', flags: 'bridge' });
    if (d.flags) port.flags = d.flags;
    // ipvlan_set_port_mode before the new slave is on the port's list: a mode change sets
    // or clears NOARP on the slaves already there.
    const mode = spec.ipvlanMode ?? 'l3';
    if (port.mode !== mode) {
      for (const u of uppersOf(lower, 'ipvlan')) if (u !== dev) u.noarp = mode !== 'l2';
      port.mode = mode;
    }
    dev.ipvlanMode = mode;
    // ipvlan_init: each slave of a port gets the next free dev_id from 1 (ida on the port).
    const used = new Set(uppersOf(lower, 'ipvlan').filter((u) => u !== dev).map((u) => u.devId));
    let id = 1;
    while (used.has(id)) id++;
    dev.devId = id;
    // netif_stacked_transfer_operstate: no carrier on the lower device, none here either.
    if (!lowerCarrier(lower)) dev.carrierEvent = true;
  },
  // ipvlan_device_event: the slaves follow the lower device's MAC (NETDEV_CHANGEADDR) and
  // MTU (NETDEV_CHANGEMTU, ipvlan_adjust_mtu), 6.1.
  lowerMacChanged(dev, lower) {
    dev.mac = lower.mac;
  },
  lowerMtuChanged(dev, lower) {
    dev.mtu = lower.mtu;
  },
  // ipvlan_open: NOARP in l3/l3s, not in l2 (the port's mode now).
  checkOpen(dev) {
    const mode = dev.lower?.ipvlanPort?.mode;
    if (mode) dev.noarp = mode !== 'l2';
  },
  // The lower device's carrier as its driver set it (netif_stacked_transfer_operstate at
  // creation and on its NETDEV_CHANGE): a dummy has carrier even down (6.1, ipvlan-modes.sh).
  carrier(dev) {
    const c = dev.lower !== undefined && lowerCarrier(dev.lower);
    if (!c) dev.carrierEvent = true;
    return c;
  },
  // While the carrier was never turned off linkwatch has nothing to compute: operstate
  // stays IF_OPER_UNKNOWN; after a carrier event it is UP (6.1, ipvlan-modes.sh).
  operUp: (dev) => (dev.carrierEvent ? 'UP' : 'UNKNOWN'),
  iflink: (dev) => dev.lower,
  flags: ETHER_FLAGS,
  linkType: 'ether',
  checkMtu(dev, mtu) {
    if (dev.lower && mtu > dev.lower.mtu) throw new KernelError('ERANGE');
  },
  details: (dev) => `ipvlan  mode ${dev.lower?.ipvlanPort?.mode ?? dev.ipvlanMode} ${dev.lower?.ipvlanPort?.flags ?? 'bridge'} `,
  transmit(w, dev, frame) {
    const ns = dev.ns;
    const e = eth(frame);
    const lower = dev.lower!;
    if (e.dst === dev.mac) {
      const dst = ip(frame).dst;
      const sib = uppersOf(lower, 'ipvlan').find((s) => s !== dev && s.ipv4.some((a) => a.local === dst));
      if (sib) {
        w.step(ns, 'ipvlan', 'SWITCHED', `ipvlan L2: destination MAC is the parent's own, ${formatIpv4(dst)} is slave ${label(sib)}: delivered inside ${lower.name}`, frame, { dev, why: ['ipvlan_xmit_mode_l2: dst MAC == own MAC → look the destination IP up among the slaves'] });
        return w.l2Receive(sib, frame);
      }
    }
    w.step(ns, 'ipvlan', 'TRANSMITTED', `ipvlan L2 slave ${dev.name} sends through its parent ${lower.name}${lower.ns !== ns ? ` (${lower.ns.name})` : ''} with the parent's MAC`, frame, {
      dev,
      why: ['ipvlan slaves share the parent MAC; a frame not for a sibling leaves through the parent (dev_queue_xmit on the parent): the parent\'s own IP stack never sees it'],
    });
    return w.l2Transmit(lower, frame);
  },
  receiveUpper(w, lower, frame) {
    const e = eth(frame);
    const slaves = uppersOf(lower, 'ipvlan');
    if (slaves.length === 0 || (e.dst !== lower.mac && e.dst !== BROADCAST_MAC)) return false;
    const dst = ip(frame).dst;
    const slave = slaves.find((s) => s.adminUp && s.ipv4.some((a) => a.local === dst));
    if (!slave) return false;
    w.step(lower.ns, 'ipvlan', 'SWITCHED', `ipvlan on ${lower.name}: ${formatIpv4(dst)} belongs to slave ${label(slave)}`, frame, {
      dev: lower,
      why: ['ipvlan L2 demultiplexes received unicast by destination IP (ipvlan_addr_lookup): the slaves share the parent MAC'],
    });
    w.l2Receive(slave, frame);
    return true;
  },
  floodTx(dev, vlan, push) {
    for (const sib of dev.lower ? uppersOf(dev.lower, 'ipvlan') : []) if (sib !== dev) push(sib, 'rx', undefined);
    if (dev.lower) push(dev.lower, 'tx', vlan);
  },
  floodLowerRx(lower, vlan, push) {
    if (vlan !== undefined && vlan !== 0) return false;
    for (const slave of uppersOf(lower, 'ipvlan')) push(slave, 'rx', undefined);
    return false;
  },
  hasUppers: (lower) => uppersOf(lower, 'ipvlan').length > 0,
  view: { wire: 'lower' },
};
