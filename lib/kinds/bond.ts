// Bonding (drivers/net/bonding, iproute2 iplink_bond.c): members enslaved with
// `ip link set DEV master BOND` (down, then brought up), the bond's MAC from the first one;
// transmit picks a member by the kernel's hash (lib/model/bond-hash.ts), a member hands
// what it receives to the bond.
import { type BondInfo, type BondMode, type XmitHashPolicy } from '../model/device.ts';
import { bondSlaves } from '../model/bond-hash.ts';
import { deterministicMac } from '../net/mac.ts';
import { IFF } from '../model/flags.ts';
import { KernelError } from '../model/errno.ts';
import { hasCarrier } from '../model/device.ts';
import { refreshLinkLocal } from '../model/ifaddr.ts';
import { setDeviceUp } from '../model/link-ops.ts';
import { activeAggregator, lacpMembers } from '../model/bond-lacp.ts';
import { LACPDU_GROUP, mcAdd, mcDel, mcList } from '../model/mc-list.ts';
import type { Device } from '../model/device.ts';
import { type Args, IpUsageError, matches, notModelled, parseU32 } from '../tools/iproute2/args.ts';
import { ETHER_DEFAULTS, ETHER_FLAGS, GSO_MAX_SIZE, TSO_LEGACY_MAX_SIZE, tsoMaxSizeOf } from './common.ts';
import type { KindOps } from './types.ts';

const BOND_MODES: BondMode[] = ['balance-rr', 'active-backup', 'balance-xor', 'broadcast', '802.3ad', 'balance-tlb', 'balance-alb'];
const POLICIES: XmitHashPolicy[] = ['layer2', 'layer3+4', 'layer2+3', 'encap2+3', 'encap3+4', 'vlan+srcmac'];

/** iplink_bond.c get_index: a table index written as a decimal integer, or a name. */
function getIndex<T extends string>(tbl: readonly T[], v: string, what: string): T {
  const m = /^[ \t\n\v\f\r]*([+-]?\d+)$/.exec(v);
  const byNum = m ? tbl[Number(m[1])] : undefined;
  const x = byNum ?? tbl.find((t) => t === v);
  if (x === undefined) throw new IpUsageError(`Error: argument "${v}" is wrong: ${what}`);
  return x;
}

/** iplink_bond.c print_explain (printed after "bond: unknown command"). */
const BOND_USAGE = `Usage: ... bond [ mode BONDMODE ] [ active_slave SLAVE_DEV ]
                [ clear_active_slave ] [ miimon MIIMON ]
                [ updelay UPDELAY ] [ downdelay DOWNDELAY ]
                [ peer_notify_delay DELAY ]
                [ use_carrier USE_CARRIER ]
                [ arp_interval ARP_INTERVAL ]
                [ arp_validate ARP_VALIDATE ]
                [ arp_all_targets ARP_ALL_TARGETS ]
                [ arp_ip_target [ ARP_IP_TARGET, ... ] ]
                [ ns_ip6_target [ NS_IP6_TARGET, ... ] ]
                [ primary SLAVE_DEV ]
                [ primary_reselect PRIMARY_RESELECT ]
                [ fail_over_mac FAIL_OVER_MAC ]
                [ xmit_hash_policy XMIT_HASH_POLICY ]
                [ resend_igmp RESEND_IGMP ]
                [ num_grat_arp|num_unsol_na NUM_GRAT_ARP|NUM_UNSOL_NA ]
                [ all_slaves_active ALL_SLAVES_ACTIVE ]
                [ min_links MIN_LINKS ]
                [ lp_interval LP_INTERVAL ]
                [ packets_per_slave PACKETS_PER_SLAVE ]
                [ tlb_dynamic_lb TLB_DYNAMIC_LB ]
                [ lacp_rate LACP_RATE ]
                [ lacp_active LACP_ACTIVE]
                [ ad_select AD_SELECT ]
                [ ad_user_port_key PORTKEY ]
                [ ad_actor_sys_prio SYSPRIO ]
                [ ad_actor_system LLADDR ]
                [ arp_missed_max MISSED_MAX ]

BONDMODE := balance-rr|active-backup|balance-xor|broadcast|802.3ad|balance-tlb|balance-alb
ARP_VALIDATE := none|active|backup|all|filter|filter_active|filter_backup
ARP_ALL_TARGETS := any|all
PRIMARY_RESELECT := always|better|failure
FAIL_OVER_MAC := none|active|follow
XMIT_HASH_POLICY := layer2|layer2+3|layer3+4|encap2+3|encap3+4|vlan+srcmac
LACP_ACTIVE := off|on
LACP_RATE := slow|fast
AD_SELECT := stable|bandwidth|count`;

