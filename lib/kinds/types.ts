// What a device kind provides: one object per kind (lib/kinds/<kind>.ts), registered in
// lib/kinds/registry.ts, as iproute2 keeps each kind in iplink_<kind>.c behind one
// `struct link_util` and the kernel each in its driver behind `rtnl_link_ops` and
// `net_device_ops`. Everything else asks the kind's object instead of comparing kind names.
import type { Device, OperState } from '../model/device.ts';
import type { LinkSpec } from '../model/link-ops.ts';
import type { Netns } from '../model/netns.ts';
import type { Args } from '../tools/iproute2/args.ts';
import type { IpCtx } from '../tools/iproute2/context.ts';
import type { Header } from '../trace/headers.ts';
import type { Disposition, StepDetail, StepType } from '../trace/types.ts';

/** MTU limits and queue length a new device starts with. */
export interface KindDefaults {
  mtu: number;
  minMtu: number;
  maxMtu: number;
  txqlen: number;
}

/** What iplink_<kind>.c's parse_opt gets: the arguments after `type KIND`, and `link DEV`. */
export interface KindParse {
  ctx: IpCtx;
  args: Args;
  lower: Device | undefined;
  /** The namespace `ip` acts in. */
  ns: Netns;
  /** Parses common link attributes (name, netns, address, mtu...) to the end: a veth peer. */
  linkAttrs(): Omit<LinkSpec, 'kind' | 'peer'>;
}

/** The spec fields a kind's parser fills in (beyond name, namespace, MAC, MTU...). */
export type KindSpec = Omit<Partial<LinkSpec>, 'kind' | 'name' | 'ns'>;

/** The model's device lifecycle helpers a kind's `create` may need (link-ops.ts). */
export interface CreateHelpers {
  register(spec: LinkSpec, name: string, inheritMac?: string): Device;
  checkName(ns: Netns, name: string): void;
  checkIndex(ns: Netns, index: number | undefined): void;
  autoName(ns: Netns, prefix: string): string;
  detach(dev: Device): void;
}

/** What a kind's transmit/receive hooks may ask of the packet walk (lib/trace/engine.ts). */
export interface TraceWalk {
  step<T extends StepType>(ns: Netns, type: T, action: string, summary: string, frame: Header[], o?: { dev?: Device; why?: string[]; detail?: StepDetail<T>; changed?: string[] }): void;
  /** A frame sent on `dev` (dev_queue_xmit). */
  l2Transmit(dev: Device, frame: Header[]): void;
  /** A frame arriving on `dev` (netif_receive_skb); `viaSwitch`: handed over by its master. */
  l2Receive(dev: Device, frame: Header[], viaSwitch?: boolean): void;
  /** The verdict to throw (records no step). */
  stop(disposition: Disposition, at: { ns: string; device?: string }, reason: string): unknown;
  /** Records a drop at `dev` and returns the verdict to throw. */
  dropAt(dev: Device, frame: Header[], why: string, disposition?: Disposition): unknown;
  /** The IP packet leaving on a device of a kind with its own `l3Transmit`, after routing. */
  vxlanEncap(ns: Netns, dev: Device, nexthop: number, stack: Header[]): void;
  bondTransmit(bond: Device, frame: Header[]): void;
  ovsSwitch(dev: Device, frame: Header[]): void;
  bridgeForward(br: Device, inPort: Device | undefined, frame: Header[]): void;
}

/** A position in a broadcast domain (lib/trace/l2.ts): a frame sent (tx) or received (rx) on a device. */
export type Push = (dev: Device, dir: 'tx' | 'rx', vlan: number | undefined) => void;

/** Where the topology view draws a device. */
export type Tier = 'attach' | 'l3' | 'switch' | 'bond' | 'nic';

export interface KindOps<K extends string = string> {
  /** The kernel's name for the kind (IFLA_INFO_KIND, `ip -d link`), and Device.kind. */
  readonly kind: K;
  /** `ip link add ... type NAME` creates it (absent: only something else creates it). */
  readonly typeName?: string;

  // ---- create (rtnl_newlink) -------------------------------------------------------
  /** iplink_<kind>.c parse_opt: the arguments after `type NAME`. */
  parse?(p: KindParse): KindSpec;
  defaults(spec: LinkSpec): KindDefaults;
  /** rtnl_link_ops->validate where it checks more than the address: before the name is looked up. */
  rtnlValidate?(spec: LinkSpec): void;
  /** Checks before anything is registered (newlink's validation), once the name is known to be free. */
  validate?(spec: LinkSpec): void;
  /** The kind registers its devices itself (a veth pair). */
  create?(spec: LinkSpec, name: string, h: CreateHelpers): Device;
  /** The new device takes its lower device's MAC (vlan, ipvlan). */
  readonly inheritsLowerMac?: boolean;
  /** `ip link set DEV type NAME ...` (rtnl_link_ops->changelink), with what `parse` read; absent: EOPNOTSUPP. */
  changelink?(dev: Device, spec: KindSpec): void;
  /** After registration: kind state, flags. */
  setup?(dev: Device, spec: LinkSpec): void;

