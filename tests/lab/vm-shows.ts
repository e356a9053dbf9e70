// The show commands compared on the reference kernel: everything the host lab compares
// (reference.ts showCommands) and, for the devices only the VM has, what a reader types to
// look at them: `ip -d link show` of every device, /proc/net/bonding, /proc/net/vlan/config,
// `ovs-vsctl show`, `ipvsadm -Ln`, and the nat table and conntrack on every node.
import type { Session } from '../../lib/session.ts';
import { showCommands, type ShowCommand } from './reference.ts';
import type { CommandResult } from './kernel.ts';

export function vmShowCommands(session: Session): ShowCommand[] {
  const out = showCommands(session);
  const have = new Set(out.map((s) => s.text));
  const add = (ns: string, text: string, compare: ShowCommand['compare'] = 'exact') => {
    if (have.has(text)) return;
    have.add(text);
    out.push({ ns, text, compare });
  };
  // IPv6 routes of one prefix are listed in the order they were added, and a link-local's
  // local route is added when its DAD ends: devices sharing one link-local (biz and its VLANs)
  // finish DAD in whichever order the timers fire. Compared as a set of lines on this kernel.
  for (const s of out) if (/ -6 route show table all$/.test(s.text)) s.compare = 'set';
  for (const ns of session.world.namespaces()) {
    const n = ns.name;
    const devs = ns.devicesInOrder();
    for (const d of devs) add(n, `ip -n ${n} -d link show ${d.name}`);
    for (const d of devs) if (d.kind === 'bond') add(n, `ip netns exec ${n} cat /proc/net/bonding/${d.name}`);
    if (devs.some((d) => d.kind === 'vlan')) add(n, `ip netns exec ${n} cat /proc/net/vlan/config`);
    // ovs-vsctl lists a bridge's ports in the order of their row UUIDs, which are random:
    // compared as a set of lines (every line still compared).
    if (devs.some((d) => d.kind === 'ovs-internal')) add(n, `ip netns exec ${n} ovs-vsctl show`, 'set');
    if (devs.some((d) => d.kind === 'dummy')) add(n, `ip netns exec ${n} ipvsadm -Ln`);
    if (/^node-|^tor$/.test(n)) {
      add(n, `ip netns exec ${n} iptables -t nat -S`);
      add(n, `ip netns exec ${n} conntrack -L`);
    }
  }
  return out;
}

/**
 * Values the kernel draws at random, masked on both sides before comparing (and named here,
 * so the list of what is not compared stays short and visible): what traffic leaves
 * (maskTraffic: conntrack timeouts and ICMP ids, ping's times), the UUID `ovs-vsctl show`
 * prints first (the Open_vSwitch row), and the MAC address of each datapath's `ovs-system`
 * device (eth_hw_addr_random in the openvswitch module). And two LACP values that depend on
 * which member's LACPDUs were answered first: the id of the aggregator the members share
 * (each member brings one, numbered per bond; the first to be selected wins, 1 or 2) and the
 * churn counters (a member that took longer than the churn timer to sync counts one).
 */
export function maskRandom(text: string): string {
  text = maskTraffic(text)
    .replace(/\bad_aggregator_id \d+/g, 'ad_aggregator_id <lacp>')
    .replace(/\bad_aggregator \d+/g, 'ad_aggregator <lacp>')
    .replace(/^(\s*Aggregator ID:) \d+$/gm, '$1 <lacp>')
    .replace(/^((?:Actor|Partner) Churn(?:ed Count:| State:)) .*$/gm, '$1 <lacp>');
  const lines = text.split('\n');
  let ovsSystem = false;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (i === 0 && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(l)) lines[i] = '<uuid>';
    if (/^\d+: ovs-system[:@]/.test(l)) {
      ovsSystem = true;
      if (l.includes('link/ether')) lines[i] = l.replace(/link\/ether [0-9a-f:]{17}/, 'link/ether <random>');
      continue;
    }
    if (/^\d+: /.test(l)) ovsSystem = false;
    if (ovsSystem && /^\s+link\/ether /.test(l)) lines[i] = l.replace(/link\/ether [0-9a-f:]{17}/, 'link/ether <random>');
  }
  return lines.join('\n');
}

/**
 * What traffic leaves that the kernel draws at random or that counts down while the commands
 * run, masked in exactly these places (each pattern anchors on the whole line it belongs to,
 * and everything else on that line is still compared):
 * - `conntrack -L`: the timeout column (seconds left, counting down from 30 for ICMP), the
 *   ICMP id of an echo (iputils ping uses its process id) and the client's source port of a
 *   UDP or TCP entry (original sport, reply dport: the kernel's random pick); ids and ports
 *   are numbered by first appearance in the line, so one NAT changed between the directions
 *   still differs.
 * - `ipvsadm -Lnc`: the expire column (counting down) and the port of the source column (the
 *   client's random pick); the line is compared with single spaces between its columns.
 * - iputils ping: each reply's `time=` figure, the total `time Nms` of the statistics line and
 *   the four figures of the `rtt min/avg/max/mdev` line (measured times).
 * - `ip route get` and `ip route show cache`: the seconds a path MTU exception has left
 *   (`expires 597sec`; the model, which has no clock, prints net.ipv4.route.mtu_expires - 1).
 * Addresses, the service's port, protocol, state, flags ([UNREPLIED], [ASSURED]), mark, ttl, icmp_seq and
 * packet counts are compared as printed.
 */