/** The IFLA_BOND_* attributes `ip` sends (the last of a repeated keyword wins, as nla_parse keeps it). */
interface BondAttrs {
  mode?: BondMode;
  miimon?: number;
  xmitHashPolicy?: XmitHashPolicy;
  minLinks?: number;
  lacpRate?: 'slow' | 'fast';
}

/** iplink_bond.c keywords the model does not act on (matched as iproute2 matches them). */
const UNMODELLED = ['active_slave', 'clear_active_slave', 'updelay', 'downdelay', 'peer_notify_delay', 'use_carrier', 'arp_interval', 'arp_ip_target', 'arp_validate', 'arp_all_targets', 'primary', 'primary_reselect', 'fail_over_mac'];
const UNMODELLED2 = ['resend_igmp', 'num_grat_arp', 'num_unsol_na', 'all_slaves_active'];
const UNMODELLED3 = ['lp_interval', 'packets_per_slave'];
const UNMODELLED4 = ['ad_select', 'ad_user_port_key', 'ad_actor_sys_prio', 'ad_actor_system', 'tlb_dynamic_lb'];

/** bond_parse_opt: the keywords in its order (prefixes match the first that fits). */
function parseBondAttrs(a: Args): BondAttrs {
  const at: BondAttrs = {};
  const unmodelled = (tok: string, list: string[]) => list.some((k) => matches(tok, k));
  while (!a.done) {
    const tok = a.next();
    if (matches(tok, 'mode')) at.mode = getIndex(BOND_MODES, a.value(), 'invalid mode');
    else if (unmodelled(tok, ['active_slave', 'clear_active_slave'])) throw notModelled(tok, 'ip link type bond');
    else if (matches(tok, 'miimon')) at.miimon = parseU32(a.value(), 'invalid miimon');
    else if (unmodelled(tok, UNMODELLED) || tok === 'ns_ip6_target' || tok === 'arp_missed_max') throw notModelled(tok, 'ip link type bond');
    else if (matches(tok, 'xmit_hash_policy')) at.xmitHashPolicy = getIndex(POLICIES, a.value(), 'invalid xmit_hash_policy');
    else if (unmodelled(tok, UNMODELLED2)) throw notModelled(tok, 'ip link type bond');
    else if (matches(tok, 'min_links')) at.minLinks = parseU32(a.value(), 'invalid min_links');
    else if (unmodelled(tok, UNMODELLED3)) throw notModelled(tok, 'ip link type bond');
    else if (matches(tok, 'lacp_rate')) at.lacpRate = getIndex(['slow', 'fast'] as const, a.value(), 'invalid lacp_rate');
    else if (tok === 'lacp_active' || unmodelled(tok, UNMODELLED4)) throw notModelled(tok, 'ip link type bond');
    else if (matches(tok, 'help')) throw new IpUsageError(BOND_USAGE, 1);
    else throw new IpUsageError(`bond: unknown command "${tok}"?\n${BOND_USAGE}`, 1);
  }
  return at;
}

/** BOND_DEFAULT_MIIMON: what a mode without ARP monitoring starts link monitoring with. */
const BOND_DEFAULT_MIIMON = 100;

/**
 * bond_changelink (bond_netlink.c) over __bond_opt_set (bond_options.c): the attributes in
 * the kernel's order (mode first, lacp_rate after min_links), each checked by
 * bond_opt_check_deps: a mode the option does not support (-EACCES), an option that needs
 * a bond without members (-ENOTEMPTY) or down (-EBUSY). The extack texts are 6.1's.
 */
