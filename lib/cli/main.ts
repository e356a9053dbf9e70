// `netatlas`: run reference scripts against the model, trace packets, generate scripts.
import { readFileSync, statSync } from 'node:fs';
import { runScripts, Session } from '../session.ts';
import { formatTrace, replyQuery, trace, TraceError, type TraceQuery } from '../trace/index.ts';
import { toolNames } from '../tools/registry.ts';
// `generate` lives with the generator (lib/generator/cli.ts).
import { generateCommand } from '../generator/cli.ts';
// `kernel` runs scripts on the reference kernel VM (lib/vm).
import { kernelCommand } from '../vm/cli.ts';

const RUN_HELP = `Usage: netatlas run SCRIPT...

Runs the scripts in order against one fresh model of a Linux machine and prints exactly
what \`bash SCRIPT...\` would print as root: stdout and stderr on their own streams, and the
exit status of the last command (or of the failing one under \`set -e\`).

Shell subset: one simple command per line, \`#\` comments, \`\\\` continuations, quotes,
VAR=value and $VAR / \${VAR} (unquoted ones split at blanks), $? (the last status), $#, $0,
\`set -e\`, \`set -u\`, \`set -x\`; a trailing \`&\` and a here-string \`<<< WORD\` for the
tools that take them (socat). No pipes, other redirections, loops, \$(...), \$((...)),
\${VAR:-x}-style operators or ~: a script that uses them stops with a message naming the
script, line and token. A command longer than 16 MiB after expansion stops the run too.

Commands the model runs:
  ip [-n NS] [-4|-6] [-d] [-br] [-o] [-j [-p]] link|addr|route|rule|neigh ...   iproute2 6.1 output
      link add NAME [index N] [address MAC] [mtu N] [txqueuelen N] [netns NS]
           type veth peer name P [index N] [netns NS] | vxlan id N dstport P dev D
           [local A] [nolearning] | vlan id N (with link D) | ipvlan mode l2|l3
           (with link D) | macvlan mode private|vepa|bridge|passthru (with link D)
           | dummy | bridge | bond mode 802.3ad xmit_hash_policy P [miimon N]
      link set DEV up|down|mtu N|address MAC|netns NS|master M|nomaster|txqueuelen N
      link del DEV; link show [DEV]
      addr add|del A/LEN [brd +] [scope S] [label L] [noprefixroute] dev DEV; addr show
      route add|append|prepend|replace|change|del PREFIX [via GW] [dev D] [onlink]
            [table T] [proto P] [scope S] [metric N] [src A] (also blackhole,
            unreachable, prohibit, local, broadcast, throw types)
      route show [table T|all] [dev D] [proto P] [scope S] [type T] [root|match|exact P]
      route get ADDR [from A] [iif D] [oif D] [mark M] [fibmatch]
      route show|flush cache   path MTU exceptions left by ICMP fragmentation needed
      rule add|del|show [not] [from P] [to P] [iif D] [oif D] [fwmark M] [pref N]
           lookup T | blackhole | unreachable | prohibit
      neigh add|replace|change|del A lladdr MAC dev D [nud S]; neigh show [dev D]
      netns add|del|list NAME; netns exec NAME CMD...
  bridge [-n NS] fdb add|append|replace|del MAC dev VXLAN dst A [vni N] self permanent
  bridge fdb show [dev D]
  sysctl [-w] [-q] KEY[=VALUE]   net.ipv4.ip_forward, net.ipv4.conf.*.{forwarding,
         proxy_arp,rp_filter,accept_local,route_localnet,arp_ignore,arp_announce,
         proxy_delay}, net.ipv4.ip_local_port_range, net.ipv4.vs.conntrack,
         net.ipv4.route.mtu_expires,
         net.ipv6.conf.*.accept_dad (kept and shown; addresses are shown after DAD)
  busybox ip addr|link|route [show [DEV]]   BusyBox 1.35 output
  ping -c N [-q] [-n] [-s SIZE] [-W S] [-M do|want|dont] ADDR   iputils, driven by the
         packet tracer (an answered echo, a router's net unreachable or fragmentation
         needed, a local message-too-long; times are fixed: 0.100 ms)
  socat [-T S] UDP-RECVFROM:PORT[,bind=ADDR] PIPE &   a UDP echo server for one datagram
  socat [-t S] [-T S] - UDP:ADDR:PORT <<< WORD        a UDP client: sends WORD, prints the answer
  echo, true, false, sleep, set
Registered tools: ${'%TOOLS%'}
`;

