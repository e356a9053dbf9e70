// Network devices as the kernel keeps them. One interface for all kinds; the kind-specific
// parts live in optional sub-records, and what differs by kind is asked of the kind's
// operations (lib/kinds/registry.ts).
import { kindOps, type DeviceKind } from '../kinds/registry.ts';
import type { Ipv4Addr } from '../net/ipv4.ts';
import type { Ipv6Bytes } from '../net/ipv6.ts';
import type { Mac } from '../net/mac.ts';
import type { HwAddr } from './mc-list.ts';
import type { Netns } from './netns.ts';

export type { DeviceKind };

/** Route/address scopes (rtnetlink RT_SCOPE_*). */
export const Scope = {
  universe: 0,
  site: 200,
  link: 253,
  host: 254,
  nowhere: 255,
} as const;

export interface Ipv4AddrEntry {
  local: Ipv4Addr;
  len: number;
  /** Set only when the command asked for it (`brd +` or `brd A`), as iproute2 does. */
  broadcast?: Ipv4Addr;
  peer?: Ipv4Addr;
  scope: number;
  label: string;
  secondary: boolean;
  noprefixroute: boolean;
  metric: number;
}

export interface Ipv6AddrEntry {
  addr: Ipv6Bytes;
  len: number;
  scope: number;
  /** A link-local's fe80::/64 route: when it was added (Netns.nextV6RouteOrder). */
  routeOrder?: number;
}

/** IPV6_MIN_MTU: below it addrconf takes IPv6 off the device altogether. */
export const IPV6_MIN_MTU = 1280;

export interface VxlanInfo {
  vni: number;
  dstport: number;
  /** The lower device given with `dev`, by ifindex in the same namespace. */
  lowerIfindex?: number;
  local?: Ipv4Addr;
  group?: Ipv4Addr;
  learning: boolean;
  ttl: number; // 0 = inherit ("auto" = 64 for the outer header)
  srcPortMin: number;
  srcPortMax: number;
}

export interface BondInfo {
  mode: BondMode;
  xmitHashPolicy: XmitHashPolicy;
  miimon: number;
  lacpRate: 'slow' | 'fast';
  /** min_links (0 by default). */
  minLinks?: number;
  /** Members in enslave order (the bond's lower list, bond_for_each_slave). */
  order?: Device[];
  /** bond_compute_features has run (a member came or went): tso_max_size follows the members. */
  featuresComputed?: boolean;
  /** The 802.3ad system MAC (BOND_AD_INFO.system), set when a first member joins in 802.3ad mode. */
  adSystemMac?: Mac;
  /** How many times it lost its last member (each time it draws a new MAC). */
  released?: number;
}

export type BondMode = 'balance-rr' | 'active-backup' | 'balance-xor' | 'broadcast' | '802.3ad' | 'balance-tlb' | 'balance-alb';
export type XmitHashPolicy = 'layer2' | 'layer3+4' | 'layer2+3' | 'encap2+3' | 'encap3+4' | 'vlan+srcmac';

export type IpvlanMode = 'l2' | 'l3' | 'l3s';

export interface DeviceConf {
  forwarding: number;
  proxy_arp: number;
  rp_filter: number;
  proxy_delay?: number;
  accept_local: number;
  route_localnet: number;
  arp_ignore: number;
  arp_announce: number;
}

/**
 * net.ipv6.conf.DEV.*. The model keeps addresses as they are once DAD is over, so
 * accept_dad changes nothing else; it is kept so that scripts that set it (to make
 * addresses usable at once) run, and read back what they wrote.
 */
export interface DeviceConf6 {
  accept_dad: number;
}

