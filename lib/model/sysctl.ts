// The namespace-wide sysctls the model honours, with their defaults in a new namespace.
import type { DeviceConf, DeviceConf6 } from './device.ts';

export interface NetSysctls {
  ipForward: number;
  localPortMin: number;
  localPortMax: number;
  /** net.ipv4.conf.all.* */
  all: DeviceConf;
  /** net.ipv4.conf.default.*: copied into each new device's conf. */
  dflt: DeviceConf;
  /** net.ipv4.vs.conntrack */
  vsConntrack: number;
  /** net.ipv4.route.mtu_expires, seconds (a path MTU exception's lifetime). */
  routeMtuExpires: number;
  /** net.ipv6.conf.all.* (read where used, never copied into devices). */
  all6: DeviceConf6;
  /** net.ipv6.conf.default.*: copied into each new device's conf6. */
  dflt6: DeviceConf6;
}

export function defaultDeviceConf(): DeviceConf {
  return { forwarding: 0, proxy_arp: 0, rp_filter: 0, accept_local: 0, route_localnet: 0, arp_ignore: 0, arp_announce: 0 };
}

export function defaultSysctls(): NetSysctls {
  return {
    ipForward: 0,
    localPortMin: 32768,
    localPortMax: 60999,
    all: defaultDeviceConf(),
    dflt: defaultDeviceConf(),
    vsConntrack: 0,
    routeMtuExpires: 600,
    // ipv6_devconf has accept_dad 0, ipv6_devconf_dflt 1 (seen on 6.18).
    all6: { accept_dad: 0 },
    dflt6: { accept_dad: 1 },
  };
}
