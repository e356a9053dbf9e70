// `ping -c N [-q] [-s SIZE] [-W SECONDS] [-M do|want|dont] ADDRESS` (iputils 20221126, as
// root: a raw ICMP socket), driven by the packet tracer (lib/trace): each echo request is
// traced from the namespace to the address and, when it is delivered, its reply back, so the
// traffic leaves what real traffic leaves (conntrack entries, IPVS connections, learned MACs).
//
// What the kernel draws or measures cannot be the model's: ping's round-trip times (each
// reply's time=, the statistics' total time and the rtt line) are printed as fixed values
// (RTT_MS per packet; a -c N run takes (N-1) intervals), and the ICMP identifier (iputils
// uses its process id) is a counter per model. The reference kernel comparison masks exactly
// those fields (tests/lab/vm-shows.ts maskRandom).
import { KernelError } from '../../model/errno.ts';
import { updatePmtu } from '../../model/pmtu.ts';
import { outputRoute } from '../../model/route-resolve.ts';
import type { World } from '../../model/world.ts';
import { formatIpv4, tryParseIpv4 } from '../../net/ipv4.ts';
import { conntrackActive } from '../../model/netfilter/nat-hooks.ts';
import { noteTraffic, replyQuery, trace, TraceError, type Trace } from '../../trace/index.ts';
import { registerTool } from '../registry.ts';
import { eprint, print, UnsupportedError, type ToolContext } from '../tool.ts';

/** The round-trip time the model prints for every reply, in milliseconds ("time=0.100 ms"). */
export const RTT_MS = '0.100';

/** The ICMP identifier of the next ping in a model (iputils: its process id). */
const nextIdent = new WeakMap<World, number>();

function ident(world: World): number {
  const id = nextIdent.get(world) ?? 1;
  nextIdent.set(world, id + 1);
  return id;
}

/** -M: the socket's IP_MTU_DISCOVER (without -M a raw socket has the kernel default, want). */
type Pmtudisc = 'do' | 'want' | 'dont';

interface PingArgs {
  count: number;
  quiet: boolean;
  size: number;
  pmtudisc: Pmtudisc;
  dest: string;
}

function parse(argv: string[]): PingArgs {
  let count: number | undefined;
  let quiet = false;
  let size = 56;
  let pmtudisc: Pmtudisc = 'want';
  let dest: string | undefined;
  const args = argv.slice(1);
  const number = (opt: string, v: string | undefined, min: number, max: number): number => {
    if (v === undefined) throw new UnsupportedError(`ping: option ${opt} needs a value`, opt);
    if (!/^\d+(\.\d+)?$/.test(v) || Number(v) < min || Number(v) > max) throw new UnsupportedError(`ping: ${opt} ${v} is not a value the model takes (${min}-${max})`, v);
    return Number(v);
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    // iputils takes -c3 as well as -c 3.
    const m = /^-([csWM])(.*)$/.exec(a);
    if (m) {
      const v = m[2] !== '' ? m[2] : args[++i];
      if (m[1] === 'c') count = Math.trunc(number('-c', v, 1, 100));
      else if (m[1] === 's') size = Math.trunc(number('-s', v, 0, 65507));
      else if (m[1] === 'W') number('-W', v, 0, 3600);
      else {
        if (v === 'do' || v === 'want' || v === 'dont') pmtudisc = v;
        else throw new UnsupportedError(`ping: -M ${v ?? ''} is not modelled (use do, want or dont)`, v ?? a);
      }
      continue;
    }
    if (a === '-q') {
      quiet = true;
      continue;
    }
    if (a === '-n') continue;
    if (a.startsWith('-')) throw new UnsupportedError(`ping: option ${a} is not modelled (the model has -c, -q, -n, -s, -W, -M)`, a);
    if (dest !== undefined) throw new UnsupportedError(`ping: one destination only (got ${dest} and ${a})`, a);
    dest = a;
  }
  if (dest === undefined) throw new UnsupportedError('ping: give a destination address', argv.join(' '));
  if (tryParseIpv4(dest) === undefined) throw new UnsupportedError(`ping: "${dest}" is not an IPv4 address (the model resolves no names)`, dest);
  if (count === undefined) throw new UnsupportedError('ping: give -c N (without it ping runs until interrupted)', argv.join(' '));
  return { count, quiet, size, pmtudisc, dest };
}

