// Device lifecycle: create, delete, move between namespaces, up/down, MTU, MAC, master.
// Each operation applies the kernel's checks and side effects (routes, neighbours).
import { deterministicMac, parseMac, BROADCAST_MAC, type Mac } from '../net/mac.ts';
import { hasCarrier, IPV6_MIN_MTU, operState, slavesOf, type BondInfo, type Device, type DeviceKind, type IpvlanMode, type OperState, type VxlanInfo } from './device.ts';
import { devconfInherit } from './addr-ops.ts';
import { KernelError } from './errno.ts';
import { bridgeFollowPorts } from './bridge.ts';
import { dropIpv6, onDeviceDown, onDeviceGone, onDeviceUp, refreshLinkLocal } from './ifaddr.ts';
import { ALL_NODES, LACPDU_GROUP, MRP_GROUP, mcAdd, mcDel, mcList } from './mc-list.ts';
import type { Netns } from './netns.ts';

export interface LinkSpec {
  kind: DeviceKind;
  name?: string | undefined;
  ns: Netns;
  index?: number;
  mac?: string;
  mtu?: number;
  txqlen?: number;
  lower?: Device;
  vlanId?: number;
  ipvlanMode?: IpvlanMode;
  vxlan?: VxlanInfo;
  bond?: BondInfo;
  peer?: Omit<LinkSpec, 'kind' | 'peer'>;
}

const VXLAN_HEADROOM = 50;

interface KindDefaults {
  mtu: number;
  minMtu: number;
  maxMtu: number;
  txqlen: number;
}

function defaultsFor(kind: DeviceKind, spec: LinkSpec): KindDefaults {
  switch (kind) {
    case 'veth':
      return { mtu: 1500, minMtu: 68, maxMtu: 65535, txqlen: 1000 };
    case 'vxlan': {
      const lower = spec.vxlan?.lowerIfindex !== undefined ? spec.ns.deviceByIndex(spec.vxlan.lowerIfindex) : undefined;
      return { mtu: lower ? lower.mtu - VXLAN_HEADROOM : 1500, minMtu: 68, maxMtu: 65535, txqlen: 1000 };
    }
    case 'vlan':
    case 'ipvlan':
      // vlan_setup leaves min_mtu 0 (`minmtu 0` on 6.1); ipvlan has ether_setup's 68.
      return { mtu: spec.lower!.mtu, minMtu: kind === 'vlan' ? 0 : 68, maxMtu: spec.lower!.maxMtu || 65535, txqlen: 1000 };
    case 'dummy':
      return { mtu: 1500, minMtu: 0, maxMtu: 0, txqlen: 1000 };
    case 'bond':
      return { mtu: 1500, minMtu: 68, maxMtu: 65535, txqlen: 1000 };
    case 'bridge':
      return { mtu: 1500, minMtu: 68, maxMtu: 65535, txqlen: 1000 };
    case 'ovs-internal':
    case 'ovs-system':
      return { mtu: 1500, minMtu: 68, maxMtu: 65535, txqlen: 1000 };
    case 'loopback':
      return { mtu: 65536, minMtu: 0, maxMtu: 0, txqlen: 1000 };
  }
}

function checkName(ns: Netns, name: string): void {
  if (ns.device(name)) throw new KernelError('EEXIST');
}

function checkIndex(ns: Netns, index: number | undefined): void {
  if (index !== undefined && !ns.isIndexFree(index)) throw new KernelError('EBUSY');
}

function validMtu(d: KindDefaults, mtu: number): void {
  if (d.maxMtu && mtu > d.maxMtu) throw new KernelError('EINVAL', 'mtu greater than device maximum');
  if (mtu < d.minMtu) throw new KernelError('EINVAL', 'mtu less than device minimum');
}

function macFor(spec: { mac?: string }, ns: Netns, name: string, inherit?: Mac): Mac {
  if (spec.mac !== undefined) return parseMac(spec.mac)!;
  return inherit ?? deterministicMac(`${ns.name}/${name}`);
}

