// Random but valid (and some deliberately invalid) routing configurations, as the shell
// commands a reader would type: veth pairs, links up and down, addresses, routes of every
// type in several tables, policy rules, sysctls — then `ip route get` lookups and the show
// commands. The same text runs on the real kernel and on the model.
import { Prng, subSeed } from './prng.ts';

export type CommandKind = 'setup' | 'config' | 'lookup' | 'show';

export interface FuzzCommand {
  text: string;
  kind: CommandKind;
  /** Kept by the shrinker (namespace creation, sysctl pinning). */
  fixed: boolean;
  /** What the command exercises, for the per-class counts the fuzzer prints (FUZZ_CLASSES). */
  cls: FuzzClass;
}

/**
 * The classes the fuzzer reports counts for: the routing core it started with, and the edges
 * a user reaches by typing (issue 15): non-canonical and invalid input, interface names,
 * neighbours and lladdr forms, output formats, namespace lifecycle, bridge ports, vxlan FDB,
 * sysctl ranges, iptables nat.
 */
export const FUZZ_CLASSES = [
  'setup',
  'link',
  'addr',
  'route',
  'rule',
  'sysctl',
  'lookup',
  'show',
  'noncanonical',
  'invalid',
  'ifname',
  'neigh',
  'format',
  'netns',
  'bridge',
  'fdb',
  'iptables',
  'multipath',
] as const;
export type FuzzClass = (typeof FUZZ_CLASSES)[number];

export interface FuzzConfig {
  index: number;
  seed: number;
  namespaces: string[];
  commands: FuzzCommand[];
}

export interface GenOptions {
  /** `ip route get` lookups per configuration. */
  lookups: number;
}

interface GDev {
  name: string;
  /** 'a' = the main namespace, 'b' = the peer namespace. */
  ns: 'a' | 'b';
  up: boolean;
}

interface GAddr {
  addr: number;
  len: number;
  dev: string;
}

interface GRoute {
  text: string; // the part after `route add`
  table: string | undefined;
}

const BASES = ['10.0.0.0', '10.1.0.0', '10.1.1.0', '172.16.0.0', '192.168.1.0', '192.168.2.0', '100.64.0.0', '169.254.1.0', '10.20.9.0', '198.51.100.0'];
const HOSTS = [0, 1, 2, 3, 4, 5, 9, 10, 17, 33, 63, 64, 65, 100, 126, 127, 128, 129, 191, 200, 253, 254, 255];
const ADDR_LENS = [8, 12, 16, 20, 22, 24, 24, 24, 25, 26, 28, 29, 30, 31, 32, 32];
const ROUTE_LENS = [0, 8, 16, 16, 20, 24, 24, 24, 25, 26, 27, 28, 30, 31, 32, 32, 32];
const TABLES: readonly (readonly [number, string | undefined])[] = [
  [8, undefined],
  [3, '100'],
  [2, '200'],
  [0.4, 'main'],
  [0.4, 'local'],
  [0.3, 'default'],
  [0.2, '1000'],
  [0.1, '4294967'],
];
const PROTOS = ['static', 'boot', 'kernel', 'bird', 'dhcp', '99', '200', 'redirect'];
const SCOPES = ['link', 'host', 'global', 'site', '100'];
const METRICS = ['0', '1', '10', '100', '256', '1024', '4294967295'];
const MARKS = ['0x1', '0x2', '0x10', '0x100', '7', '0x4000'];

