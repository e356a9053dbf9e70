// Device lifecycle: create, delete, move between namespaces, up/down, MTU, MAC, master.
// Each operation applies the kernel's checks and side effects (routes, neighbours).
import { devValidName, IFNAMSIZ, ifnameBytes } from './ifname.ts';
import { deterministicMac, parseMac, BROADCAST_MAC, type Mac } from '../net/mac.ts';
import { hasCarrier, IPV6_MIN_MTU, isLoopback, operState, slavesOf, type BondInfo, type Device, type DeviceKind, type IpvlanMode, type OperState, type VxlanInfo } from './device.ts';
import { devconfInherit } from './addr-ops.ts';
import { KernelError } from './errno.ts';
import { kindOf, kindOps } from '../kinds/registry.ts';
import type { KindDefaults } from '../kinds/types.ts';
import { dropIpv6, onDeviceDown, onDeviceGone, onDeviceUp, refreshLinkLocal } from './ifaddr.ts';
import { ALL_NODES, mcAdd } from './mc-list.ts';
import type { Netns } from './netns.ts';
import { deviceMtuChanged } from './pmtu.ts';

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
  /** What the kind's parser read that only the kind understands (e.g. a macvlan mode). */
  kindData?: unknown;
}

export function checkName(ns: Netns, name: string): void {
  if (!devValidName(name)) throw new KernelError('EINVAL');
  if (ns.device(name)) throw new KernelError('EEXIST');
}

