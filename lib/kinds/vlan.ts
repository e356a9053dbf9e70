// 802.1Q sub-interfaces (net/8021q, iproute2 iplink_vlan.c): `link DEV type vlan id N`.
// Sending pushes the tag onto the lower device; a tagged frame received on the lower
// device goes to the sub-interface of its VLAN.
import { hasCarrier, kindFlags } from '../model/device.ts';
import { IFF } from '../model/flags.ts';
import { MRP_GROUP, mcAdd, mcDel } from '../model/mc-list.ts';
import { KernelError } from '../model/errno.ts';
import { IpUsageError, notModelled, parseU32 } from '../tools/iproute2/args.ts';
import { setVlan, vlanOf } from '../trace/frame.ts';
import { ETHER_FLAGS, uppersOf } from './common.ts';
import type { KindOps } from './types.ts';

export const vlan: KindOps<'vlan'> = {
  kind: 'vlan',
  typeName: 'vlan',
  parse({ args, lower }) {
    if (!lower) throw new IpUsageError('Not enough information: "link" argument is required.');
    let id: number | undefined;
    while (!args.done) {
      const tok = args.next();
      if (tok === 'id') id = parseU32(args.value(), 'id is invalid');
      else if (tok === 'protocol') {
        const p = args.value();
        if (p.toLowerCase() !== '802.1q') throw notModelled(p, 'ip link add type vlan protocol');
      } else throw notModelled(tok, 'ip link add type vlan');
    }
    if (id === undefined) throw new IpUsageError('8021q: VLAN protocol id is required.');
    if (id > 4094) throw new KernelError('ERANGE', 'Invalid VLAN id');
    return { lower, vlanId: id };
  },
  // vlan_setup leaves min_mtu 0 (`minmtu 0` on 6.1).
  defaults: (spec) => ({ mtu: spec.lower!.mtu, minMtu: 0, maxMtu: spec.lower!.maxMtu || 65535, txqlen: 1000 }),
  inheritsLowerMac: true,
  setup(dev, spec) {
    const lower = spec.lower!;
    // register_vlan_dev: the first 802.1Q upper starts the GVRP and MVRP applicants, which
    // join 01:80:c2:00:00:21 on the lower device.
    if (!uppersOf(lower, 'vlan').some((u) => u !== dev)) mcAdd(lower, MRP_GROUP);
    if (spec.vlanId !== undefined) dev.vlanId = spec.vlanId;
    dev.ns.world.modules.add('8021q'); // rtnl-link-vlan autoload
    if (lower.noarp) dev.noarp = true; // vlan_dev_init copies the flags
  },
  unlinkLower(_dev, lower) {
    if (!uppersOf(lower, 'vlan').length) mcDel(lower, MRP_GROUP);
  },
  carrier: (dev) => dev.lower !== undefined && hasCarrier(dev.lower),
  iflink: (dev) => dev.lower,
  flags: ETHER_FLAGS,
  // vlan_dev_init starts from the lower device's flags: on a dummy, <BROADCAST,NOARP> (6.1).
  flagsOf: (dev) => (dev.lower ? IFF.BROADCAST | (kindFlags(dev.lower) & IFF.MULTICAST) : ETHER_FLAGS),
  linkType: 'ether',
  checkMtu(dev, mtu) {
    if (dev.lower && mtu > dev.lower.mtu) throw new KernelError('ERANGE');
  },
  downWithLower: true,
  upWithLower: true,
  details: (dev) => `vlan protocol 802.1Q id ${dev.vlanId} <REORDER_HDR> `,
  transmit(w, dev, frame) {
    const tagged = setVlan(frame, dev.vlanId);
    w.step(dev.ns, 'vlan', 'TAGGED', `${dev.name} pushes an 802.1Q tag, VLAN ${dev.vlanId} (+4 bytes), onto ${dev.lower!.name}`, tagged, { dev, changed: ['vlan'] });
    return w.l2Transmit(dev.lower!, tagged);
  },
  receiveUpper(w, lower, frame) {
    const vid = vlanOf(frame);
    if (vid === undefined || vid === 0) return false;
    const up = uppersOf(lower, 'vlan').find((u) => u.vlanId === vid);
    if (!up) throw w.dropAt(lower, frame, `tagged VLAN ${vid}, but ${lower.name} has no VLAN ${vid} sub-interface`);
    const untagged = setVlan(frame, undefined);
    w.step(lower.ns, 'vlan', 'UNTAGGED', `${lower.name} → ${up.name}: 802.1Q tag VLAN ${vid} removed`, untagged, { dev: up, changed: ['vlan'] });
    w.l2Receive(up, untagged);
    return true;
  },
  floodLowerRx(lower, vlan, push) {
    if (vlan === undefined || vlan === 0) return false;
    const up = uppersOf(lower, 'vlan').find((u) => u.vlanId === vlan);
    if (up) push(up, 'rx', undefined);
    return true;
  },
  floodTx(dev, _vlan, push) {
    if (dev.lower) push(dev.lower, 'tx', dev.vlanId);
  },
  view: { tier: () => 'attach', wire: 'lower', drawnLower: (d) => d.lower },
};