function ip4(n: number): string {
  return `${(n >>> 24) & 255}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

function parse4(s: string): number {
  const [a, b, c, d] = s.split('.').map(Number);
  return ((a! << 24) | (b! << 16) | (c! << 8) | d!) >>> 0;
}

function mask(len: number): number {
  return len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
}

class Gen {
  readonly r: Prng;
  readonly a: string;
  readonly b: string;
  readonly cmds: FuzzCommand[] = [];
  readonly devs: GDev[] = [];
  readonly addrs: GAddr[] = [];
  readonly routes: GRoute[] = [];
  readonly rulePrefs: number[] = [];
  readonly bases: number[];
  usePeerNs: boolean;

  constructor(r: Prng, a: string, b: string) {
    this.r = r;
    this.a = a;
    this.b = b;
    this.usePeerNs = false;
    const n = r.int(2, 4);
    const bases = new Set<string>();
    while (bases.size < n) bases.add(r.pick(BASES));
    this.bases = [...bases].map(parse4);
  }

  /** The class of the config commands being generated (set by configStep). */
  cls: FuzzClass = 'setup';
  /** The third namespace of the netns lifecycle step, once used. */
  c: string | undefined;
  cUsed = false;
  bridge = false;
  vxlan = false;
  neighDsts: number[] = [];

  push(text: string, kind: CommandKind, fixed = false, cls?: FuzzClass): void {
    this.cmds.push({ text, kind, fixed, cls: cls ?? (kind === 'lookup' ? 'lookup' : kind === 'show' ? 'show' : kind === 'setup' ? 'setup' : this.cls) });
  }

  ipA(rest: string): string {
    return `ip -n ${this.a} ${rest}`;
  }

  /** A random address near the configuration's networks (so that prefixes overlap). */
  addr(): number {
    const r = this.r;
    const roll = r.u32() % 100;
    if (roll < 4) return r.u32();
    if (roll < 8 && this.addrs.length) {
      const x = r.pick(this.addrs);
      return x.addr;
    }
    const base = r.pick(this.bases);
    const third = r.weighted([
      [6, 0],
      [3, 1],
      [1, 2],
      [0.5, 255],
    ] as const);
    return (base + third * 256 + r.pick(HOSTS)) >>> 0;
  }

  /** A host in the subnet of a configured address (a plausible gateway or neighbour). */
  neighbour(): number {
    if (this.addrs.length === 0 || this.r.chance(0.15)) return this.addr();
    const x = this.r.pick(this.addrs);
    const m = mask(x.len);
    const host = this.r.pick(HOSTS) & ~m;
    return ((x.addr & m) | host) >>> 0;
  }

  prefix(lens = ROUTE_LENS): string {
    const len = this.r.pick(lens);
    if (len === 0) return this.r.chance(0.7) ? 'default' : '0.0.0.0/0';
    const a = (this.neighbourOrAddr() & mask(len)) >>> 0;
    return len === 32 && this.r.chance(0.5) ? ip4(a) : `${ip4(a)}/${len}`;
  }

  neighbourOrAddr(): number {
    return this.r.chance(0.5) ? this.neighbour() : this.addr();
  }

  devsIn(ns: 'a' | 'b'): GDev[] {
    return this.devs.filter((d) => d.ns === ns);
  }

  /** A device name of namespace A: lo, a veth end, or now and then one that does not exist. */
  devName(allowMissing = true): string {
    const r = this.r;
    if (allowMissing && r.chance(0.03)) return 'nosuch0';
    const mine = this.devsIn('a');
    if (mine.length === 0 || r.chance(0.12)) return 'lo';
    return r.pick(mine).name;
  }

  localAddr(): number | undefined {
    const mine = this.addrs.filter((x) => this.devsIn('a').some((d) => d.name === x.dev) || x.dev === 'lo');
    return mine.length ? this.r.pick(mine).addr : undefined;
  }

  // ---- configuration commands ----

  createVeths(): void {
    const r = this.r;
    const n = r.int(1, 3);
    this.usePeerNs = r.chance(0.4);
    if (this.usePeerNs) this.push(`ip netns add ${this.b}`, 'setup', true);
    for (let i = 0; i < n; i++) {
      const foreign = this.usePeerNs && r.chance(0.6);
      const macA = `02:a0:00:00:0${i}:01`;
      const macB = `02:b0:00:00:0${i}:02`;
      this.push(
        this.ipA(`link add va${i} address ${macA} type veth peer name vb${i} address ${macB}${foreign ? ` netns ${this.b}` : ''}`),
        'config',
      );
      this.devs.push({ name: `va${i}`, ns: 'a', up: false }, { name: `vb${i}`, ns: foreign ? 'b' : 'a', up: false });
    }
  }

  linkUpDown(forceUp?: GDev): void {
    const r = this.r;
    const d = forceUp ?? r.pick(this.devs);
    const up = forceUp ? true : r.chance(d.up ? 0.3 : 0.85);
    d.up = up;
    const ns = d.ns === 'a' ? this.a : this.b;
    this.push(`ip -n ${ns} link set ${d.name} ${up ? 'up' : 'down'}`, 'config');
  }

  addrAdd(): void {
    const r = this.r;
    let dev = this.devName();
    let addr: number;
    let len: number;
    const roll = r.u32() % 100;
    if (roll < 20 && this.addrs.length) {
      // A secondary: another host in the subnet of an existing address, same length.
      const x = r.pick(this.addrs);
      len = x.len;
      addr = ((x.addr & mask(len)) | (r.pick(HOSTS) & ~mask(len))) >>> 0;
      if (r.chance(0.8)) dev = x.dev;
    } else if (roll < 25) {
      addr = parse4('127.0.0.1') + r.int(1, 5);
      len = r.pick([8, 32]);
      dev = 'lo';
    } else if (roll < 30 && this.addrs.length) {
      // The same address again (EEXIST), or on another device.
      const x = r.pick(this.addrs);
      addr = x.addr;
      len = x.len;
      if (r.chance(0.5)) dev = x.dev;
    } else {
      addr = this.addr();
      len = r.pick(ADDR_LENS);
    }
    const opts: string[] = [];
    if (r.chance(0.25)) opts.push('brd +');
    if (r.chance(0.12)) opts.push(`scope ${r.pick(['link', 'host', 'global'])}`);
    if (r.chance(0.15)) opts.push('noprefixroute');
    if (r.chance(0.1)) opts.push(`metric ${r.pick(['10', '100', '1024'])}`);
    shuffle(r, opts);
    this.push(this.ipA(`addr add ${ip4(addr)}/${len}${opts.map((o) => ' ' + o).join('')} dev ${dev}`), 'config');
    this.addrs.push({ addr, len, dev });
  }

  addrDel(): void {
    const r = this.r;
    if (this.addrs.length && r.chance(0.8)) {
      const i = r.int(0, this.addrs.length - 1);
      const x = this.addrs[i]!;
      const withLen = r.chance(0.8);
      this.push(this.ipA(`addr del ${ip4(x.addr)}${withLen ? `/${x.len}` : ''} dev ${x.dev}`), 'config');
      this.addrs.splice(i, 1);
    } else {
      this.push(this.ipA(`addr del ${ip4(this.addr())}/24 dev ${this.devName()}`), 'config');
    }
  }

  routeAdd(): void {
    const r = this.r;
    const op = r.weighted([
      [10, 'add'],
      [1.5, 'append'],
      [1.5, 'prepend'],
      [2, 'replace'],
      [1, 'change'],
    ] as const);
    const type = r.weighted([
      [14, 'unicast'],
      [1.5, 'blackhole'],
      [1.5, 'unreachable'],
      [1.5, 'prohibit'],
      [1.5, 'throw'],
      [1, 'local'],
      [0.5, 'broadcast'],
      [0.2, 'anycast'],
      [0.2, 'multicast'],
      [0.1, 'nat'],
    ] as const);
    const parts: string[] = [];
    let dst: string;
    if (type === 'local' || type === 'broadcast' || type === 'anycast') {
      dst = r.chance(0.7) ? ip4(this.neighbourOrAddr()) : this.prefix();
    } else dst = this.prefix();
    const opts: string[] = [];
    const explicitType = type !== 'unicast' || r.chance(0.05);
    if (type === 'unicast') {
      const gw = r.chance(0.55);
      if (gw) {
        const g = r.chance(0.1) && this.addrs.length ? r.pick(this.addrs).addr : this.neighbour();
        opts.push(`via ${ip4(g)}`);
        if (r.chance(0.7)) opts.push(`dev ${this.devName()}`);
        if (r.chance(0.2)) opts.push('onlink');
      } else if (r.chance(0.93)) opts.push(`dev ${this.devName()}`);
    } else if (type === 'local' || type === 'broadcast' || type === 'anycast' || type === 'multicast') {
      if (r.chance(0.95)) opts.push(`dev ${this.devName()}`);
    } else if (r.chance(0.05)) opts.push(`dev ${this.devName()}`);
    const table = r.weighted(TABLES);
    if (table !== undefined) opts.push(`table ${table}`);
    if (r.chance(0.2)) opts.push(`proto ${r.pick(PROTOS)}`);
    if (r.chance(0.15)) opts.push(`scope ${r.pick(SCOPES)}`);
    if (r.chance(0.3)) opts.push(`metric ${r.pick(METRICS)}`);
    if (r.chance(0.15)) {
      const src = r.chance(0.8) ? this.localAddr() : undefined;
      opts.push(`src ${ip4(src ?? this.addr())}`);
    }
    if (r.chance(0.3)) shuffle(r, opts);
    parts.push(...(explicitType ? [type] : []), dst, ...opts);
    const rest = parts.join(' ');
    this.push(this.ipA(`route ${op} ${rest}`), 'config');
    this.routes.push({ text: rest, table });
  }

  routeDel(): void {
    const r = this.r;
    if (this.routes.length && r.chance(0.75)) {
      const x = r.pick(this.routes);
      let text = x.text;
      if (r.chance(0.3)) {
        // Fewer selectors: the kernel deletes the first alias that matches what is given.
        const toks = text.split(' ');
        const keep: string[] = [];
        for (let i = 0; i < toks.length; i++) {
          const t = toks[i]!;
          if (['via', 'dev', 'proto', 'scope', 'metric', 'src'].includes(t)) {
            if (r.chance(0.5)) keep.push(t, toks[i + 1]!);
            i++;
          } else if (t === 'onlink') continue;
          else if (t === 'table') {
            keep.push(t, toks[i + 1]!);
            i++;
          } else keep.push(t);
        }
        text = keep.join(' ');
      }
      this.push(this.ipA(`route del ${text}`), 'config');
    } else {
      this.push(this.ipA(`route del ${this.prefix()}${r.chance(0.3) ? ' table 100' : ''}`), 'config');
    }
  }

  ruleAdd(): void {
    const r = this.r;
    const sel: string[] = [];
    if (r.chance(0.1)) sel.push('not');
    if (r.chance(0.45)) sel.push(`from ${r.chance(0.5) ? ip4(this.localAddr() ?? this.addr()) : this.prefix([8, 16, 24, 24, 32])}`);
    if (r.chance(0.3)) sel.push(`to ${this.prefix([8, 16, 24, 24, 32])}`);
    if (r.chance(0.15)) sel.push(`iif ${this.devName(false)}`);
    if (r.chance(0.1)) sel.push(`oif ${this.devName(false)}`);
    if (r.chance(0.2)) sel.push(`fwmark ${r.pick(MARKS)}${r.chance(0.3) ? '/0xff' : ''}`);
    if (r.chance(0.75)) {
      const pref = r.pick([1, 10, 100, 100, 1000, 32765, 32766, 40000]);
      sel.push(`pref ${pref}`);
      this.rulePrefs.push(pref);
    }
    const action = r.weighted([
      [10, `lookup ${r.pick(['100', '100', '200', 'main', 'local', 'default', '300'])}`],
      [1, 'blackhole'],
      [1, 'unreachable'],
      [1, 'prohibit'],
    ] as const);
    if (r.chance(0.2)) shuffle(r, sel);
    this.push(this.ipA(`rule add ${[...sel, action].join(' ')}`), 'config');
  }

  ruleDel(): void {
    const r = this.r;
    if (this.rulePrefs.length && r.chance(0.8)) this.push(this.ipA(`rule del pref ${r.pick(this.rulePrefs)}`), 'config');
    else this.push(this.ipA(`rule del from ${ip4(this.addr())} lookup 100`), 'config');
  }

  sysctl(): void {
    const r = this.r;
    const q = r.chance(0.85) ? '-qw' : '-w';
    const dev = r.chance(0.5) ? 'all' : r.chance(0.2) ? 'default' : this.devName(false);
    const key = r.weighted([
      [4, 'net.ipv4.ip_forward'],
      [3, `net.ipv4.conf.${dev}.rp_filter`],
      [2, `net.ipv4.conf.${dev}.forwarding`],
      [1, `net.ipv4.conf.${dev}.accept_local`],
      [0.7, `net.ipv4.conf.${dev}.route_localnet`],
    ] as const);
    const value = key.endsWith('rp_filter') ? r.pick(['0', '1', '2']) : r.pick(['0', '1']);
    this.push(`ip netns exec ${this.a} sysctl ${q} ${key}=${value}`, 'config');
  }

  linkDel(): void {
    const mine = this.devsIn('a').filter((d) => d.name.startsWith('va'));
    if (!mine.length) return;
    const d = this.r.pick(mine);
    this.push(this.ipA(`link del ${d.name}`), 'config');
    const peer = `vb${d.name.slice(2)}`;
    for (const name of [d.name, peer]) {
      const i = this.devs.findIndex((x) => x.name === name);
      if (i >= 0) this.devs.splice(i, 1);
    }
  }

  /** Moves a veth end to the other namespace (or back): addresses and routes go, operstate moves. */
  linkMove(): void {
    if (!this.usePeerNs) return;
    const d = this.r.pick(this.devs);
    const from = d.ns === 'a' ? this.a : this.b;
    const to = d.ns === 'a' ? this.b : this.a;
    this.push(`ip -n ${from} link set ${d.name} netns ${to}`, 'config');
    d.ns = d.ns === 'a' ? 'b' : 'a';
    d.up = false;
    for (let i = this.addrs.length - 1; i >= 0; i--) if (this.addrs[i]!.dev === d.name) this.addrs.splice(i, 1);
  }

  flush(): void {
    const r = this.r;
    const which = r.weighted([
      [2, `addr flush dev ${this.devName(false)}`],
      [1, `route flush table ${r.pick(['100', '200', 'main'])}`],
      [1, `route flush dev ${this.devName(false)}`],
      [0.5, `route flush proto ${r.pick(['kernel', 'boot', 'static'])}`],
    ] as const);
    this.push(this.ipA(which), 'config');
  }

  mtu(): void {
    const d = this.r.pick(this.devs);
    const ns = d.ns === 'a' ? this.a : this.b;
    this.push(`ip -n ${ns} link set ${d.name} mtu ${this.r.pick(['1400', '1450', '9000', '67', '68'])}`, 'config');
  }


  // ---- what users type: non-canonical forms, invalid input, names, neighbours ----

  /** An address as iproute2's get_addr_ipv4 also reads it: hex or octal parts, short forms, a sign. */
  odd4(a: number): string {
    const r = this.r;
    const o = [(a >>> 24) & 255, (a >>> 16) & 255, (a >>> 8) & 255, a & 255];
    const form = r.int(0, 6);
    if (form === 0) return `0x${o[0]!.toString(16)}.${o[1]}.${o[2]}.${o[3]}`;
    if (form === 1) return o.map((x) => `0x${x.toString(16).padStart(r.chance(0.5) ? 2 : 1, '0')}`).join('.');
    if (form === 2) return o.map((x) => (x === 0 ? '0' : `0${x.toString(8)}`)).join('.');
    if (form === 3) {
      // drop trailing zero parts: 10.1.0.0 -> 10.1
      let n = 4;
      while (n > 1 && o[n - 1] === 0) n--;
      return o.slice(0, n).join('.');
    }
    if (form === 4) return `+${ip4(a)}`;
    if (form === 5) return `${o[0]}.${o[1]}.${o[2]}.0x${o[3]!.toString(16)}`;
    return ip4(a);
  }

  /** A prefix length as get_netmask reads it: decimal, hex, or a dotted mask. */
  oddLen(len: number): string {
    const r = this.r;
    const roll = r.int(0, 3);
    if (roll === 0) return `0x${len.toString(16)}`;
    if (roll === 1) return ip4(mask(len));
    return String(len);
  }

  noncanonical(): void {
    const r = this.r;
    const dev = this.devName(false);
    const len = r.pick([8, 16, 24, 24, 28, 32]);
    // Host bits now and then: the kernel refuses the route ("Invalid prefix for given prefix length").
    const base = this.neighbourOrAddr();
    const a = r.chance(0.3) ? base : (base & mask(len)) >>> 0;
    const dst = `${this.odd4(a)}/${this.oddLen(len)}`;
    const which = r.int(0, 7);
    if (which === 0) this.push(this.ipA(`route add ${dst} dev ${dev}${r.chance(0.3) ? ' table 0' : ''}`), 'config');
    else if (which === 1) this.push(this.ipA(`route del ${dst}${r.chance(0.3) ? ' table 0' : ''}`), 'config');
    else if (which === 2) this.push(this.ipA(`route add ${dst} via ${this.odd4(this.neighbour())}`), 'config');
    else if (which === 3) this.push(this.ipA(`rule add from ${this.odd4(base)}/${r.pick([8, 16, 24])} lookup ${r.pick(['100', '200'])} pref ${r.pick([5, 50, 500])}`), 'config');
    else if (which === 4) this.push(this.ipA(`route get ${this.odd4(this.neighbourOrAddr())}`), 'lookup', false, 'noncanonical');
    else if (which === 5) this.push(this.ipA(`addr add ${this.odd4(this.addr())}/${r.pick(ADDR_LENS)} dev ${dev}`), 'config');
    else if (which === 6) this.push(this.ipA(`route show ${r.pick(['root', 'match', 'exact'])} ${dst}`), 'show', false, 'noncanonical');
    else this.push(this.ipA(`route show table ${r.pick(['0', '0x64', '0144', 'main', '254', '100'])}`), 'show', false, 'noncanonical');
  }

  invalid(): void {
    const r = this.r;
    const dev = this.devName(false);
    const p = this.prefix();
    const bad = r.pick(['foo', '-1', '4294967296', '0x', '08', '1e3', '']);
    const q = (t: string) => (t === '' ? '""' : t);
    const cmd = r.pick([
      `route add ${p} dev ${dev} table ${q(bad)}`,
      `route add ${p} dev ${dev} metric ${q(bad)}`,
      `route add ${p} dev ${dev} proto ${q(bad)}`,
      `route add ${p} dev ${dev} scope ${q(bad)}`,
      `route add ${p} dev ${dev} tos ${q(bad)}`,
      `route show table ${q(bad)}`,
      `route show proto ${q(bad)}`,
      `route show scope ${q(bad)}`,
      `route show type ${q(bad)}`,
      `route flush table ${r.pick(['77', '253', '4000'])}`,
      `route show table ${r.pick(['77', '253', '4000'])}`,
      `route get ${r.pick(['10.1.1.300', '1.2.3', '1.2.3.4.5', 'foo'])}`,
      `route get ${ip4(this.addr())} mark ${q(bad)}`,
      `route get ${ip4(this.addr())} from ${r.pick(['10.1.1.300', 'foo'])}`,
      `route add ${r.pick(['1.2.3.256/24', '10.0.0.0/33', '10.0.0.0/255.0.255.0', '10.13.0.08/32', '10.14.0.0x/32', 'bogus'])} dev ${dev}`,
      `route add ${p} via ${r.pick(['10.1.257', '1.2.3.4.5', 'foo', '300.1.1.1'])}`,
      `route add ${p} dev ${dev} src ${r.pick(['10.1.1.300', 'foo'])}`,
      `rule add pref ${q(bad)} lookup 100`,
      `rule add lookup ${q(bad)}`,
      `rule add fwmark ${q(bad)} lookup 100`,
      `rule add tos ${q(bad)} lookup 100`,
      `rule add from ${r.pick(['10.1.1.300', '1.2.3.4/40', 'foo'])} lookup 100`,
      `addr add ${r.pick(['1.2.3.4.5/24', '1.2.3.256/24', '1.2.3.4/33'])} dev ${dev}`,
      `addr add ${ip4(this.addr())}/24 brd ${r.pick(['10.3.3.300', 'foo'])} dev ${dev}`,
      `addr add ${ip4(this.addr())}/24 dev ${dev} scope ${q(bad)}`,
      `link set dev ${dev} mtu ${q(bad)}`,
      `link set dev ${dev} txqueuelen ${r.pick(['-1', '0', '0x10', '010', '4294967295', '4294967296', 'foo', '2147483647'])}`,
      `link set dev ${dev} address ${r.pick(['zz', '02:zz:00:00:00:01', '02:00:00:00:00', '02:00:00:00:00:07:08:09', '1.2.3.4', '100:0:0:0:0:1', '2:0:0:0:0:9', '0x2:0:0:0:0:a'])}`,
      `link set dev ${dev} dev frobnicate`,
      `link add dev xx0 frobnicate type veth`,
      `link show ${r.pick(['nosuch', 'dev nosuch'])}`,
      `route ${r.pick(['frob', 'addd'])}`,
      `${r.pick(['frob', 'routez'])}`,
      '',
    ]);
    const text = cmd === '' ? `ip -n ${this.a}` : this.ipA(cmd);
    const kind: CommandKind = /^(route show|route get|link show)/.test(cmd) ? 'show' : 'config';
    this.push(text, kind, false, 'invalid');
  }

  ifname(): void {
    const r = this.r;
    const bad = r.pick(['0123456789abcdef', '012345678901234', 'a/b', '"a b"', '.', '..', '""', 'a:b', 'x\\ty', 'ünïcödé-námé1', 'good0']);
    const k = this.ifnameSerial++;
    const mac = (n: number) => `02:c0:00:00:${k.toString(16).padStart(2, '0')}:0${n}`;
    const which = r.int(0, 3);
    if (which === 0) this.push(this.ipA(`link add ${bad} address ${mac(1)} type veth peer name pn${k} address ${mac(2)}`), 'config');
    else if (which === 1) this.push(this.ipA(`link add pa${k} address ${mac(1)} type veth peer name ${bad} address ${mac(2)}`), 'config');
    else if (which === 2) this.push(this.ipA(`link add name ${bad} address ${mac(1)} type veth peer name pn${k} address ${mac(2)}`), 'config');
    else {
      const d = this.devsIn('a').filter((x) => !x.up);
      if (!d.length) return;
      this.push(this.ipA(`link set dev ${r.pick(d).name} name ${bad}`), 'config');
    }
  }

  ifnameSerial = 0;

  /** A link-layer address as ll_addr_a2n reads it (and some it refuses). */
  lladdr(): string {
    return this.r.pick([
      '02:00:00:00:00:01',
      '2:0:0:0:0:1',
      '02:00:00:00:00:07:08:09',
      '0x2:0:0:0:0:3',
      '2g:0:0:0:0:5',
      '02:zz:00:00:00:01',
      '1.2.3.4',
      '100:0:0:0:0:1',
      '02:00:00:00:00',
      '02-00-00-00-00-01',
      'AA:BB:CC:DD:EE:FF',
      '""',
    ]);
  }

  neigh(): void {
    const r = this.r;
    const dev = this.devName();
    const dst = r.chance(0.7) && this.neighDsts.length ? r.pick(this.neighDsts) : this.neighbour();
    if (!this.neighDsts.includes(dst)) this.neighDsts.push(dst);
    const d = r.chance(0.2) ? this.odd4(dst) : ip4(dst);
    const op = r.weighted([
      [5, 'add'],
      [2, 'replace'],
      [1, 'change'],
      [1.5, 'del'],
    ] as const);
    const ll = op !== 'del' && r.chance(0.8) ? ` lladdr ${this.lladdr()}` : '';
    const nud = op !== 'del' && r.chance(0.4) ? ` nud ${r.pick(['permanent', 'noarp', 'reachable', 'stale', 'failed', 'incomplete', 'foo'])}` : '';
    this.push(this.ipA(`neigh ${op} ${d}${ll} dev ${dev}${nud}`), 'config');
    // The kernel lists neighbours in hash order: show one address on one device at a time.
    if (r.chance(0.5)) this.push(this.ipA(`neigh show ${ip4(r.pick(this.neighDsts))} dev ${dev}${r.chance(0.4) ? ' nud all' : ''}`), 'show', false, 'neigh');
    if (r.chance(0.15)) this.push(this.ipA(`-j neigh show ${ip4(r.pick(this.neighDsts))} dev ${dev}`), 'show', false, 'neigh');
  }

  /** A third namespace: a veth into it from A, maybe moved about, then deleted (its veth ends go). */
  netnsLifecycle(): void {
    if (this.cUsed || !this.c) return;
    this.cUsed = true;
    const r = this.r;
    const c = this.c;
    this.push(`ip netns add ${c}`, 'config');
    this.push(this.ipA(`link add vc0 address 02:d0:00:00:00:01 type veth peer name vc1 address 02:d0:00:00:00:02 netns ${c}`), 'config');
    if (r.chance(0.5)) this.push(`ip -n ${c} link set vc1 up`, 'config');
    if (r.chance(0.5)) this.push(this.ipA('link set vc0 up'), 'config');
    if (r.chance(0.4)) {
      this.push(`ip -n ${c} link add vc2 address 02:d0:00:00:00:03 type veth peer name vc3 address 02:d0:00:00:00:04`, 'config');
      this.push(`ip -n ${c} link set vc3 netns ${this.a}`, 'config');
    }
    this.push(`ip -n ${c} link`, 'show', false, 'netns');
    this.push(this.ipA('link'), 'show', false, 'netns');
    if (r.chance(0.3)) this.push(this.ipA('-j link'), 'show', false, 'netns');
    this.push(`ip netns del ${c}`, 'config');
    this.push(this.ipA('link'), 'show', false, 'netns');
    if (r.chance(0.5)) this.push(`ip -n ${c} link`, 'show', false, 'netns');
    if (r.chance(0.3)) this.push(`ip netns del ${c}`, 'config');
  }

  bridgeStep(): void {
    const r = this.r;
    if (!this.bridge) {
      this.bridge = true;
      this.push(this.ipA('link add br0 address 02:e0:00:00:00:01 type bridge'), 'config');
      if (r.chance(0.7)) this.push(this.ipA('link set br0 up'), 'config');
      return;
    }
    const ports = this.devsIn('a');
    if (!ports.length) return;
    const d = r.pick(ports);
    const which = r.int(0, 3);
    if (which <= 1) this.push(this.ipA(`link set ${d.name} master br0`), 'config');
    else if (which === 2) this.push(this.ipA(`link set ${d.name} nomaster`), 'config');
    else this.push(this.ipA('link show br0'), 'show', false, 'bridge');
  }

  /**
   * Multipath routes in 198.18.0.0/16 (out of the ranges the lookups aim at: with two live
   * nexthops the kernel picks a path by a flow hash keyed at random at boot, which the
   * model refuses to guess), asked about with `oif`, and shown in every form.
   */
  multipathStep(): void {
    const r = this.r;
    const len = r.pick([16, 24, 24, 32]);
    const third = r.int(0, 3);
    const hostBits = r.chance(0.05);
    const dst = len === 32 ? `198.18.${third}.${r.int(1, 9)}` : `198.18.${len === 16 ? 0 : third}.${hostBits ? 5 : 0}/${len}`;
    const n = r.weighted([
      [1, 1],
      [5, 2],
      [2, 3],
    ] as const);
    const hops: string[] = [];
    for (let i = 0; i < n; i++) {
      const h: string[] = ['nexthop'];
      if (r.chance(0.8)) h.push(`via ${ip4(this.neighbour())}`);
      if (r.chance(0.55)) h.push(`dev ${this.devName()}`);
      if (r.chance(0.35)) h.push(`weight ${r.pick(['1', '2', '3', '10', '256', '0', '257', 'x'])}`);
      if (r.chance(0.08)) h.push('onlink');
      hops.push(h.join(' '));
    }
    if (r.chance(0.03)) hops.push(r.pick(['nexthop', 'frob 1']));
    const op = r.weighted([
      [6, 'add'],
      [1.5, 'append'],
      [1, 'prepend'],
      [2, 'replace'],
      [2, 'del'],
    ] as const);
    const opts: string[] = [];
    if (r.chance(0.15)) opts.push(`table ${r.pick(['100', 'main'])}`);
    if (r.chance(0.15)) opts.push(`metric ${r.pick(['10', '100'])}`);
    if (r.chance(0.1)) opts.push(`proto ${r.pick(['static', 'bird'])}`);
    if (r.chance(0.04)) opts.push(`via ${ip4(this.neighbour())}`);
    if (r.chance(0.04)) opts.push(`dev ${this.devName()}`);
    this.push(this.ipA(`route ${op} ${dst}${opts.map((o) => ' ' + o).join('')} ${hops.join(' ')}`), 'config');
    const show = r.pick([
      'route show root 198.18.0.0/16',
      '-d route show root 198.18.0.0/16',
      '-j route show root 198.18.0.0/16',
      '-o route show root 198.18.0.0/16',
      'route show table all',
      `route show dev ${this.devName(false)}`,
      `route show via ${ip4(this.neighbour())}`,
    ]);
    if (r.chance(0.6)) this.push(this.ipA(show), 'show', false, 'multipath');
    const mine = this.devsIn('a');
    if (mine.length && r.chance(0.5)) {
      this.push(this.ipA(`route get 198.18.${third}.${r.int(1, 200)} oif ${r.pick(mine).name}`), 'show', false, 'multipath');
    }
  }

  /** `bridge fdb` on the ports of br0 (master entries, self unicast entries) and its dump. */
  bridgeFdbStep(): void {
    const r = this.r;
    const devs = this.devsIn('a');
    const dev = devs.length && r.chance(0.93) ? r.pick(devs).name : r.pick(['br0', 'nosuch0']);
    const mac = r.pick(['02:00:00:00:00:21', '02:00:00:00:00:22', '02:a0:00:00:00:01', '02:e0:00:00:00:01']);
    const op = r.weighted([
      [3, 'add'],
      [1, 'append'],
      [1.5, 'replace'],
      [1.5, 'del'],
    ] as const);
    const flag = r.weighted([
      [4, ' master'],
      [1.5, ''],
      [1, ' self'],
      [0.5, ' master self'],
    ] as const);
    const state = op === 'del' ? '' : r.weighted([
      [2, ''],
      [1, ' permanent'],
      [2, ' static'],
      [1, ' dynamic'],
    ] as const);
    const br = !this.bridge || dev === 'br0' ? '' : flag;
    this.push(`bridge -n ${this.a} fdb ${op} ${mac} dev ${dev}${br}${state}`, 'config');
    if (r.chance(0.6)) {
      this.push(
        r.pick([`bridge -n ${this.a} fdb show br br0`, `bridge -n ${this.a} -j fdb show br br0`, `bridge -n ${this.a} fdb show dev ${this.devName(false)}`]),
        'show',
        false,
        'fdb',
      );
    }
  }

  fdbStep(): void {
    const r = this.r;
    if (this.bridge && r.chance(0.5)) {
      this.bridgeFdbStep();
      return;
    }
    if (!this.vxlan) {
      this.vxlan = true;
      this.push(this.ipA(`link add vx0 address 02:f0:00:00:00:01 type vxlan id ${r.pick([42, 4096, 16777215])} dstport 4789`), 'config');
      return;
    }
    const mac = r.pick(['00:00:00:00:00:00', '02:00:00:00:00:12', '02:00:00:00:00:13']);
    const dst = r.chance(0.15) ? r.pick(['10.9.9.300', 'zz', '1.2.3']) : r.chance(0.2) ? this.odd4(this.neighbour()) : ip4(this.neighbour());
    const op = r.weighted([
      [3, 'add'],
      [3, 'append'],
      [1, 'replace'],
      [1.5, 'del'],
    ] as const);
    this.push(`bridge -n ${this.a} fdb ${op} ${mac} dev vx0 dst ${dst}${r.chance(0.8) ? ' self permanent' : ''}`, 'config');
    if (r.chance(0.5)) this.push(`bridge -n ${this.a} fdb show dev vx0`, 'show', false, 'fdb');
  }

  sysctlRange(): void {
    const r = this.r;
    const v = r.pick(['40000 30000', '1 70000', '0 1000', '1000 2000', '1024 1024', '2000 65535', '3000', '32768 60999', '2000 65536']);
    const w = r.pick(['99999999999', '2147483648', '2147483647', '-2147483649', '0x2', '010', '08', '+3', '3 4', '7x', '1']);
    const dev = r.chance(0.5) ? 'all' : this.devName(false);
    if (r.chance(0.5)) this.push(`ip netns exec ${this.a} sysctl -w "net.ipv4.ip_local_port_range=${v}"`, 'config');
    else this.push(`ip netns exec ${this.a} sysctl -w "net.ipv4.conf.${dev}.${r.pick(['rp_filter', 'accept_local', 'arp_ignore'])}=${w}"`, 'config');
    if (r.chance(0.3)) this.push(`ip netns exec ${this.a} sysctl net.ipv4.ip_local_port_range`, 'show', false, 'sysctl');
  }

  iptablesStep(): void {
    const r = this.r;
    const ipt = `ip netns exec ${this.a} iptables`;
    const cmd = r.pick([
      `-t nat -P POSTROUTING ${r.pick(['ACCEPT', 'FOO', 'accept', 'RETURN', 'DROP'])}`,
      `-t nat -P ${r.pick(['NOCHAIN', 'PREROUTING', 'OUTPUT', 'INPUT'])} ${r.pick(['ACCEPT', 'FOO'])}`,
      `-t nat -X ${r.pick(['POSTROUTING', 'NOCHAIN', ''])}`,
      `-t nat -N ${r.pick(['MYCH', 'KUBE-X', 'a'])}`,
      `-t nat -A POSTROUTING -s ${this.prefix([8, 16, 24])} -j MASQUERADE`,
      `-t nat -A POSTROUTING -o ${this.devName(false)} -j ${r.pick(['MASQUERADE', 'RETURN', 'ACCEPT'])}`,
      `-t nat -D POSTROUTING ${r.pick(['1', '2', '9'])}`,
      `-t nat -F`,
    ]);
    this.push(`${ipt} ${cmd}`.trimEnd(), 'config');
    if (r.chance(0.5)) this.push(`${ipt} -t nat ${r.pick(['-S', '-L -n', '-L POSTROUTING -n -v', '-S POSTROUTING'])}`, 'show', false, 'iptables');
  }

  /** The same state in the other output forms: -j, -j -p, -o, -br. */
  formats(): void {
    const a = this.a;
    this.push(
      this.r.pick([
        `ip -n ${a} -br link`,
        `ip -n ${a} -br -4 addr`,
        `ip -n ${a} -o link`,
        `ip -n ${a} -o -4 addr`,
        `ip -n ${a} -j link`,
        `ip -n ${a} -j -p link`,
        `ip -n ${a} -j -4 addr`,
        `ip -n ${a} -j -p -4 addr`,
        `ip -n ${a} -j route`,
        `ip -n ${a} -j -p rule`,
        `ip -n ${a} -4 -o route show table all`,
        `ip -n ${a} -j route show table all type unicast`,
        `ip -n ${a} route show table all type unicast`,
      ]),
      'show',
      false,
      'format',
    );
  }

  configStep(): void {
    const op = this.r.weighted([
      [3, 'link'],
      [6, 'addr'],
      [1.2, 'addrdel'],
      [10, 'route'],
      [2, 'routedel'],
      [3, 'rule'],
      [0.8, 'ruledel'],
      [2, 'sysctl'],
      [0.15, 'linkdel'],
      [0.3, 'linkmove'],
      [0.4, 'flush'],
      [0.3, 'mtu'],
      [2.5, 'noncanonical'],
      [3, 'invalid'],
      [0.8, 'ifname'],
      [1.5, 'neigh'],
      [0.25, 'netns'],
      [0.8, 'bridge'],
      [1, 'fdb'],
      [0.6, 'sysctlrange'],
      [0.8, 'iptables'],
      [0.8, 'format'],
      [1.2, 'multipath'],
    ] as const);
    const CLS: Record<typeof op, FuzzClass> = {
      link: 'link', linkdel: 'link', linkmove: 'link', mtu: 'link',
      addr: 'addr', addrdel: 'addr', flush: 'route',
      route: 'route', routedel: 'route',
      rule: 'rule', ruledel: 'rule',
      sysctl: 'sysctl', sysctlrange: 'sysctl',
      noncanonical: 'noncanonical', invalid: 'invalid', ifname: 'ifname', neigh: 'neigh',
      netns: 'netns', bridge: 'bridge', fdb: 'fdb', iptables: 'iptables', format: 'format',
      multipath: 'multipath',
    };
    this.cls = CLS[op];
    switch (op) {
      case 'linkmove':
        if (this.devs.length) this.linkMove();
        break;
      case 'flush':
        this.flush();
        break;
      case 'mtu':
        if (this.devs.length) this.mtu();
        break;
      case 'link':
        if (this.devs.length) this.linkUpDown();
        break;
      case 'addr':
        this.addrAdd();
        break;
      case 'addrdel':
        this.addrDel();
        break;
      case 'route':
        this.routeAdd();
        break;
      case 'routedel':
        this.routeDel();
        break;
      case 'rule':
        this.ruleAdd();
        break;
      case 'ruledel':
        this.ruleDel();
        break;
      case 'sysctl':
        this.sysctl();
        break;
      case 'linkdel':
        this.linkDel();
        break;
      case 'noncanonical':
        this.noncanonical();
        break;
      case 'invalid':
        this.invalid();
        break;
      case 'ifname':
        this.ifname();
        break;
      case 'neigh':
        this.neigh();
        break;
      case 'netns':
        this.netnsLifecycle();
        break;
      case 'multipath':
        this.multipathStep();
        break;
      case 'bridge':
        this.bridgeStep();
        break;
      case 'fdb':
        this.fdbStep();
        break;
      case 'sysctlrange':
        this.sysctlRange();
        break;
      case 'iptables':
        this.iptablesStep();
        break;
      case 'format':
        this.formats();
        break;
    }
    this.cls = 'setup';
  }

  // ---- lookups and shows ----

  lookupDst(): string {
    const r = this.r;
    const roll = r.u32() % 100;
    if (roll < 25 && this.addrs.length) return ip4(r.pick(this.addrs).addr);
    if (roll < 35 && this.addrs.length) {
      const x = r.pick(this.addrs);
      return ip4((x.addr | ~mask(x.len)) >>> 0); // the subnet's broadcast
    }
    if (roll < 38) return r.pick(['127.0.0.1', '127.0.0.5', '127.1.2.3']);
    if (roll < 40) return r.pick(['255.255.255.255', '0.0.0.0', '224.0.0.1', '239.1.1.1']);
    if (roll < 45 && this.routes.length) {
      const dst = r.pick(this.routes).text.split(' ').find((t) => /^\d/.test(t) || t === 'default');
      if (dst && dst !== 'default') return dst.split('/')[0]!;
    }
    return ip4(r.chance(0.6) ? this.neighbour() : this.addr());
  }

  lookup(): void {
    const r = this.r;
    const opts: string[] = [];
    const iif = r.chance(0.3);
    if (r.chance(iif ? 0.9 : 0.35)) {
      const src = r.chance(iif ? 0.4 : 0.85) ? this.localAddr() : undefined;
      opts.push(`from ${ip4(src ?? this.neighbourOrAddr())}`);
    }
    if (iif) opts.push(`iif ${this.devName()}`);
    if (r.chance(iif ? 0.03 : 0.25)) opts.push(`oif ${this.devName()}`);
    if (r.chance(0.15)) opts.push(`mark ${r.pick(MARKS)}`);
    if (r.chance(0.05)) opts.push('fibmatch');
    if (r.chance(0.2)) shuffle(r, opts);
    this.push(this.ipA(`route get ${this.lookupDst()}${opts.map((o) => ' ' + o).join('')}`), 'lookup');
  }

  shows(final: boolean): void {
    const a = this.a;
    const list = [
      `ip -n ${a} -4 route show table all`,
      `ip -n ${a} rule`,
      `ip -n ${a} -4 addr`,
      `ip -n ${a} link`,
    ];
    if (final) list.push(`ip -n ${a} route`, `ip -n ${a} route show table 100`, `ip -n ${a} -4 route show table local`, `ip -n ${a} -6 route show table all`);
    // Filtered listings (iproute2 filters in user space, except the table).
    const filters = [
      `ip -n ${a} route show dev ${this.devName(false)}`,
      `ip -n ${a} route show proto kernel`,
      `ip -n ${a} route show scope link`,
      `ip -n ${a} route show table local type broadcast`,
      `ip -n ${a} route show table all type unreachable`,
      `ip -n ${a} route list match ${ip4(this.neighbourOrAddr())}`,
      `ip -n ${a} route show root ${this.prefix([8, 16, 24])}`,
      `ip -n ${a} route show exact ${this.prefix([16, 24, 32])}`,
      `ip -n ${a} route show table 200`,
      `ip -n ${a} -4 route show table all proto boot`,
      // Other output forms of the same state.
      `ip -n ${a} -o addr`,
      `ip -n ${a} -j -p route show table all`,
      `ip -n ${a} -j rule`,
      // Selectors users reach for (issue 15).
      `ip -n ${a} route show via ${this.r.chance(0.5) ? ip4(this.neighbour()) : this.prefix([8, 16, 24])}`,
      `ip -n ${a} -4 addr show ${this.r.pick(['secondary', 'primary', `label ${this.r.pick(["'va*'", "'vb?'", 'lo', "'*:*'"])}`])}`,
      `ip -n ${a} -o -4 addr show secondary`,
      `ip netns exec ${a} busybox ip route show dev ${this.devName(false)}`,
      `ip netns exec ${a} busybox ip route show`,
    ];
    list.push(this.r.pick(filters));
    if (final) list.push(this.r.pick(filters));
    if (this.usePeerNs) list.push(`ip -n ${this.b} link`, `ip -n ${this.b} -4 addr`, `ip -n ${this.b} -4 route show table all`);
    for (const c of final ? list : [this.r.pick(list)]) this.push(c, 'show');
  }
}

function shuffle<T>(r: Prng, xs: T[]): void {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = r.int(0, i);
    [xs[i], xs[j]] = [xs[j]!, xs[i]!];
  }
}

/** Configuration `index` of the run seeded `seed`, in namespaces `<prefix>-<index>[p]`. */
export function generateConfig(seed: number, index: number, prefix: string, opts: GenOptions): FuzzConfig {
  const cs = subSeed(seed, index);
  const r = new Prng(cs);
  const a = `${prefix}-${index}`;
  const b = `${prefix}-${index}p`;
  const g = new Gen(r, a, b);
  g.c = `${prefix}-${index}c`;
  g.push(`ip netns add ${a}`, 'setup', true);
  // A new namespace copies net.ipv4.conf.{all,default} from the host's (devconf_inherit_init_net
  // 0): pin the values the model starts from, so that a host's settings cannot leak in.
  // IPv6 DAD off: a link-local address (and its local route) is in place at once, as the
  // model shows it, instead of after a second or two of tentative state.
  g.push(
    `ip netns exec ${a} sysctl -qw net.ipv4.ip_forward=0 net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0 net.ipv4.conf.all.accept_local=0 net.ipv4.conf.all.route_localnet=0 net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0`,
    'setup',
    true,
  );
  g.createVeths();
  if (r.chance(0.85)) g.push(g.ipA('link set lo up'), 'config');
  // Most veth ends up, some peers left down (NO-CARRIER, linkdown routes).
  for (const d of [...g.devs]) if (r.chance(0.75)) g.linkUpDown(d);
  const nConfig = r.int(12, 40);
  for (let i = 0; i < nConfig; i++) g.configStep();
  if (r.chance(0.5)) g.shows(false);
  for (let i = 0; i < opts.lookups; i++) {
    if (r.chance(0.06)) g.configStep();
    if (r.chance(0.01)) g.shows(false);
    g.lookup();
  }
  g.shows(true);
  const namespaces = [a, ...(g.usePeerNs ? [b] : []), ...(g.cUsed ? [g.c] : [])];
  return { index, seed: cs, namespaces, commands: g.cmds };
}
