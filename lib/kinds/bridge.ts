// The Linux bridge (net/bridge, iproute2 iplink_bridge.c). It follows its ports: its MTU
// is the smallest port MTU (br_mtu_auto_adjust; 1500 with no port) until someone sets it;
// its MAC is the lowest port MAC (br_stp_recalculate_bridge_id; all zeros with no port)
// unless an address was given. Both are recomputed when a port joins or leaves, and when a
// port's MTU or MAC changes. Its carrier follows its ports from then on, or from when an
// address is set on it.
import { hasCarrier, IPV6_MIN_MTU, slavesOf, type Device } from '../model/device.ts';
import { dropIpv6, refreshLinkLocal } from '../model/ifaddr.ts';
import { mcAdd, mcDel } from '../model/mc-list.ts';
import { ZERO_MAC, type Mac } from '../net/mac.ts';
import { UnsupportedError } from '../tools/tool.ts';
import { bridgeFdbSync } from '../model/bridge-fdb.ts';
import { ETHER_DEFAULTS, ETHER_FLAGS, GSO_MAX_SIZE, TSO_LEGACY_MAX_SIZE, tsoMaxSizeOf } from './common.ts';
import { kindOps } from './registry.ts';
import type { KindOps } from './types.ts';

const MRD_V4 = '01:00:5e:00:00:6a' as Mac;
const MRD_V6 = '33:33:00:00:00:6a' as Mac;

/** A port's number (find_portno: the lowest free one from 1), kept while it is a port. */
const portNumbers = new WeakMap<Device, number>();
/** Bridges that have had a port: br_set_gso_limits has run on them (tso_max_size). */
const hadPorts = new WeakSet<Device>();

/** A JSON number printed with two decimals (iproute2's "%7.2f" timers: `"gc_timer":0.00`). */
export class Fixed2 {
  readonly text: string;
  constructor(v: number) {
    this.text = v.toFixed(2);
  }
}

/** br_get_link_af_size's bridge id as iproute2 prints it: priority in hex, MAC bytes unpadded. */
function bridgeId(br: Device): string {
  return '8000.' + br.mac.split(':').map((b) => parseInt(b, 16).toString(16)).join(':');
}

/** Timers (hello, gc, ...) run while the bridge is up: the model keeps no clock. */
function refuseRunningTimers(br: Device): void {
  if (br.adminUp) {
    throw new UnsupportedError(
      `ip -d link: ${br.name} is up, and its gc_timer counts down from the moment it came up; the model has no clock (take it down, or leave out -d)`,
      br.name,
    );
  }
}

/** port_cost(): the STP path cost from the port's ethtool speed (100 when it reports none). */
function portCost(dev: Device): number {
  const speed = kindOps(dev).speed?.speed;
  if (speed === undefined) return 100;
  if (speed > 10000) return 1;
  return ({ 10000: 2, 5000: 3, 2500: 4, 1000: 4, 100: 19, 10: 100 } as Record<number, number>)[speed] ?? 100;
}

/**
 * The port's STP state with STP off (the default): forwarding once the port is up with
 * carrier and the bridge is up (br_stp_enable_port, br_port_state_selection), else disabled.
 */
export function bridgePortState(dev: Device): 'forwarding' | 'disabled' {
  const br = dev.master;
  return br && br.adminUp && dev.adminUp && hasCarrier(dev) ? 'forwarding' : 'disabled';
}

function bridgeDetails(br: Device): string {
  refuseRunningTimers(br);
  const id = bridgeId(br);
  return (
    `bridge forward_delay 1500 hello_time 200 max_age 2000 ageing_time 30000 stp_state 0 priority 32768 vlan_filtering 0 vlan_protocol 802.1Q ` +
    `bridge_id ${id} designated_root ${id} root_port 0 root_path_cost 0 topology_change 0 topology_change_detected 0 ` +
    `hello_timer    0.00 tcn_timer    0.00 topology_change_timer    0.00 gc_timer    0.00 vlan_default_pvid 1 vlan_stats_enabled 0 vlan_stats_per_port 0 ` +
    `group_fwd_mask 0 group_address 01:80:c2:00:00:00 mcast_snooping 1 no_linklocal_learn 0 mcast_vlan_snooping 0 mcast_router 1 mcast_query_use_ifaddr 0 mcast_querier 0 ` +
    `mcast_hash_elasticity 16 mcast_hash_max 4096 mcast_last_member_count 2 mcast_startup_query_count 2 mcast_last_member_interval 100 mcast_membership_interval 26000 ` +
    `mcast_querier_interval 25500 mcast_query_interval 12500 mcast_query_response_interval 1000 mcast_startup_query_interval 3124 mcast_stats_enabled 0 ` +
    `mcast_igmp_version 2 mcast_mld_version 1 nf_call_iptables 0 nf_call_ip6tables 0 nf_call_arptables 0 `
  );
}

