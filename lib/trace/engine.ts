// The packet tracer: walks one packet through the model hop by hop, the way the kernel
// would handle it (routing, neighbour resolution, netfilter NAT, IPVS, VXLAN, 802.1Q,
// ipvlan, bonds, Open vSwitch, veth), recording every decision with the header stack.
// It reads the model and, like real traffic, leaves conntrack/IPVS connections and OVS
// MAC learning behind; it never changes configuration.
import { KernelError } from '../model/errno.ts';
import type { World } from '../model/world.ts';
import { outputRoute, type ResolvedRoute } from '../model/route-resolve.ts';
import { IPPROTO_ICMP, IPPROTO_TCP, IPPROTO_UDP } from '../model/netfilter/packet.ts';
import { formatIpv4, tryParseIpv4 } from '../net/ipv4.ts';
import { headerSize, type Header } from './headers.ts';
import type { Ipv4H } from './frame.ts';
import { TraceError, type Proto, type Trace, type TraceQuery } from './types.ts';
import { Stop, kernelStop, Walk } from './walk.ts';
export { vxlanSourcePort } from './stages/encapsulation.ts';

const PROTO_NUM: Record<Proto, number> = { icmp: IPPROTO_ICMP, tcp: IPPROTO_TCP, udp: IPPROTO_UDP };

/** Validates a query and fills in its defaults. */
export function normalizeQuery(q: TraceQuery): Trace['query'] {
  const proto = q.proto ?? 'icmp';
  if (!['icmp', 'tcp', 'udp'].includes(proto)) throw new TraceError(`unknown protocol "${proto}" (use icmp, tcp or udp)`);
  if (tryParseIpv4(q.to) === undefined) throw new TraceError(`"${q.to}" is not an IPv4 address`);
  if (q.src !== undefined && tryParseIpv4(q.src) === undefined) throw new TraceError(`source "${q.src}" is not an IPv4 address`);
  const port = (v: number | undefined, what: string, dflt: number): number => {
    const n = v ?? dflt;
    if (!Number.isInteger(n) || n < 0 || n > 65535) throw new TraceError(`${what} ${v} is out of range (0-65535)`);
    return n;
  };
  const sport = port(q.sport, 'source port', proto === 'icmp' ? 1 : 40000);
  const dport = port(q.dport, 'destination port', proto === 'tcp' ? 80 : proto === 'udp' ? 53 : 0);
  const min = 20 + (proto === 'tcp' ? 20 : 8);
  const size = q.size ?? (proto === 'icmp' ? 84 : proto === 'tcp' ? 60 : 60);
  if (!Number.isInteger(size) || size < min || size > 65535) throw new TraceError(`size ${size} is out of range (${min}-65535 bytes for ${proto})`);
  if (q.icmpError !== undefined && (proto !== 'icmp' || !Number.isInteger(q.icmpError) || q.icmpError < 0 || q.icmpError > 15)) throw new TraceError(`an ICMP error is ICMP with a destination-unreachable code 0-15 (got ${proto}, code ${q.icmpError})`);
  return { from: q.from, to: q.to, proto, sport, dport, size, df: q.df ?? true, reply: q.reply ?? false, ...(q.src !== undefined ? { src: q.src } : {}), ...(q.icmpError !== undefined ? { icmpError: q.icmpError } : {}) };
}

/** Traces one packet; throws TraceError for a question the model cannot answer. */
export function trace(world: World, query: TraceQuery): Trace {
  const q = normalizeQuery(query);
  const ns = world.netns(q.from);
  if (!ns) {
    const known = world.namespaces().map((n) => n.name);
    throw new TraceError(`unknown namespace "${q.from}" (namespaces: ${known.join(', ') || 'none'})`);
  }
  const dst = tryParseIpv4(q.to)!;
  const walk = new Walk(world);
  let stop: Stop;
  try {
    let r: ResolvedRoute;
    try {
      r = outputRoute(ns, { dst, ...(q.src !== undefined ? { src: tryParseIpv4(q.src)! } : {}) });
    } catch (e) {
      if (e instanceof KernelError) {
        const s = kernelStop(e, ns, `route to ${q.to}`);
        walk.step(ns, 'drop', s.disposition, `no route: ${s.reason}`, [], { why: [s.reason] });
        throw s;
      }
      throw e;
    }
    const protoNum = PROTO_NUM[q.proto];
    const reply = query.reply === true;
    const l4h: Header =
      q.proto === 'tcp'
        ? { kind: 'tcp', sport: q.sport, dport: q.dport, flags: reply ? 'S.' : 'S' }
        : q.proto === 'udp'
          ? { kind: 'udp', sport: q.sport, dport: q.dport, length: q.size - 20 }
          : q.icmpError !== undefined
            ? { kind: 'icmp', type: 3, code: q.icmpError, id: q.sport, seq: 1 }
            : { kind: 'icmp', type: reply ? 0 : 8, code: 0, id: q.sport, seq: 1 };
    const stack: Header[] = [
      { kind: 'ipv4', src: r.src ?? 0, dst, ttl: 64, proto: protoNum, totalLength: q.size, df: q.df },
      l4h,
      { kind: 'payload', length: q.size - 20 - headerSize(l4h) },
    ];
    walk.step(ns, 'originate', 'ORIGINATED', `${q.from} sends ${q.icmpError !== undefined ? 'an ICMP error' : q.proto.toUpperCase()} ${formatIpv4(r.src ?? 0)} → ${q.to}${q.proto !== 'icmp' ? ` port ${q.dport}` : ''}, ${q.size} bytes`, stack, {
      why: [
        `ttl 64 (net.ipv4.ip_default_ttl)${q.df ? ', DF set' : ''}`,
        ...(q.icmpError !== undefined ? ['an ICMP error for a packet conntrack never confirmed: it matches no connection, so no hook tracks or translates it'] : []),
      ],
    });
    walk.originate(ns, stack, r);
    throw new Stop('MODEL_LIMIT', { ns: ns.name }, 'the tracer ended without a verdict (a gap in the model)');
  } catch (e) {
    if (!(e instanceof Stop)) {
      if (e instanceof KernelError) throw new TraceError(`the model refused a step: ${e.iproute2Message()}`);
      throw e;
    }
    stop = e;
  }
  return {
    query: q,
    disposition: stop.disposition,
    at: stop.at,
    reason: stop.reason,
    ...(stop.ttl !== undefined ? { ttlAtDelivery: stop.ttl } : {}),
    ...(stop.nextHopMtu !== undefined ? { nextHopMtu: stop.nextHopMtu } : {}),
    steps: walk.steps,
  };
}

/** The reply to a delivered trace: from where it arrived, back to the source it saw. */
export function replyQuery(t: Trace): TraceQuery {
  if (t.disposition !== 'DELIVERED') throw new TraceError('only a delivered packet has a reply');
  const last = t.steps[t.steps.length - 1]!;
  const h = last.headers.find((x) => x.kind === 'ipv4') as Ipv4H;
  const l = last.headers[last.headers.indexOf(h) + 1];
  const sport = l && (l.kind === 'tcp' || l.kind === 'udp') ? l.dport : l?.kind === 'icmp' ? l.id : 0;
  const dport = l && (l.kind === 'tcp' || l.kind === 'udp') ? l.sport : 0;
  // icmp_reply sends from the kernel's ICMP socket, whose IP_PMTUDISC_DONT leaves DF clear.
  const df = t.query.proto === 'icmp' ? false : t.query.df;
  return { from: t.at.ns, to: formatIpv4(h.src), src: formatIpv4(h.dst), proto: t.query.proto, sport, dport, size: t.query.size, df, reply: true };
}
