// IPv4 addresses and prefixes as unsigned 32-bit numbers: cheap to compare and hash,
// which the FIB's per-length hash maps rely on.

export type Ipv4Addr = number & { readonly __brand: 'Ipv4Addr' };

export interface Ipv4Prefix {
  readonly addr: Ipv4Addr; // network address (host bits cleared)
  readonly len: number; // 0..32
}

/** An address with its prefix length, host bits kept (what `ip addr add` takes). */
export interface Ipv4Interface {
  readonly addr: Ipv4Addr;
  readonly len: number;
}

export class AddressError extends Error {
  readonly token: string;

  constructor(message: string, token: string) {
    super(message);
    this.name = 'AddressError';
    this.token = token;
  }
}

const DOTTED = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

export function parseIpv4(text: string): Ipv4Addr {
  const m = DOTTED.exec(text);
  if (!m) throw new AddressError(`"${text}" is not a valid IPv4 address`, text);
  let v = 0;
  for (let i = 1; i <= 4; i++) {
    const octet = Number(m[i]);
    if (octet > 255) throw new AddressError(`"${text}" is not a valid IPv4 address`, text);
    v = v * 256 + octet;
  }
  return v as Ipv4Addr;
}

export function tryParseIpv4(text: string): Ipv4Addr | undefined {
  try {
    return parseIpv4(text);
  } catch {
    return undefined;
  }
}

export function formatIpv4(a: number): string {
  return `${(a >>> 24) & 255}.${(a >>> 16) & 255}.${(a >>> 8) & 255}.${a & 255}`;
}

export function maskOf(len: number): number {
  return len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
}

export function networkOf(a: number, len: number): Ipv4Addr {
  return ((a & maskOf(len)) >>> 0) as Ipv4Addr;
}

export function broadcastOf(a: number, len: number): Ipv4Addr {
  return ((a | ~maskOf(len)) >>> 0) as Ipv4Addr;
}

export function prefixContains(p: Ipv4Prefix, a: number): boolean {
  return ((a & maskOf(p.len)) >>> 0) === p.addr;
}

export function makePrefix(a: number, len: number): Ipv4Prefix {
  return { addr: networkOf(a, len), len };
}

/**
 * Parses `A[.B[.C[.D]]][/LEN]` as iproute2's get_prefix_1 does (host bits kept); `default`,
 * `all` and `any` mean 0.0.0.0/0. Missing length means /32; LEN is a number (C syntax: 0x10,
 * 020) or a contiguous dotted netmask (255.255.0.0).
 */
export function parseIpv4Interface(text: string): Ipv4Interface {
  if (text === 'default' || text === 'all' || text === 'any') return { addr: 0 as Ipv4Addr, len: 0 };
  const slash = text.indexOf('/');
  const addrText = slash < 0 ? text : text.slice(0, slash);
  const addr = parseIproute2Ipv4(addrText);
  if (addr === undefined) throw new AddressError(`"${text}" is not a valid IPv4 address`, text);
  let len = 32;
  if (slash >= 0) {
    const l = getNetmask(text.slice(slash + 1));
    if (l === undefined || l > 32) throw new AddressError(`"${text}" has an invalid prefix length`, text);
    len = l;
  }
  return { addr, len };
}

/** C's strtoul(s, &end, 0) from `at`: leading space, a sign, 0x hex, 0 octal, else decimal. */
export function strtoul(s: string, at = 0): { value: number; end: number } {
  let i = at;
  while (i < s.length && ' \t\n\v\f\r'.includes(s[i]!)) i++;
  let neg = false;
  if (s[i] === '+' || s[i] === '-') neg = s[i++] === '-';
  let base = 10;
  if (s[i] === '0' && (s[i + 1] === 'x' || s[i + 1] === 'X') && /[0-9a-fA-F]/.test(s[i + 2] ?? '')) {
    base = 16;
    i += 2;
  } else if (s[i] === '0') base = 8;
  const start = i;
  let v = 0n;
  for (; i < s.length; i++) {
    const d = parseInt(s[i]!, base);
    if (Number.isNaN(d)) break;
    v = v * BigInt(base) + BigInt(d);
  }
  if (i === start) return { value: 0, end: at }; // no digits: nothing consumed
  const max = (1n << 64n) - 1n;
  if (v > max) v = max; // ERANGE gives ULONG_MAX
  else if (neg) v = (max + 1n - v) & max;
  return { value: Number(v), end: i };
}

/**
 * iproute2's get_addr_ipv4: one to four parts separated by dots, each a C number (hex `0x0a`,
 * octal `012`, a sign or leading space allowed) of at most 255; missing parts are 0
 * (`10.1` is 10.1.0.0). Not inet_aton: `10.1.257` is refused.
 */
export function parseIproute2Ipv4(text: string): Ipv4Addr | undefined {
  const bytes = [0, 0, 0, 0];
  let at = 0;
  for (let i = 0; i < 4; i++) {
    const { value, end } = strtoul(text, at);
    if (value > 255 || end === at) return undefined;
    bytes[i] = value;
    if (end === text.length) return (((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0) as Ipv4Addr;
    if (i === 3 || text[end] !== '.') return undefined;
    at = end + 1;
  }
  return undefined;
}

/** iproute2's get_netmask: a whole C number, or a dotted netmask with contiguous ones. */
function getNetmask(text: string): number | undefined {
  if (text !== '') {
    const { value, end } = strtoul(text);
    if (end === text.length && end > 0 && value <= 0xffffffff) return value;
  }
  const m = parseIproute2Ipv4(text);
  if (m === undefined) return undefined;
  // mask2bits: ones from the top, then zeros only
  const len = 32 - Math.log2((~m >>> 0) + 1);
  return Number.isInteger(len) ? len : undefined;
}

export function formatPrefix(p: Ipv4Prefix): string {
  return `${formatIpv4(p.addr)}/${p.len}`;
}

export function isMulticast(a: number): boolean {
  return a >>> 28 === 0xe;
}

export function isLoopback(a: number): boolean {
  return a >>> 24 === 127;
}

export function isZeronet(a: number): boolean {
  return a >>> 24 === 0;
}

export function isLimitedBroadcast(a: number): boolean {
  return a === 0xffffffff;
}

export function isLinkLocal169(a: number): boolean {
  return a >>> 16 === 0xa9fe;
}
