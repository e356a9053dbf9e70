// Bonding (drivers/net/bonding, iproute2 iplink_bond.c): members enslaved with
// `ip link set DEV master BOND` (down, then brought up), the bond's MAC from the first one;
// transmit picks a member by the kernel's hash (lib/model/bond-hash.ts), a member hands
// what it receives to the bond.
import { slavesOf, type BondMode, type XmitHashPolicy } from '../model/device.ts';
import { IFF } from '../model/flags.ts';
import { KernelError } from '../model/errno.ts';
import { hasCarrier } from '../model/device.ts';
import { refreshLinkLocal } from '../model/ifaddr.ts';
import { setDeviceUp } from '../model/link-ops.ts';
import { IpUsageError, notModelled, parseU32 } from '../tools/iproute2/args.ts';
import { ETHER_DEFAULTS, ETHER_FLAGS } from './common.ts';
import type { KindOps } from './types.ts';

const BOND_MODES: BondMode[] = ['balance-rr', 'active-backup', 'balance-xor', 'broadcast', '802.3ad', 'balance-tlb', 'balance-alb'];
function parseBondMode(v: string): BondMode {
  const byNum = /^\d$/.test(v) ? BOND_MODES[Number(v)] : undefined;
  const m = byNum ?? BOND_MODES.find((x) => x === v);
  if (!m) throw new IpUsageError(`Error: argument "${v}" is wrong: invalid mode`);
  return m;
}
const POLICIES: XmitHashPolicy[] = ['layer2', 'layer3+4', 'layer2+3', 'encap2+3', 'encap3+4', 'vlan+srcmac'];
function parseHashPolicy(v: string): XmitHashPolicy {
  const p = POLICIES.find((x) => x === v);
  if (!p) throw new IpUsageError(`Error: argument "${v}" is wrong: invalid xmit_hash_policy`);
  return p;
}

export const bond: KindOps<'bond'> = {
  kind: 'bond',
  typeName: 'bond',
  parse({ args: a }) {
    let mode: BondMode = 'balance-rr';
    let policy: XmitHashPolicy = 'layer2';
    let miimon = 0;
    let lacpRate: 'slow' | 'fast' = 'slow';
    while (!a.done) {
      const tok = a.next();
      if (tok === 'mode') mode = parseBondMode(a.value());
      else if (tok === 'xmit_hash_policy') policy = parseHashPolicy(a.value());
      else if (tok === 'miimon') miimon = parseU32(a.value(), 'invalid miimon');
      else if (tok === 'lacp_rate') {
        const r = a.value();
        lacpRate = r === 'fast' || r === '1' ? 'fast' : 'slow';
      } else throw notModelled(tok, 'ip link add type bond');
    }
    return { bond: { mode, xmitHashPolicy: policy, miimon, lacpRate } };
  },
  defaults: () => ETHER_DEFAULTS,
  setup(dev, spec) {
    if (spec.bond) dev.bond = spec.bond;
  },
  carrier: (dev) => slavesOf(dev).some((s) => hasCarrier(s)),
  flags: ETHER_FLAGS | IFF.MASTER,
  slaveFlags: IFF.SLAVE,
  linkType: 'ether',
  enslave(master, dev) {
    if (dev.adminUp) throw new KernelError('EPERM', 'Device can not be enslaved while up');
    const first = slavesOf(master).length === 0;
    if (first) master.mac = dev.mac;
    dev.permaddr = dev.mac;
    dev.master = master;
    dev.mac = master.mac;
    // A bond passes its promiscuity (e.g. from an OVS port) on to a new member.
    if (master.promisc) dev.promisc = true;
    // addrconf gives a bond member no IPv6 address of its own (NETDEV_CHANGEUPPER).
    dev.ipv6 = [];
    setDeviceUp(dev, true);
    refreshLinkLocal(master);
  },
  release(_master, dev) {
    // __bond_release_one restores the member's own address.
    if (dev.permaddr) {
      dev.mac = dev.permaddr;
      delete dev.permaddr;
    }
  },
  promiscToSlaves: true,
  details: (dev) => `bond mode ${dev.bond!.mode} `,
  transmit: (w, dev, frame) => w.bondTransmit(dev, frame),
  portReceive(w, master, port, frame) {
    w.step(port.ns, 'bond', 'RECEIVED', `received on ${port.name}, member of ${master.name}`, frame, { dev: port, why: ['a bond member hands what it receives to the bond'] });
    return w.l2Receive(master, frame);
  },
  floodTx(dev, vlan, push) {
    const s = slavesOf(dev).find((x) => hasCarrier(x));
    if (s) push(s, 'tx', vlan);
  },
  floodPort(master, _port, vlan, push) {
    push(master, 'rx', vlan);
  },
  view: {
    tier: () => 'bond',
    masterLink: 'member',
  },
};
