// `iptables -S` and `iptables -L` output for the nat table, as iptables 1.8.9 (nf_tables)
// prints it: nft_rule_print_save / print_header / print_rule_details / print_fragment /
// print_ifaces / print_ipv4_addresses in iptables/xshared.c, then each extension's print().
// Counters are always 0: the model does not count packets.
import { formatIpv4 } from '../../net/ipv4.ts';
import { serviceName } from '../../net/services.ts';
import type { Chain, NatTable } from '../../model/netfilter/nat-table.ts';
import { addrTypes, hex, maskLen, natRangeText, ruleSaveLine } from '../../model/netfilter/rule-save.ts';
import { targetName, type AddrSpec, type Match, type PortRange, type Rule, type Target } from '../../model/netfilter/rule.ts';
import type { ListFormat } from './iptables-parse.ts';
import { addressName, icmpName, protocolName } from './names.ts';

// ---- -S ----

function chainDecl(c: Chain): string {
  return c.builtin ? `-P ${c.name} ${c.policy ?? 'ACCEPT'}\n` : `-N ${c.name}\n`;
}

/** `iptables -t nat -S`: policies, user chains, then every chain's rules. */
export function listRulesAll(t: NatTable): string {
  const chains = t.chainsInListOrder();
  let s = chains.map(chainDecl).join('');
  for (const c of chains) for (const r of c.rules) s += `${ruleSaveLine(c.name, r)}\n`;
  return s;
}

/** `iptables -t nat -S CHAIN [N]`. */
export function listRulesChain(c: Chain, rulenum?: number): string {
  if (rulenum !== undefined) {
    const r = c.rules[rulenum - 1];
    return r ? `${ruleSaveLine(c.name, r)}\n` : '';
  }
  return chainDecl(c) + c.rules.map((r) => `${ruleSaveLine(c.name, r)}\n`).join('');
}

// ---- -L ----

const padR = (s: string, n: number) => s.padEnd(n);
const padL = (s: string, n: number) => s.padStart(n);

/** xtables_print_num: `%8llu ` exact, else `%5llu ` (counts below 100000). */
function num(n: number, f: ListFormat): string {
  return f.exact ? `${padL(String(n), 8)} ` : `${padL(String(n), 5)} `;
}

function header(t: NatTable, c: Chain, f: ListFormat): string {
  let s = `Chain ${c.name}`;
  if (c.builtin) {
    s += ` (policy ${c.policy ?? 'ACCEPT'}`;
    if (f.verbose) s += ' 0 packets, 0 bytes';
    s += ')\n';
  } else {
    s += ` (${t.references(c.name)} references)\n`;
  }
  if (f.lineNumbers) s += `${padR('num', 4)} `;
  if (f.verbose) {
    if (f.exact) s += `${padL('pkts', 8)} ${padL('bytes', 10)} `;
    else s += `${padL('pkts', 5)} ${padL('bytes', 5)} `;
  }
  s += `${padR('target', 9)} `;
  s += ' prot ';
  s += 'opt';
  if (f.verbose) s += ` ${padR('in', 6)} ${padR('out', 6)} `;
  s += ` ${padR('source', 19)} `;
  s += ` ${padR('destination', 19)} `;
  return `${s}\n`;
}

/** xtables_ipmask_to_numeric: "" for /32, `/len`, or `/dotted` for odd masks. */
function maskText(mask: number): string {
  if (mask >>> 0 === 0xffffffff) return '';
  const len = maskLen(mask);
  return len !== undefined ? `/${len}` : `/${formatIpv4(mask)}`;
}

function addrText(a: AddrSpec | undefined, f: ListFormat): string {
  const addr = a?.addr ?? 0;
  const mask = a?.mask ?? 0;
  if (mask === 0 && !f.numeric) return 'anywhere';
  return (f.numeric ? formatIpv4(addr) : addressName(addr)) + maskText(mask);
}

function portText(port: number, proto: 'tcp' | 'udp', f: ListFormat): string {
  return (f.numeric ? undefined : serviceName(port, proto)) ?? String(port);
}

function printPorts(name: string, r: PortRange | undefined, proto: 'tcp' | 'udp', f: ListFormat): string {
  if (!r) return '';
  const inv = r.invert ? '!' : '';
  if (r.min === r.max) return ` ${name}:${inv}${portText(r.min, proto, f)}`;
  return ` ${name}s:${inv}${portText(r.min, proto, f)}:${portText(r.max, proto, f)}`;
}

