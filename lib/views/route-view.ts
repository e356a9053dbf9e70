// The route lookup widget: a host's `ip rule` and IPv4 routing tables as the tools print
// them, `ip route get ADDR`, the line the kernel chose highlighted and the routes that
// also contain the address but lost on prefix length. The choice and its reasons come from
// the model (the tracer's routing step); this module only lines them up with the output.
import { prefixContains, tryParseIpv4, makePrefix } from '../net/ipv4.ts';
import type { Session } from '../session.ts';
import type { Netns } from '../model/netns.ts';
import { printRoute } from '../tools/iproute2/print-route.ts';
import { trace, TraceError } from '../trace/index.ts';
import { parseAddress, parseChoice, type FieldError } from './inputs.ts';

export interface RouteState {
  host: string;
  addr: string;
}

export function routeDefaults(over: Partial<RouteState> = {}): RouteState {
  return { host: 'node-a', addr: '10.20.4.5', ...over };
}

export interface OutputLine {
  text: string;
  /** chosen: the entry the lookup used; candidate: also contains the address (lost). */
  mark?: 'chosen' | 'candidate' | 'in-effect';
}

export interface RouteLookupView {
  host: string;
  address?: string;
  rules: OutputLine[];
  routes: OutputLine[];
  /** `ip route get` as typed and its output (stdout and stderr). */
  getCommand?: string;
  getOutput?: string;
  getStatus?: number;
  /** The route the model chose (as `ip route show` prints it), its table and rule. */
  chosen?: { route: string; table: string; rule?: string; type: string; dev: string; nexthop?: string; src?: string };
  /** The kernel's reasoning, from the tracer's routing step (or why it failed). */
  why: string[];
  /** True when there are no custom rules: the kernel skips the rule list (local+main merged). */
  noCustomRules: boolean;
  errors: FieldError[];
}

/** The routes (as `ip route show table all` prints them) whose prefix contains `addr`, in any
 * table: read from the model's tables, not parsed back from printed lines. */
export function routesContaining(ns: Netns, addr: number): Set<string> {
  const out = new Set<string>();
  for (const t of ns.tablesInDumpOrder()) {
    for (const r of t.all()) if (prefixContains(makePrefix(r.dst.addr, r.dst.len), addr)) out.add(printRoute(r).trimEnd());
  }
  return out;
}

function lines(text: string): string[] {
  return text.split('\n').filter((l, i, a) => !(l === '' && i === a.length - 1));
}

export function routeLookup(session: Session, state: RouteState): RouteLookupView {
  const namespaces = session.world.namespaces().map((n) => n.name);
  const errors: FieldError[] = [];
  const host = parseChoice('host', state.host, namespaces);
  if (!host.ok) return { host: state.host, rules: [], routes: [], why: [], noCustomRules: true, errors: [host.error] };
  const ns = session.world.netns(host.value)!;
  const opts = { netns: host.value };
  const rules: OutputLine[] = lines(session.runCommand('ip rule', opts).combined).map((text) => ({ text }));
  const routes: OutputLine[] = lines(session.runCommand('ip -4 route show table all', opts).combined).map((text) => ({ text }));
  const view: RouteLookupView = { host: host.value, rules, routes, why: [], noCustomRules: !ns.customRules, errors };
  const addr = parseAddress('addr', state.addr);
  if (!addr.ok) {
    errors.push(addr.error);
    return view;
  }
  view.address = addr.value;
  view.getCommand = `ip route get ${addr.value}`;
  const get = session.runCommand(view.getCommand, opts);
  view.getOutput = get.combined;
  view.getStatus = get.status;
  let t;
  try {
    t = trace(session.world, { from: host.value, to: addr.value });
  } catch (e) {
    if (e instanceof TraceError) {
      errors.push({ field: 'addr', code: 'model', value: state.addr, message: e.message });
      return view;
    }
    throw e;
  }
  const step = t.steps.find((s) => s.type === 'routing');
  if (!step) {
    // The lookup itself failed (no route, unreachable/prohibit/blackhole): the tracer's reason.
    view.why = [t.reason];
    return view;
  }
  const d = step.detail;
  const s = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const route = s(d.route);
  view.why = step.why;
  if (route) {
    view.chosen = { route, table: s(d.table) ?? 'main', type: s(d.type) ?? 'unicast', dev: s(d.dev) ?? '', ...(s(d.rule) ? { rule: s(d.rule)! } : {}), ...(s(d.nexthop) ? { nexthop: s(d.nexthop)! } : {}), ...(s(d.src) ? { src: s(d.src)! } : {}) };
    const idx = routes.findIndex((l) => l.text.trimEnd() === route);
    if (idx >= 0) routes[idx]!.mark = 'chosen';
    const containing = routesContaining(ns, tryParseIpv4(addr.value)!);
    for (const l of routes) if (!l.mark && containing.has(l.text.trimEnd())) l.mark = 'candidate';
    const rule = s(d.rule);
    if (rule) {
      const r = rules.findIndex((l) => l.text.trimEnd() === rule);
      if (r >= 0) rules[r]!.mark = 'chosen';
    } else {
      // No custom rules: fib_lookup goes straight to the merged local+main tables; the rule
      // that names the route's table is the one in effect.
      const r = rules.findIndex((l) => new RegExp(`lookup ${view.chosen!.table}\\s*$`).test(l.text));
      if (r >= 0) rules[r]!.mark = 'in-effect';
    }
  }
  return view;
}
