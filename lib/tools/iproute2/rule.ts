// `ip rule add|del|show` (iprule.c).
import { formatIpv4, type Ipv4Prefix } from '../../net/ipv4.ts';
import { KernelError } from '../../model/errno.ts';
import type { Rule, RuleAction } from '../../model/rule.ts';
import { Args, IpUsageError, matches, notModelled, parseDsfield, parseU32 } from './args.ts';
import type { IpCtx } from './context.ts';
import { jsonLine, ruleJson } from './json.ts';
import type { Netns } from '../../model/netns.ts';
import { parseTable, tableName } from './names.ts';
import { AddressError, parseIpv4Interface } from '../../net/ipv4.ts';

export function ipRule(ctx: IpCtx, a: Args): number {
  const cmd = a.done ? 'show' : a.next();
  if (matches(cmd, 'add')) return ruleAdd(ctx, a);
  if (matches(cmd, 'delete')) return ruleDel(ctx, a);
  if (matches(cmd, 'show') || matches(cmd, 'list') || matches(cmd, 'lst')) {
    if (!a.done) throw notModelled(a.next(), 'ip rule show');
    if (ctx.opts.json) ctx.out(jsonLine(ctx.ns.rules.map((r) => ruleJson(r, ctx.ns)), ctx.opts.pretty));
    else for (const r of ctx.ns.rules) ctx.out(printRule(r, ctx.ns));
    return 0;
  }
  if (matches(cmd, 'flush')) {
    ctx.ns.rules = ctx.ns.rules.filter((r) => r.priority === 0);
    return 0;
  }
  throw new IpUsageError(`Command "${cmd}" is unknown, try "ip rule help".`);
}

/** get_prefix: the kernel keeps a rule's prefix as written (`from 10.161.70.41/8`). */
function pfx(tok: string): Ipv4Prefix {
  try {
    const p = parseIpv4Interface(tok);
    return { addr: p.addr, len: p.len };
  } catch (e) {
    if (!(e instanceof AddressError)) throw e;
    if (tok.includes(':')) throw notModelled(tok, 'ip rule (IPv6)');
    throw new IpUsageError(`Error: any valid prefix is expected rather than "${tok}".`, 1);
  }
}

function parseRule(a: Args): Partial<Rule> & { hasPrio: boolean } {
  const r: Partial<Rule> & { hasPrio: boolean } = { hasPrio: false, not: false };
  while (!a.done) {
    const tok = a.next();
    if (tok === 'not') r.not = true;
    else if (tok === 'from') {
      const v = a.value();
      if (v !== 'all') r.from = pfx(v);
    } else if (tok === 'to') {
      const v = a.value();
      if (v !== 'all') r.to = pfx(v);
    } else if (matches(tok, 'priority') || tok === 'preference' || tok === 'order' || tok === 'pref') {
      r.priority = parseU32(a.value(), 'preference value is invalid\n');
      r.hasPrio = true;
    } else if (tok === 'iif' || tok === 'dev') r.iif = a.value();
    else if (tok === 'oif') r.oif = a.value();
    else if (tok === 'fwmark') {
      const [m, mask] = a.value().split('/');
      r.fwmark = parseU32(m!, 'fwmark value is invalid\n');
      if (mask !== undefined) r.fwmask = parseU32(mask, 'fwmask value is invalid\n');
    } else if (tok === 'tos' || tok === 'dsfield') r.tos = parseDsfield(a.value(), 'TOS value is invalid\n');
    else if (tok === 'suppress_prefixlength') r.suppressPrefixlen = parseU32(a.value(), 'suppress_prefixlength');
    else if (matches(tok, 'table') || tok === 'lookup') {
      const v = a.value();
      const t = parseTable(v);
      if (t === undefined) throw new IpUsageError(`Error: argument "${v}" is wrong: invalid table ID\n`, 255);
      r.table = t;
      r.action = 'lookup';
    } else if (tok === 'goto') {
      r.action = 'goto';
      r.gotoTarget = parseU32(a.value(), 'goto');
    } else if (tok === 'blackhole' || tok === 'unreachable' || tok === 'prohibit' || tok === 'nop') r.action = tok as RuleAction;
    else if (tok === 'type') {
      const v = a.value();
      if (v === 'blackhole' || v === 'unreachable' || v === 'prohibit' || v === 'nop') r.action = v;
      else if (v !== 'unicast') throw notModelled(v, 'ip rule type');
    } else throw notModelled(tok, 'ip rule');
  }
  return r;
}

/** The FIB rule fields the kernel compares, normalized (mark_mask, suppress -1). */
interface RuleKey {
  action: RuleAction | undefined;
  table: number;
  mark: number;
  mask: number;
  suppress: number;
}

function keyOf(r: Partial<Rule>): RuleKey {
  const mark = r.fwmark ?? 0;
  return {
    action: r.action,
    table: r.table ?? 0,
    mark,
    // fib_nl2rule: a non-zero fwmark without a mask gets mask 0xffffffff.
    mask: r.fwmask ?? (mark ? 0xffffffff : 0),
    suppress: r.suppressPrefixlen ?? -1,
  };
}

/**
 * fib4_rule_compare: only the selectors the request carries are compared (a request
 * without `from` matches any source prefix, and so on).
 */