function bridgeInfoData(br: Device): Record<string, unknown> {
  refuseRunningTimers(br);
  const id = bridgeId(br);
  const t0 = new Fixed2(0);
  return {
    forward_delay: 1500, hello_time: 200, max_age: 2000, ageing_time: 30000, stp_state: 0, priority: 32768, vlan_filtering: 0,
    vlan_protocol: '802.1Q', bridge_id: id, root_id: id, root_port: 0, root_path_cost: 0, topology_change: 0, topology_change_detected: 0,
    hello_timer: t0, tcn_timer: t0, topology_change_timer: t0, gc_timer: t0, vlan_default_pvid: 1, vlan_stats_enabled: 0, vlan_stats_per_port: 0,
    group_fwd_mask: '0', group_addr: '01:80:c2:00:00:00', mcast_snooping: 1, no_linklocal_learn: 0, mcast_vlan_snooping: 0, mcast_router: 1,
    mcast_query_use_ifaddr: 0, mcast_querier: 0, mcast_hash_elasticity: 16, mcast_hash_max: 4096, mcast_last_member_cnt: 2, mcast_startup_query_cnt: 2,
    mcast_last_member_intvl: 100, mcast_membership_intvl: 26000, mcast_querier_intvl: 25500, mcast_query_intvl: 12500, mcast_query_response_intvl: 1000,
    mcast_startup_query_intvl: 3124, mcast_stats_enabled: 0, mcast_igmp_version: 2, mcast_mld_version: 1, nf_call_iptables: 0, nf_call_ip6tables: 0,
    nf_call_arptables: 0,
  };
}

function portIds(br: Device, dev: Device): { no: number; id: number } {
  const no = portNumbers.get(dev) ?? 0;
  return { no, id: (0x8 << 12) | no };
}

function bridgeSlaveDetails(br: Device, dev: Device): string {
  refuseRunningTimers(br);
  const { no, id } = portIds(br, dev);
  const bid = bridgeId(br);
  return (
    `bridge_slave state ${bridgePortState(dev)} priority 32 cost ${portCost(dev)} hairpin off guard off root_block off fastleave off learning on flood on ` +
    `port_id 0x${id.toString(16)} port_no 0x${no.toString(16)} designated_port ${id} designated_cost 0 designated_bridge ${bid} designated_root ${bid} ` +
    `hold_timer    0.00 message_age_timer    0.00 forward_delay_timer    0.00 topology_change_ack 0 config_pending 0 proxy_arp off proxy_arp_wifi off ` +
    `mcast_router 1 mcast_fast_leave off mcast_flood on bcast_flood on mcast_to_unicast off neigh_suppress off group_fwd_mask 0 group_fwd_mask_str 0x0 ` +
    `vlan_tunnel off isolated off locked off `
  );
}

function bridgeSlaveJson(br: Device, dev: Device): Record<string, unknown> {
  refuseRunningTimers(br);
  const { no, id } = portIds(br, dev);
  const bid = bridgeId(br);
  const t0 = new Fixed2(0);
  return {
    state: bridgePortState(dev), priority: 32, cost: portCost(dev), hairpin: false, guard: false, root_block: false, fastleave: false, learning: true,
    flood: true, id: `0x${id.toString(16)}`, no: `0x${no.toString(16)}`, designated_port: id, designated_cost: 0, bridge_id: bid, root_id: bid,
    hold_timer: t0, message_age_timer: t0, forward_delay_timer: t0, topology_change_ack: 0, config_pending: 0, proxy_arp: false, proxy_arp_wifi: false,
    multicast_router: 1, mcast_flood: true, bcast_flood: true, mcast_to_unicast: false, neigh_suppress: false, group_fwd_mask: '0',
    group_fwd_mask_str: '0x0', vlan_tunnel: false, isolated: false, locked: false,
  };
}

/** ETH_DATA_LEN: br_mtu_min's answer for a bridge without ports. */
const NO_PORT_MTU = 1500;

