// The `ip` command: global options, then the object (link, addr, route, rule, neigh, netns).
import { KernelError } from '../../model/errno.ts';
import { registerTool } from '../registry.ts';
import type { ToolContext } from '../tool.ts';
import { ipAddr } from './addr.ts';
import { Args, IpUsageError, matches, notModelled } from './args.ts';
import { makeIpCtx, type IpOptions } from './context.ts';
import { ipLink } from './link.ts';
import { ipNeigh } from './neigh.ts';
import { ipNetns } from './netns.ts';
import { ipRoute } from './route.ts';
import { ipRule } from './rule.ts';

type ObjectHandler = (ctx: ReturnType<typeof makeIpCtx>, a: Args) => number;

// ip.c's cmds[] in order: the first keyword the argument is a prefix of wins.
const OBJECTS: [string, ObjectHandler | undefined][] = [
  ['address', ipAddr],
  ['addrlabel', undefined],
  ['maddress', undefined],
  ['route', ipRoute],
  ['rule', ipRule],
  ['neighbor', ipNeigh],
  ['neighbour', ipNeigh],
  ['ntable', undefined],
  ['link', ipLink],
  ['l2tp', undefined],
  ['fou', undefined],
  ['ila', undefined],
  ['macsec', undefined],
  ['tunnel', undefined],
  ['tuntap', undefined],
  ['token', undefined],
  ['tcpmetrics', undefined],
  ['monitor', undefined],
  ['xfrm', undefined],
  ['mroute', undefined],
  ['mrule', undefined],
  ['netns', ipNetns],
  ['netconf', undefined],
  ['vrf', undefined],
  ['sr', undefined],
  ['nexthop', undefined],
  ['mptcp', undefined],
  ['ioam', undefined],
  ['stats', undefined],
];

/** ip.c usage(), iproute2 6.1.0: what `ip` with no object prints (status 255). */
const IP_USAGE = `Usage: ip [ OPTIONS ] OBJECT { COMMAND | help }
       ip [ -force ] -batch filename
where  OBJECT := { address | addrlabel | amt | fou | help | ila | ioam | l2tp |
                   link | macsec | maddress | monitor | mptcp | mroute | mrule |
                   neighbor | neighbour | netconf | netns | nexthop | ntable |
                   ntbl | route | rule | sr | tap | tcpmetrics |
                   token | tunnel | tuntap | vrf | xfrm }
       OPTIONS := { -V[ersion] | -s[tatistics] | -d[etails] | -r[esolve] |
                    -h[uman-readable] | -iec | -j[son] | -p[retty] |
                    -f[amily] { inet | inet6 | mpls | bridge | link } |
                    -4 | -6 | -M | -B | -0 |
                    -l[oops] { maximum-addr-flush-attempts } | -br[ief] |
                    -o[neline] | -t[imestamp] | -ts[hort] | -b[atch] [filename] |
                    -rc[vbuf] [size] | -n[etns] name | -N[umeric] | -a[ll] |
                    -c[olor]}
`;

export function runIp(argv: string[], tool: ToolContext, label = 'ip'): number {
  const a = new Args(argv.slice(1));
  const opts: IpOptions = { family: 0, details: false, brief: false, json: false, oneline: false, pretty: false, stats: false };
  let ns = tool.ns;
  const ctx0 = makeIpCtx(tool, ns, opts);
  try {
    while (!a.done && a.peek()!.startsWith('-')) {
      let opt = a.next();
      if (opt.startsWith('--')) opt = opt.slice(1);
      if (opt === '-4') opts.family = 4;
      else if (opt === '-6') opts.family = 6;
      else if (matches(opt, '-details')) opts.details = true;
      else if (matches(opt, '-brief') && opt.length >= 3) opts.brief = true;
      else if (opt === '-n' || matches(opt, '-netns')) {
        const name = a.value();
        const found = tool.world.netns(name);
        if (!found) {
          ctx0.err(`Cannot open network namespace "${name}": No such file or directory\n`);
          return 255;
        }
        ns = found;
      } else if (opt === '-j' || matches(opt, '-json')) opts.json = true;
      else if (opt === '-p' || matches(opt, '-pretty')) opts.pretty = true;
      else if (opt === '-c' || matches(opt, '-color')) {
        // Colour only changes terminal escapes, never the text: nothing to model.
      }
      else if (matches(opt, '-oneline')) opts.oneline = true;
      else if (matches(opt, '-statistics')) throw notModelled(opt, label);
      else if (opt === '-f' || matches(opt, '-family')) {
        const fam = a.value();
        if (fam === 'inet') opts.family = 4;
        else if (fam === 'inet6') opts.family = 6;
        else throw notModelled(fam, `${label} -family`);
      } else {
        ctx0.err(`Option "${opt}" is unknown, try "ip -help".\n`);
        return 255;
      }
    }
    const ctx = makeIpCtx(tool, ns, opts);
    if (a.done) {
      ctx.err(IP_USAGE);
      return 255;
    }
    const obj = a.next();
    const hit = OBJECTS.find(([name]) => matches(obj, name));
    if (!hit) {
      ctx.err(`Object "${obj}" is unknown, try "ip help".\n`);
      return 1;
    }
    if (!hit[1]) throw notModelled(hit[0], label);
    return hit[1](ctx, a);
  } catch (e) {
    if (e instanceof KernelError) {
      ctx0.err(e.iproute2Message() + '\n');
      return 2;
    }
    if (e instanceof IpUsageError) {
      // iproute2 adds a newline to every message; invarg texts that carry their own
      // ("\"table\" value is invalid\n") leave a blank line after them, as the real tool does.
      ctx0.err(e.message + '\n');
      return e.status;
    }
    throw e;
  }
}

registerTool('ip', (argv, ctx) => runIp(argv, ctx));
