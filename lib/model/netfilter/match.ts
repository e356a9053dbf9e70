// Whether a rule's conditions hold for a packet (ip_packet_match and the xt matches).
import { IPPROTO_ICMP, type NfPacket } from './packet.ts';
import type { RouteType } from '../route.ts';
import { RTN_NAMES, type AddrSpec, type IfaceSpec, type Match, type Rule } from './rule.ts';

/** The interfaces a hook knows: PREROUTING/INPUT have only `in`, OUTPUT/POSTROUTING only `out`. */
export interface HookDevices {
  in?: string;
  out?: string;
  /** inet_addr_type in the hook's namespace (xt_addrtype); without it an addrtype match fails. */
  addrType?: (addr: number) => RouteType;
}

function addrOk(spec: AddrSpec | undefined, a: number): boolean {
  if (!spec) return true;
  return (((a & spec.mask) >>> 0) === spec.addr) !== spec.invert;
}

/** ifname_compare: exact, or a prefix when the rule's name ends with `+`; no device never matches. */
function ifaceOk(spec: IfaceSpec | undefined, name: string | undefined): boolean {
  if (!spec) return true;
  let hit: boolean;
  if (name === undefined || name === '') hit = spec.name === '+';
  else if (spec.name.endsWith('+')) hit = name.startsWith(spec.name.slice(0, -1));
  else hit = name === spec.name;
  return hit !== spec.invert;
}

function inRange(r: { min: number; max: number; invert: boolean } | undefined, port: number): boolean {
  if (!r) return true;
  return (port >= r.min && port <= r.max) !== r.invert;
}

/** addrtype_mt_v1 for one address: its type's bit in the mask, inverted if asked. */
function typeOk(mask: number, invert: boolean, addr: number, dev: HookDevices): boolean {
  if (!mask) return true;
  const type = dev.addrType ? RTN_NAMES.indexOf(dev.addrType(addr).toUpperCase() as (typeof RTN_NAMES)[number]) : -1;
  return (type >= 0 && (mask & (1 << type)) !== 0) !== invert;
}

function matchOk(m: Match, p: NfPacket, dev: HookDevices): boolean {
  switch (m.kind) {
    case 'tcp':
    case 'udp':
      return p.proto === (m.kind === 'tcp' ? 6 : 17) && inRange(m.sport, p.sport) && inRange(m.dport, p.dport);
    case 'icmp': {
      if (p.proto !== IPPROTO_ICMP) return false;
      const type = p.icmpType ?? 8;
      const code = p.icmpCode ?? 0;
      const hit = m.type === 0xff || (type === m.type && code >= m.codeMin && code <= m.codeMax);
      return hit !== m.invert;
    }
    case 'comment':
      return true;
    case 'mark':
      return (((p.mark & m.mask) >>> 0) === (m.value >>> 0)) !== m.invert;
    case 'addrtype':
      return typeOk(m.src, m.invertSrc, p.src, dev) && typeOk(m.dst, m.invertDst, p.dst, dev);
  }
}

export function ruleMatches(r: Rule, p: NfPacket, dev: HookDevices): boolean {
  if (!addrOk(r.src, p.src) || !addrOk(r.dst, p.dst)) return false;
  if (!ifaceOk(r.iif, dev.in) || !ifaceOk(r.oif, dev.out)) return false;
  if (r.proto && r.proto.num !== 0 && (p.proto === r.proto.num) === r.proto.invert) return false;
  if (r.proto && r.proto.num === 0 && r.proto.invert) return false;
  return r.matches.every((m) => matchOk(m, p, dev));
}