export function ping(argv: string[], ctx: ToolContext): number {
  const a = parse(argv);
  if (ctx.ns === ctx.world.root) throw new UnsupportedError('ping: the model sends traffic from a named namespace only (ip netns exec NS ping ...)', 'ping');
  // iputils first connects a UDP socket to the destination to learn the source address: a
  // missing route fails there, before anything is sent.
  try {
    outputRoute(ctx.ns, { dst: tryParseIpv4(a.dest)! });
  } catch (e) {
    if (e instanceof KernelError && e.errno === 'ENETUNREACH') {
      eprint(ctx, 'ping: connect: Network is unreachable\n');
      return 2;
    }
    throw e;
  }
  const id = ident(ctx.world);
  const dst = tryParseIpv4(a.dest)!;
  const total = a.size + 28;
  print(ctx, `PING ${a.dest} (${a.dest}) ${a.size}(${total}) bytes of data.\n`);
  let received = 0;
  let errors = 0;
  for (let seq = 1; seq <= a.count; seq++) {
    // ip_append_data: the route's path MTU (a "fragmentation needed" seen earlier lowers it)
    // decides whether the echo leaves whole with DF, is fragmented here, or is refused.
    const route = outputRoute(ctx.ns, { dst });
    const mtu = route.pmtu?.mtu ?? route.dev.mtu; // ipv4_mtu
    if (a.pmtudisc === 'do' && total > mtu) {
      // EMSGSIZE, read back from the error queue (SO_EE_ORIGIN_LOCAL); -q counts no error.
      if (!a.quiet) {
        eprint(ctx, `ping: local error: message too long, mtu=${mtu}\n`);
        errors++;
      }
      continue;
    }
    const df = a.pmtudisc === 'do' || (a.pmtudisc === 'want' && total <= mtu);
    let t: Trace;
    let r: Trace | undefined;
    try {
      t = trace(ctx.world, { from: ctx.ns.name, to: a.dest, proto: 'icmp', sport: id, size: total, df });
      if (t.disposition === 'DELIVERED') r = trace(ctx.world, replyQuery(t));
      noteTraffic(ctx.world, t, r);
    } catch (e) {
      if (e instanceof TraceError) throw new UnsupportedError(`ping: the tracer cannot follow this echo: ${e.message}`, a.dest);
      throw e;
    }
    if (t.at.ns !== ctx.ns.name && (t.disposition === 'NO_ROUTE' || (t.disposition === 'MTU_EXCEEDED' && t.nextHopMtu !== undefined))) {
      // A router on the way answers with an ICMP error: net unreachable (ip_error) or, for a
      // DF packet over the next hop's MTU, fragmentation needed (ip_forward), which also
      // leaves a path MTU exception here (__ip_rt_update_pmtu).
      const from = icmpErrorBack(ctx, t, t.disposition === 'NO_ROUTE' ? 0 : 4, id, total);
      errors++;
      let text = 'Destination Net Unreachable';
      if (t.disposition === 'MTU_EXCEEDED') {
        if (route.fib?.nh) updatePmtu(ctx.ns, route.fib.nh, dst, mtu, t.nextHopMtu!);
        text = `Frag needed and DF set (mtu = ${t.nextHopMtu})`;
      }
      if (!a.quiet) print(ctx, `From ${from} icmp_seq=${seq} ${text}\n`);
      continue;
    }
    if (t.disposition !== 'DELIVERED' || r?.disposition !== 'DELIVERED' || r.ttlAtDelivery === undefined) {
      // A lost echo, or another ICMP error: ping's text and timing for those are not modelled.
      const what = t.disposition !== 'DELIVERED' ? `the echo request ends ${t.disposition} at ${t.at.ns || 'the initial namespace'} (${t.reason})` : `the echo reply ends ${r?.disposition} (${r?.reason})`;
      throw new UnsupportedError(`ping: ${what}; the model prints ping's output only for an echo that is answered or refused with net unreachable or fragmentation needed`, a.dest);
    }
    received++;
    if (!a.quiet) print(ctx, `${a.size + 8} bytes from ${a.dest}: icmp_seq=${seq} ttl=${r.ttlAtDelivery} time=${RTT_MS} ms\n`);
  }
  const loss = Math.round(((a.count - received) * 100) / a.count);
  print(ctx, `\n--- ${a.dest} ping statistics ---\n`);
  print(ctx, `${a.count} packets transmitted, ${received} received, ${errors ? `+${errors} errors, ` : ''}${loss}% packet loss, time ${(a.count - 1) * 1000}ms\n`);
  if (received > 0) print(ctx, `rtt min/avg/max/mdev = ${RTT_MS}/${RTT_MS}/${RTT_MS}/0.000 ms\n`);
  else print(ctx, '\n');
  return received > 0 ? 0 : 1;
}

/**
 * The ICMP error a router sends for an echo it cannot forward, traced back to the sender;
 * returns the router's source address (icmp_send: the one the route back selects). The echo
 * was dropped where it was routed, before the router's conntrack confirmed it, so there the
 * error matches no connection and passes untranslated. A namespace the echo crossed before
 * would hold a confirmed entry the error is RELATED to, with a translation the tracer does
 * not apply to ICMP errors: those cases are refused.
 */
function icmpErrorBack(ctx: ToolContext, t: Trace, code: number, id: number, total: number): string {
  const refuse = (why: string): never => {
    throw new UnsupportedError(`ping: the echo request ends ${t.disposition} at ${t.at.ns} (${t.reason}); ${why}`, t.query.to);
  };
  // Namespaces whose IP stack handled the echo (a frame only switched or bridged there,
  // through ipvlan, Open vSwitch or a bond, meets no netfilter hook of theirs).
  for (const n of new Set(t.steps.filter((x) => x.type === 'routing' || x.type === 'netfilter').map((x) => x.ns))) {
    const ns = n === '' ? ctx.world.root : ctx.world.netns(n);
    if (n !== t.at.ns && ns && conntrackActive(ns)) refuse(`the ICMP error would be RELATED to the echo's connection in ${n}, which the model does not translate`);
  }
  const router = ctx.world.netns(t.at.ns);
  const seen = t.steps[t.steps.length - 1]!.headers.find((h) => h.kind === 'ipv4');
  if (!router || !seen || seen.kind !== 'ipv4') return refuse('the model cannot follow the ICMP error back');
  const to = formatIpv4(seen.src);
  let src: string;
  try {
    src = formatIpv4(outputRoute(router, { dst: seen.src }).src ?? 0);
  } catch {
    return refuse(`${t.at.ns} has no route back to ${to} either`);
  }
  // The error quotes as much of the echo as fits in 576 bytes; DF is clear (the ICMP socket).
  const e = trace(ctx.world, { from: t.at.ns, to, src, proto: 'icmp', sport: id, size: Math.min(576, 28 + total), df: false, icmpError: code });
  noteTraffic(ctx.world, e);
  if (e.disposition !== 'DELIVERED' || e.at.ns !== ctx.ns.name) refuse(`the ICMP error ends ${e.disposition} at ${e.at.ns}`);
  return src;
}

registerTool('ping', ping);
