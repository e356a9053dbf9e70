// `conntrack -L|-F|-C` (conntrack-tools 1.4.7) over the namespace's connection table.
// The kernel lists entries in hash-table order; the model lists them oldest first.
import { tryParseIpv4 } from '../../net/ipv4.ts';
import { conntrackTable, type ConntrackEntry } from '../../model/netfilter/conntrack.ts';
import { registerTool } from '../registry.ts';
import { eprint, print, UnsupportedError, type ToolContext } from '../tool.ts';
import { conntrackLine } from './conntrack-print.ts';

const PROG = 'conntrack v1.4.7 (conntrack-tools)';

interface Filter {
  proto?: number;
  origSrc?: number;
  origDst?: number;
  replySrc?: number;
  replyDst?: number;
  sport?: number;
  dport?: number;
  srcNat?: boolean;
  dstNat?: boolean;
  mark?: number;
}

const PROTOS: Record<string, number> = { tcp: 6, udp: 17, icmp: 1, udplite: 136, sctp: 132, dccp: 33, gre: 47 };

function fail(ctx: ToolContext, msg: string): number {
  eprint(ctx, `${PROG}: ${msg}\n`);
  return 1;
}

function matches(e: ConntrackEntry, f: Filter): boolean {
  if (f.proto !== undefined && e.orig.proto !== f.proto) return false;
  if (f.origSrc !== undefined && e.orig.src !== f.origSrc) return false;
  if (f.origDst !== undefined && e.orig.dst !== f.origDst) return false;
  if (f.replySrc !== undefined && e.reply.src !== f.replySrc) return false;
  if (f.replyDst !== undefined && e.reply.dst !== f.replyDst) return false;
  if (f.sport !== undefined && e.orig.sport !== f.sport) return false;
  if (f.dport !== undefined && e.orig.dport !== f.dport) return false;
  if (f.srcNat && !e.srcNat) return false;
  if (f.dstNat && !e.dstNat) return false;
  if (f.mark !== undefined && e.mark !== f.mark) return false;
  return true;
}

export function conntrack(argv: string[], ctx: ToolContext): number {
  let cmd: 'list' | 'flush' | 'count' | undefined;
  const f: Filter = {};
  const args = argv.slice(1);
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const value = (): string => {
      const v = args[++i];
      if (v === undefined) throw new UnsupportedError(`conntrack: option ${a} needs a value`, a);
      return v;
    };
    const addr = (): number => {
      const v = value();
      const n = tryParseIpv4(v);
      if (n === undefined) throw new UnsupportedError(`conntrack: "${v}" is not an IPv4 address the model parses`, v);
      return n;
    };
    switch (a) {
      case '-L':
      case '--dump':
        cmd = 'list';
        if (args[i + 1] === 'conntrack') i++;
        break;
      case '-F':
      case '--flush':
        cmd = 'flush';
        if (args[i + 1] === 'conntrack') i++;
        break;
      case '-C':
      case '--count':
        cmd = 'count';
        break;
      case '-V':
      case '--version':
        print(ctx, `${PROG}\n`);
        return 0;
      case '-p':
      case '--proto': {
        const v = value();
        const n = PROTOS[v.toLowerCase()] ?? (/^\d+$/.test(v) ? Number(v) : undefined);
        if (n === undefined) return fail(ctx, `proto \`${v}' is not supported`);
        f.proto = n;
        break;
      }
      case '-s':
      case '--src':
      case '--orig-src':
        f.origSrc = addr();
        break;
      case '-d':
      case '--dst':
      case '--orig-dst':
        f.origDst = addr();
        break;
      case '-r':
      case '--reply-src':
        f.replySrc = addr();
        break;
      case '-q':
      case '--reply-dst':
        f.replyDst = addr();
        break;
      case '--sport':
      case '--orig-port-src':
        f.sport = Number(value());
        break;
      case '--dport':
      case '--orig-port-dst':
        f.dport = Number(value());
        break;
      case '-n':
      case '--src-nat':
        f.srcNat = true;
        break;
      case '-g':
      case '--dst-nat':
        f.dstNat = true;
        break;
      case '-m':
      case '--mark':
        f.mark = Number(value());
        break;
      default:
        throw new UnsupportedError(`conntrack: option ${a} is not modelled (the model has -L, -F, -C, -p, -s, -d, -r, -q, --sport, --dport, -n, -g, -m)`, a);
    }
  }
  const table = conntrackTable(ctx.ns);
  switch (cmd) {
    case 'flush':
      table.flush();
      eprint(ctx, `${PROG}: connection tracking table has been emptied.\n`);
      return 0;
    case 'count':
      print(ctx, `${table.entries.length}\n`);
      return 0;
    case 'list': {
      const shown = table.entries.filter((e) => matches(e, f));
      print(ctx, shown.map((e) => `${conntrackLine(e)}\n`).join(''));
      eprint(ctx, `${PROG}: ${shown.length} flow entries have been shown.\n`);
      return 0;
    }
    default:
      throw new UnsupportedError('conntrack: give a command (-L, -F or -C)', argv.join(' '));
  }
}

registerTool('conntrack', conntrack);