export interface Device {
  ns: Netns;
  ifindex: number;
  name: string;
  kind: DeviceKind;
  mac: Mac;
  /** Broadcast link-layer address (ff:ff:... for Ethernet, zeros for loopback). */
  brd: Mac;
  mtu: number;
  minMtu: number;
  maxMtu: number;
  txqlen: number;
  adminUp: boolean;
  /** Set once the device has been up: a qdisc stays attached after that (`noqueue`, not `noop`). */
  everUp: boolean;
  noarp: boolean;
  /** Promiscuity requested by the kernel (OVS ports, bond members): `promiscuity 1` in -d. */
  promisc: boolean;
  /** `ip link set DEV promisc on`: the only promiscuity the PROMISC flag shows. */
  userPromisc?: boolean;
  /** dev_id: ipvlan numbers its slaves, which changes their EUI-64 link-local address. */
  devId?: number;
  /** veth: the other end (possibly in another namespace). */
  peer?: Device;
  /** vlan/ipvlan: the lower device (in the same namespace when created). */
  lower?: Device;
  /** bond/ovs-system enslavement. */
  master?: Device;
  /** addr_assign_type NET_ADDR_SET: the MAC was given (`address` at creation or `set address`). */
  macSetByUser?: boolean;
  /** A bridge whose MTU was set (BROPT_MTU_SET_BY_USER) no longer follows its ports. */
  bridgeMtuSetByUser?: boolean;
  /**
   * A bridge's carrier is on when it is created and first follows its ports when
   * br_port_state_selection runs: when its bridge id changes (an address is set, a port
   * joins or leaves). A new bridge brought up without address or port has carrier
   * (operstate UNKNOWN); with an address but no port, it has none.
   */
  bridgeCarrierFollowsPorts?: boolean;
  /** A bond member's own MAC, saved at enslave time (bonding's slave->perm_hwaddr) before
   * the bond gives it the bond's MAC; /proc/net/bonding shows it as "Permanent HW addr". */
  permaddr?: Mac;
  vlanId?: number;
  /** An 802.1ad (QinQ, ethertype 0x88a8) VLAN device; absent: 802.1Q. */
  vlanProto?: '802.1ad';
  ipvlanMode?: IpvlanMode;
  /** The ipvlan port of a lower device (ipvl_port): one mode and one flag for all its slaves. */
  ipvlanPort?: { mode: IpvlanMode; flags: 'bridge' | 'private' | 'vepa' };
  /** dev->perm_addr when the kernel set one that `ip link` can show (an ipvlan slave's first MAC). */
  permAddress?: Mac;
  /** The driver turned carrier off once (linkwatch then computes operstate: UP, not UNKNOWN). */
  carrierEvent?: boolean;
  vxlan?: VxlanInfo;
  bond?: BondInfo;
  ipv4: Ipv4AddrEntry[];
  ipv6: Ipv6AddrEntry[];
  conf: DeviceConf;
  conf6: DeviceConf6;
  altnames: string[];
  /** addrconf has seen the device up with carrier: its fe80::/64 and ff00::/8 routes exist. */
  v6Ready?: boolean;
  /**
   * When it became v6Ready, in its namespace's count (Netns.nextV6RouteOrder): its ff00::/8
   * route was added then, and the kernel lists routes of one prefix in the order they were
   * added. Its fe80::/64 route goes with its link-local address (Ipv6AddrEntry.routeOrder).
   */
  v6ReadyOrder?: number;
  /** Registration order inside the namespace (for_each_netdev order): lo first. */
  order: number;
  /** The multicast address list (dev->mc), in the order entries were added: mc-list.ts. */
  mc?: HwAddr[];
  /** The IPv6 groups left the list at a down (ipv6_mc_down) and join it again at the next up. */
  mcV6Down?: boolean;
}

/** The devices enslaved to `master` (bond members, bridge ports), in registration order. */
export function slavesOf(master: Device): Device[] {
  return master.ns.devicesInOrder().filter((d) => d.master === master);
}