  // ---- state ---------------------------------------------------------------------------
  /** netif_carrier_ok for a device that is up (default: carrier). */
  carrier?(dev: Device): boolean;
  /** netif_carrier_ok as the driver last set it, up or not (veth, and always-on kinds). */
  rawCarrier?(dev: Device): boolean;
  /** IFLA_LINK when it names another device (veth peer, lower device). */
  iflink?(dev: Device): Device | undefined;
  /** Operstate of an up device with carrier (default UP; UNKNOWN for kinds without link events). */
  operUp?(dev: Device): OperState;
  /** IFLA_OPERSTATE as linkwatch stored it, for kinds that keep it (veth). */
  reportedOperState?(dev: Device): OperState | undefined;
  /** linkwatch event for a carrier change (veth). */
  linkwatch?(dev: Device): void;
  /** dev->flags the driver sets: IFF_LOOPBACK, IFF_BROADCAST, IFF_MULTICAST, IFF_MASTER. */
  readonly flags: number;
  /** dev->flags when they depend on the device (an 802.1Q device takes its lower device's
   * BROADCAST/MULTICAST, vlan_dev_init); absent: `flags`. */
  flagsOf?(dev: Device): number;
  /** Flags a master gives its slaves (IFF_SLAVE for a bond). */
  readonly slaveFlags?: number;
  /** ARPHRD: `link/ether` or `link/loopback`. */
  readonly linkType: 'ether' | 'loopback';
  /** NETIF_F_NETNS_LOCAL: the device cannot move to another namespace (a bond). */
  readonly netnsLocal?: boolean;
  /** NETIF_F_NETNS_LOCAL and no dellink: loopback cannot move or go. */
  readonly fixed?: boolean;
  /** ndo_open's refusal (a VLAN device on a lower device that is down). */
  checkOpen?(dev: Device): void;
  /** The lower device's MAC changed (NETDEV_CHANGEADDR): an ipvlan slave takes it. */
  lowerMacChanged?(dev: Device, lower: Device): void;
  /** The lower device's MTU changed (NETDEV_CHANGEMTU): an ipvlan slave takes it. */
  lowerMtuChanged?(dev: Device, lower: Device): void;
  /** NETIF_F_VLAN_CHALLENGED: no 802.1Q device can be stacked on it (ipvlan; 6.1, vm-captures/vlan-priv-flags.sh). */
  readonly vlanChallenged?: boolean;
  /**
   * IFF_XMIT_DST_RELEASE of dev->priv_flags, when not the default (set: alloc_netdev): a bridge
   * (br_dev_setup assigns its priv_flags), vxlan and macvlan (netif_keep_dst) clear it; a bond
   * has it once bond_compute_features ran (a member came or went). A VLAN copies its lower
   * device's (vlan_transfer_features), which /proc/net/vlan/<dev> shows.
   */
  xmitDstRelease?(dev: Device): boolean;
  /** IFF_UNICAST_FLT unset: addresses on its unicast list make the device promiscuous (dummy, veth). */
  readonly noUnicastFilter?: boolean;
  /** The device, stacked on `lower`, has its own MAC on the lower device's unicast list (an up VLAN device, vlan_dev_open). */
  onLowerUcList?(dev: Device, lower: Device): boolean;
  /** Extra MTU check of ndo_change_mtu. */
  checkMtu?(dev: Device, mtu: number): void;
  onMtuSet?(dev: Device): void;
  onMacSet?(dev: Device): void;
  /** The device goes down when its lower device does (vlan). */
  readonly downWithLower?: boolean;
  /** ... and comes up with it (vlan_device_event NETDEV_UP). */
  readonly upWithLower?: boolean;
  /** The device is deleted: it no longer sits on `lower` (unregister_vlan_dev). */
  unlinkLower?(dev: Device, lower: Device): void;
  /** Something about the device's ports changed (a bridge recomputes MTU, MAC, carrier). */
  portsChanged?(dev: Device): void;
  /** The device's carrier may have come up because a port's did. */
  readonly carrierFromPorts?: boolean;
  /** ndo_add_slave: `ip link set DEV master THIS` (absent: EOPNOTSUPP). */
  enslave?(master: Device, dev: Device): void;
  /** ndo_del_slave, before the link to the master is cut. */
  release?(master: Device, dev: Device): void;
  /** Its slaves keep their IPv6 multicast groups when they go down (a bond closing a member). */
  readonly slavesKeepV6Groups?: boolean;
  /** dev_uc_sync/dev_mc_sync: the master's address lists are synced onto this slave (a bond: every member, or only the active one in the modes that have one). */
  syncsMcToSlaves?(master: Device, slave: Device): boolean;
  /** Promiscuity passes on to the slaves (bond_set_promiscuity). */
  readonly promiscToSlaves?: boolean;
  /** ethtool link speed (Mb/s) and duplex, when the driver reports one. */
  readonly speed?: { speed: number; full: boolean };
  /** `bridge fdb` lists the device's multicast address list (Ethernet devices but vxlan). */
  readonly noAddrList?: boolean;
  /** `bridge fdb add ... self` entries (vxlan). */
  readonly fdbSelf?: boolean;

