// The neighbour (ARP) table of a namespace.
import type { Ipv4Addr } from '../net/ipv4.ts';
import type { Mac } from '../net/mac.ts';
import type { Device } from './device.ts';

export type NudState = 'INCOMPLETE' | 'REACHABLE' | 'STALE' | 'DELAY' | 'PROBE' | 'FAILED' | 'NOARP' | 'PERMANENT';

export interface NeighEntry {
  dst: Ipv4Addr;
  dev: Device;
  lladdr?: Mac;
  state: NudState;
  router: boolean;
  proxy: boolean;
}