/** Picks `prefix%d` as the kernel does for unnamed devices (veth peers without `name`). */
function autoName(ns: Netns, prefix: string): string {
  for (let i = 0; ; i++) if (!ns.device(`${prefix}${i}`)) return `${prefix}${i}`;
}

function register(spec: LinkSpec, name: string, inheritMac?: Mac): Device {
  const d = defaultsFor(spec.kind, spec);
  if (spec.mtu !== undefined) validMtu(d, spec.mtu);
  const dev = spec.ns.registerDevice({
    name,
    kind: spec.kind,
    mac: macFor(spec, spec.ns, name, inheritMac),
    brd: BROADCAST_MAC,
    mtu: spec.mtu ?? d.mtu,
    minMtu: d.minMtu,
    maxMtu: d.maxMtu,
    txqlen: spec.txqlen ?? d.txqlen,
    ...(spec.index !== undefined ? { ifindex: spec.index } : {}),
  });
  devconfInherit(dev.conf, spec.ns.sysctl.dflt);
  // ipv6_add_dev joins ff02::1 at registration, up or not (below IPV6_MIN_MTU, no inet6_dev).
  if (spec.kind !== 'loopback' && dev.mtu >= IPV6_MIN_MTU) mcAdd(dev, ALL_NODES);
  if (spec.kind === 'dummy') dev.noarp = true;
  if (spec.mac !== undefined) dev.macSetByUser = true;
  // br_set_mac_address runs br_port_state_selection: no port, so no carrier.
  if (spec.mac !== undefined && spec.kind === 'bridge') dev.bridgeCarrierFollowsPorts = true;
  return dev;
}

/** rtnl_newlink: creates the device (and a veth's peer, registered first as the kernel does). */
export function createDevice(_caller: Netns, spec: LinkSpec): Device {
  const name = spec.name ?? autoName(spec.ns, spec.kind === 'veth' ? 'veth' : spec.kind);
  checkName(spec.ns, name);
  checkIndex(spec.ns, spec.index);
  if (spec.kind === 'vxlan' && spec.vxlan) {
    const v = spec.vxlan;
    for (const other of spec.ns.devicesInOrder()) {
      if (other.kind === 'vxlan' && other.vxlan!.vni === v.vni && other.vxlan!.dstport === v.dstport) {
        throw new KernelError('EEXIST', 'A VXLAN device with the specified VNI already exists');
      }
    }
  }
  if (spec.kind === 'veth') {
    const asked = spec.peer ?? { ns: spec.ns };
    // veth_newlink: `if (ifmp && (dev->ifindex != 0)) peer->ifindex = ifmp->ifi_index;` —
    // the peer's `index` counts only when the device itself was given one.
    const { index: peerIndex, ...rest } = asked;
    const p: typeof asked = spec.index !== undefined && peerIndex !== undefined ? { ...rest, index: peerIndex } : rest;
    const peerName = p.name ?? autoName(p.ns, 'veth');
    checkName(p.ns, peerName);
    checkIndex(p.ns, p.index);
    if (p.ns === spec.ns && peerName === name) throw new KernelError('EEXIST');
    const peer = register({ ...p, kind: 'veth' }, peerName);
    let dev: Device;
    try {
      dev = register(spec, name);
    } catch (e) {
      peer.ns.detach(peer);
      throw e;
    }
    dev.peer = peer;
    peer.peer = dev;
    // veth_newlink turns carrier off on both ends after registering them: one linkwatch
    // event each, handled once the pair is linked.
    linkwatch(peer);
    linkwatch(dev);
    return dev;
  }
  const dev = register(spec, name, spec.kind === 'vlan' || spec.kind === 'ipvlan' ? spec.lower!.mac : undefined);
  if (spec.lower) {
    dev.lower = spec.lower;
    // register_vlan_dev: the first 802.1Q upper starts the GVRP and MVRP applicants, which
    // join 01:80:c2:00:00:21 on the lower device.
    if (spec.kind === 'vlan' && !uppers(spec.lower).some((u) => u.kind === 'vlan')) mcAdd(spec.lower, MRP_GROUP);
    const set = dev.ns.world.uppers.get(spec.lower) ?? new Set<Device>();
    set.add(dev);
    dev.ns.world.uppers.set(spec.lower, set);
  }
  if (spec.vlanId !== undefined) dev.vlanId = spec.vlanId;
  if (spec.kind === 'vlan') dev.ns.world.modules.add('8021q'); // rtnl-link-vlan autoload
  if (spec.kind === 'vlan' && spec.lower?.noarp) dev.noarp = true; // vlan_dev_init copies the flags
  if (spec.ipvlanMode) {
    dev.ipvlanMode = spec.ipvlanMode;
    // ipvlan_init: each slave of a port gets the next free dev_id from 1 (ida on the port).
    const used = new Set(uppers(spec.lower!).filter((u) => u !== dev && u.kind === 'ipvlan').map((u) => u.devId));
    let id = 1;
    while (used.has(id)) id++;
    dev.devId = id;
  }
  if (spec.vxlan) dev.vxlan = spec.vxlan;
  if (spec.bond) dev.bond = spec.bond;
  return dev;
}

