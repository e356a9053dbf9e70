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

/** Parses `A.B.C.D[/LEN]`; `default` and `0/0` mean 0.0.0.0/0. Missing length means /32. */
export function parseIpv4Interface(text: string): Ipv4Interface {
  if (text === 'default' || text === 'all' || text === 'any') return { addr: 0 as Ipv4Addr, len: 0 };
  const slash = text.indexOf('/');
  const addrText = slash < 0 ? text : text.slice(0, slash);
  const addr = parseLooseIpv4(addrText, text);
  let len = 32;
  if (slash >= 0) {
    const lenText = text.slice(slash + 1);
    if (!/^\d{1,2}$/.test(lenText) || Number(lenText) > 32) {
      throw new AddressError(`"${text}" has an invalid prefix length`, text);
    }
    len = Number(lenText);
  }
  return { addr, len };
}

/** iproute2's get_addr_1 accepts short forms such as `10/8` or `0` (inet_pton-like, but padded). */
function parseLooseIpv4(addrText: string, whole: string): Ipv4Addr {
  const parts = addrText.split('.');
  if (parts.length > 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) {
    throw new AddressError(`"${whole}" is not a valid IPv4 address`, whole);
  }
  while (parts.length < 4) parts.push('0');
  return parseIpv4(parts.join('.'));
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
