// fib_lookup: walk the rules, look up tables, apply the kernel's per-alias checks.
import { maskOf, prefixContains } from '../net/ipv4.ts';
import type { FibTable } from './fib-table.ts';
import type { Netns } from './netns.ts';
import type { LookupErrno, Nexthop, Route } from './route.ts';
import type { Rule } from './rule.ts';

export interface Flow {
  dst: number;
  src: number; // 0 = unspecified
  /** Output device constraint (flowi4_oif), 0 = none. */
  oif: number;
  /** Input device name for rule matching (iif), '' = locally generated (lo). */
  iifName: string;
  oifName: string;
  tos: number;
  mark: number;
  /** Minimum route scope accepted (flowi4_scope), universe for ordinary lookups. */
  scope: number;
  ignoreLinkState?: boolean;
}

export interface FibResult {
  route: Route;
  nh: Nexthop | undefined;
  table: number;
  rule: Rule | undefined;
  /** Prefix length of the matching route (res.prefixlen). */
  prefixlen: number;
}

export type FibOutcome = { ok: true; res: FibResult } | { ok: false; errno: LookupErrno; route?: Route; rule?: Rule; prefixlen?: number };

export function flow(dst: number, over: Partial<Flow> = {}): Flow {
  return { dst, src: 0, oif: 0, iifName: '', oifName: '', tos: 0, mark: 0, scope: 0, ...over };
}

/**
 * fib_table_lookup over one table. undefined = no match in this table (go on).
 *
 * Until the first custom rule is added the kernel keeps the local and main tables in one
 * trie (fib_new_table aliases local to main; fib_unmerge splits them), so a lookup in
 * either sees the routes of both, longest prefix first, and at one prefix the local
 * table's aliases before main's (fib_find_alias orders a leaf by tb_id, descending).
 */
function lookupOne(t: FibTable | undefined, fl: Flow): FibOutcome | undefined {
  return t ? t.lookup(fl) : undefined;
}

function prefixlenOf(o: FibOutcome): number {
  return o.ok ? o.res.prefixlen : (o.prefixlen ?? -1);
}

export function tableLookup(ns: Netns, tableId: number, fl: Flow): FibOutcome | undefined {
  const t = ns.existingTable(tableId);
  if (ns.customRules || (tableId !== 254 && tableId !== 255)) return lookupOne(t, fl);
  // Merged trie (no custom rules yet): local and main are one trie, walked longest prefix
  // first, local's aliases before main's at equal length. Each table's own first decisive
  // alias, the longer prefix winning, gives the same answer without merging anything.
  const local = tableId === 255 ? t : ns.existingTable(255);
  const main = tableId === 255 ? ns.existingTable(254) : t;
  const a = lookupOne(local, fl);
  const b = lookupOne(main, fl);
  if (!a) return b;
  if (!b) return a;
  return prefixlenOf(a) >= prefixlenOf(b) ? a : b;
}

function ruleMatches(rule: Rule, fl: Flow): boolean {
  let m = true;
  // fib4_rule_match: (addr ^ r->src) & r->srcmask; the rule keeps host bits as written.
  if (rule.from && ((fl.src ^ rule.from.addr) & maskOf(rule.from.len)) !== 0) m = false;
  if (m && rule.to && ((fl.dst ^ rule.to.addr) & maskOf(rule.to.len)) !== 0) m = false;
  if (m && rule.iif !== undefined && rule.iif !== (fl.iifName || 'lo')) m = false;
  if (m && rule.oif !== undefined && rule.oif !== fl.oifName) m = false;
  if (m && rule.fwmark !== undefined && ((fl.mark ^ rule.fwmark) & (rule.fwmask ?? 0xffffffff)) !== 0) m = false;
  if (m && rule.tos !== undefined && rule.tos !== fl.tos) m = false;
  return rule.not ? !m : m;
}

/** fib_rules_lookup + fib4_rule_action + suppress: the whole policy routing lookup. */
export function fibLookup(ns: Netns, fl: Flow): FibOutcome {
  if (!ns.customRules) {
    // fib_lookup's fast path without custom rules: the merged main (+local) trie, then
    // default; the rule list is not consulted (so deleting a default rule changes nothing).
    const main = tableLookup(ns, 254, fl);
    if (main && (main.ok || main.errno !== 'EAGAIN')) return main;
    const dflt = tableLookup(ns, 253, fl);
    if (dflt && (dflt.ok || dflt.errno !== 'EAGAIN')) return dflt;
    return { ok: false, errno: 'ENETUNREACH' };
  }
  const rules = ns.rules;
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i]!;
    if (!ruleMatches(rule, fl)) continue;
    switch (rule.action) {
      case 'nop':
        continue;
      case 'goto': {
        const target = rules.findIndex((r) => r.priority >= (rule.gotoTarget ?? 0));
        if (target > i) i = target - 1;
        continue;
      }
      case 'blackhole':
        return { ok: false, errno: 'EINVAL', rule };
      case 'unreachable':
        // fib4_rule_action: a rule's unreachable is ENETUNREACH (a route's is EHOSTUNREACH).
        return { ok: false, errno: 'ENETUNREACH', rule };
      case 'prohibit':
        return { ok: false, errno: 'EACCES', rule };
      case 'lookup': {
        const out = tableLookup(ns, rule.table, fl);
        if (!out) continue;
        if (!out.ok) {
          if (out.errno === 'EAGAIN') continue; // throw: go on with the next rule
          return { ...out, rule };
        }
        if (rule.suppressPrefixlen !== undefined && out.res.prefixlen <= rule.suppressPrefixlen) continue;
        out.res.rule = rule;
        return out;
      }
    }
  }
  return { ok: false, errno: 'ENETUNREACH' };
}
