// The NAT and conntrack widget: a pod's flow to the outside (SNAT by MASQUERADE) or to a
// ClusterIP (IPVS), the entries the node's conntrack table holds after the request and
// after the reply (as `conntrack -L` prints them), and the reply un-NATed on its way back.
import type { Session } from '../session.ts';
import { formatIpv4 } from '../net/ipv4.ts';
import { replyQuery, trace, TraceError, type Step, type Trace } from '../trace/index.ts';
import type { FieldError } from './inputs.ts';
import { stepWhere, tracerQuestion, tracerDefaults, verdict, type Verdict } from './trace-view.ts';

export interface NatState {
  from: string;
  to: string;
  proto: string;
  sport: string;
  dport: string;
}

export function natDefaults(over: Partial<NatState> = {}): NatState {
  return { from: 'pod-9-41', to: '203.0.113.10', proto: 'tcp', sport: '', dport: '443', ...over };
}

export const NAT_PRESETS: Record<'egress' | 'clusterip', Partial<NatState>> = {
  egress: { to: '203.0.113.10', proto: 'tcp', sport: '', dport: '443' },
  clusterip: { to: '10.96.0.10', proto: 'udp', sport: '', dport: '53' },
};

export interface NatEvent {
  n: number;
  where: string;
  /** netfilter (SNAT/MASQUERADE/DNAT or the conntrack mapping back) or IPVS. */
  type: 'netfilter' | 'ipvs';
  summary: string;
  rule?: string;
  conntrack?: string;
  /** The address rewrite (netfilter steps): which hook, which field, from and to. */
  rewrite?: { hook: string; field: string; from: string; to: string };
}

export interface NatView {
  request: Trace;
  reply?: Trace;
  replyError?: string;
  requestVerdict: Verdict;
  replyVerdict?: Verdict;
  /** The namespace whose tables are shown (where the translation happened). */
  node?: string;
  forward: NatEvent[];
  backward: NatEvent[];
  conntrackAfterRequest?: string;
  conntrackAfterReply?: string;
  ipvsadm?: string;
  /** What the receiver saw as the source, and what the reply's receiver saw. */
  seenBy?: { requestSource: string; replySource?: string };
}

function events(t: Trace): NatEvent[] {
  return t.steps
    .filter((s): s is Extract<Step, { type: 'netfilter' | 'ipvs' }> => s.type === 'netfilter' || s.type === 'ipvs')
    .map((s) => {
      const d = s.type === 'netfilter' ? s.detail : undefined;
      const str = (v: string | null | undefined) => (typeof v === 'string' && v !== '' ? v : undefined);
      const rule = str(d?.rule);
      const ct = str(d?.conntrack);
      const [hook, field, from, to] = [str(d?.hook), str(d?.field), str(d?.from), str(d?.to)];
      const rewrite = hook && field && from && to ? { rewrite: { hook, field, from, to } } : {};
      return { n: s.n, where: stepWhere(s), type: s.type, summary: s.summary, ...(rule ? { rule } : {}), ...(ct ? { conntrack: ct } : {}), ...rewrite };
    });
}

function sourceSeen(t: Trace): string | undefined {
  const last = t.steps[t.steps.length - 1];
  const ip = last?.headers.find((h) => h.kind === 'ipv4');
  const l4 = ip ? last!.headers[last!.headers.indexOf(ip) + 1] : undefined;
  if (!ip || ip.kind !== 'ipv4') return undefined;
  const a = formatIpv4(ip.src);
  return l4 && (l4.kind === 'tcp' || l4.kind === 'udp') ? `${a}:${l4.sport}` : a;
}

/**
 * Computed in order on a fresh session: trace the request, read the node's tables, trace
 * the reply (conntrack and IPVS map it back), read the conntrack table again.
 */
export function natView(session: Session, state: NatState): { view?: NatView; errors: FieldError[] } {
  const namespaces = session.world.namespaces().map((n) => n.name);
  const q = tracerQuestion(tracerDefaults({ ...state, dir: 'request' }), namespaces);
  if (!q.query) return { errors: q.errors };
  let request: Trace;
  try {
    request = trace(session.world, q.query);
  } catch (e) {
    if (e instanceof TraceError) return { errors: [{ field: 'query', code: 'model', value: '', message: e.message }] };
    throw e;
  }
  const forward = events(request);
  const node = forward[0] ? request.steps[forward[0].n - 1]!.ns : request.steps.find((s) => s.ns !== request.query.from)?.ns;
  const view: NatView = { request, requestVerdict: verdict(request), forward, backward: [], ...(node ? { node } : {}) };
  const conntrack = () => (node ? session.runCommand('conntrack -L', { netns: node }).combined : undefined);
  const ct1 = conntrack();
  if (ct1 !== undefined) view.conntrackAfterRequest = ct1;
  if (node && forward.some((e) => e.type === 'ipvs')) view.ipvsadm = session.runCommand('ipvsadm -Ln', { netns: node }).combined;
  const requestSource = sourceSeen(request);
  if (request.disposition !== 'DELIVERED') {
    view.replyError = `the request was not delivered (${request.disposition}), so there is no reply`;
  } else {
    try {
      const reply = trace(session.world, replyQuery(request));
      view.reply = reply;
      view.replyVerdict = verdict(reply);
      view.backward = events(reply);
      const ct2 = conntrack();
      if (ct2 !== undefined) view.conntrackAfterReply = ct2;
    } catch (e) {
      if (!(e instanceof TraceError)) throw e;
      view.replyError = e.message;
    }
  }
  if (requestSource) {
    const replySource = view.reply ? sourceSeen(view.reply) : undefined;
    view.seenBy = { requestSource, ...(replySource ? { replySource } : {}) };
  }
  return { view, errors: [] };
}
