// The iptables extensions the nat model supports, each with its options (libxt_tcp, _udp,
// _icmp, _comment, _mark, _addrtype; libxt_NAT's SNAT/DNAT, libxt_MASQUERADE, libxt_MARK) and the
// messages their parsers print.
import type { Ipv4Addr } from '../../net/ipv4.ts';
import { servicePort } from '../../net/services.ts';
import { RTN_NAMES, type AddrtypeMatch, type Match, type NatRange, type PortRange, type Target } from '../../model/netfilter/rule.ts';
import { paramError } from './errors.ts';
import { icmpByName } from './names.ts';

export interface ExtOption {
  name: string;
  hasArg: boolean;
  /** x6 options: the name of the option's id (its first spelling, e.g. source-port for sport). */
  id?: string;
  /** x6 options: XTOPT_INVERT (a `!` before it is allowed). */
  invert?: boolean;
}

export interface Extension {
  name: string;
  /** Parsed by xtables_option_parse (x6): an option once only, `!` only where it is allowed. */
  x6?: boolean;
  options: readonly ExtOption[];
  parse(opt: string, value: string | undefined, invert: boolean): void;
  /** x6_fcheck: mandatory options, then the result. */
  finish(): void;
}

export interface MatchExt extends Extension {
  result(): Match;
}

export interface TargetExt extends Extension {
  result(): Target;
}

function strtoui(text: string, max: number): number | undefined {
  let v: number;
  if (/^0x[0-9a-f]+$/i.test(text)) v = parseInt(text, 16);
  else if (/^0[0-7]*$/.test(text)) v = parseInt(text, 8);
  else if (/^[1-9]\d*$/.test(text)) v = Number(text);
  else return undefined;
  return v <= max ? v : undefined;
}

/** xtables_parse_port: a number 0-65535 or a service name. */
function parsePort(text: string, proto: 'tcp' | 'udp', bad: string): number {
  const n = strtoui(text, 65535);
  if (n !== undefined) return n;
  const s = servicePort(text, proto);
  if (s === undefined) throw paramError(bad);
  return s;
}

/** xtables_parse_multi_ports-style `A[:B]` with the open ends `:B` and `A:`. */
function parsePortRange(text: string, proto: 'tcp' | 'udp', invert: boolean): PortRange {
  const bad = `invalid port/service \`${text}' specified`;
  const colon = text.indexOf(':');
  if (colon < 0) {
    const p = parsePort(text, proto, bad);
    return { min: p, max: p, invert };
  }
  const a = text.slice(0, colon);
  const b = text.slice(colon + 1);
  const min = a === '' ? 0 : parsePort(a, proto, `invalid port/service \`${a}' specified`);
  const max = b === '' ? 0xffff : parsePort(b, proto, `invalid port/service \`${b}' specified`);
  if (min > max) throw paramError('invalid portrange (min > max)');
  return { min, max, invert };
}

export function portsMatch(kind: 'tcp' | 'udp'): MatchExt {
  let sport: PortRange | undefined;
  let dport: PortRange | undefined;
  return {
    name: kind,
    // libxt_udp is an x6 extension in iptables 1.8.9; libxt_tcp still parses by hand.
    x6: kind === 'udp',
    options: [
      { name: 'source-port', hasArg: true, invert: true },
      { name: 'sport', hasArg: true, id: 'source-port', invert: true },
      { name: 'destination-port', hasArg: true, invert: true },
      { name: 'dport', hasArg: true, id: 'destination-port', invert: true },
      { name: 'tcp-flags', hasArg: true },
      { name: 'syn', hasArg: false },
      { name: 'tcp-option', hasArg: true },
    ].filter((o) => kind === 'tcp' || !o.name.startsWith('tcp-') && o.name !== 'syn'),
    parse(opt, value, invert) {
      if (opt === 'source-port' || opt === 'sport') {
        if (sport) throw paramError("Only one `--source-port' allowed");
        sport = parsePortRange(value!, kind, invert);
      } else if (opt === 'destination-port' || opt === 'dport') {
        if (dport) throw paramError("Only one `--destination-port' allowed");
        dport = parsePortRange(value!, kind, invert);
      } else {
        throw new UnsupportedOption(`--${opt}`);
      }
    },
    finish() {},
    result() {
      const m: Match = { kind };
      const norm = (r: PortRange | undefined) => (r && !(r.min === 0 && r.max === 0xffff && !r.invert) ? r : undefined);
      const s = norm(sport);
      const d = norm(dport);
      if (s) m.sport = s;
      if (d) m.dport = d;
      return m;
    },
  };
}