function applyBondAttrs(base: BondInfo, at: BondAttrs, st: { hasSlaves: boolean; up: boolean }): BondInfo {
  const b: BondInfo = { ...base };
  const deps = (o: { modes?: BondMode[]; noSlaves?: boolean; ifDown?: boolean }) => {
    if (o.modes && !o.modes.includes(b.mode)) throw new KernelError('EACCES', 'option not supported in mode');
    if (o.noSlaves && st.hasSlaves) throw new KernelError('ENOTEMPTY', 'unable to set option because the bond device has slaves');
    if (o.ifDown && st.up) throw new KernelError('EBUSY', 'unable to set option because the bond is up');
  };
  if (at.mode !== undefined) {
    deps({ noSlaves: true, ifDown: true });
    // bond_option_mode_set: a mode without ARP monitoring (802.3ad, tlb, alb) turns MII
    // monitoring on at its default interval when it is off.
    if (['802.3ad', 'balance-tlb', 'balance-alb'].includes(at.mode) && b.miimon === 0) b.miimon = BOND_DEFAULT_MIIMON;
    b.mode = at.mode;
  }
  if (at.miimon !== undefined) {
    if (at.miimon > 0x7fffffff) throw new KernelError('EINVAL', 'invalid option value');
    b.miimon = at.miimon;
  }
  if (at.xmitHashPolicy !== undefined) b.xmitHashPolicy = at.xmitHashPolicy;
  if (at.minLinks !== undefined) {
    if (at.minLinks > 0x7fffffff) throw new KernelError('EINVAL', 'invalid option value');
    b.minLinks = at.minLinks;
  }
  if (at.lacpRate !== undefined) {
    deps({ modes: ['802.3ad'], ifDown: true });
    b.lacpRate = at.lacpRate;
  }
  return b;
}

const BOND_DEFAULTS: BondInfo = { mode: 'balance-rr', xmitHashPolicy: 'layer2', miimon: 0, lacpRate: 'slow' };

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
  s += `primary_reselect always fail_over_mac none xmit_hash_policy ${b.xmitHashPolicy} resend_igmp 1 num_grat_arp 1 all_slaves_active 0 min_links ${b.minLinks ?? 0} lp_interval 1 packets_per_slave 1 `;
  s += `lacp_active on lacp_rate ${b.lacpRate} ad_select stable `;
  if (b.mode === '802.3ad') {
    // The aggregator is chosen by the 802.3ad state machine, which runs while the bond is up.
    const agg = activeAggregator(bond);
    const active = agg === undefined ? [] : lacpMembers(bond).filter((m) => m.up && m.aggregatorId === agg);
    const first = active[0];
    if (first) {
      s += `ad_aggregator ${first.aggregatorId} ad_num_ports ${active.length} ad_actor_key ${first.actor.portKey} ad_partner_key ${first.partner.portKey} ad_partner_mac ${first.partner.systemMac} `;
    }
    s += 'ad_actor_sys_prio 65535 ad_user_port_key 0 ad_actor_system 00:00:00:00:00:00 ';
  }
  return s + 'tlb_dynamic_lb 1 ';
}

/**
 * bond_set_carrier, which runs whether the bond is up or not: without link monitoring
 * (miimon 0, no ARP monitor) bond_enslave takes every member's link as up, so the bond has
 * carrier with any member (6.1, vm-captures/bond-details.sh); with it, a member with carrier.
 * 802.3ad needs an active aggregator, which only a bond that is up has
 * (/proc/net/bonding: "MII Status: down" for a bond that is down, 6.1).
 */
function bondCarrier(dev: Device): boolean {
  if (dev.bond?.mode === '802.3ad') return dev.adminUp && bondSlaves(dev).some((s) => hasCarrier(s));
  if (dev.bond?.miimon === 0) return bondSlaves(dev).length > 0;
  return bondSlaves(dev).some((s) => hasCarrier(s));
}

/** Modes with one active member (bond_uses_primary). */
function usesPrimary(bond: Device): boolean {
  return ['active-backup', 'balance-tlb', 'balance-alb'].includes(bond.bond!.mode);
}

/** balance-tlb and balance-alb (bond_is_lb): each member keeps its own MAC, the active one takes the bond's. */
function isLb(bond: Device): boolean {
  return ['balance-tlb', 'balance-alb'].includes(bond.bond!.mode);
}

/** A member's link as the bond sees it: always up without link monitoring (miimon 0). */
export function slaveLinkUp(bond: Device, dev: Device): boolean {
  return bond.bond!.miimon === 0 || hasCarrier(dev);
}