/** Devices stacked on `dev` (vlan/ipvlan children), in any namespace. */
function uppers(dev: Device): Device[] {
  return [...(dev.ns.world.uppers.get(dev) ?? [])];
}

export function deleteDevice(dev: Device): void {
  if (dev.kind === 'loopback') throw new KernelError('EOPNOTSUPP');
  for (const up of uppers(dev)) deleteDevice(up);
  dev.ns.world.uppers.delete(dev);
  if (dev.lower) {
    dev.ns.world.uppers.get(dev.lower)?.delete(dev);
    if (dev.kind === 'vlan' && !uppers(dev.lower).some((u) => u.kind === 'vlan')) mcDel(dev.lower, MRP_GROUP);
  }
  for (const slave of slavesOf(dev)) delete slave.master;
  unregister(dev);
  if (dev.peer) {
    const peer = dev.peer;
    delete dev.peer;
    delete peer.peer;
    unregister(peer);
  }
}

function unregister(dev: Device): void {
  if (dev.adminUp) setDeviceUp(dev, false);
  onDeviceGone(dev);
  const master = dev.master;
  dev.ns.detach(dev);
  if (master) bridgeFollowPorts(master); // br_del_if
}

/** dev_change_net_namespace: the device is closed, loses its addresses, and keeps its index if free. */
export function moveDevice(dev: Device, target: Netns): Device {
  if (target === dev.ns) return dev;
  if (dev.kind === 'loopback') throw new KernelError('EINVAL');
  if (target.device(dev.name)) throw new KernelError('EEXIST');
  const carrierBefore = [carrierOk(dev), dev.peer ? carrierOk(dev.peer) : false];
  if (dev.adminUp) setDeviceUp(dev, false);
  // dev_shutdown: the qdisc goes; the device shows `noop` until it is up again.
  dev.everUp = false;
  onDeviceGone(dev);
  dev.ipv4 = [];
  dev.ipv6 = [];
  // dev_uc_flush/dev_mc_flush, then the new namespace's NETDEV_REGISTER (ipv6_add_dev).
  dev.mc = [];
  delete dev.mcV6Down;
  if (dev.mtu >= IPV6_MIN_MTU) mcAdd(dev, ALL_NODES);
  const master = dev.master;
  delete dev.master;
  if (master) bridgeFollowPorts(master);
  dev.ns.detach(dev);
  if (!target.isIndexFree(dev.ifindex)) dev.ifindex = target.allocIfindex();
  dev.conf = { ...target.sysctl.dflt };
  devconfInherit(dev.conf, target.sysctl.dflt);
  dev.conf6 = { ...target.sysctl.dflt6 };
  target.attach(dev);
  // The carrier events of the close are handled once the move is done (linkwatch needs the
  // RTNL the move holds), so with the device at its new place.
  if (carrierOk(dev) !== carrierBefore[0]) linkwatch(dev);
  if (dev.peer && carrierOk(dev.peer) !== carrierBefore[1]) linkwatch(dev.peer);
  return dev;
}

