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
import { lacpMembers } from '../model/bond-lacp.ts';
import { LACPDU_GROUP, mcAdd, mcDel, mcList } from '../model/mc-list.ts';
import type { Device } from '../model/device.ts';
import { IpUsageError, notModelled, parseU32 } from '../tools/iproute2/args.ts';
import { ETHER_DEFAULTS, ETHER_FLAGS, GSO_MAX_SIZE } from './common.ts';
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

/** LACP port state bits as iproute2 names them (print_slave_oper_state). */
const AD_STATE_NAMES = ['active', 'short_timeout', 'aggregating', 'in_sync', 'collecting', 'distributing', 'defaulted', 'expired'];

function adStateText(state: number): string {
  return `<${AD_STATE_NAMES.filter((_, i) => state & (1 << i)).join(',')}>`;
}

/** bond_print_opt as iproute2 6.1 prints a bond's IFLA_BOND_* (seen on 6.1 for 802.3ad). */
function bondDetails(bond: Device): string {
  const b = bond.bond!;
  let s = `bond mode ${b.mode} `;
  const active = activeSlave(bond);
  if (active) s += `active_slave ${active.name} `;
  s += `miimon ${b.miimon} updelay 0 downdelay 0 peer_notify_delay 0 use_carrier 1 arp_interval 0 arp_missed_max 2 arp_validate none arp_all_targets any `;
  s += `primary_reselect always fail_over_mac none xmit_hash_policy ${b.xmitHashPolicy} resend_igmp 1 num_grat_arp 1 all_slaves_active 0 min_links 0 lp_interval 1 packets_per_slave 1 `;
  s += `lacp_active on lacp_rate ${b.lacpRate} ad_select stable `;
  if (b.mode === '802.3ad') {
    const active = lacpMembers(bond).filter((m) => m.up);
    const first = active[0];
    if (first) {
      s += `ad_aggregator ${first.aggregatorId} ad_num_ports ${active.length} ad_actor_key ${first.actor.portKey} ad_partner_key ${first.partner.portKey} ad_partner_mac ${first.partner.systemMac} `;
    }
    s += 'ad_actor_sys_prio 65535 ad_user_port_key 0 ad_actor_system 00:00:00:00:00:00 ';
  }
  return s + 'tlb_dynamic_lb 1 ';
}

/** Modes with one active member (bond_uses_primary). */
function usesPrimary(bond: Device): boolean {
  return ['active-backup', 'balance-tlb', 'balance-alb'].includes(bond.bond!.mode);
}

/** A member's link as the bond sees it: always up without link monitoring (miimon 0). */
function slaveLinkUp(bond: Device, dev: Device): boolean {
  return bond.bond!.miimon === 0 || hasCarrier(dev);
}

/** IFLA_BOND_ACTIVE_SLAVE: the first member whose link is up, in the modes that have one. */
function activeSlave(bond: Device): Device | undefined {
  if (!usesPrimary(bond)) return undefined;
  return slavesOf(bond).find((d) => slaveLinkUp(bond, d));
}

/** bond_slave_print_opt: a member as its bond reports it (IFLA_BOND_SLAVE_*). */
function bondSlaveDetails(bond: Device, dev: Device): string {
  const up = slaveLinkUp(bond, dev);
  // One active member in active-backup/tlb/alb; an 802.3ad member goes inactive with its
  // link; in the other modes a member stays active (bond_miimon_commit).
  const activeState = usesPrimary(bond) ? activeSlave(bond) === dev : bond.bond!.mode === '802.3ad' ? up : true;
  let s = `bond_slave state ${activeState ? 'ACTIVE' : 'BACKUP'} mii_status ${up ? 'UP' : 'DOWN'} link_failure_count 0 perm_hwaddr ${dev.permaddr ?? dev.mac} queue_id 0 prio 0 `;
  if (bond.bond!.mode === '802.3ad') {
    const m = lacpMembers(bond).find((x) => x.dev === dev);
    if (m) {
      s += `ad_aggregator_id ${m.aggregatorId} ad_actor_oper_port_state ${m.actor.portState} ad_actor_oper_port_state_str ${adStateText(m.actor.portState)} `;
      s += `ad_partner_oper_port_state ${m.partner.portState} ad_partner_oper_port_state_str ${adStateText(m.partner.portState)} `;
    }
  }
  return s;
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
  carrier(dev) {
    // Without link monitoring (miimon 0, no ARP monitor) bond_enslave takes every member's
    // link as up: the bond has carrier with any member (6.1, vm-captures/bond-details.sh).
    if (dev.bond?.miimon === 0 && dev.bond.mode !== '802.3ad') return slavesOf(dev).length > 0;
    return slavesOf(dev).some((s) => hasCarrier(s));
  },
  // A member's veth peer coming up can be what makes the bond's link ready (addrconf then
  // gives it its link-local, 6.1).
  carrierFromPorts: true,
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
    // bond_enslave: the bond's list is synced to the new member (when the bond is up),
    // then an 802.3ad member joins the LACPDU group.
    mcList(dev);
    if (master.bond?.mode === '802.3ad') mcAdd(dev, LACPDU_GROUP);
    refreshLinkLocal(master);
  },
  release(master, dev) {
    // __bond_release_one: bond_hw_addr_flush drops the LACPDU group, then the member is
    // closed (dev_close) while still a member; then it gets its own address back.
    if (master.bond?.mode === '802.3ad') mcDel(dev, LACPDU_GROUP);
    if (dev.adminUp) setDeviceUp(dev, false);
    if (dev.permaddr) {
      dev.mac = dev.permaddr;
      delete dev.permaddr;
    }
  },
  // ipv6_mc_down spares a member: released members still list all-nodes (6.1).
  slavesKeepV6Groups: true,
  syncsMcToSlaves: (master) => !usesPrimary(master),
  promiscToSlaves: true,
  details: bondDetails,
  slaveDetails: bondSlaveDetails,
  // tx_queues (16 by default); tso_max_size raised to GSO_MAX_SIZE (6.1, `ip -d link`).
  queues: 16,
  tsoMaxSize: () => GSO_MAX_SIZE,
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
