// `ip link show` / the link part of `ip addr show` (iproute2 ipaddress.c print_linkinfo).
import { formatIpv4 } from '../../net/ipv4.ts';
import { hasCarrier, IFF, iflinkOf, linkFlags, qdiscOf, slavesOf, type Device } from '../../model/device.ts';
import { lacpMembers } from '../../model/bond-lacp.ts';
import { reportedOperState } from '../../model/link-ops.ts';

const FLAG_ORDER: [number, string][] = [
  [IFF.LOOPBACK, 'LOOPBACK'],
  [IFF.BROADCAST, 'BROADCAST'],
  [IFF.POINTOPOINT, 'POINTOPOINT'],
  [IFF.MULTICAST, 'MULTICAST'],
  [IFF.NOARP, 'NOARP'],
  [IFF.ALLMULTI, 'ALLMULTI'],
  [IFF.PROMISC, 'PROMISC'],
  [IFF.MASTER, 'MASTER'],
  [IFF.SLAVE, 'SLAVE'],
  [IFF.UP, 'UP'],
  [IFF.LOWER_UP, 'LOWER_UP'],
];

/**
 * `<FLAGS>`. `mdown` adds M-DOWN: iproute2 adds it when the lower device (iflink), looked
 * up by index in the *same* namespace, is not up — and, since 5.x, only when the lower
 * device is in that namespace; BusyBox always looks it up locally.
 */
export function formatFlags(dev: Device, mdown: boolean): string {
  const f = linkFlags(dev);
  const names: string[] = [];
  if (f & IFF.UP && !(f & IFF.RUNNING)) names.push('NO-CARRIER');
  for (const [bit, name] of FLAG_ORDER) if (f & bit) names.push(name);
  if (mdown) names.push('M-DOWN');
  return `<${names.join(',')}>`;
}

/** The `name@peer` part: `@ifN` when the lower/peer device lives in another namespace. */
export function linkName(dev: Device): { text: string; foreignNs: string | undefined; lower: Device | undefined } {
  const lower = iflinkOf(dev);
  if (!lower) return { text: dev.name, foreignNs: undefined, lower };
  if (lower.ns !== dev.ns) return { text: `${dev.name}@if${lower.ifindex}`, foreignNs: lower.ns.name, lower };
  return { text: `${dev.name}@${lower.name}`, foreignNs: undefined, lower };
}

/** iproute2's M-DOWN rule: the iflink is in this namespace and is down. */
export function iproute2Mdown(dev: Device): boolean {
  const lower = iflinkOf(dev);
  return lower !== undefined && lower.ns === dev.ns && !lower.adminUp;
}

export interface LinkLineOptions {
  /** `mode DEFAULT ` appears in `ip link`, not in `ip addr`. */
  showMode: boolean;
  /** With `-4`/`-6` the link/ether line is not printed: link-netns goes on the first line. */
  familyFiltered: boolean;
  details: boolean;
}

function netnsLabel(name: string | undefined): string {
  // iproute2 prints the name when the peer namespace is a named one it can see.
  return name === undefined ? '' : name === '' ? ' link-netnsid 0' : ` link-netns ${name}`;
}

export function printLinkHeader(dev: Device, o: LinkLineOptions): string {
  const { text, foreignNs } = linkName(dev);
  let s = `${dev.ifindex}: ${text}: ${formatFlags(dev, iproute2Mdown(dev))} mtu ${dev.mtu} qdisc ${qdiscOf(dev)} `;
  if (dev.master) s += `master ${dev.master.name} `;
  s += `state ${reportedOperState(dev)} `;
  if (o.showMode) s += 'mode DEFAULT ';
  s += 'group default ';
  if (dev.txqlen !== 0) s += `qlen ${dev.txqlen}`;
  if (o.familyFiltered) {
    s += netnsLabel(foreignNs);
    return s + '\n';
  }
  s += '\n';
  const linkType = dev.kind === 'loopback' ? 'loopback' : 'ether';
  s += `    link/${linkType} ${dev.mac} brd ${dev.brd}`;
  s += netnsLabel(foreignNs);
  if (o.details) s += detailsOf(dev);
  s += '\n';
  for (const alt of dev.altnames) s += `    altname ${alt}\n`;
  return s;
}

/** The `-d` tail for the kinds the model knows, following iproute2's link_util printers. */
function detailsOf(dev: Device): string {
  let s = ` promiscuity ${dev.promisc ? 1 : 0}  allmulti 0 minmtu ${dev.minMtu} maxmtu ${dev.maxMtu} `;
  // print_linkinfo: the kind and its options on a line of their own, then the slave kind
  // (the master's view of this port) on another; loopback has neither (6.1, `ip -d link`).
  let kind: string | undefined;
  switch (dev.kind) {
    case 'veth':
      kind = 'veth ';
      break;
    case 'vxlan': {
      const v = dev.vxlan!;
      kind = `vxlan id ${v.vni} `;
      if (v.group !== undefined) kind += `remote ${formatIpv4(v.group)} `;
      if (v.local !== undefined) kind += `local ${formatIpv4(v.local)} `;
      const lower = v.lowerIfindex !== undefined ? dev.ns.deviceByIndex(v.lowerIfindex) : undefined;
      if (lower) kind += `dev ${lower.name} `;
      kind += `srcport 0 0 dstport ${v.dstport} `;
      if (!v.learning) kind += 'nolearning ';
      kind += `ttl ${v.ttl === 0 ? 'auto' : v.ttl} ageing 300 udpcsum noudp6zerocsumtx noudp6zerocsumrx `;
      break;
    }
    case 'dummy':
      kind = 'dummy ';
      break;
    case 'vlan':
      kind = `vlan protocol 802.1Q id ${dev.vlanId} <REORDER_HDR> `;
      break;
    case 'ipvlan':
      kind = `ipvlan  mode ${dev.ipvlanMode} bridge `;
      break;
    case 'bond':
      kind = bondDetails(dev);
      break;
    case 'ovs-internal':
    case 'ovs-system':
      kind = 'openvswitch ';
      break;
    case 'loopback':
      break;
    default:
      kind = '';
      break;
  }
  if (kind !== undefined) s += `\n    ${kind}`;
  if (dev.master?.kind === 'bond') s += `\n    ${bondSlaveDetails(dev.master, dev)}`;
  else if (dev.master?.kind === 'ovs-system') s += '\n    openvswitch_slave ';
  // Queues: veth one per possible CPU (the reference VM has one), bond tx_queues (16).
  const queues = dev.kind === 'bond' ? 16 : 1;
  // tso_max_size: veth, loopback and bond raise it to GSO_MAX_SIZE (524280); the others
  // keep TSO_LEGACY_MAX_SIZE (65536) on 6.1.
  const tso = dev.kind === 'veth' || dev.kind === 'loopback' || dev.kind === 'bond' || dev.kind === 'bridge' ? 524280 : 65536;
  return (
    s +
    `addrgenmode eui64 numtxqueues ${queues} numrxqueues ${queues} gso_max_size 65536 gso_max_segs 65535 tso_max_size ${tso} tso_max_segs 65535 gro_max_size 65536 `
  );
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

/** `ip -br link` line. */
export function printLinkBrief(dev: Device): string {
  const { text } = linkName(dev);
  return `${text.padEnd(16)} ${reportedOperState(dev).padEnd(14)} ${dev.mac} ${formatFlags(dev, iproute2Mdown(dev))} \n`;
}
