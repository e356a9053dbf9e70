// The packet tracer widget's view logic: its URL state, validating the reader's question,
// running it on a fresh session (request, and the reply when asked), and turning a step
// into what the widget shows (where, the entries used, TTL and MTU, the header stack).
import type { World } from '../model/world.ts';
import type { Session } from '../session.ts';
import { replyQuery, trace, TraceError, type Header, type Step, type Trace, type TraceQuery, type Proto } from '../trace/index.ts';
import { stackView, type StackView } from './headers-view.ts';
import { collect, parseAddress, parseChoice, parseInteger, type FieldError } from './inputs.ts';

export const PROTOS: readonly Proto[] = ['icmp', 'tcp', 'udp'];
export const DIRECTIONS = ['request', 'reply'] as const;
export type Direction = (typeof DIRECTIONS)[number];

/** Everything the tracer widget keeps in the URL, as the text the reader typed. */
export interface TracerState {
  from: string;
  to: string;
  proto: string;
  /** '' = the tracer's default (40000 for TCP/UDP, ICMP id 1). */
  sport: string;
  /** '' = the tracer's default (80/tcp, 53/udp). */
  dport: string;
  /** IP packet size in bytes; '' = the tracer's default (84 for ICMP, 60 otherwise). */
  size: string;
  dir: string;
  /** 1-based step shown. */
  step: string;
  /** Comma-separated fault ids (the break-it widget). */
  faults: string;
}

export function tracerDefaults(over: Partial<TracerState> = {}): TracerState {
  return { from: 'pod-9-60', to: '10.20.4.5', proto: 'icmp', sport: '', dport: '', size: '', dir: 'request', step: '1', faults: '', ...over };
}

export interface TracerQuestion {
  query?: TraceQuery;
  dir: Direction;
  errors: FieldError[];
}

/** Validates the state against the namespaces the model has; the query when all is well. */
export function tracerQuestion(state: TracerState, namespaces: readonly string[]): TracerQuestion {
  const from = parseChoice('from', state.from, namespaces);
  const to = parseAddress('to', state.to);
  const proto = parseChoice('proto', state.proto, PROTOS);
  const sport = parseInteger('sport', state.sport, 0, 65535, true);
  const dport = parseInteger('dport', state.dport, 0, 65535, true);
  // The smallest packet is the IP header and the protocol's own header (the tracer's rule).
  const size = parseInteger('size', state.size, 20 + (state.proto.trim() === 'tcp' ? 20 : 8), 65535, true);
  const dir = (DIRECTIONS as readonly string[]).includes(state.dir) ? (state.dir as Direction) : 'request';
  const errors = collect([from, to, proto, sport, dport, size]);
  if (errors.length || !from.ok || !to.ok || !proto.ok || !sport.ok || !dport.ok || !size.ok) return { dir, errors };
  const query: TraceQuery = { from: from.value, to: to.value, proto: proto.value };
  if (sport.value !== undefined) query.sport = sport.value;
  if (dport.value !== undefined) query.dport = dport.value;
  if (size.value !== undefined) query.size = size.value;
  return { query, dir, errors: [] };
}

export interface TraceRun {
  request: Trace;
  /** The reply, traced after the request on the same session (conntrack and IPVS see it). */
  reply?: Trace;
  /** Why there is no reply (the request was not delivered). */
  replyError?: string;
  /** The trace the reader asked to see. */
  shown: Trace;
  /** The world the traces ran in (device MTUs). */
  world: World;
}

/** Runs the question on `session` (which it changes: use a fresh one). */
export function runTrace(session: Session, query: TraceQuery, dir: Direction): { run?: TraceRun; error?: FieldError } {
  let request: Trace;
  try {
    request = trace(session.world, query);
  } catch (e) {
    if (e instanceof TraceError) return { error: { field: 'query', code: 'model', value: '', message: e.message } };
    throw e;
  }
  let reply: Trace | undefined;
  let replyError: string | undefined;
  if (request.disposition === 'DELIVERED') {
    try {
      reply = trace(session.world, replyQuery(request));
    } catch (e) {
      if (!(e instanceof TraceError)) throw e;
      replyError = e.message;
    }
  } else {
    replyError = `the request was not delivered (${request.disposition}), so there is no reply`;
  }
  const shown = dir === 'reply' && reply ? reply : request;
  return { run: { request, ...(reply ? { reply } : {}), ...(replyError ? { replyError } : {}), shown, world: session.world } };
}