function printMatch(m: Match, f: ListFormat): string {
  switch (m.kind) {
    case 'tcp':
    case 'udp':
      return ` ${m.kind}${printPorts('spt', m.sport, m.kind, f)}${printPorts('dpt', m.dport, m.kind, f)}`;
    case 'icmp': {
      let s = ' icmp';
      const name = f.numeric ? undefined : icmpName(m.type, m.codeMin, m.codeMax);
      if (name !== undefined) return `${s} ${m.invert ? '!' : ''}${name}`;
      if (m.invert) s += ' !';
      s += `type ${m.type}`;
      if (m.codeMin === m.codeMax) s += ` code ${m.codeMin}`;
      else if (m.codeMin !== 0 || m.codeMax !== 0xff) s += ` codes ${m.codeMin}-${m.codeMax}`;
      return s;
    }
    case 'comment':
      return ` /* ${m.text} */`;
    case 'mark':
      return ` mark match${m.invert ? ' !' : ''} ${hex(m.value)}${m.mask !== 0xffffffff ? `/${hex(m.mask)}` : ''}`;
    case 'addrtype':
      return ` ADDRTYPE match${m.src ? ` src-type ${m.invertSrc ? '!' : ''}${addrTypes(m.src)}` : ''}${m.dst ? ` dst-type ${m.invertDst ? '!' : ''}${addrTypes(m.dst)}` : ''}`;
  }
}

function printTarget(t: Target): string {
  switch (t.kind) {
    case 'SNAT':
    case 'DNAT': {
      let s = ` to:${natRangeText(t.range)}`;
      if (t.random) s += ' random';
      if (t.randomFully) s += ' random-fully';
      if (t.persistent) s += ' persistent';
      return s;
    }
    case 'MASQUERADE': {
      let s = '';
      if (t.range.minPort !== undefined) {
        s += ` masq ports: ${t.range.minPort}`;
        if (t.range.maxPort !== undefined && t.range.maxPort !== t.range.minPort) s += `-${t.range.maxPort}`;
      }
      if (t.random) s += ' random';
      if (t.randomFully) s += ' random-fully';
      return s;
    }
    case 'REJECT':
      return ` reject-with ${t.with}`;
    case 'MARK': {
      const { value, mask } = t;
      if (value === 0) return ` MARK and ${hex(~mask >>> 0)}`;
      if (value === mask) return ` MARK or ${hex(value)}`;
      if (mask === 0) return ` MARK xor ${hex(value)}`;
      if (mask >>> 0 === 0xffffffff) return ` MARK set ${hex(value)}`;
      return ` MARK xset ${hex(value)}/${hex(mask)}`;
    }
    default:
      return '';
  }
}

function ifaceText(i: { name: string; invert: boolean } | undefined, f: ListFormat): string {
  return `${i?.invert ? '!' : ''}${i?.name || (f.numeric ? '*' : 'any')}`;
}

function ruleLine(r: Rule, n: number, f: ListFormat): string {
  let s = '';
  if (f.lineNumbers) s += `${padR(String(n), 4)} `;
  if (f.verbose) s += num(0, f) + num(0, f);
  s += `${padR(targetName(r.target), 9)} `;
  s += r.proto?.invert ? '!' : ' ';
  const p = r.proto?.num ?? 0;
  s += `${padR(f.numeric ? String(p) : (protocolName(p) ?? String(p)), 4)} `;
  s += '-- ';
  if (f.verbose) s += ` ${padR(ifaceText(r.iif, f), 6)} ${padR(ifaceText(r.oif, f), 6)} `;
  s += r.src?.invert ? '!' : ' ';
  s += `${padR(addrText(r.src, f), 19)} `;
  s += r.dst?.invert ? '!' : ' ';
  s += `${padR(addrText(r.dst, f), 19)} `;
  for (const m of r.matches) s += printMatch(m, f);
  s += printTarget(r.target);
  return `${s}\n`;
}

function listChain(t: NatTable, c: Chain, f: ListFormat): string {
  return header(t, c, f) + c.rules.map((r, i) => ruleLine(r, i + 1, f)).join('');
}

/** `iptables -t nat -L [-n] [-v] [-x] [--line-numbers]`. */
export function listAll(t: NatTable, f: ListFormat): string {
  return t
    .chainsInListOrder()
    .map((c) => listChain(t, c, f))
    .join('\n');
}

/** `iptables -t nat -L CHAIN [N]`: with N only that rule's line, without a header. */
export function listOne(t: NatTable, c: Chain, f: ListFormat, rulenum?: number): string {
  if (rulenum !== undefined) {
    const r = c.rules[rulenum - 1];
    return r ? ruleLine(r, rulenum, f) : '';
  }
  return listChain(t, c, f);
}