  // ---- print ---------------------------------------------------------------------------
  /** The kind's part of `ip -d link` (iplink_<kind>.c print_opt), e.g. `vxlan id 2 ... `. */
  details?(dev: Device): string;
  /** `ip -j -d link`'s "linkinfo" (info_kind, info_data); null: the kind has none (lo).
   * Absent: not modelled (the model refuses `-j -d` for the device). */
  linkinfoJson?(dev: Device): Record<string, unknown> | null;
  /** The master's part of `ip -d link` for one of its slaves (print_linkinfo's slave kind
   * line, e.g. `bond_slave state ACTIVE ...`); absent: no such line. */
  slaveDetails?(master: Device, dev: Device): string;
  /** ndo_open / ndo_stop, before NETDEV_UP and before NETDEV_DOWN's notifiers run. */
  onOpen?(dev: Device): void;
  onStop?(dev: Device): void;
  /** `ip -j -d link`'s info_slave_kind and info_slave_data for one of its ports (bridge). */
  slaveLinkinfoJson?(master: Device, dev: Device): Record<string, unknown>;
  /** Its ports are put in allmulti mode (br_add_if): `allmulti 1` in ip -d link. */
  readonly portAllmulti?: boolean;
  /** numtxqueues/numrxqueues (veth: one per possible CPU, bond: tx_queues 16; default 1). */
  readonly queues?: number;
  /** tso_max_size the driver sets (default TSO_LEGACY_MAX_SIZE, 65536, on 6.1). */
  tsoMaxSize?(dev: Device): number;

  // ---- trace ---------------------------------------------------------------------------
  /** After routing, the IP packet leaves on this device (vxlan encapsulates, dummy discards). */
  l3Transmit?(w: TraceWalk, ns: Netns, dev: Device, nexthop: number, stack: Header[]): void;
  /** A frame sent on the device (ndo_start_xmit). Absent: not modelled. */
  transmit?(w: TraceWalk, dev: Device, frame: Header[]): void;
  /** rx_handler a master installs on its ports: a frame received on `port`. */
  portReceive?(w: TraceWalk, master: Device, port: Device, frame: Header[]): void;
  /** A frame received on the device itself, before IP: hand it to an upper device (returns true). */
  receiveUpper?(w: TraceWalk, lower: Device, frame: Header[]): boolean;
  /** Broadcast reach: where a frame sent on the device goes. */
  floodTx?(dev: Device, vlan: number | undefined, push: Push): void;
  /** ... where a frame received on a port of this master goes (rx_handler). */
  floodPort?(master: Device, port: Device, vlan: number | undefined, push: Push): void;
  /** ... where a frame received on a lower device goes among this kind's uppers; true: only there. */
  floodLowerRx?(lower: Device, vlan: number | undefined, push: Push): boolean;
  /** The lower device has uppers of this kind that take frames from it. */
  hasUppers?(lower: Device): boolean;

  // ---- view ----------------------------------------------------------------------------
  readonly view: {
    /** The role its steps play in a sequence diagram (lib/trace/participants.ts). */
    participant?: 'veth' | 'ovs-port';
    /** Not drawn (lo, ovs-system). */
    hidden?: boolean;
    tier?(dev: Device): Tier | undefined;
    /** The device this one is wired to, as a link kind ('veth' pair, 'lower' device). */
    wire?: 'veth' | 'lower';
    /** The lower device drawn linked to it in the same namespace (vlan, vxlan `dev`). */
    drawnLower?(dev: Device): Device | undefined;
    /** Ports of this master are drawn as members ('member') or the master is a switch datapath ('ovs'). */
    masterLink?: 'member' | 'ovs';
  };
}
