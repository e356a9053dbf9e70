// `ip rule add|del|show` (iprule.c).
import { formatIpv4, type Ipv4Prefix } from '../../net/ipv4.ts';
import { KernelError } from '../../model/errno.ts';
import type { Rule, RuleAction } from '../../model/rule.ts';
import { Args, IpUsageError, matches, notModelled, parseU32 } from './args.ts';
import type { IpCtx } from './context.ts';
import { parseTable, tableName } from './names.ts';
import { parseIpv4Interface, networkOf } from '../../net/ipv4.ts';

export function ipRule(ctx: IpCtx, a: Args): number {
  const cmd = a.done ? 'show' : a.next();
  if (matches(cmd, 'add')) return ruleAdd(ctx, a);
  if (matches(cmd, 'delete')) return ruleDel(ctx, a);
  if (matches(cmd, 'show') || matches(cmd, 'list') || matches(cmd, 'lst')) {
    if (!a.done) throw notModelled(a.next(), 'ip rule show');
    for (const r of ctx.ns.rules) ctx.out(printRule(r));
    return 0;
  }
  if (matches(cmd, 'flush')) {
    ctx.ns.rules = ctx.ns.rules.filter((r) => r.priority === 0);
    return 0;
  }
  throw new IpUsageError(`Command "${cmd}" is unknown, try "ip rule help".`);
}

function pfx(tok: string): Ipv4Prefix {
  try {
    const p = parseIpv4Interface(tok);
    return { addr: networkOf(p.addr, p.len), len: p.len };
  } catch {
    throw new IpUsageError(`Error: an inet prefix is expected rather than "${tok}".`, 1);
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
      r.priority = parseU32(a.value(), 'Invalid "priority" value');
      r.hasPrio = true;
    } else if (tok === 'iif' || tok === 'dev') r.iif = a.value();
    else if (tok === 'oif') r.oif = a.value();
    else if (tok === 'fwmark') {
      const [m, mask] = a.value().split('/');
      r.fwmark = parseU32(m!, 'fwmark');
      if (mask !== undefined) r.fwmask = parseU32(mask, 'fwmask');
    } else if (tok === 'tos' || tok === 'dsfield') r.tos = parseU32(a.value(), 'tos');
    else if (tok === 'suppress_prefixlength') r.suppressPrefixlen = parseU32(a.value(), 'suppress_prefixlength');
    else if (matches(tok, 'table') || tok === 'lookup') {
      const v = a.value();
      const t = parseTable(v);
      if (t === undefined) throw new IpUsageError(`Error: argument "${v}" is wrong: invalid table ID\n`, 1);
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

function ruleAdd(ctx: IpCtx, a: Args): number {
  const p = parseRule(a);
  const rules = ctx.ns.rules;
  const action: RuleAction = p.action ?? (p.table !== undefined ? 'lookup' : 'nop');
  if (action === 'lookup' && p.table === undefined) throw new KernelError('EINVAL');
  let priority = p.priority;
  if (priority === undefined) {
    // fib_default_rule_pref: one less than the second rule's priority (the first non-zero one).
    const second = rules[1];
    priority = second && second.priority > 0 ? second.priority - 1 : 0;
  }
  const rule: Rule = {
    priority,
    action,
    table: p.table ?? 0,
    not: p.not ?? false,
    builtin: false,
    ...(p.from ? { from: p.from } : {}),
    ...(p.to ? { to: p.to } : {}),
    ...(p.iif !== undefined ? { iif: p.iif } : {}),
    ...(p.oif !== undefined ? { oif: p.oif } : {}),
    ...(p.fwmark !== undefined ? { fwmark: p.fwmark } : {}),
    ...(p.fwmask !== undefined ? { fwmask: p.fwmask } : {}),
    ...(p.tos !== undefined ? { tos: p.tos } : {}),
    ...(p.suppressPrefixlen !== undefined ? { suppressPrefixlen: p.suppressPrefixlen } : {}),
    ...(p.gotoTarget !== undefined ? { gotoTarget: p.gotoTarget } : {}),
  };
  // Same priority: after the existing ones (fib_nl_newrule inserts after the last <=).
  let at = rules.findIndex((r) => r.priority > priority!);
  if (at < 0) at = rules.length;
  rules.splice(at, 0, rule);
  ctx.ns.customRules = true;
  return 0;
}

function ruleDel(ctx: IpCtx, a: Args): number {
  const p = parseRule(a);
  const rules = ctx.ns.rules;
  const i = rules.findIndex(
    (r) =>
      (!p.hasPrio || r.priority === p.priority) &&
      (p.table === undefined || r.table === p.table) &&
      (!p.from || (r.from?.addr === p.from.addr && r.from?.len === p.from.len)) &&
      (!p.to || (r.to?.addr === p.to.addr && r.to?.len === p.to.len)) &&
      (p.iif === undefined || r.iif === p.iif) &&
      (p.fwmark === undefined || r.fwmark === p.fwmark),
  );
  if (i < 0) throw new KernelError('ENOENT');
  rules.splice(i, 1);
  return 0;
}

function pfxText(p: Ipv4Prefix | undefined): string {
  if (!p) return 'all';
  return p.len === 32 ? formatIpv4(p.addr) : `${formatIpv4(p.addr)}/${p.len}`;
}

export function printRule(r: Rule): string {
  let s = `${r.priority}:\t`;
  if (r.not) s += 'not ';
  s += `from ${pfxText(r.from)} `;
  if (r.to) s += `to ${pfxText(r.to)} `;
  if (r.tos) s += `tos 0x${r.tos.toString(16).padStart(2, '0')} `;
  if (r.fwmark !== undefined) s += r.fwmask !== undefined && r.fwmask !== 0xffffffff ? `fwmark 0x${r.fwmark.toString(16)}/0x${r.fwmask.toString(16)} ` : `fwmark 0x${r.fwmark.toString(16)} `;
  if (r.iif !== undefined) s += `iif ${r.iif} `;
  if (r.oif !== undefined) s += `oif ${r.oif} `;
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