function compare4(r: Rule, req: Partial<Rule>): boolean {
  if (req.from && req.from.len && (r.from?.len !== req.from.len || r.from.addr !== req.from.addr)) return false;
  if (req.to && req.to.len && (r.to?.len !== req.to.len || r.to.addr !== req.to.addr)) return false;
  if (req.tos && r.tos !== req.tos) return false;
  return true;
}

function ruleAdd(ctx: IpCtx, a: Args): number {
  const p = parseRule(a);
  const rules = ctx.ns.rules;
  // iprule_modify: a new rule without a type is `lookup`, without a table `main`.
  const action: RuleAction = p.action ?? 'lookup';
  const table = p.table ?? 254;
  let priority = p.priority;
  if (priority === undefined) {
    // fib_default_rule_pref: one less than the second rule's priority (the first non-zero one).
    const second = rules[1];
    priority = second && second.priority > 0 ? second.priority - 1 : 0;
  }
  const rule: Rule = {
    priority,
    action,
    table,
    not: p.not ?? false,
    builtin: false,
    ...(p.from && p.from.len ? { from: p.from } : {}),
    ...(p.to && p.to.len ? { to: p.to } : {}),
    ...(p.iif !== undefined ? { iif: p.iif } : {}),
    ...(p.oif !== undefined ? { oif: p.oif } : {}),
    ...(p.fwmark !== undefined ? { fwmark: p.fwmark } : {}),
    ...(p.fwmask !== undefined ? { fwmask: p.fwmask } : {}),
    ...(p.tos !== undefined ? { tos: p.tos } : {}),
    ...(p.suppressPrefixlen !== undefined ? { suppressPrefixlen: p.suppressPrefixlen } : {}),
    ...(p.gotoTarget !== undefined ? { gotoTarget: p.gotoTarget } : {}),
  };
  // rule_exists (NLM_F_EXCL): same action, table, priority, devices, mark and mask,
  // suppress_prefixlength, and the selectors the request carries; `not` is not compared.
  const k = keyOf(rule);
  const dup = rules.some((r) => {
    const rk = keyOf(r);
    return (
      // The kernel's own rules have protocol kernel, `ip rule add` ones unspec: never equal.
      !r.builtin &&
      rk.action === k.action &&
      rk.table === k.table &&
      r.priority === rule.priority &&
      (r.iif ?? '') === (rule.iif ?? '') &&
      (r.oif ?? '') === (rule.oif ?? '') &&
      rk.mark === k.mark &&
      rk.mask === k.mask &&
      rk.suppress === k.suppress &&
      compare4(r, rule)
    );
  });
  if (dup) throw new KernelError('EEXIST');
  // Same priority: after the existing ones (fib_nl_newrule inserts after the last <=).
  let at = rules.findIndex((r) => r.priority > priority!);
  if (at < 0) at = rules.length;
  rules.splice(at, 0, rule);
  ctx.ns.customRules = true;
  return 0;
}

/** fib_nl_delrule / rule_find: the first rule, in list order, matching what the request gives. */
function ruleDel(ctx: IpCtx, a: Args): number {
  const p = parseRule(a);
  const rules = ctx.ns.rules;
  const k = keyOf(p);
  const i = rules.findIndex((r) => {
    const rk = keyOf(r);
    if (k.action && rk.action !== k.action) return false;
    if (k.table && rk.table !== k.table) return false;
    if (p.hasPrio && r.priority !== p.priority) return false;
    if (p.iif !== undefined && r.iif !== p.iif) return false;
    if (p.oif !== undefined && r.oif !== p.oif) return false;
    if (k.mark && rk.mark !== k.mark) return false;
    if (k.suppress !== -1 && rk.suppress !== k.suppress) return false;
    if (k.mask && rk.mask !== k.mask) return false;
    return compare4(r, p);
  });
  if (i < 0) throw new KernelError('ENOENT');
  rules.splice(i, 1);
  return 0;
}

function pfxText(p: Ipv4Prefix | undefined): string {
  if (!p) return 'all';
  return p.len === 32 ? formatIpv4(p.addr) : `${formatIpv4(p.addr)}/${p.len}`;
}

export function printRule(r: Rule, ns?: Netns): string {
  let s = `${r.priority}:\t`;
  if (r.not) s += 'not ';
  s += `from ${pfxText(r.from)} `;
  if (r.to) s += `to ${pfxText(r.to)} `;
  if (r.tos) s += `tos 0x${r.tos.toString(16).padStart(2, '0')} `;
  if (r.fwmark !== undefined) s += r.fwmask !== undefined && r.fwmask !== 0xffffffff ? `fwmark 0x${r.fwmark.toString(16)}/0x${r.fwmask.toString(16)} ` : `fwmark 0x${r.fwmark.toString(16)} `;
  // FIB_RULE_IIF/OIF_DETACHED: the rule names a device this namespace does not have (now).
  if (r.iif !== undefined) s += `iif ${r.iif} ${ns && !ns.device(r.iif) ? '[detached] ' : ''}`;
  if (r.oif !== undefined) s += `oif ${r.oif} ${ns && !ns.device(r.oif) ? '[detached] ' : ''}`;
  switch (r.action) {
    case 'lookup':
      s += `lookup ${tableName(r.table)} `;
      if (r.suppressPrefixlen !== undefined) s += `suppress_prefixlength ${r.suppressPrefixlen} `;
      break;
    case 'goto':
      s += `goto ${r.gotoTarget} `;
      break;
    case 'nop':
      s += 'nop ';
      break;
    default:
      s += `${r.action} `;
  }
  return s.replace(/ $/, '') + '\n';
}