/**
 * dev->promiscuity as `ip -d link` shows it: what the kernel asked for (dev.promisc), plus
 * one when the device is up, filters no unicast addresses itself (IFF_UNICAST_FLT unset:
 * dummy, veth) and has addresses on its unicast list: an 802.1Q/802.1ad device that is up
 * with a MAC of its own adds it there (vlan_dev_open: dev_uc_add), and __dev_set_rx_mode
 * turns promiscuity on for it (6.1, vm-fuzz).
 */
export function promiscuity(dev: Device): number {
  let n = dev.promisc ? 1 : 0;
  if (dev.adminUp && kindOps(dev).noUnicastFilter) {
    const onList = (lower: Device) => [...(lower.ns.world.uppers.get(lower) ?? [])].some((u) => kindOps(u).onLowerUcList?.(u, lower));
    // A bond filters unicast itself (IFF_UNICAST_FLT) and syncs its list to its members
    // (bond_set_rx_mode: every member, or only the active one in the modes with a primary),
    // so a VLAN with its own MAC on a bond reaches the member.
    const m = dev.master;
    if (onList(dev) || (m && kindOps(m).syncsMcToSlaves?.(m, dev) && onList(m))) n++;
  }
  return n;
}

/** netif_carrier_ok: whether the device has carrier (RUNNING / LOWER_UP). */
export function hasCarrier(dev: Device): boolean {
  if (!dev.adminUp) return false;
  return kindOps(dev).carrier?.(dev) ?? true;
}

/** The iflink the kernel reports (IFLA_LINK), when it differs from the device's own index. */
export function iflinkOf(dev: Device): Device | undefined {
  return kindOps(dev).iflink?.(dev);
}

export type OperState = 'UP' | 'DOWN' | 'UNKNOWN' | 'LOWERLAYERDOWN';

/** RFC 2863 operstate as the kernel derives it (rfc2863_policy / default_operstate). */
export function operState(dev: Device): OperState {
  if (!dev.adminUp) return 'DOWN';
  if (!hasCarrier(dev)) return iflinkOf(dev) !== undefined ? 'LOWERLAYERDOWN' : 'DOWN';
  return kindOps(dev).operUp?.(dev) ?? 'UP';
}

export { IFF } from './flags.ts';
import { IFF } from './flags.ts';

/** dev->flags as the driver set them (IFF_BROADCAST, IFF_MULTICAST...): the kind's own, or
 * what it takes from its lower device (an 802.1Q device, vlan_dev_init). */
export function kindFlags(dev: Device): number {
  const ops = kindOps(dev);
  return ops.flagsOf?.(dev) ?? ops.flags;
}

/** ifi_flags as reported by rtnetlink. */
export function linkFlags(dev: Device): number {
  let f = kindFlags(dev);
  if (dev.noarp) f |= IFF.NOARP;
  // dev_get_flags reports only user-set promiscuity (gflags): OVS's dev_set_promiscuity
  // shows in `ip -d link` as "promiscuity 1", not as the PROMISC flag.
  if (dev.userPromisc) f |= IFF.PROMISC;
  if (dev.master) f |= kindOps(dev.master).slaveFlags ?? 0;
  if (dev.adminUp) f |= IFF.UP;
  if (hasCarrier(dev)) f |= IFF.RUNNING | IFF.LOWER_UP;
  return f;
}

/** dev->flags & IFF_LOOPBACK: the loopback device. */
export function isLoopback(dev: Device): boolean {
  return (kindOps(dev).flags & IFF.LOOPBACK) !== 0;
}

/** dev->flags & IFF_SLAVE: a bond member. */
export function isSlave(dev: Device): boolean {
  return dev.master !== undefined && ((kindOps(dev.master).slaveFlags ?? 0) & IFF.SLAVE) !== 0;
}

/** ARPHRD as `ip link` names it: `ether` or `loopback`. */
export function linkType(dev: Device): 'ether' | 'loopback' {
  return kindOps(dev).linkType;
}

export function qdiscOf(dev: Device): string {
  if (!dev.everUp) return 'noop';
  return 'noqueue';
}