export function setDeviceUp(dev: Device, up: boolean): void {
  if (up === dev.adminUp) return;
  const before = dev.peer ? [carrierOk(dev), carrierOk(dev.peer)] : undefined;
  dev.adminUp = up;
  if (before && dev.peer) {
    // veth_open/veth_close switch carrier on both ends: a linkwatch event where it changed.
    if (carrierOk(dev) !== before[0]) linkwatch(dev);
    if (carrierOk(dev.peer) !== before[1]) linkwatch(dev.peer);
  }
  if (up) {
    onDeviceUp(dev);
    // Carrier may have come up elsewhere: the veth peer, stacked devices, and the bridges
    // either end is a port of.
    if (dev.peer) refreshLinkLocal(dev.peer);
    // vlan_device_event NETDEV_UP: every 802.1Q upper comes up with its lower device.
    for (const u of uppers(dev)) if (u.kind === 'vlan' && !u.adminUp && u.ns === dev.ns) setDeviceUp(u, true);
    for (const u of uppers(dev)) refreshLinkLocal(u);
    // A bond gets carrier from its members: a member's veth peer coming up can be what
    // makes the bond's link ready (addrconf then gives it its link-local, 6.1).
    for (const end of [dev, dev.peer]) if (end?.master?.kind === 'bridge' || end?.master?.kind === 'bond') refreshLinkLocal(end.master);
  } else {
    onDeviceDown(dev);
    for (const u of uppers(dev)) if (u.kind === 'vlan') setDeviceUp(u, false);
  }
}

export function setMtu(dev: Device, mtu: number): void {
  const d: KindDefaults = { mtu: dev.mtu, minMtu: dev.minMtu, maxMtu: dev.maxMtu, txqlen: dev.txqlen };
  validMtu(d, mtu);
  if (dev.kind === 'vxlan' && dev.vxlan?.lowerIfindex !== undefined) {
    // vxlan_change_mtu: with a lower device the limit is its MTU less the 50-byte headroom,
    // refused with a bare EINVAL (no extack message).
    const lower = dev.ns.deviceByIndex(dev.vxlan.lowerIfindex);
    if (lower && mtu > lower.mtu - VXLAN_HEADROOM) throw new KernelError('EINVAL');
  }
  if ((dev.kind === 'vlan' || dev.kind === 'ipvlan') && dev.lower && mtu > dev.lower.mtu) {
    throw new KernelError('ERANGE');
  }
  const before = dev.mtu;
  dev.mtu = mtu;
  // addrconf NETDEV_CHANGEMTU: below the IPv6 minimum the device loses IPv6 altogether;
  // back at or above it, addrconf starts over as if the link had just become ready.
  if (mtu < IPV6_MIN_MTU && dev.kind !== 'loopback') dropIpv6(dev);
  else if (before < IPV6_MIN_MTU && mtu >= IPV6_MIN_MTU) {
    if (dev.mcV6Down) {
      mcAdd(dev, ALL_NODES); // ipv6_add_dev again
      delete dev.mcV6Down;
    }
    refreshLinkLocal(dev);
  }
  if (dev.kind === 'bridge') dev.bridgeMtuSetByUser = true; // br_change_mtu
  if (dev.master) bridgeFollowPorts(dev.master); // NETDEV_CHANGEMTU on a port
}