/** Thrown for an option of a supported extension that the model does not implement. */
export class UnsupportedOption extends Error {
  readonly option: string;
  constructor(option: string) {
    super(`option ${option} is not modelled`);
    this.option = option;
  }
}

export function icmpMatch(): MatchExt {
  let m: Match | undefined;
  return {
    name: 'icmp',
    x6: true,
    options: [{ name: 'icmp-type', hasArg: true, invert: true }],
    parse(_opt, value, invert) {
      const v = value!;
      const named = icmpByName(v);
      if (named) {
        m = { kind: 'icmp', type: named.type, codeMin: named.codeMin, codeMax: named.codeMax, invert };
        return;
      }
      const mm = /^(\d+)(?:\/(\d+))?$/.exec(v);
      if (!mm || Number(mm[1]) > 255 || (mm[2] !== undefined && Number(mm[2]) > 255)) {
        throw paramError(`Invalid ICMP type \`${v}'\n`);
      }
      const type = Number(mm[1]);
      const code = mm[2] === undefined ? undefined : Number(mm[2]);
      m = { kind: 'icmp', type, codeMin: code ?? 0, codeMax: code ?? 0xff, invert };
    },
    finish() {},
    result() {
      return m ?? { kind: 'icmp', type: 0xff, codeMin: 0, codeMax: 0xff, invert: false };
    },
  };
}

export function commentMatch(): MatchExt {
  let text: string | undefined;
  return {
    name: 'comment',
    x6: true,
    options: [{ name: 'comment', hasArg: true }],
    parse(_opt, value) {
      if (value!.length > 255) throw paramError(`comment: argument length ${value!.length} exceeds 255 characters\n`);
      text = value!;
    },
    finish() {
      if (text === undefined) throw paramError('comment: option "--comment" must be specified\n');
    },
    result() {
      return { kind: 'comment', text: text! };
    },
  };
}

/** xtables_strtoui-based `value[/mask]` (libxt_mark's parse_mark). */
function parseMarkMask(text: string, what: string): { value: number; mask: number } {
  const [v, m] = text.split('/', 2);
  const value = strtoui(v!, 0xffffffff);
  const mask = m === undefined ? 0xffffffff : strtoui(m, 0xffffffff);
  if (value === undefined || mask === undefined) throw paramError(`${what}: bad value for option "--${what === 'mark' ? 'mark' : 'set-xmark'}", or out of range (0-4294967295).\n`);
  return { value, mask };
}

export function markMatch(): MatchExt {
  let m: Match | undefined;
  return {
    name: 'mark',
    x6: true,
    options: [{ name: 'mark', hasArg: true, invert: true }],
    parse(_opt, value, invert) {
      const { value: v, mask } = parseMarkMask(value!, 'mark');
      m = { kind: 'mark', value: v, mask, invert };
    },
    finish() {
      if (!m) throw paramError('mark: option "--mark" must be specified\n');
    },
    result() {
      return m!;
    },
  };
}

/** libxt_addrtype parse_type: a case-insensitive prefix of a name, the first in RTN order. */
function parseTypes(arg: string): number {
  let mask = 0;
  const one = (tok: string): boolean => {
    const i = RTN_NAMES.findIndex((n) => tok.length <= n.length && n.slice(0, tok.length) === tok.toUpperCase());
    if (i < 0) return false;
    mask |= 1 << i;
    return true;
  };
  let rest = arg;
  for (let comma = rest.indexOf(','); comma >= 0; comma = rest.indexOf(',')) {
    if (comma === 0 || !one(rest.slice(0, comma))) throw paramError(`addrtype: bad type \`${rest}'`);
    rest = rest.slice(comma + 1);
  }
  if (rest === '' || !one(rest)) throw paramError(`addrtype: bad type "${rest}"`);
  return mask;
}

/** libxt_addrtype revision 1 (`--limit-iface-in`/`-out` are not modelled). */
export function addrtypeMatch(): MatchExt {
  const m: AddrtypeMatch = { kind: 'addrtype', src: 0, dst: 0, invertSrc: false, invertDst: false };
  return {
    name: 'addrtype',
    x6: true,
    options: [
      { name: 'src-type', hasArg: true, invert: true },
      { name: 'dst-type', hasArg: true, invert: true },
      { name: 'limit-iface-in', hasArg: false },
      { name: 'limit-iface-out', hasArg: false },
    ],
    parse(opt, value, invert) {
      if (opt.startsWith('limit-iface')) throw new UnsupportedOption(`--${opt}`);
      if (opt === 'src-type') {
        m.src = parseTypes(value!);
        m.invertSrc = invert;
      } else {
        m.dst = parseTypes(value!);
        m.invertDst = invert;
      }
    },
    finish() {
      if (!m.src && !m.dst) throw paramError('addrtype: you must specify --src-type or --dst-type');
    },
    result() {
      return m;
    },
  };
}

