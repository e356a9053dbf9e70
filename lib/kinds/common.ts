// Helpers the kind modules share: the devices stacked on a lower device, Ethernet flags,
// the usual MTU limits.
import type { Device } from '../model/device.ts';
import { IFF } from '../model/flags.ts';
import type { KindDefaults } from './types.ts';
import { kindOps } from './registry.ts';

/** IFF_BROADCAST | IFF_MULTICAST: ether_setup's flags. */
export const ETHER_FLAGS = IFF.BROADCAST | IFF.MULTICAST;

/** GSO_MAX_SIZE: the tso_max_size veth, loopback, bond and bridge set (6.1); the others keep
 * TSO_LEGACY_MAX_SIZE. */
export const GSO_MAX_SIZE = 524280;
export const TSO_LEGACY_MAX_SIZE = 65536;

/** The device's tso_max_size (`ip -d link`). */
export function tsoMaxSizeOf(dev: Device): number {
  return kindOps(dev).tsoMaxSize?.(dev) ?? TSO_LEGACY_MAX_SIZE;
}

/** ETH_MIN_MTU..ETH_MAX_MTU with the Ethernet default of 1500. */
export const ETHER_DEFAULTS: KindDefaults = { mtu: 1500, minMtu: 68, maxMtu: 65535, txqlen: 1000 };

/** Devices stacked on `dev` (vlan, ipvlan, macvlan children), in any namespace, optionally of one kind. */
export function uppersOf(dev: Device, kind?: string): Device[] {
  const all = [...(dev.ns.world.uppers.get(dev) ?? [])];
  return kind === undefined ? all : all.filter((u) => u.kind === kind);
}

/** `ns:dev` for explanations. */
export function label(dev: Device): string {
  return `${dev.ns.name || '(host)'}:${dev.name}`;
}
