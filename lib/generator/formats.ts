// Checks of single values: addresses, prefixes, MACs, interface and namespace names. Each
// returns the parsed value or a ParamError for the given path.
import { formatIpv4, maskOf, tryParseIpv4 } from '../net/ipv4.ts';
import { isValidUnicastMac, parseMac } from '../net/mac.ts';
import { paramError, type ParamError } from './errors.ts';

export interface Cidr {
  /** Network address (host bits zero). */
  addr: number;
  len: number;
  text: string;
}

/** Linux: a device name is at most IFNAMSIZ - 1 = 15 bytes (include/uapi/linux/if.h). */
export const IFNAMSIZ_MAX = 15;

export function checkIpv4(path: string, v: string): number | ParamError {
  const a = tryParseIpv4(v);
  if (a === undefined) return paramError(path, 'ipv4', `"${v}" is not an IPv4 address (like 10.186.153.11)`, { value: v });
  if (formatIpv4(a) !== v) return paramError(path, 'not-canonical', `write "${v}" as ${formatIpv4(a)}`, { value: v, canonical: formatIpv4(a) });
  return a;
}

export function checkCidr(path: string, v: string): Cidr | ParamError {
  const m = /^([^/]+)\/(\d{1,2})$/.exec(v);
  if (!m || Number(m[2]) > 32) return paramError(path, 'cidr', `"${v}" is not an IPv4 prefix (like 10.20.0.0/16)`, { value: v });
  const a = checkIpv4(path, m[1]!);
  if (typeof a !== 'number') return a.code === 'not-canonical' ? a : paramError(path, 'cidr', `"${v}" is not an IPv4 prefix (like 10.20.0.0/16)`, { value: v });
  const len = Number(m[2]);
  const net = (a & maskOf(len)) >>> 0;
  if (net !== a) {
    const fixed = `${formatIpv4(net)}/${len}`;
    return paramError(path, 'host-bits', `${v} has host bits set: the prefix is ${fixed}`, { value: v, canonical: fixed });
  }
  return { addr: a, len, text: v };
}

export function checkMac(path: string, v: string): string | ParamError {
  const m = parseMac(v);
  if (m === undefined) return paramError(path, 'mac', `"${v}" is not a MAC address (six hex pairs, like 02:0a:00:00:99:0b)`, { value: v });
  if (!isValidUnicastMac(m)) {
    return paramError(path, 'mac-multicast', `${v} cannot be a device's address: the kernel takes only unicast, non-zero MACs (first octet even)`, { value: v });
  }
  if (m !== v) return paramError(path, 'not-canonical', `write "${v}" in lower case: ${m}`, { value: v, canonical: m });
  return m;
}

const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/** A device name: the kernel's dev_valid_name, narrowed to characters safe unquoted in a script. */
export function checkIfname(path: string, v: string): string | ParamError {
  if (!NAME_RE.test(v) || v === '.' || v === '..') {
    return paramError(path, 'ifname', `"${v}" is not a usable interface name: letters, digits, '.', '-', '_', starting with a letter or digit`, { value: v });
  }
  if (v.length > IFNAMSIZ_MAX) {
    return paramError(path, 'ifname-length', `"${v}" is ${v.length} characters; Linux interface names have at most ${IFNAMSIZ_MAX} (IFNAMSIZ 16, with the final NUL)`, { value: v, length: v.length });
  }
  return v;
}

/** A network namespace (or host) name: a file under /run/netns, kept shell-safe. */
export function checkNsname(path: string, v: string): string | ParamError {
  if (!NAME_RE.test(v) || v.length > 64) {
    return paramError(path, 'nsname', `"${v}" is not a usable name: up to 64 letters, digits, '.', '-', '_', starting with a letter or digit`, { value: v });
  }
  return v;
}

export function isError(v: unknown): v is ParamError {
  return typeof v === 'object' && v !== null && 'code' in v && 'path' in v && 'message' in v;
}

export function cidrContains(outer: Cidr, addr: number): boolean {
  return ((addr & maskOf(outer.len)) >>> 0) === outer.addr;
}

export function cidrOverlap(a: Cidr, b: Cidr): boolean {
  const len = Math.min(a.len, b.len);
  return ((a.addr & maskOf(len)) >>> 0) === ((b.addr & maskOf(len)) >>> 0);
}

export function cidrBroadcast(c: Cidr): number {
  return (c.addr | ~maskOf(c.len)) >>> 0;
}
