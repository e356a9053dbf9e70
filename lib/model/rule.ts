// Policy routing rules (`ip rule`), as fib_rules keeps them.
import type { Ipv4Prefix } from '../net/ipv4.ts';

export type RuleAction = 'lookup' | 'blackhole' | 'unreachable' | 'prohibit' | 'nop' | 'goto';

export interface Rule {
  priority: number;
  action: RuleAction;
  table: number;
  gotoTarget?: number;
  not: boolean;
  from?: Ipv4Prefix;
  to?: Ipv4Prefix;
  iif?: string;
  oif?: string;
  fwmark?: number;
  fwmask?: number;
  tos?: number;
  suppressPrefixlen?: number;
  /** Rules the kernel made when the namespace was created (prio 0/32766/32767). */
  builtin: boolean;
}

export function defaultRules(): Rule[] {
  return [
    { priority: 0, action: 'lookup', table: 255, not: false, builtin: true },
    { priority: 32766, action: 'lookup', table: 254, not: false, builtin: true },
    { priority: 32767, action: 'lookup', table: 253, not: false, builtin: true },
  ];
}
