// iproute2's own parsing of interface names, link-layer addresses and txqueuelen (utils.c
// check_ifname/check_altifname, ll_addr.c ll_addr_a2n, get_integer): what `ip` refuses before
// asking the kernel. The kernel's own name checks are lib/model/ifname.ts.
import { parseIproute2Ipv4 } from '../../net/ipv4.ts';
import { ifnameBytes, IFNAMSIZ } from '../../model/ifname.ts';
import { IpUsageError } from './args.ts';

const C_SPACE = /[ \t\n\v\f\r]/;

/** check_altifname: non-empty, no `/` and no white space (any length: the kernel judges it). */
export function altIfnameOk(name: string): boolean {
  return name !== '' && !name.includes('/') && !C_SPACE.test(name);
}

/** check_ifname: as check_altifname, and shorter than IFNAMSIZ bytes. */
export function ifnameOk(name: string): boolean {
  return altIfnameOk(name) && ifnameBytes(name) < IFNAMSIZ;
}

/** invarg("\"name\" not a valid ifname") or invarg("\"dev\" not a valid ifname"), status 255. */
export function invalidIfname(keyword: 'name' | 'dev', name: string): IpUsageError {
  return new IpUsageError(`Error: argument "${name}" is wrong: "${keyword}" not a valid ifname`, 255);
}

/** sscanf("%x"): leading space, a sign, an optional 0x, hex digits; trailing text ignored. */
function scanHex(s: string): number | undefined {
  const m = /^[ \t\n\v\f\r]*([+-]?)(?:0[xX](?=[0-9a-fA-F]))?([0-9a-fA-F]+)/.exec(s);
  if (!m) return undefined;
  const v = parseInt(m[2]!.slice(0, 12), 16);
  return m[1] === '-' ? -v : v;
}

/**
 * ll_addr_a2n: a dotted IPv4 address (4 bytes) or up to `max` colon-separated hex bytes.
 * The message names the piece that failed, as iproute2's does (`"zz" is invalid lladdr.`).
 */
export function parseLladdr(arg: string, max: number): number[] {
  if (arg.includes('.')) {
    const a = parseIproute2Ipv4(arg);
    if (a === undefined) throw new IpUsageError(`"${arg}" is invalid lladdr.`, 1);
    return [a >>> 24, (a >>> 16) & 255, (a >>> 8) & 255, a & 255];
  }
  const bytes: number[] = [];
  let rest: string | undefined = arg;
  while (rest !== undefined && bytes.length < max) {
    const colon = rest.indexOf(':');
    const piece = colon < 0 ? rest : rest.slice(0, colon);
    rest = colon < 0 ? undefined : rest.slice(colon + 1);
    const v = scanHex(piece);
    if (v === undefined || v < 0 || v > 255) throw new IpUsageError(`"${piece}" is invalid lladdr.`, 1);
    bytes.push(v);
  }
  return bytes;
}

/** `ip link ... address`: ll_addr_a2n into a 32-byte buffer, then the device's length. */
export function parseLinkAddress(arg: string, addrLen = 6): string {
  const bytes = parseLladdr(arg, 32);
  if (bytes.length !== addrLen) {
    throw new IpUsageError(`Invalid address length ${bytes.length} - must be ${addrLen} bytes`, 1);
  }
  return hex(bytes);
}

export function hex(bytes: readonly number[]): string {
  return bytes.map((b) => b.toString(16).padStart(2, '0')).join(':');
}

/** get_integer(..., 0): a whole C int (strtol base 0); `txqueuelen -1` is taken and shown as -1. */
export function parseTxqueuelen(text: string): number {
  return parseCInt(text, 'txqueuelen');
}

/** `mtu` is a get_integer too: `mtu -1` reaches the kernel ("mtu less than device minimum"). */
export function parseMtu(text: string): number {
  return parseCInt(text, 'mtu');
}

function parseCInt(text: string, what: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)$/.exec(text);
  const bad = (): IpUsageError => new IpUsageError(`Error: argument "${text}" is wrong: Invalid "${what}" value\n`, 255);
  if (!m) throw bad();
  const body = m[2]!;
  const v = (m[1] === '-' ? -1 : 1) * (body.length > 1 && body[0] === '0' && !/[xX]/.test(body) ? parseInt(body, 8) : Number(body));
  if (!Number.isSafeInteger(v) || v > 0x7fffffff || v < -0x80000000) throw bad();
  return v;
}
