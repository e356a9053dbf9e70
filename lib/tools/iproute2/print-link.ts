// `ip link show` / the link part of `ip addr show` (iproute2 ipaddress.c print_linkinfo).
import { IFF, IPV6_MIN_MTU, iflinkOf, promiscuity, isLoopback, linkFlags, linkType, qdiscOf, type Device } from '../../model/device.ts';
import { kindOps } from '../../kinds/registry.ts';
import { tsoMaxSizeOf } from '../../kinds/common.ts';
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

function netnsLabel(dev: Device): string {
  // rtnl_fill_link_netnsid allocates the id as the dump goes; iproute2 prints the name when
  // a named namespace has that id, the number otherwise.
  const lower = iflinkOf(dev);
  if (!lower || lower.ns === dev.ns) return '';
  const id = dev.ns.peerId(lower.ns);
  const named = lower.ns.name !== '' && dev.ns.world.netns(lower.ns.name) === lower.ns;
  return named ? ` link-netns ${lower.ns.name}` : ` link-netnsid ${id}`;
}

export function printLinkHeader(dev: Device, o: LinkLineOptions): string {
  const { text } = linkName(dev);
  let s = `${dev.ifindex}: ${text}: ${formatFlags(dev, iproute2Mdown(dev))} mtu ${dev.mtu} qdisc ${qdiscOf(dev)} `;
  if (dev.master) s += `master ${dev.master.name} `;
  s += `state ${reportedOperState(dev)} `;
  if (o.showMode) s += 'mode DEFAULT ';
  s += 'group default ';
  if (dev.txqlen !== 0) s += `qlen ${dev.txqlen}`;
  if (o.familyFiltered) {
    s += netnsLabel(dev);
    return s + '\n';
  }
  s += '\n';
  s += `    link/${linkType(dev)} ${dev.mac} brd ${dev.brd}`;
  // IFLA_PERM_ADDRESS when it differs from the address.
  if (dev.permAddress && dev.permAddress !== dev.mac) s += ` permaddr ${dev.permAddress}`;
  s += netnsLabel(dev);
  if (o.details) s += detailsOf(dev);
  s += '\n';
  for (const alt of dev.altnames) s += `    altname ${alt}\n`;
  return s;
}

/** The `-d` tail for the kinds the model knows, following iproute2's link_util printers. */
function detailsOf(dev: Device): string {
  const allmulti = dev.master && kindOps(dev.master).portAllmulti ? 1 : 0;
  let s = ` promiscuity ${promiscuity(dev)}  allmulti ${allmulti} minmtu ${dev.minMtu} maxmtu ${dev.maxMtu} `;
  // print_linkinfo: the kind and its options on a line of their own, then the slave kind
  // (the master's view of this port) on another; loopback has neither (6.1, `ip -d link`).
  const ops = kindOps(dev);
  if (!isLoopback(dev)) s += `\n    ${ops.details?.(dev) ?? ''}`;
  const slave = dev.master ? kindOps(dev.master).slaveDetails?.(dev.master, dev) : undefined;
  if (slave !== undefined) s += `\n    ${slave}`;
  const queues = ops.queues ?? 1;
  const tso = tsoMaxSizeOf(dev);
  // IFLA_INET6_ADDR_GEN_MODE comes with the device's inet6_dev, which a device below
  // IPV6_MIN_MTU does not have (addrconf NETDEV_CHANGEMTU destroys it, 6.1).
  const gen = isLoopback(dev) || dev.mtu >= IPV6_MIN_MTU ? 'addrgenmode eui64 ' : '';
  return (
    s +
    `${gen}numtxqueues ${queues} numrxqueues ${queues} gso_max_size 65536 gso_max_segs 65535 tso_max_size ${tso} tso_max_segs 65535 gro_max_size 65536 `
  );
}

/** `ip -br link` line. */
export function printLinkBrief(dev: Device): string {
  const { text } = linkName(dev);
  return `${text.padEnd(16)} ${reportedOperState(dev).padEnd(14)} ${dev.mac} ${formatFlags(dev, iproute2Mdown(dev))} \n`;
}
