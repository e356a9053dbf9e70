// `netatlas`: run reference scripts against the model, trace packets, generate scripts.
import { readFileSync } from 'node:fs';
import { runScripts } from '../session.ts';
import { toolNames } from '../tools/registry.ts';

const RUN_HELP = `Usage: netatlas run SCRIPT...

Runs the scripts in order against one fresh model of a Linux machine and prints exactly
what \`bash SCRIPT...\` would print as root: stdout and stderr on their own streams, and the
exit status of the last command (or of the failing one under \`set -e\`).

Shell subset: one simple command per line, \`#\` comments, \`\\\` continuations, quotes,
VAR=value and $VAR / \${VAR}, \`set -e\`, \`set -u\`, \`set -x\`. No pipes, redirections,
loops or command substitution: a script that uses them stops with a message naming the
script, line and token.

Commands the model runs:
  ip [-n NS] [-4|-6] [-d] [-br] link|addr|route|rule|neigh ...   iproute2 6.1 output
      link add NAME [index N] [address MAC] [mtu N] [txqueuelen N] [netns NS]
           type veth peer name P [index N] [netns NS] | vxlan id N dstport P dev D
           [local A] [nolearning] | vlan id N (with link D) | ipvlan mode l2|l3
           (with link D) | dummy | bond mode 802.3ad xmit_hash_policy P [miimon N]
      link set DEV up|down|mtu N|address MAC|netns NS|master M|nomaster|txqueuelen N
      link del DEV; link show [DEV]
      addr add|del A/LEN [brd +] [scope S] [label L] [noprefixroute] dev DEV; addr show
      route add|append|prepend|replace|change|del PREFIX [via GW] [dev D] [onlink]
            [table T] [proto P] [scope S] [metric N] [src A] (also blackhole,
            unreachable, prohibit, local, broadcast, throw types)
      route show [table T|all] [dev D] [proto P] [scope S] [type T] [root|match|exact P]
      route get ADDR [from A] [iif D] [oif D] [mark M] [fibmatch]
      rule add|del|show [not] [from P] [to P] [iif D] [oif D] [fwmark M] [pref N]
           lookup T | blackhole | unreachable | prohibit
      neigh add|replace|change|del A lladdr MAC dev D [nud S]; neigh show [dev D]
      netns add|del|list NAME; netns exec NAME CMD...
  bridge [-n NS] fdb add|append|replace|del MAC dev VXLAN dst A [vni N] self permanent
  bridge fdb show [dev D]
  sysctl [-w] [-q] KEY[=VALUE]   net.ipv4.ip_forward, net.ipv4.conf.*.{forwarding,
         proxy_arp,rp_filter,accept_local,route_localnet,arp_ignore,arp_announce},
         net.ipv4.ip_local_port_range, net.ipv4.vs.conntrack
  busybox ip addr|link|route [show [DEV]]   BusyBox 1.35 output
  echo, true, false, sleep, set
Registered tools: ${'%TOOLS%'}
`;

const HELP = `Usage: netatlas COMMAND ...

Commands:
  run SCRIPT...     run scripts against the model, print what bash would print
  help              this text

Run "netatlas run --help" for the commands and shell subset the model supports.
`;

function readScripts(paths: string[]): { name: string; text: string }[] | string {
  const out: { name: string; text: string }[] = [];
  for (const p of paths) {
    try {
      out.push({ name: p, text: readFileSync(p, 'utf8') });
    } catch {
      return `bash: ${p}: No such file or directory\n`;
    }
  }
  return out;
}

export function main(argv: string[]): number {
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
    if (typeof scripts === 'string') {
      process.stderr.write(scripts);
      return 127;
    }
    const r = runScripts(scripts);
    // Write each chunk to its stream in order, as the commands would have.
    for (const c of r.chunks) (c.stream === 'stdout' ? process.stdout : process.stderr).write(c.text);
    return r.status;
  }
  process.stderr.write(`netatlas: unknown command "${cmd}" (see netatlas help)\n`);
  return 2;
}

process.exitCode = main(process.argv.slice(2));