const HELP = `Usage: netatlas COMMAND ...

Commands:
  run SCRIPT...     run scripts against the model, print what bash would print
  trace SCRIPT... --from NS --to IP [--proto icmp|tcp|udp] [--sport N] [--dport N]
                    [--size BYTES] [--no-df] [--reply] [--json]
                    build the model from the scripts, then walk one packet through it
  generate PARAMS.json --out DIR
                    check your cluster's parameters, write its setup and check scripts
  kernel run SCRIPT...
                    run scripts on the reference kernel (Linux 6.1 in a QEMU VM) and
                    print what it printed (see netatlas kernel --help)
  help              this text

Run "netatlas run --help" for the commands and shell subset the model supports.
`;

/** The largest script the model reads (bash has no limit; the model keeps memory bounded). */
const MAX_SCRIPT_BYTES = 64 * 1024 * 1024;

/** Reads the scripts, or says what bash would say about the first one it cannot run, with bash's status. */
function readScripts(paths: string[]): { name: string; text: string }[] | { message: string; status: number } {
  const out: { name: string; text: string }[] = [];
  for (const p of paths) {
    let st;
    try {
      st = statSync(p);
    } catch {
      return { message: `bash: ${p}: No such file or directory\n`, status: 127 };
    }
    if (st.isDirectory()) return { message: `${p}: ${p}: Is a directory\n`, status: 126 };
    if (st.size > MAX_SCRIPT_BYTES) {
      return { message: `netatlas: ${p}: the script is ${st.size} bytes, over the model's limit of ${MAX_SCRIPT_BYTES}\n`, status: 2 };
    }
    try {
      out.push({ name: p, text: readFileSync(p, 'utf8') });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      return { message: `bash: ${p}: ${code === 'EACCES' ? 'Permission denied' : 'No such file or directory'}\n`, status: 126 };
    }
  }
  return out;
}

export function main(argv: string[]): number | Promise<number> {
  const [cmd, ...rest] = argv;
  if (cmd === undefined || cmd === 'help' || cmd === '--help' || cmd === '-h') {
    process.stdout.write(HELP);
    return cmd === undefined ? 2 : 0;
  }
  if (cmd === 'run') {
    if (rest.includes('--help') || rest.includes('-h')) {
      process.stdout.write(RUN_HELP.replace('%TOOLS%', toolNames().join(', ')));
      return 0;
    }
    if (rest.length === 0) {
      process.stderr.write('netatlas run: give at least one SCRIPT (see netatlas run --help)\n');
      return 2;
    }
    const scripts = readScripts(rest);
    if (!Array.isArray(scripts)) {
      process.stderr.write(scripts.message);
      return scripts.status;
    }
    const r = runScripts(scripts);
    // Write each chunk to its stream in order, as the commands would have.
    for (const c of r.chunks) (c.stream === 'stdout' ? process.stdout : process.stderr).write(c.text);
    return r.status;
  }
  if (cmd === 'trace') return traceCommand(rest);
  if (cmd === 'generate') return generateCommand(rest);
  if (cmd === 'kernel') return kernelCommand(rest);
  process.stderr.write(`netatlas: unknown command "${cmd}" (see netatlas help)\n`);
  return 2;
}

