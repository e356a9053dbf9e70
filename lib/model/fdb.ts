// Forwarding database entries of a vxlan device (`bridge fdb ... self`).
import type { Ipv4Addr } from '../net/ipv4.ts';
import type { Mac } from '../net/mac.ts';
import type { Device } from './device.ts';

export interface FdbEntry {
  mac: Mac;
  dev: Device;
  dst?: Ipv4Addr;
  vni?: number;
  port?: number;
  state: 'permanent' | 'static' | 'reachable';
}
