// The Linux bridge (net/bridge, iproute2 iplink_bridge.c). It follows its ports: its MTU
// is the smallest port MTU (br_mtu_auto_adjust; 1500 with no port) until someone sets it;
// its MAC is the lowest port MAC (br_stp_recalculate_bridge_id; all zeros with no port)
// unless an address was given. Both are recomputed when a port joins or leaves, and when a
// port's MTU or MAC changes. Its carrier follows its ports from then on, or from when an
// address is set on it.
import { hasCarrier, IPV6_MIN_MTU, slavesOf, type Device } from '../model/device.ts';
import { dropIpv6, refreshLinkLocal } from '../model/ifaddr.ts';
import { ZERO_MAC, type Mac } from '../net/mac.ts';
import { ETHER_DEFAULTS, ETHER_FLAGS, GSO_MAX_SIZE } from './common.ts';
import type { KindOps } from './types.ts';

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
  typeName: 'bridge',
  defaults: () => ETHER_DEFAULTS,
  setup(dev, spec) {
    // br_set_mac_address runs br_port_state_selection: no port, so no carrier.
    if (spec.mac !== undefined) dev.bridgeCarrierFollowsPorts = true;
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
  tsoMaxSize: () => GSO_MAX_SIZE,
  linkType: 'ether',
  onMtuSet(dev) {
    dev.bridgeMtuSetByUser = true; // br_change_mtu
  },
  onMacSet(dev) {
    dev.bridgeCarrierFollowsPorts = true; // br_set_mac_address
  },
  portsChanged: followPorts,
  carrierFromPorts: true,
  enslave(master, dev) {
    dev.master = master;
    followPorts(master); // br_add_if
    refreshLinkLocal(master); // a port with carrier brings the bridge's carrier up
  },
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
