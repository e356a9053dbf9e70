// A rule in the form `iptables -S` prints it (iptables 1.8.9: nft_ipv4_save_rule,
// save_ipv4_addr, save_rule_details in iptables/xshared.c, and each extension's save()).
// The same text identifies a rule for `-D`/`-C` and names the rule a packet hit.
import { formatIpv4 } from '../../net/ipv4.ts';
import { RTN_NAMES, type AddrSpec, type IcmpMatch, type Match, type NatRange, type Rule, type Target } from './rule.ts';

/** xtables_chain_protos: the names `-S` uses for protocol numbers. */
const CHAIN_PROTOS: ReadonlyArray<[string, number]> = [
  ['tcp', 6],
  ['sctp', 132],
  ['udp', 17],
  ['udplite', 136],
  ['icmp', 1],
  ['icmpv6', 58],
  ['esp', 50],
  ['ah', 51],
  ['mh', 135],
  ['all', 0],
];

export function chainProtoName(num: number): string | undefined {
  return CHAIN_PROTOS.find(([, n]) => n === num)?.[0];
}

export function hex(n: number): string {
  return `0x${(n >>> 0).toString(16)}`;
}

/** The prefix length of a contiguous mask, or undefined. */
export function maskLen(mask: number): number | undefined {
  const m = mask >>> 0;
  for (let len = 0; len <= 32; len++) {
    if ((len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0) === m) return len;
  }
  return undefined;
}

/** mask_to_str: `24`, or the dotted mask when not contiguous. */
function maskToStr(mask: number): string {
  const len = maskLen(mask);
  return len !== undefined ? String(len) : formatIpv4(mask);
}

function saveAddr(letter: string, a: AddrSpec | undefined): string {
  if (!a) return '';
  if (a.mask === 0 && !a.invert && a.addr === 0) return '';
  return `${a.invert ? ' !' : ''} -${letter} ${formatIpv4(a.addr)}/${maskToStr(a.mask)}`;
}

/** xtables_save_string: bare when only [A-Za-z0-9_-], else double-quoted with \" \\ \' escaped. */
export function saveString(value: string): string {
  if (/^[A-Za-z0-9_-]+$/.test(value)) return ` ${value}`;
  return ` "${value.replace(/["\\']/g, (c) => `\\${c}`)}"`;
}

function savePorts(opt: string, r: { min: number; max: number; invert: boolean } | undefined): string {
  if (!r || (r.min === 0 && r.max === 0xffff)) return '';
  const v = r.min === r.max ? String(r.min) : `${r.min}:${r.max}`;
  return `${r.invert ? ' !' : ''} --${opt} ${v}`;
}

function saveIcmp(m: IcmpMatch): string {
  let s = m.invert ? ' !' : '';
  if (m.type === 0xff) return `${s} --icmp-type any`;
  s += ` --icmp-type ${m.type}`;
  if (m.codeMin !== 0 || m.codeMax !== 0xff) s += `/${m.codeMin}`;
  return s;
}

function saveMatch(m: Match): string {
  switch (m.kind) {
    case 'tcp':
    case 'udp':
      return ` -m ${m.kind}${savePorts('sport', m.sport)}${savePorts('dport', m.dport)}`;
    case 'icmp':
      return ` -m icmp${saveIcmp(m)}`;
    case 'comment':
      return ` -m comment --comment${saveString(m.text)}`;
    case 'mark':
      return ` -m mark${m.invert ? ' !' : ''} --mark ${hex(m.value)}${m.mask !== 0xffffffff ? `/${hex(m.mask)}` : ''}`;
    case 'addrtype':
      return ` -m addrtype${m.src ? `${m.invertSrc ? ' !' : ''} --src-type ${addrTypes(m.src)}` : ''}${m.dst ? `${m.invertDst ? ' !' : ''} --dst-type ${addrTypes(m.dst)}` : ''}`;
  }
}

/** libxt_addrtype print_types: the names of a mask's bits, in RTN order, comma-separated. */
export function addrTypes(mask: number): string {
  return RTN_NAMES.filter((_, i) => mask & (1 << i)).join(',');
}

/** __NAT_print without the colon skip: `A[-B][:P[-Q]]`. */
export function natRangeText(r: NatRange): string {
  let s = '';
  if (r.minAddr !== undefined) {
    s += formatIpv4(r.minAddr);
    if (r.maxAddr !== undefined && r.maxAddr !== r.minAddr) s += `-${formatIpv4(r.maxAddr)}`;
  }
  if (r.minPort !== undefined) {
    s += `:${r.minPort}`;
    if (r.maxPort !== undefined && r.maxPort !== r.minPort) s += `-${r.maxPort}`;
  }
  return s;
}

function portsText(r: NatRange): string {
  if (r.minPort === undefined) return '';
  return r.maxPort !== undefined && r.maxPort !== r.minPort ? `${r.minPort}-${r.maxPort}` : String(r.minPort);
}

function saveTarget(t: Target): string {
  switch (t.kind) {
    case 'none':
      return '';
    case 'jump':
      return ` -j ${t.chain}`;
    case 'ACCEPT':
    case 'DROP':
    case 'RETURN':
      return ` -j ${t.kind}`;
    case 'REJECT':
      return ` -j REJECT --reject-with ${t.with}`;
    case 'MARK':
      return ` -j MARK --set-xmark ${hex(t.value)}/${hex(t.mask)}`;
    case 'SNAT':
    case 'DNAT': {
      let s = ` -j ${t.kind} --to-${t.kind === 'SNAT' ? 'source' : 'destination'} ${natRangeText(t.range)}`;
      if (t.random) s += ' --random';
      if (t.randomFully) s += ' --random-fully';
      if (t.persistent) s += ' --persistent';
      return s;
    }
    case 'MASQUERADE': {
      let s = ' -j MASQUERADE';
      if (t.range.minPort !== undefined) s += ` --to-ports ${portsText(t.range)}`;
      if (t.random) s += ' --random';
      if (t.randomFully) s += ' --random-fully';
      return s;
    }
  }
}

/** The rule's text after `-A CHAIN` (starting with a space, or empty). */
export function ruleSpecText(r: Rule): string {
  let s = saveAddr('s', r.src) + saveAddr('d', r.dst);
  if (r.iif && r.iif.name && (r.iif.name !== '+' || r.iif.invert)) s += `${r.iif.invert ? ' !' : ''} -i ${r.iif.name}`;
  if (r.oif && r.oif.name && (r.oif.name !== '+' || r.oif.invert)) s += `${r.oif.invert ? ' !' : ''} -o ${r.oif.name}`;
  if (r.proto && r.proto.num > 0) {
    s += `${r.proto.invert ? ' !' : ''} -p ${chainProtoName(r.proto.num) ?? String(r.proto.num)}`;
  }
  for (const m of r.matches) s += saveMatch(m);
  return s + saveTarget(r.target);
}

/** `-A CHAIN ...` exactly as `iptables -S` prints the rule (without the newline). */
export function ruleSaveLine(chain: string, r: Rule): string {
  return `-A ${chain}${ruleSpecText(r)}`;
}