/** IFLA_BOND_ACTIVE_SLAVE: the first member whose link is up, in the modes that have one. */
export function activeSlave(bond: Device): Device | undefined {
  if (!usesPrimary(bond)) return undefined;
  return bondSlaves(bond).find((d) => slaveLinkUp(bond, d));
}

/** bond_slave_print_opt: a member as its bond reports it (IFLA_BOND_SLAVE_*). */
function bondSlaveDetails(bond: Device, dev: Device): string {
  const up = slaveLinkUp(bond, dev);
  // One active member in active-backup; an 802.3ad member goes inactive with its link; in the
  // other modes, balance-tlb/alb included, every member stays active (bond_enslave and
  // bond_miimon_commit set inactive flags only in those two; 6.1, vm-fuzz seed 2 configs 54, 78).
  const activeState = bond.bond!.mode === 'active-backup' ? activeSlave(bond) === dev : bond.bond!.mode === '802.3ad' ? up && lacpMembers(bond).find((m) => m.dev === dev)?.aggregatorId === activeAggregator(bond) : true;
  let s = `bond_slave state ${activeState ? 'ACTIVE' : 'BACKUP'} mii_status ${up ? 'UP' : 'DOWN'} link_failure_count 0 perm_hwaddr ${dev.permaddr ?? dev.mac} queue_id 0 prio 0 `;
  if (bond.bond!.mode === '802.3ad') {
    const m = lacpMembers(bond).find((x) => x.dev === dev);
    if (m && bond.adminUp) {
      s += `ad_aggregator_id ${m.aggregatorId} ad_actor_oper_port_state ${m.actor.portState} ad_actor_oper_port_state_str ${adStateText(m.actor.portState)} `;
      s += `ad_partner_oper_port_state ${m.partner.portState} ad_partner_oper_port_state_str ${adStateText(m.partner.portState)} `;
    }
  }
  return s;
}

