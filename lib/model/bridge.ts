// A Linux bridge follows its ports. Its MTU is the smallest port MTU (br_mtu_auto_adjust;
// 1500 with no port) until someone sets it; its MAC is the lowest port MAC
// (br_stp_recalculate_bridge_id; all zeros with no port) unless an address was given.
// Both are recomputed when a port joins or leaves, and when a port's MTU or MAC changes.
// Its carrier (device.ts, hasCarrier) follows its ports from then on, or from when an
// address is set on it.
import { ZERO_MAC, type Mac } from '../net/mac.ts';
import { IPV6_MIN_MTU, slavesOf, type Device } from './device.ts';
import { dropIpv6, refreshLinkLocal } from './ifaddr.ts';

/** ETH_DATA_LEN: br_mtu_min's answer for a bridge without ports. */
const NO_PORT_MTU = 1500;

/** Recomputes what the bridge takes from its ports; call after any change to them. */
export function bridgeFollowPorts(br: Device): void {
  if (br.kind !== 'bridge') return;
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