/** Recomputes what the bridge takes from its ports; call after any change to them. */
function followPorts(br: Device): void {
  br.bridgeCarrierFollowsPorts = true;
  const ports = slavesOf(br);
  if (!br.bridgeMtuSetByUser) {
    const before = br.mtu;
    br.mtu = ports.length ? Math.min(...ports.map((p) => p.mtu)) : NO_PORT_MTU;
    // dev_set_mtu notifies NETDEV_CHANGEMTU: addrconf drops IPv6 below its minimum and starts
    // over once the MTU is back at or above it, as for an MTU set by hand.
    if (br.mtu < IPV6_MIN_MTU && before >= IPV6_MIN_MTU) dropIpv6(br);
    else if (before < IPV6_MIN_MTU && br.mtu >= IPV6_MIN_MTU) refreshLinkLocal(br);
  }
  if (!br.macSetByUser) {
    let lowest: Mac | undefined;
    for (const p of ports) if (lowest === undefined || p.mac < lowest) lowest = p.mac;
    br.mac = lowest ?? ZERO_MAC;
  }
}

export const bridge: KindOps<'bridge'> = {
  kind: 'bridge',
  xmitDstRelease: () => false,
  typeName: 'bridge',
  defaults: () => ETHER_DEFAULTS,
  setup(dev, spec) {
    // br_set_mac_address runs br_port_state_selection: no port, so no carrier.
    if (spec.mac !== undefined) dev.bridgeCarrierFollowsPorts = true;
    bridgeFdbSync(dev);
  },
  carrier(dev) {
    // br_port_state_selection: carrier while some port forwards, and with STP off (the
    // default) a port forwards as soon as it has carrier. No port, no carrier.
    if (!dev.bridgeCarrierFollowsPorts) return true;
    return slavesOf(dev).some((p) => hasCarrier(p));
  },
  // No carrier event yet: linkwatch never computed an operstate.
  operUp: (dev) => (dev.bridgeCarrierFollowsPorts ? 'UP' : 'UNKNOWN'),
  flags: ETHER_FLAGS,
  // br_set_gso_limits runs when a port joins or leaves: the smallest port's, GSO_MAX_SIZE
  // with none; a bridge that never had a port keeps TSO_LEGACY_MAX_SIZE (6.1 VM).
  tsoMaxSize: (br) =>
    hadPorts.has(br) ? Math.min(GSO_MAX_SIZE, ...slavesOf(br).map((p) => tsoMaxSizeOf(p))) : TSO_LEGACY_MAX_SIZE,
  linkType: 'ether',
  onMtuSet(dev) {
    dev.bridgeMtuSetByUser = true; // br_change_mtu
  },
  onMacSet(dev) {
    dev.bridgeCarrierFollowsPorts = true; // br_set_mac_address
    bridgeFdbSync(dev);
  },
  portsChanged(br) {
    followPorts(br);
    bridgeFdbSync(br);
  },
  carrierFromPorts: true,
  enslave(master, dev) {
    // br_add_if: the lowest free port number; the port goes promiscuous (no VLAN filtering)
    // and allmulti (`promiscuity 1 allmulti 1` in ip -d link).
    const used = new Set(slavesOf(master).map((p) => portNumbers.get(p)));
    let no = 1;
    while (used.has(no)) no++;
    portNumbers.set(dev, no);
    hadPorts.add(master);
    dev.promisc = true;
    dev.master = master;
    followPorts(master); // br_add_if
    bridgeFdbSync(master);
    refreshLinkLocal(master); // a port with carrier brings the bridge's carrier up
  },
  release(_master, dev) {
    // br_del_if: dev_set_promiscuity(-1), dev_set_allmulti(-1)
    portNumbers.delete(dev);
    dev.promisc = false;
  },
  portAllmulti: true,
  // br_dev_open → br_multicast_open: with snooping on (the default) the bridge joins the
  // multicast router discovery groups 224.0.0.106 and ff02::6a; br_dev_stop leaves them.
  onOpen(br) {
    mcAdd(br, MRD_V4);
    mcAdd(br, MRD_V6);
  },
  onStop(br) {
    mcDel(br, MRD_V4);
    mcDel(br, MRD_V6);
  },
  details: bridgeDetails,
  linkinfoJson: (br) => ({ info_kind: 'bridge', info_data: bridgeInfoData(br) }),
  slaveDetails: bridgeSlaveDetails,
  slaveLinkinfoJson: (br, dev) => ({ info_slave_kind: 'bridge', info_slave_data: bridgeSlaveJson(br, dev) }),
  transmit: (w, dev, frame) => w.bridgeForward(dev, undefined, frame),
  portReceive: (w, master, port, frame) => w.bridgeForward(master, port, frame),
  floodTx(dev, vlan, push) {
    for (const port of slavesOf(dev)) push(port, 'tx', vlan);
  },
  floodPort(br, port, vlan, push) {
    // A Linux bridge floods to its other ports and up to its own stack.
    for (const p of slavesOf(br)) if (p !== port) push(p, 'tx', vlan);
    push(br, 'rx', vlan);
  },
  view: {},
};