/** The step number to show: the state's, clamped to the trace. */
export function clampStep(text: string, t: Trace): number {
  const n = Number.parseInt(text, 10);
  if (!Number.isFinite(n) || n < 1) return 1;
  return Math.min(n, t.steps.length);
}

/** `ns:device`, or the namespace alone ('(host)' for the initial one). */
export function stepWhere(s: Pick<Step, 'ns' | 'device'>): string {
  const ns = s.ns || '(host)';
  return s.device ? `${ns}:${s.device}` : ns;
}

/** The key of the step's place on the topology diagram (`ns:device` or `ns`). */
export function stepKey(s: Pick<Step, 'ns' | 'device'>): string {
  return s.device ? `${s.ns}:${s.device}` : s.ns;
}

/** Keys of every place the packet has been up to and including step `n` (1-based). */
export function pathKeys(t: Trace, n: number): string[] {
  const out: string[] = [];
  for (const s of t.steps.slice(0, n)) {
    for (const k of [s.ns, stepKey(s)]) if (!out.includes(k)) out.push(k);
  }
  return out;
}

export type FactKind = 'route' | 'rule' | 'table' | 'nexthop' | 'src' | 'neighbour' | 'fdb' | 'vxlan' | 'nat' | 'nat-rule' | 'conntrack' | 'ipvs' | 'bond' | 'ovs' | 'bridge' | 'veth' | 'fragments' | 'drop';

export interface Fact {
  kind: FactKind;
  text: string;
  /** The step that used it. */
  n: number;
  where: string;
}

/** The entries a step used, as the tools print them where the tracer gives that form.
 * Reads the steps' typed fields only, never their `why`/`summary` prose. */
export function stepFacts(s: Step): Fact[] {
  const out: Fact[] = [];
  const add = (kind: FactKind, text: string | null | undefined) => {
    if (text) out.push({ kind, text, n: s.n, where: stepWhere(s) });
  };
  switch (s.type) {
    case 'routing': {
      const d = s.detail;
      add('route', d.route ?? (d.dev ? `dev ${d.dev}` : undefined));
      add('rule', d.rule);
      add('table', d.table);
      add('nexthop', d.nexthop);
      add('src', d.src);
      break;
    }
    case 'neighbor': {
      const d = s.detail;
      if (d.entry) add('neighbour', d.entry);
      else add('neighbour', `${d.method}: ${d.ip} is-at ${d.mac ?? '?'}${d.answeredBy ? ` (answered by ${d.answeredBy})` : ''}`);
      break;
    }
    case 'encapsulate': {
      const d = s.detail;
      add('fdb', d.fdb);
      add('vxlan', `VNI ${d.vni} ${d.local}:${d.sourcePort} → ${d.remote}:${d.dstport}`);
      break;
    }
    case 'netfilter': {
      const d = s.detail;
      add('nat', d.by ? `${d.by} in ${d.hook}: ${d.field} ${d.from} → ${d.to}` : undefined);
      add('nat-rule', d.rule);
      add('conntrack', d.conntrack);
      break;
    }
    case 'ipvs': {
      const d = s.detail;
      add('ipvs', d.service ? `${d.service} → ${d.realServer} (${d.scheduler}${d.newConnection === true ? ', new connection' : d.newConnection === false ? ', existing connection' : ''})` : s.summary);
      break;
    }
    case 'bond': {
      const d = s.detail;
      if (d.member) add('bond', `${d.policy}: hash ${d.hash} % ${d.members?.length ?? '?'} = ${d.index} → ${d.member}`);
      break;
    }
    case 'ovs': {
      const d = s.detail;
      add('ovs', `${d.bridge}: ${d.inPort} (VLAN ${d.vlan}) → ${d.outPort}${d.outVlan ? ` tagged ${d.outVlan}` : ''} (${d.decision})`);
      break;
    }
    case 'bridge': {
      const d = s.detail;
      if (d.bridge) add('bridge', `${d.bridge}: ${d.inPort} → ${d.outPort} (${d.mac} is behind ${d.outPort})`);
      break;
    }
    case 'veth':
      add('veth', s.detail.peer);
      break;
    case 'transmit': {
      const d = s.detail;
      if (d.fragments !== undefined && d.sizes) add('fragments', `${d.fragments} × (${d.sizes.join(', ')} bytes)`);
      break;
    }
    case 'drop':
      add('drop', s.detail.reason ?? s.summary);
      break;
  }
  return out;
}

