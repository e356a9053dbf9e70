// One network namespace: its devices, routing tables and rules, neighbours and sysctls.
import type { Ipv4Addr } from '../net/ipv4.ts';
import { ZERO_MAC } from '../net/mac.ts';
import type { Device } from './device.ts';
import type { FdbEntry } from './fdb.ts';
import { FibTable } from './fib-table.ts';
import type { NeighEntry } from './neigh.ts';
import { defaultRules, type Rule } from './rule.ts';
import { defaultDeviceConf, defaultSysctls, type NetSysctls } from './sysctl.ts';
import type { World } from './world.ts';
import type { NsExtensions } from './extensions.ts';
import { newExtensions } from './extensions.ts';

export class Netns {
  readonly world: World;
  /** '' for the machine's own (initial) namespace. */
  readonly name: string;
  private readonly byIndex = new Map<number, Device>();
  private readonly byName = new Map<string, Device>();
  /** net->ifindex: the cyclic allocator's last value; explicit indexes do not move it. */
  private lastIfindex = 0;
  private orderCounter = 0;
  readonly tables = new Map<number, FibTable>();
  /** Table creation order, newest first within one hash bucket (the dump walks buckets). */
  private tableSerial = 0;
  private readonly tableCreated = new Map<number, number>();
  rules: Rule[] = defaultRules();
  /** True once a rule other than the three defaults was added (fib4_has_custom_rules). */
  customRules = false;
  readonly neigh: NeighEntry[] = [];
  readonly fdb: FdbEntry[] = [];
  readonly sysctl: NetSysctls = defaultSysctls();
  routeSerial = 0;
  readonly ext: NsExtensions;

  constructor(world: World, name: string) {
    this.world = world;
    this.name = name;
    this.table(255);
    this.table(254);
    this.table(253);
    this.ext = newExtensions();
    const lo = this.registerDevice({
      name: 'lo',
      kind: 'loopback',
      mac: ZERO_MAC,
      brd: ZERO_MAC,
      mtu: 65536,
      minMtu: 0,
      maxMtu: 0,
      txqlen: 1000,
    });
    lo.conf = defaultDeviceConf();
    lo.conf6 = { accept_dad: -1 }; // addrconf never runs DAD on loopback
  }

  table(id: number): FibTable {
    let t = this.tables.get(id);
    if (!t) {
      t = new FibTable(id);
      this.tables.set(id, t);
      this.tableCreated.set(id, this.tableSerial++);
    }
    return t;
  }

  existingTable(id: number): FibTable | undefined {
    return this.tables.get(id);
  }

  /** Tables in the order a netlink dump of all tables visits them. */
  tablesInDumpOrder(): FibTable[] {
    return [...this.tables.values()].sort(
      (a, b) => (a.id & 255) - (b.id & 255) || this.tableCreated.get(b.id)! - this.tableCreated.get(a.id)!,
    );
  }

  device(name: string): Device | undefined {
    return this.byName.get(name);
  }

  deviceByIndex(ifindex: number): Device | undefined {
    return this.byIndex.get(ifindex);
  }

  /** for_each_netdev order: registration (or arrival) order, lo first. */
  devicesInOrder(): Device[] {
    return [...this.byIndex.values()].sort((a, b) => a.order - b.order);
  }

  /** Devices sorted by ifindex: the order of an `ip link` dump. */
  devicesByIndex(): Device[] {
    return [...this.byIndex.values()].sort((a, b) => a.ifindex - b.ifindex);
  }

  isIndexFree(ifindex: number): boolean {
    return !this.byIndex.has(ifindex);
  }

  /** dev_index_reserve with index 0: the next free index after the last one handed out. */
  private v6RouteCount = 0;

  /** The next number in the order IPv6 routes are added (Device.v6ReadyOrder, Ipv6AddrEntry.routeOrder). */
  nextV6RouteOrder(): number {
    return ++this.v6RouteCount;
  }

  allocIfindex(): number {
    let i = this.lastIfindex;
    do {
      i = i >= 0x7fffffff ? 1 : i + 1;
    } while (this.byIndex.has(i));
    this.lastIfindex = i;
    return i;
  }

  registerDevice(
    init: Pick<Device, 'name' | 'kind' | 'mac' | 'brd' | 'mtu' | 'minMtu' | 'maxMtu' | 'txqlen'> & { ifindex?: number },
  ): Device {
    const ifindex = init.ifindex ?? this.allocIfindex();
    const dev: Device = {
      ns: this,
      ifindex,
      name: init.name,
      kind: init.kind,
      mac: init.mac,
      brd: init.brd,
      mtu: init.mtu,
      minMtu: init.minMtu,
      maxMtu: init.maxMtu,
      txqlen: init.txqlen,
      adminUp: false,
      everUp: false,
      noarp: false,
      promisc: false,
      ipv4: [],
      ipv6: [],
      conf: { ...this.sysctl.dflt },
      conf6: { ...this.sysctl.dflt6 },
      altnames: [],
      order: this.orderCounter++,
    };
    this.attach(dev);
    return dev;
  }

  /** Puts an existing device object into this namespace's indexes (used by `netns` moves). */
  attach(dev: Device): void {
    dev.ns = this;
    dev.order = this.orderCounter++;
    this.byIndex.set(dev.ifindex, dev);
    this.byName.set(dev.name, dev);
  }

  detach(dev: Device): void {
    this.byIndex.delete(dev.ifindex);
    this.byName.delete(dev.name);
  }

  rename(dev: Device, name: string): void {
    this.byName.delete(dev.name);
    dev.name = name;
    this.byName.set(name, dev);
  }

  /** Every IPv4 address of the namespace, devices in for_each_netdev order. */
  *addresses(): Generator<{ dev: Device; local: Ipv4Addr }> {
    for (const dev of this.devicesInOrder()) for (const a of dev.ipv4) yield { dev, local: a.local };
  }

  /** __ip_dev_find: the device holding this local address, if any. */
  deviceWithAddress(addr: number): Device | undefined {
    for (const dev of this.devicesInOrder()) if (dev.ipv4.some((a) => a.local === addr)) return dev;
    return undefined;
  }

  /** Drops the non-permanent neighbours of a device (neigh_ifdown keeps none; PERMANENT stay on down). */
  neighFlush(dev: Device, all = false): void {
    for (let i = this.neigh.length - 1; i >= 0; i--) {
      const n = this.neigh[i]!;
      if (n.dev === dev && (all || n.state !== 'PERMANENT')) this.neigh.splice(i, 1);
    }
  }

  /** Ids this namespace gives other namespaces (peernet2id_alloc), in first-use order. */
  private readonly peerIds = new Map<Netns, number>();

  /** The netnsid this namespace knows `other` by (IFLA_LINK_NETNSID), allocated on first use. */
  peerId(other: Netns): number {
    let id = this.peerIds.get(other);
    if (id === undefined) {
      id = this.peerIds.size;
      this.peerIds.set(other, id);
    }
    return id;
  }

  /** The id this namespace has for `other`, without allocating one (RTM_GETNSID). */
  knownPeerId(other: Netns): number | undefined {
    return this.peerIds.get(other);
  }

  /** cleanup_net: the ids other namespaces had for a destroyed one are freed. */
  forgetPeer(other: Netns): void {
    this.peerIds.delete(other);
  }

  /** Human name used in messages: the namespace name, or "the host" for the initial one. */
  get label(): string {
    return this.name === '' ? 'the initial namespace' : `namespace "${this.name}"`;
  }
}