/** What the rule's `-p` says, for the NAT targets' port checks. */
export interface RuleProto {
  num?: number;
  invert: boolean;
}

/** __NAT_parse's portok: the rule's protocol number, whether inverted or not. */
function needPortProto(p: RuleProto): void {
  if (p.num !== 6 && p.num !== 17 && p.num !== 132 && p.num !== 33 && p.num !== 1) {
    throw paramError('Need TCP, UDP, SCTP or DCCP with port specification');
  }
}

/** xtables_strtoui with an end pointer: the leading number (base 0) and what follows it. */
function leadingNumber(text: string, min: number, max: number): { n: number; rest: string } | undefined {
  const m = /^\s*(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)/.exec(text);
  if (!m) return undefined;
  const t = m[1]!.trim();
  const n = /^0[xX]/.test(t) ? parseInt(t, 16) : t.length > 1 && t.startsWith('0') ? parseInt(t, 8) : Number(t);
  if (n < min || n > max) return undefined;
  return { n, rest: text.slice(m[0].length) };
}

/** libxt_NAT parse_ports: `P`, `P-Q`, `P-Q/B` (B only for DNAT revision 2). */
function parseNatPorts(arg: string, proto: RuleProto, r: NatRange): void {
  needPortProto(proto);
  let first = leadingNumber(arg, 0, 65535);
  if (!first) {
    const s = servicePort(arg, 'tcp');
    if (s === undefined) throw paramError(`Port \`${arg}' not valid`);
    first = { n: s, rest: '' };
  }
  if (first.rest === '') {
    r.minPort = r.maxPort = first.n;
    return;
  }
  if (first.rest.startsWith(':')) throw paramError('Invalid port:port syntax - use dash');
  if (!first.rest.startsWith('-')) throw paramError(`Garbage after port value: \`${first.rest}'`);
  const maxText = first.rest.slice(1);
  const second = leadingNumber(maxText, 0, 65535);
  if (!second) throw paramError(`Port \`${maxText}' not valid`);
  if (second.n < first.n) throw paramError(`Port range \`${maxText}' funky`);
  r.minPort = first.n;
  r.maxPort = second.n;
  if (second.rest === '') return;
  if (!second.rest.startsWith('/')) throw paramError(`Garbage after port range: \`${second.rest}'`);
  throw new UnsupportedOption('a shifted port range (--to-destination A:P-Q/B)');
}

/** inet_pton(AF_INET): exactly four decimal parts 0-255, no leading zeros. */
function inetPton4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let v = 0;
  for (const p of parts) {
    if (!/^(0|[1-9]\d{0,2})$/.test(p) || Number(p) > 255) return undefined;
    v = v * 256 + Number(p);
  }
  return v;
}

/** libxt_NAT parse_to (iptables 1.8.9): `[A[-B]][:P[-Q]]`. */
function parseTo(text: string, proto: RuleProto): NatRange {
  const r: NatRange = {};
  if (text.includes('[')) throw paramError('Invalid address format');
  // One colon is the port part; more than one is an IPv6 address (which AF_INET refuses).
  let colon = text.indexOf(':');
  if (colon >= 0 && text.indexOf(':', colon + 1) >= 0) colon = -1;
  let start = text;
  if (colon >= 0) {
    parseNatPorts(text.slice(colon + 1), proto, r);
    // "Starts with colon or [] colon? No IP info": also a two-character address, as the source's test reads.
    if (colon === 0 || colon === 2) return r;
    start = text.slice(0, colon);
  }
  const dash = start.indexOf('-');
  const a = dash < 0 ? start : start.slice(0, dash);
  const min = inetPton4(a);
  if (min === undefined) throw paramError(`Bad IP address "${a}"`);
  let max = min;
  if (dash >= 0) {
    const b = start.slice(dash + 1);
    const parsed = inetPton4(b);
    if (parsed === undefined) throw paramError(`Bad IP address "${b}"`);
    max = parsed;
  }
  r.minAddr = min as Ipv4Addr;
  r.maxAddr = max as Ipv4Addr;
  return r;
}

