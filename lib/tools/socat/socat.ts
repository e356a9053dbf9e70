// socat 1.7.4 for one UDP exchange, driven by the packet tracer (lib/trace):
//
//   socat [-T S] UDP-RECVFROM:PORT[,bind=ADDR] PIPE &      a server in the background: it
//       takes one datagram and sends it back (PIPE echoes what it is given)
//   socat [-t S] [-T S] - UDP:ADDR:PORT <<< WORD           a client: sends WORD and a
//       newline, prints the answer
//
// The client's datagram is traced from its namespace to ADDR:PORT (through IPVS, NAT and
// everything else on the way) and, when a server takes it, the answer is traced back; the
// traffic leaves what real traffic leaves (conntrack entries, IPVS connections). The client's
// source port is the kernel's random pick on a real machine; the model takes 40000, 40001...
// per model (the reference kernel comparison masks it: tests/lab/vm-shows.ts maskTraffic).
import type { Netns } from '../../model/netns.ts';
import type { World } from '../../model/world.ts';
import { formatIpv4, tryParseIpv4 } from '../../net/ipv4.ts';
import { noteTraffic, replyQuery, trace, TraceError, type Trace } from '../../trace/index.ts';
import { registerTool } from '../registry.ts';
import { print, UnsupportedError, type Tool, type ToolContext } from '../tool.ts';

interface UdpServer {
  port: number;
  /** bind=ADDR; undefined: any local address. */
  addr?: number;
}

declare module '../../model/extensions.ts' {
  interface NsExtensions {
    /** socat servers started in the background, each waiting for one datagram. */
    udpServers?: UdpServer[];
  }
}

const nextPort = new WeakMap<World, number>();

function ephemeralPort(world: World): number {
  const p = nextPort.get(world) ?? 40000;
  nextPort.set(world, p + 1);
  return p;
}

const USAGE = 'the model runs "socat [-T S] UDP-RECVFROM:PORT[,bind=ADDR] PIPE &" and "socat [-t S] [-T S] - UDP:ADDR:PORT <<< WORD"';

function port(v: string, token: string): number {
  if (!/^\d+$/.test(v) || Number(v) < 1 || Number(v) > 65535) throw new UnsupportedError(`socat: "${v}" is not a port (1-65535)`, token);
  return Number(v);
}

export const socat: Tool = (argv: string[], ctx: ToolContext): number => {
  const addrs: string[] = [];
  const args = argv.slice(1);
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-t' || a === '-T') {
      const v = args[++i];
      if (v === undefined || !/^\d+(\.\d+)?$/.test(v)) throw new UnsupportedError(`socat: ${a} needs a number of seconds`, v ?? a);
      continue;
    }
    if (a.startsWith('-') && a !== '-') throw new UnsupportedError(`socat: option ${a} is not modelled (${USAGE})`, a);
    addrs.push(a);
  }
  if (addrs.length !== 2) throw new UnsupportedError(`socat: give two addresses (${USAGE})`, argv.join(' '));
  const [left, right] = addrs as [string, string];
  const server = /^UDP-RECVFROM:(\d+)(?:,bind=([\d.]+))?$/i.exec(left);
  if (server) {
    if (right.toUpperCase() !== 'PIPE') throw new UnsupportedError(`socat: the model's UDP server answers with PIPE (an echo), not ${right}`, right);
    if (!ctx.background) throw new UnsupportedError('socat: a server in the foreground would wait here; start it with a trailing &', left);
    if (ctx.ns === ctx.world.root) throw new UnsupportedError('socat: the model runs servers in a named namespace only (ip netns exec NS socat ...)', left);
    const addr = server[2] !== undefined ? tryParseIpv4(server[2]) : undefined;
    if (server[2] !== undefined && addr === undefined) throw new UnsupportedError(`socat: bind=${server[2]} is not an IPv4 address`, server[2]);
    if (addr !== undefined && ![...ctx.ns.addresses()].some((x) => x.local === addr)) throw new UnsupportedError(`socat: ${server[2]} is not an address of ${ctx.ns.name} (the kernel refuses the bind)`, server[2]!);
    (ctx.ns.ext.udpServers ??= []).push({ port: port(server[1]!, left), ...(addr !== undefined ? { addr } : {}) });
    return 0;
  }
  const client = /^UDP:([\d.]+):(\d+)$/i.exec(right);
  if (left !== '-' || !client) throw new UnsupportedError(`socat: ${left} ${right} is not modelled (${USAGE})`, right);
  if (ctx.background) throw new UnsupportedError('socat: a client in the background is not modelled', right);
  if (ctx.stdin === undefined) throw new UnsupportedError('socat: give the client what to send with <<< WORD', right);
  if (tryParseIpv4(client[1]!) === undefined) throw new UnsupportedError(`socat: "${client[1]}" is not an IPv4 address (the model resolves no names)`, client[1]!);
  if (ctx.ns === ctx.world.root) throw new UnsupportedError('socat: the model sends traffic from a named namespace only (ip netns exec NS socat ...)', right);
  const data = ctx.stdin;
  const size = 28 + Buffer.byteLength(data);
  let t: Trace;
  let r: Trace | undefined;
  let srv: { ns: Netns; i: number } | undefined;
  try {
    t = trace(ctx.world, { from: ctx.ns.name, to: client[1]!, proto: 'udp', sport: ephemeralPort(ctx.world), dport: port(client[2]!, right), size });
    if (t.disposition === 'DELIVERED') {
      const ns = ctx.world.netns(t.at.ns);
      const last = t.steps[t.steps.length - 1]!;
      const ip = last.headers.find((h) => h.kind === 'ipv4');
      const udp = last.headers.find((h) => h.kind === 'udp');
      const dst = ip && ip.kind === 'ipv4' ? ip.dst : 0;
      const dport = udp && udp.kind === 'udp' ? udp.dport : 0;
      const i = ns?.ext.udpServers?.findIndex((s) => s.port === dport && (s.addr === undefined || s.addr === dst)) ?? -1;
      if (!ns || i < 0) {
        throw new UnsupportedError(
          `socat: the datagram reaches ${t.at.ns} (${formatIpv4(dst)}:${dport}), where no server of the model listens; the kernel would answer with ICMP port unreachable, which the model does not print`,
          right,
        );
      }
      srv = { ns, i };
      r = trace(ctx.world, replyQuery(t));
    }
    noteTraffic(ctx.world, t, r);
  } catch (e) {
    if (e instanceof TraceError) throw new UnsupportedError(`socat: the tracer cannot follow this datagram: ${e.message}`, right);
    throw e;
  }
  if (t.disposition !== 'DELIVERED' || r?.disposition !== 'DELIVERED' || r.at.ns !== ctx.ns.name) {
    const what = t.disposition !== 'DELIVERED' ? `the datagram ends ${t.disposition} at ${t.at.ns} (${t.reason})` : `the answer ends ${r?.disposition} at ${r?.at.ns} (${r?.reason})`;
    throw new UnsupportedError(`socat: ${what}; the model prints socat's output only for an exchange that is answered`, right);
  }
  // The server took its one datagram and answered (socat without fork serves one peer).
  srv!.ns.ext.udpServers!.splice(srv!.i, 1);
  print(ctx, data);
  return 0;
};
socat.inBackground = true;
socat.readsStdin = true;

registerTool('socat', socat);