const CONTEXT_KINDS: FactKind[] = ['route', 'neighbour', 'fdb', 'conntrack', 'ipvs', 'bond'];

/** The latest entry of each kind (route, neighbour, FDB, conntrack, IPVS, bond) used up to step n. */
export function contextFacts(t: Trace, n: number): Fact[] {
  const last = new Map<FactKind, Fact>();
  for (const s of t.steps.slice(0, n)) for (const f of stepFacts(s)) if (CONTEXT_KINDS.includes(f.kind)) last.set(f.kind, f);
  return CONTEXT_KINDS.flatMap((k) => (last.has(k) ? [last.get(k)!] : []));
}

export interface StepMetrics {
  /** TTL of the packet the application sent (the inner IPv4 header). */
  ttl?: number;
  /** TTL of the outer (VXLAN) IPv4 header, when tunnelled. */
  outerTtl?: number;
  /** Total length of the outermost IPv4 header: what the device's MTU limits. */
  ipLength?: number;
  /** Bytes in the whole frame/packet at this step. */
  bytes: number;
  /** The step's device and its MTU (from the model). */
  mtu?: { device: string; value: number };
}

export function stepMetrics(s: Step, world?: World): StepMetrics {
  const ips = s.headers.filter((h): h is Extract<Header, { kind: 'ipv4' }> => h.kind === 'ipv4');
  const out: StepMetrics = { bytes: s.total };
  if (ips.length) {
    out.ttl = ips[ips.length - 1]!.ttl;
    if (ips.length > 1) out.outerTtl = ips[0]!.ttl;
    out.ipLength = ips[0]!.totalLength;
  }
  const dev = s.device ? world?.netns(s.ns)?.device(s.device) : undefined;
  if (dev && s.device) out.mtu = { device: s.device, value: dev.mtu };
  return out;
}

/** The header stack of step n (1-based), compared with the step before. */
export function stepStack(t: Trace, n: number): StackView {
  const s = t.steps[n - 1]!;
  const prev = n > 1 ? t.steps[n - 2]! : undefined;
  return stackView(s.headers, prev && prev.headers.length ? prev.headers : undefined);
}

export interface Verdict {
  disposition: Trace['disposition'];
  where: string;
  reason: string;
  ttl?: number;
  delivered: boolean;
  /** The step where it ended. */
  n: number;
}

export function verdict(t: Trace): Verdict {
  return {
    disposition: t.disposition,
    where: stepWhere(t.at),
    reason: t.reason,
    ...(t.ttlAtDelivery !== undefined ? { ttl: t.ttlAtDelivery } : {}),
    delivered: t.disposition === 'DELIVERED',
    n: t.steps.length,
  };
}

/** One row per step: the static table and the list of steps. */
export interface StepRow {
  n: number;
  action: string;
  where: string;
  summary: string;
  drop: boolean;
}

export function stepRows(t: Trace): StepRow[] {
  return t.steps.map((s) => ({ n: s.n, action: s.action, where: stepWhere(s), summary: s.summary, drop: s.type === 'drop' }));
}

/** The query in one line, as a reader would say it (`pod-9-60 → 10.20.4.5 ICMP, 84 bytes`). */
export function queryLine(t: Trace): string {
  const q = t.query;
  const ports = q.proto === 'icmp' ? `id ${q.sport}` : `${q.sport} → ${q.dport}`;
  return `${q.from} → ${q.to} ${q.proto.toUpperCase()} ${ports}, ${q.size} bytes${q.reply ? ' (reply)' : ''}`;
}