export function checkIndex(ns: Netns, index: number | undefined): void {
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
export function autoName(ns: Netns, prefix: string): string {
  for (let i = 0; ; i++) if (!ns.device(`${prefix}${i}`)) return `${prefix}${i}`;
}

export function register(spec: LinkSpec, name: string, inheritMac?: Mac): Device {
  const d = kindOf(spec.kind)!.defaults(spec);
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
  if (!isLoopback(dev) && dev.mtu >= IPV6_MIN_MTU) mcAdd(dev, ALL_NODES);
  if (spec.mac !== undefined) dev.macSetByUser = true;
  return dev;
}

/** rtnl_newlink: creates the device (a kind with its own `create` registers its devices itself). */
export function createDevice(_caller: Netns, spec: LinkSpec): Device {
  const ops = kindOf(spec.kind)!;
  if (spec.name !== undefined && ifnameBytes(spec.name) >= IFNAMSIZ) throw new KernelError('EINVAL', 'Attribute failed policy validation');
  const name = spec.name ?? autoName(spec.ns, spec.kind);
  // __rtnl_newlink: the kind's validate runs before the name is looked up.
  ops.rtnlValidate?.(spec);
  // A kind that registers devices itself (a veth registers its peer first) checks its own
  // name: a bad one is found after the peer took an ifindex (register_netdevice).
  if (ops.create) {
    if (spec.ns.device(name)) throw new KernelError('EEXIST');
  } else checkName(spec.ns, name);
  checkIndex(spec.ns, spec.index);
  ops.validate?.(spec);
  if (ops.create) return ops.create(spec, name, { register: (sp, n, mac) => register(sp, n, mac as Mac | undefined), checkName, checkIndex, autoName, detach: (d) => d.ns.detach(d) });
  const dev = register(spec, name, ops.inheritsLowerMac ? spec.lower!.mac : undefined);
  if (spec.lower) {
    dev.lower = spec.lower;
    const set = dev.ns.world.uppers.get(spec.lower) ?? new Set<Device>();
    set.add(dev);
    dev.ns.world.uppers.set(spec.lower, set);
  }
  ops.setup?.(dev, spec);
  return dev;
}

/** Devices stacked on `dev` (vlan/ipvlan children), in any namespace. */
function uppers(dev: Device): Device[] {
  return [...(dev.ns.world.uppers.get(dev) ?? [])];
}

export function deleteDevice(dev: Device): void {
  if (kindOps(dev).fixed) throw new KernelError('EOPNOTSUPP');
  for (const up of uppers(dev)) deleteDevice(up);
  dev.ns.world.uppers.delete(dev);
  if (dev.lower) {
    dev.ns.world.uppers.get(dev.lower)?.delete(dev);
    kindOps(dev).unlinkLower?.(dev, dev.lower);
  }
  // bond_uninit / br_dev_delete: each member or port is released as by `nomaster` (a bond
  // member is closed and gets its own MAC back; a bridge port drops its promiscuity).
  for (const slave of slavesOf(dev)) {
    kindOps(dev).release?.(dev, slave);
    delete slave.master;
  }
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
  // NETDEV_UNREGISTER of a member: its bond releases it (bond_netdev_event).
  if (master) kindOps(master).release?.(master, dev);
  dev.ns.detach(dev);
  if (master) kindOps(master).portsChanged?.(master); // br_del_if
}

/** dev_change_net_namespace: the device is closed, loses its addresses, and keeps its index if free. */
export function moveDevice(dev: Device, target: Netns): Device {
  if (target === dev.ns) return dev;
  if (kindOps(dev).fixed || kindOps(dev).netnsLocal) throw new KernelError('EINVAL');
  if (target.device(dev.name)) throw new KernelError('EEXIST');
  // dev_change_net_namespace: peernet2id_alloc(old, new) for IFLA_NEW_NETNSID.
  dev.ns.peerId(target);
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
  if (master) kindOps(master).release?.(master, dev);
  delete dev.master;
  if (master) kindOps(master).portsChanged?.(master);
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
  // The RTM_NEWLINK in the new namespace names the peer's namespace by an id.
  if (dev.peer && dev.peer.ns !== target) target.peerId(dev.peer.ns);
  return dev;
}

export function setDeviceUp(dev: Device, up: boolean): void {
  if (up === dev.adminUp) return;
  if (up) kindOps(dev).checkOpen?.(dev);
  const before = dev.peer ? [carrierOk(dev), carrierOk(dev.peer)] : undefined;
  dev.adminUp = up;
  if (before && dev.peer) {
    // veth_open/veth_close switch carrier on both ends: a linkwatch event where it changed.
    if (carrierOk(dev) !== before[0]) linkwatch(dev);
    if (carrierOk(dev.peer) !== before[1]) linkwatch(dev.peer);
  }
  if (up) {
    kindOps(dev).onOpen?.(dev);
    onDeviceUp(dev);
    // Carrier may have come up elsewhere: the veth peer, stacked devices, and the bridges
    // either end is a port of.
    if (dev.peer) refreshLinkLocal(dev.peer);
    // vlan_device_event NETDEV_UP: every 802.1Q upper comes up with its lower device.
    for (const u of uppers(dev)) if (kindOps(u).upWithLower && !u.adminUp && u.ns === dev.ns) setDeviceUp(u, true);
    for (const u of uppers(dev)) refreshLinkLocal(u);
    for (const end of [dev, dev.peer]) if (end?.master && kindOps(end.master).carrierFromPorts) refreshLinkLocal(end.master);
  } else {
    kindOps(dev).onStop?.(dev);
    onDeviceDown(dev);
    for (const u of uppers(dev)) if (kindOps(u).downWithLower) setDeviceUp(u, false);
  }
}

export function setMtu(dev: Device, mtu: number): void {
  const d: KindDefaults = { mtu: dev.mtu, minMtu: dev.minMtu, maxMtu: dev.maxMtu, txqlen: dev.txqlen };
  validMtu(d, mtu);
  kindOps(dev).checkMtu?.(dev, mtu);
  const before = dev.mtu;
  dev.mtu = mtu;
  // addrconf NETDEV_CHANGEMTU: below the IPv6 minimum the device loses IPv6 altogether;
  // back at or above it, addrconf starts over as if the link had just become ready.
  if (mtu < IPV6_MIN_MTU && !isLoopback(dev)) dropIpv6(dev);
  else if (before < IPV6_MIN_MTU && mtu >= IPV6_MIN_MTU) {
    if (dev.mcV6Down) {
      mcAdd(dev, ALL_NODES); // ipv6_add_dev again
      delete dev.mcV6Down;
    }
    refreshLinkLocal(dev);
  }
  kindOps(dev).onMtuSet?.(dev);
  deviceMtuChanged(dev, before); // fib_sync_mtu
  for (const u of uppers(dev)) kindOps(u).lowerMtuChanged?.(u, dev); // NETDEV_CHANGEMTU
  if (dev.master) kindOps(dev.master).portsChanged?.(dev.master); // NETDEV_CHANGEMTU on a port
}

export function setMac(dev: Device, mac: string): void {
  const m = parseMac(mac)!;
  const b0 = parseInt(m.slice(0, 2), 16);
  if (b0 & 1 || m === '00:00:00:00:00:00') throw new KernelError('EADDRNOTAVAIL');
  dev.mac = m;
  dev.macSetByUser = true;
  kindOps(dev).onMacSet?.(dev);
  for (const u of uppers(dev)) kindOps(u).lowerMacChanged?.(u, dev); // NETDEV_CHANGEADDR
  if (dev.master) kindOps(dev.master).portsChanged?.(dev.master); // NETDEV_CHANGEADDR on a port
}

export function renameDevice(dev: Device, name: string): void {
  if (ifnameBytes(name) >= IFNAMSIZ) throw new KernelError('EINVAL', 'Attribute failed policy validation');
  if (dev.adminUp) throw new KernelError('EBUSY');
  checkName(dev.ns, name);
  // inetdev_changename: the first address takes the new name as its label, the others the
  // new name with their old `:suffix` (or `:N`, N counting them), cut to fit IFNAMSIZ.
  dev.ipv4.forEach((a, n) => {
    if (n === 0) {
      a.label = name;
      return;
    }
    const colon = a.label.indexOf(':');
    const dot = colon >= 0 ? a.label.slice(colon) : `:${n + 1}`;
    a.label = dot.length + name.length < IFNAMSIZ ? name + dot : name.slice(0, IFNAMSIZ - dot.length - 1) + dot;
  });
  dev.ns.rename(dev, name);
}

/** do_set_master: enslave to a bond (the kernel refuses a slave that is up), or release. */
export function setMaster(dev: Device, master: Device | null): void {
  if (master === dev.master) return;
  if (master === null || dev.master) {
    // do_set_master releases from the old master first.
    const old = dev.master;
    if (old) kindOps(old).release?.(old, dev);
    delete dev.master;
    if (old) kindOps(old).portsChanged?.(old);
    if (master === null) return;
  }
  const enslave = kindOps(master).enslave;
  if (!enslave) throw new KernelError('EOPNOTSUPP');
  enslave(master, dev);
}

/** netif_carrier_ok as the driver last set it (veth; lo, dummy and vxlan always have it). */
function carrierOk(dev: Device): boolean {
  const raw = kindOps(dev).rawCarrier;
  return raw ? raw(dev) : hasCarrier(dev);
}

function linkwatch(dev: Device): void {
  kindOps(dev).linkwatch?.(dev);
}

/** IFLA_OPERSTATE as rtnetlink reports it: DOWN while not running, else the stored state. */
export function reportedOperState(dev: Device): OperState {
  if (!dev.adminUp) return 'DOWN';
  return kindOps(dev).reportedOperState?.(dev) ?? operState(dev);
}