const TRACE_HELP = `Usage: netatlas trace SCRIPT... --from NS --to IP [options]

Builds a fresh model by running the scripts (as \`netatlas run\` would), then traces one
packet from namespace NS to IP: every routing decision, neighbour lookup, NAT, IPVS,
encapsulation, VLAN, bond and switch step, with the header stack and sizes.

  --from NS          namespace the packet starts in (a pod, a node, ext...)
  --to IP            destination IPv4 address
  --proto P          icmp (default), tcp or udp
  --sport N          source port (tcp/udp, default 40000) or ICMP echo id (default 1)
  --dport N          destination port (default 80 for tcp, 53 for udp)
  --size BYTES       total length of the IP packet (default 84 for icmp, 60 otherwise)
  --no-df            clear the don't-fragment bit (set by default, as ping and TCP do)
  --reply            also trace the reply from the destination back (conntrack un-NATs it)
  --json             print the trace as JSON (shape: docs/trace.md)

Exit status: 0 when the packet is delivered, 1 when it is dropped, 2 for a bad question,
3 when the model cannot follow the packet (MODEL_LIMIT: e.g. broadcast or multicast).
`;

function traceCommand(args: string[]): number {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(TRACE_HELP);
    return 0;
  }
  const scripts: string[] = [];
  const q: Partial<TraceQuery> = {};
  let json = false;
  let reply = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const value = (): string => {
      const v = args[++i];
      if (v === undefined) throw new TraceError(`${a} needs a value`);
      return v;
    };
    const num = (): number => {
      const v = value();
      if (!/^\d+$/.test(v)) throw new TraceError(`${a} takes a whole number, not "${v}"`);
      return Number(v);
    };
    try {
      if (a === '--from') q.from = value();
      else if (a === '--to') q.to = value();
      else if (a === '--proto') q.proto = value() as TraceQuery['proto'];
      else if (a === '--sport') q.sport = num();
      else if (a === '--dport') q.dport = num();
      else if (a === '--size') q.size = num();
      else if (a === '--no-df') q.df = false;
      else if (a === '--reply') reply = true;
      else if (a === '--json') json = true;
      else if (a.startsWith('--')) throw new TraceError(`unknown option "${a}" (see netatlas trace --help)`);
      else scripts.push(a);
    } catch (e) {
      if (e instanceof TraceError) {
        process.stderr.write(`netatlas trace: ${e.message}\n`);
        return 2;
      }
      throw e;
    }
  }
  if (q.from === undefined || q.to === undefined) {
    process.stderr.write('netatlas trace: --from NS and --to IP are required (see netatlas trace --help)\n');
    return 2;
  }
  const loaded = readScripts(scripts);
  if (!Array.isArray(loaded)) {
    process.stderr.write(loaded.message);
    return 2;
  }
  const session = new Session();
  for (const s of loaded) {
    const r = session.runScript(s.text, s.name);
    if (r.status !== 0 || r.unsupported) {
      process.stderr.write(r.stderr);
      process.stderr.write(`netatlas trace: ${s.name} failed (exit status ${r.status}); the model was not built\n`);
      return 2;
    }
  }
  try {
    const first = trace(session.world, q as TraceQuery);
    const traces = [first];
    if (reply && first.disposition === 'DELIVERED') traces.push(trace(session.world, replyQuery(first)));
    if (json) process.stdout.write(JSON.stringify(reply ? traces : first, null, 2) + '\n');
    else process.stdout.write(traces.map(formatTrace).join('\n'));
    if (traces.some((t) => t.disposition === 'MODEL_LIMIT')) return 3;
    return traces.every((t) => t.disposition === 'DELIVERED') ? 0 : 1;
  } catch (e) {
    if (e instanceof TraceError) {
      process.stderr.write(`netatlas trace: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}

try {
  const code = main(process.argv.slice(2));
  process.exitCode = typeof code === 'number' ? code : await code;
} catch (e) {
  // Never a stack trace: one line saying what failed.
  const what = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  process.stderr.write(`netatlas: internal error (${what}); please report it with the command you ran\n`);
  process.exitCode = 70;
}