export function setMac(dev: Device, mac: string): void {
  const m = parseMac(mac)!;
  const b0 = parseInt(m.slice(0, 2), 16);
  if (b0 & 1 || m === '00:00:00:00:00:00') throw new KernelError('EADDRNOTAVAIL');
  dev.mac = m;
  dev.macSetByUser = true;
  if (dev.kind === 'bridge') dev.bridgeCarrierFollowsPorts = true; // br_set_mac_address
  if (dev.master) bridgeFollowPorts(dev.master); // NETDEV_CHANGEADDR on a port
}

export function renameDevice(dev: Device, name: string): void {
  if (dev.adminUp) throw new KernelError('EBUSY');
  if (dev.ns.device(name)) throw new KernelError('EEXIST');
  dev.ns.rename(dev, name);
}

/** do_set_master: enslave to a bond (the kernel refuses a slave that is up), or release. */
export function setMaster(dev: Device, master: Device | null): void {
  if (master === dev.master) return;
  if (master === null || dev.master) {
    // do_set_master releases from the old master first.
    const old = dev.master;
    if (old?.kind === 'bond') {
      // __bond_release_one: bond_hw_addr_flush drops the LACPDU group, then the member is
      // closed (dev_close) while still a member.
      if (old.bond?.mode === '802.3ad') mcDel(dev, LACPDU_GROUP);
      if (dev.adminUp) setDeviceUp(dev, false);
    }
    if (old?.kind === 'bond' && dev.permaddr) {
      // __bond_release_one restores the member's own address.
      dev.mac = dev.permaddr;
      delete dev.permaddr;
    }
    delete dev.master;
    if (old) bridgeFollowPorts(old);
    if (master === null) return;
  }
  if (master.kind !== 'bond' && master.kind !== 'bridge') throw new KernelError('EOPNOTSUPP');
  if (master.kind === 'bond') {
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
    return;
  }
  dev.master = master;
  bridgeFollowPorts(master); // br_add_if
  refreshLinkLocal(master); // a port with carrier brings the bridge's carrier up
}

/**
 * dev->operstate of a veth as linkwatch last computed it (rfc2863_policy). It is computed
 * when the device's carrier changes (and after creation), not when it is shown: a veth
 * whose carrier is off reports, per default_operstate(), DOWN when its iflink (the peer's
 * ifindex) equals its own ifindex or names no device *in its own namespace*, DOWN when that
 * device has carrier, LOWERLAYERDOWN otherwise — the lookup ignores the namespace the peer
 * really lives in. Shown state is the settled one, as seen by someone typing the commands
 * one by one (the kernel handles the event within a second, or as soon as the device is
 * asked for by name).
 */
const operstates = new WeakMap<Device, OperState>();

/** netif_carrier_ok: a veth has carrier while both ends are up; lo, dummy and vxlan always. */
function carrierOk(dev: Device): boolean {
  switch (dev.kind) {
    case 'veth':
      return dev.adminUp && dev.peer !== undefined && dev.peer.adminUp;
    case 'loopback':
    case 'dummy':
    case 'vxlan':
      return true;
    default:
      return hasCarrier(dev);
  }
}

function linkwatch(dev: Device): void {
  if (dev.kind !== 'veth') return;
  let state: OperState = 'UP';
  if (!carrierOk(dev)) {
    const iflink = dev.peer?.ifindex ?? 0;
    const there = iflink === dev.ifindex ? undefined : dev.ns.deviceByIndex(iflink);
    state = there && !carrierOk(there) ? 'LOWERLAYERDOWN' : 'DOWN';
  }
  operstates.set(dev, state);
}

/** IFLA_OPERSTATE as rtnetlink reports it: DOWN while not running, else the stored state. */
export function reportedOperState(dev: Device): OperState {
  if (!dev.adminUp) return 'DOWN';
  if (dev.kind === 'veth') return operstates.get(dev) ?? operState(dev);
  return operState(dev);
}