export function natTarget(kind: 'SNAT' | 'DNAT', proto: RuleProto): TargetExt {
  const toOpt = kind === 'SNAT' ? 'to-source' : 'to-destination';
  let range: NatRange | undefined;
  const flags = { random: false, randomFully: false, persistent: false };
  return {
    name: kind,
    x6: true,
    options: [
      { name: toOpt, hasArg: true },
      { name: 'random', hasArg: false },
      { name: 'persistent', hasArg: false },
      ...(kind === 'SNAT' ? [{ name: 'random-fully', hasArg: false }] : []),
    ],
    parse(opt, value) {
      if (opt === toOpt) {
        range = parseTo(value!, proto);
      } else if (opt === 'random') flags.random = true;
      else if (opt === 'random-fully') flags.randomFully = true;
      else if (opt === 'persistent') flags.persistent = true;
    },
    finish() {
      if (!range) throw paramError(`${kind}: option "--${toOpt}" must be specified\n`);
    },
    result() {
      return { kind, range: range!, ...flags };
    },
  };
}

export function masqueradeTarget(proto: RuleProto): TargetExt {
  const range: NatRange = {};
  const flags = { random: false, randomFully: false, persistent: false };
  return {
    name: 'MASQUERADE',
    x6: true,
    options: [
      { name: 'to-ports', hasArg: true },
      { name: 'random', hasArg: false },
      { name: 'random-fully', hasArg: false },
    ],
    parse(opt, value) {
      if (opt === 'to-ports') {
        const r: NatRange = {};
        parseNatPorts(value!, proto, r);
        range.minPort = r.minPort!;
        range.maxPort = r.maxPort!;
      } else if (opt === 'random') flags.random = true;
      else flags.randomFully = true;
    },
    finish() {},
    result() {
      return { kind: 'MASQUERADE', range, ...flags };
    },
  };
}

const MARK_OPTS = ['set-xmark', 'set-mark', 'and-mark', 'or-mark', 'xor-mark'];

export function markTarget(): TargetExt {
  let given: string | undefined;
  let value = 0;
  let mask = 0;
  return {
    name: 'MARK',
    x6: true,
    options: MARK_OPTS.map((name) => ({ name, hasArg: true })),
    parse(opt, v) {
      if (given !== undefined) throw paramError(`MARK: option "--${given}" cannot be used together with "--${opt}".\n`);
      given = opt;
      const n = (t: string) => {
        const x = strtoui(t, 0xffffffff);
        if (x === undefined) throw paramError(`MARK: bad value for option "--${opt}", or out of range (0-4294967295).\n`);
        return x;
      };
      if (opt === 'set-xmark' || opt === 'set-mark') {
        const [a, b] = v!.split('/', 2);
        value = n(a!);
        mask = b === undefined ? 0xffffffff : n(b);
      } else if (opt === 'and-mark') {
        value = 0;
        mask = ~n(v!) >>> 0;
      } else if (opt === 'or-mark') {
        value = n(v!);
        mask = value;
      } else {
        value = n(v!);
        mask = 0;
      }
    },
    finish() {
      if (given === undefined) throw paramError('MARK: One of the --set-xmark, --{and,or,xor,set}-mark options is required');
    },
    result() {
      return { kind: 'MARK', value, mask };
    },
  };
}

/** libipt_REJECT's reject types in table order (index = ipt_reject_with), with their aliases. */
const REJECT_TYPES: ReadonlyArray<readonly [string, string]> = [
  ['icmp-net-unreachable', 'net-unreach'],
  ['icmp-host-unreachable', 'host-unreach'],
  ['icmp-proto-unreachable', 'proto-unreach'],
  ['icmp-port-unreachable', 'port-unreach'],
  ['icmp-net-prohibited', 'net-prohib'],
  ['icmp-host-prohibited', 'host-prohib'],
  ['tcp-reset', 'tcp-rst'],
  ['icmp-admin-prohibited', 'admin-prohib'],
];

/** libipt_REJECT: `--reject-with` takes any case-insensitive prefix of a name or alias (the first in table order wins). */
export function rejectTarget(): TargetExt {
  let withType = 'icmp-port-unreachable';
  return {
    name: 'REJECT',
    x6: true,
    options: [{ name: 'reject-with', hasArg: true }],
    parse(_opt, value) {
      const v = value!.toLowerCase();
      const hit = REJECT_TYPES.find(([name, alias]) => name.startsWith(v) || alias.startsWith(v));
      if (!hit) {
        // REJECT_parse prints this line itself before failing for a prefix of echo-reply.
        const echo = 'echo-reply'.startsWith(v) || 'echoreply'.startsWith(v);
        throw paramError(`unknown reject type "${value}"`, echo ? '--reject-with echo-reply no longer supported\n' : '');
      }
      withType = hit[0];
    },
    finish() {},
    result() {
      return { kind: 'REJECT', with: withType };
    },
  };
}
