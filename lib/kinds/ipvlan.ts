// ipvlan (drivers/net/ipvlan, iproute2 iplink_ipvlan.c): slaves of one parent share its
// MAC; in L2 mode a frame for the parent's MAC is demultiplexed by destination IP.
import { hasCarrier } from '../model/device.ts';
import { KernelError } from '../model/errno.ts';
import { formatIpv4 } from '../net/ipv4.ts';
import { BROADCAST_MAC } from '../net/mac.ts';
import { IpUsageError, notModelled } from '../tools/iproute2/args.ts';
import { eth, ip } from '../trace/frame.ts';
import { ETHER_FLAGS, TSO_LEGACY_MAX_SIZE, tsoMaxSizeOf, label, uppersOf } from './common.ts';
import type { KindOps } from './types.ts';

import type { IpvlanMode } from '../model/device.ts';

export const ipvlan: KindOps<'ipvlan'> = {
  kind: 'ipvlan',
  typeName: 'ipvlan',
  parse({ args, lower }) {
    if (!lower) throw new IpUsageError('Not enough information: "link" argument is required.');
    let mode: IpvlanMode = 'l3';
    while (!args.done) {
      const tok = args.next();
      if (tok === 'mode') {
        const m = args.value();
        if (m !== 'l2' && m !== 'l3' && m !== 'l3s') throw new IpUsageError(`Error: argument of "mode" must be "l2", "l3" or "l3s"`);
        mode = m;
      } else if (tok === 'bridge' || tok === 'private' || tok === 'vepa') {
        if (tok !== 'bridge') throw notModelled(tok, 'ip link add type ipvlan');
      } else throw notModelled(tok, 'ip link add type ipvlan');
    }
    return { lower, ipvlanMode: mode };
  },
  defaults: (spec) => ({ mtu: spec.lower!.mtu, minMtu: 68, maxMtu: spec.lower!.maxMtu || 65535, txqlen: 1000 }),
  inheritsLowerMac: true,
  // vlan_dev_init / ipvlan_init: netif_inherit_tso_max from the lower device.
  tsoMaxSize: (dev) => (dev.lower ? tsoMaxSizeOf(dev.lower) : TSO_LEGACY_MAX_SIZE),
  setup(dev, spec) {
    if (!spec.ipvlanMode) return;
    dev.ipvlanMode = spec.ipvlanMode;
    // ipvlan_init: each slave of a port gets the next free dev_id from 1 (ida on the port).
    const used = new Set(uppersOf(spec.lower!, 'ipvlan').filter((u) => u !== dev).map((u) => u.devId));
    let id = 1;
    while (used.has(id)) id++;
    dev.devId = id;
  },
  carrier: (dev) => dev.lower !== undefined && hasCarrier(dev.lower),
  // ipvlan_init never turns carrier off, so linkwatch has nothing to compute while the
  // lower device keeps its carrier: operstate stays IF_OPER_UNKNOWN (6.1, `ip link`).
  operUp: () => 'UNKNOWN',
  iflink: (dev) => dev.lower,
  flags: ETHER_FLAGS,
  linkType: 'ether',
  checkMtu(dev, mtu) {
    if (dev.lower && mtu > dev.lower.mtu) throw new KernelError('ERANGE');
  },
  details: (dev) => `ipvlan  mode ${dev.ipvlanMode} bridge `,
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
