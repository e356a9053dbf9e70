// The set of namespaces on one machine: what `ip netns` manages.
import type { Device } from './device.ts';
import { Netns } from './netns.ts';

export class NetnsError extends Error {}

export class World {
  readonly root: Netns;
  private readonly named = new Map<string, Netns>();
  /** Stacked devices (vlan, ipvlan) by their lower device, across namespaces. */
  readonly uppers = new Map<Device, Set<Device>>();
  /** Loaded kernel modules the model tracks (`modprobe`, ipvsadm loading ip_vs): one set per machine. */
  readonly modules = new Set<string>();
  /**
   * Names of the namespaces a packet sent by a traffic command (ping, socat) crossed. Traffic
   * leaves neighbour entries (ARP) and learned MACs (Linux bridge, Open vSwitch) behind, which
   * the model does not compute; the tools that list them refuse in these namespaces instead of
   * printing a table without them.
   */
  readonly trafficSeen = new Set<string>();

  constructor() {
    this.root = new Netns(this, '');
  }

  netns(name: string): Netns | undefined {
    return this.named.get(name);
  }

  /** Named namespaces in creation order. */
  namespaces(): Netns[] {
    return [...this.named.values()];
  }

  addNetns(name: string): Netns {
    const ns = new Netns(this, name);
    this.named.set(name, ns);
    return ns;
  }

  deleteNetns(name: string): boolean {
    return this.named.delete(name);
  }

  hasNetns(name: string): boolean {
    return this.named.has(name);
  }
}