export const TRAFFIC_MASKS: readonly { what: string; re: RegExp; mask: (line: string) => string }[] = [
  {
    what: 'conntrack -L: the timeout column',
    re: /^(?:tcp|udp|udplite|icmp|sctp|dccp|gre|unknown) +\d+ \d+ /,
    mask: (l) => l.replace(/^(\S+ +\d+ )\d+ /, '$1<timeout> '),
  },
  {
    what: 'conntrack -L: the ICMP id of an echo',
    re: /^icmp +1 \S+ .*\bid=\d+ /,
    mask: (l) => {
      const seen: string[] = [];
      return l.replace(/\bid=(\d+) /g, (_, n: string) => {
        if (!seen.includes(n)) seen.push(n);
        return `id=<id${seen.indexOf(n) + 1}> `;
      });
    },
  },
  {
    what: "conntrack -L: the client's source port (UDP, TCP)",
    re: /^(?:tcp|udp|udplite|sctp|dccp) +\d+ .*\bsport=\d+ dport=\d+ .*\bsport=\d+ dport=\d+ /,
    mask: (l) => {
      // The original direction's sport and the reply direction's dport: both the port the
      // client's kernel picked (equal unless SNAT changed it; numbered like the ICMP ids).
      const seen: string[] = [];
      const tag = (n: string) => {
        if (!seen.includes(n)) seen.push(n);
        return `<port${seen.indexOf(n) + 1}>`;
      };
      const first = l.indexOf(' sport=');
      const last = l.lastIndexOf(' dport=');
      const a = /^ sport=(\d+)/.exec(l.slice(first))!;
      const b = /^ dport=(\d+)/.exec(l.slice(last))!;
      const sp = ` sport=${tag(a[1]!)}`;
      const dp = ` dport=${tag(b[1]!)}`;
      return l.slice(0, first) + sp + l.slice(first + a[0].length, last) + dp + l.slice(last + b[0].length);
    },
  },
  {
    what: 'ipvsadm -Lnc: the expire column and the client\'s source port',
    re: /^(?:TCP|UDP|SCTP) +\d\d:\d\d +\S+ +[\d.]+:\d+ +[\d.]+:\d+ +[\d.]+:\d+$/,
    // Rewritten with single spaces: the two masked fields need not have the same width.
    mask: (l) => {
      const [pro, , state, src, vip, dest] = l.split(/ +/) as [string, string, string, string, string, string];
      return `${pro} <expire> ${state} ${src.replace(/:\d+$/, ':<port>')} ${vip} ${dest}`;
    },
  },
  {
    what: "ping: a reply's time=",
    re: /^\d+ bytes from \S+: icmp_seq=\d+ ttl=\d+ time=[\d.]+ ms$/,
    mask: (l) => l.replace(/time=[\d.]+ ms$/, 'time=<rtt> ms'),
  },
  {
    what: "ping: the statistics' total time",
    re: /^\d+ packets transmitted, \d+ received(?:, \+\d+ errors)?, [\d.]+% packet loss, time \d+ms$/,
    mask: (l) => l.replace(/time \d+ms$/, 'time <ms>ms'),
  },
  {
    what: 'ping: the rtt line',
    re: /^rtt min\/avg\/max\/mdev = [\d.]+\/[\d.]+\/[\d.]+\/[\d.]+ ms$/,
    mask: () => 'rtt min/avg/max/mdev = <rtt> ms',
  },
  {
    what: "ip route get / show cache: a path MTU exception's expires",
    re: /^    cache (?:<[a-z,]+> )?expires \d+sec mtu (?:lock )?\d+ /,
    mask: (l) => l.replace(/ expires \d+sec /, ' expires <s>sec '),
  },
  {
    what: "ip -j route get: a path MTU exception's expires",
    re: /^\[\{"dst":.*"cache":\[[^\]]*\],"expires":\d+,"metrics":\[\{"mtu":\d+\}\]/,
    mask: (l) => l.replace(/,"expires":\d+,"metrics"/, ',"expires":<s>,"metrics"'),
  },
];

/** TRAFFIC_MASKS over a text, line by line. */
export function maskTraffic(text: string): string {
  return text
    .split('\n')
    .map((l) => TRAFFIC_MASKS.reduce((x, m) => (m.re.test(x) ? m.mask(x) : x), l))
    .join('\n');
}

/** maskRandom over a section's lines (a doc block's output, as the doctest keeps it). */
export function maskLines(lines: readonly string[]): string[] {
  if (lines.length === 0) return [];
  const out = maskRandom(lines.join('\n')).split('\n');
  // `ovs-vsctl show`: ports come in the order of their random row UUIDs, so the section is
  // compared as a set of lines, as the show commands are (vmShowCommands).
  return out[0] === '<uuid>' ? out.sort() : out;
}

export function masked(r: CommandResult): CommandResult {
  return { stdout: maskRandom(r.stdout), stderr: r.stderr, status: r.status };
}
