// A FIB entry (fib_alias + fib_info in the kernel), with the vocabulary iproute2 prints.
import type { Ipv4Addr, Ipv4Prefix } from '../net/ipv4.ts';
import type { Device } from './device.ts';

export type RouteType =
  | 'unicast'
  | 'local'
  | 'broadcast'
  | 'anycast'
  | 'multicast'
  | 'blackhole'
  | 'unreachable'
  | 'prohibit'
  | 'throw'
  | 'nat';

export const RouteTypes: readonly RouteType[] = [
  'unicast',
  'local',
  'broadcast',
  'anycast',
  'multicast',
  'blackhole',
  'unreachable',
  'prohibit',
  'throw',
  'nat',
];

/** Route types whose lookup ends in an error at once (fib_props[].error). */
export const TYPE_ERRORS: Partial<Record<RouteType, LookupErrno>> = {
  blackhole: 'EINVAL',
  unreachable: 'EHOSTUNREACH',
  prohibit: 'EACCES',
  throw: 'EAGAIN',
};

/** The minimum scope a route of each type may have (fib_props[].scope). */
export const TYPE_MIN_SCOPE: Record<RouteType, number> = {
  unicast: 0,
  local: 254,
  broadcast: 253,
  anycast: 254,
  multicast: 0,
  blackhole: 0,
  unreachable: 0,
  prohibit: 0,
  throw: 0,
  nat: 254,
};

export type LookupErrno = 'ENETUNREACH' | 'EHOSTUNREACH' | 'EACCES' | 'EINVAL' | 'EAGAIN';

export const Table = { unspec: 0, default: 253, main: 254, local: 255 } as const;

export const Proto = { unspec: 0, redirect: 1, kernel: 2, boot: 3, static: 4 } as const;

export interface Nexthop {
  gw?: Ipv4Addr;
  dev?: Device;
  onlink: boolean;
  /** The nexthop's own scope (fib_nh_scope): link when reached through a gateway, host otherwise. */
  scope: number;
  weight: number;
  /**
   * RTNH_F_DEAD: a nexthop of a multipath route whose device went down (fib_sync_down_dev).
   * A route whose every nexthop is dead is flushed instead; fib_sync_up clears the flag.
   */
  dead?: boolean;
}

export interface Route {
  table: number;
  type: RouteType;
  dst: Ipv4Prefix;
  tos: number;
  metric: number;
  proto: number;
  scope: number;
  prefsrc?: Ipv4Addr;
  nexthops: Nexthop[];
  /**
   * A multipath route that lost a path to a device going down while its other paths had
   * already lost carrier: fib_sync_down_dev did not count those, so the route carries no
   * RTNH_F_LINKDOWN of its own until a path comes back and goes again.
   */
  mpNoLinkdown?: boolean;
  /** Insertion serial: ties in the dump keep insertion order. */
  serial: number;
}