export const bond: KindOps<'bond'> = {
  kind: 'bond',
  // bond_setup clears IFF_XMIT_DST_RELEASE; bond_compute_features sets it again (all members have it).
  xmitDstRelease: (dev) => !!dev.bond?.featuresComputed,
  typeName: 'bond',
  parse({ args: a }) {
    return { kindData: parseBondAttrs(a) };
  },
  defaults: () => ETHER_DEFAULTS,
  // bond_newlink: bond_changelink runs before register_netdevice, on a bond without members, down.
  validate(spec) {
    spec.bond = spec.bond ?? applyBondAttrs(BOND_DEFAULTS, (spec.kindData as BondAttrs | undefined) ?? {}, { hasSlaves: false, up: false });
  },
  setup(dev, spec) {
    dev.bond = { ...(spec.bond ?? BOND_DEFAULTS), order: [] };
  },
  changelink(dev, spec) {
    dev.bond = applyBondAttrs(dev.bond!, (spec.kindData as BondAttrs | undefined) ?? {}, { hasSlaves: bondSlaves(dev).length > 0, up: dev.adminUp });
  },
  netnsLocal: true,
  carrier: bondCarrier,
  rawCarrier: bondCarrier,
  // A member's veth peer coming up can be what makes the bond's link ready (addrconf then
  // gives it its link-local, 6.1).
  carrierFromPorts: true,
  flags: ETHER_FLAGS | IFF.MASTER,
  slaveFlags: IFF.SLAVE,
  linkType: 'ether',
  enslave(master, dev) {
    if (dev === master) throw new KernelError('EPERM', 'Cannot enslave bond to itself');
    if (dev.adminUp) throw new KernelError('EPERM', 'Device can not be enslaved while up');
    const first = bondSlaves(master).length === 0;
    const activeBefore = activeSlave(master);
    // bond_enslave: the first member gives its MAC to a bond whose own was drawn at random.
    if (first && !master.macSetByUser) master.mac = dev.mac;
    // bond_3ad_initialize with the first member: the LACP system takes the bond's MAC.
    if (first && master.bond!.mode === '802.3ad') master.bond!.adSystemMac = master.mac;
    master.bond!.order = [...(master.bond!.order ?? []).filter((d) => d.master === master), dev];
    master.bond!.featuresComputed = true;
    dev.permaddr = dev.mac;
    dev.master = master;
    // bond_enslave gives every member the bond's MAC, except in balance-tlb/alb, where
    // bond_alb_init_slave puts each member's own address back (alb_set_slave_mac_addr with
    // perm_hwaddr); a member that becomes the active one (bond_select_active_slave: the
    // bond had none and this one has link) then takes the bond's MAC
    // (bond_alb_handle_active_change), bond up or down, even when the bond's was set by the
    // user (6.1, vm-fuzz seed 1 configs 36, 54, 66; a member without carrier under miimon
    // keeps its own: seed 5 configs 60, 84; capture bond-tlb-first-member).
    if (!isLb(master)) dev.mac = master.mac;
    // A bond passes its promiscuity (e.g. from an OVS port) on to a new member.
    if (master.promisc) dev.promisc = true;
    // addrconf gives a bond member no IPv6 address of its own (NETDEV_CHANGEUPPER).
    dev.ipv6 = [];
    setDeviceUp(dev, true);
    // (bond_enslave opens the member before it selects the active one.)
    if (isLb(master) && !activeBefore && activeSlave(master) === dev) dev.mac = master.mac;
    // bond_enslave: the bond's list is synced to the new member (when the bond is up),
    // then an 802.3ad member joins the LACPDU group.
    mcList(dev);
    if (master.bond?.mode === '802.3ad') mcAdd(dev, LACPDU_GROUP);
    refreshLinkLocal(master);
  },
  release(master, dev) {
    const wasActive = activeSlave(master) === dev;
    // __bond_release_one: bond_hw_addr_flush drops the LACPDU group, then the member is
    // closed (dev_close) while still a member; then it gets its own address back.
    if (master.bond?.mode === '802.3ad') mcDel(dev, LACPDU_GROUP);
    if (dev.adminUp) setDeviceUp(dev, false);
    if (dev.permaddr) {
      dev.mac = dev.permaddr;
      delete dev.permaddr;
    }
    const b = master.bond!;
    b.order = (b.order ?? []).filter((d) => d !== dev && d.master === master);
    // balance-tlb/alb: the member that becomes active in its place takes the bond's MAC
    // (bond_alb_handle_active_change; 6.1, vm-fuzz seed 2 config 78).
    if (wasActive && isLb(master)) {
      // dev is out of the order now, so the bond's choice is another member if one has link.
      const next = activeSlave(master);
      if (next && next !== dev) next.mac = master.mac;
    }
    // __bond_release_one: a bond left without members draws a new random MAC
    // (eth_hw_addr_random, addr_assign_type NET_ADDR_RANDOM again).
    if (b.order.length === 0) {
      b.released = (b.released ?? 0) + 1;
      master.mac = deterministicMac(`${master.ns.name}/${master.name}/released-${b.released}`);
      master.macSetByUser = false;
    }
  },
  // ipv6_mc_down spares a member: released members still list all-nodes (6.1).
  slavesKeepV6Groups: true,
  // bond_set_rx_mode: every member, or only curr_active_slave in the modes with one (6.1,
  // vm-fuzz seed 2 config 97: a VLAN's MAC on an active-backup bond makes its active member promiscuous).
  syncsMcToSlaves: (master, slave) => !usesPrimary(master) || activeSlave(master) === slave,
  promiscToSlaves: true,
  details: bondDetails,
  slaveDetails: bondSlaveDetails,
  // tx_queues (16 by default); tso_max_size raised to GSO_MAX_SIZE (6.1, `ip -d link`).
  queues: 16,
  // bond_compute_features (first run when a member comes or goes): the smallest of the
  // members' tso_max_size, TSO_MAX_SIZE (GSO_MAX_SIZE on 6.1) without members; until then
  // the TSO_LEGACY_MAX_SIZE every device starts with.
  tsoMaxSize: (dev) => {
    if (!dev.bond?.featuresComputed) return TSO_LEGACY_MAX_SIZE;
    return Math.min(GSO_MAX_SIZE, ...bondSlaves(dev).map((s) => tsoMaxSizeOf(s)));
  },
  transmit: (w, dev, frame) => w.bondTransmit(dev, frame),
  portReceive(w, master, port, frame) {
    w.step(port.ns, 'bond', 'RECEIVED', `received on ${port.name}, member of ${master.name}`, frame, { dev: port, why: ['a bond member hands what it receives to the bond'] });
    return w.l2Receive(master, frame);
  },
  floodTx(dev, vlan, push) {
    const s = bondSlaves(dev).find((x) => hasCarrier(x));
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
