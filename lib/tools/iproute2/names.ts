// Number <-> name tables iproute2 uses (rt_names.c and /etc/iproute2 defaults).
import { cUnsigned } from './args.ts';

export const SCOPE_NAMES: Record<number, string> = { 0: 'global', 200: 'site', 253: 'link', 254: 'host', 255: 'nowhere' };

export function scopeName(s: number): string {
  return SCOPE_NAMES[s] ?? String(s);
}

export function parseScope(token: string): number | undefined {
  for (const [k, v] of Object.entries(SCOPE_NAMES)) if (v === token) return Number(k);
  if (token === 'universe') return 0;
  return cUnsigned(token, 255);
}

export const PROTO_NAMES: Record<number, string> = {
  0: 'unspec',
  1: 'redirect',
  2: 'kernel',
  3: 'boot',
  4: 'static',
  8: 'gated',
  9: 'ra',
  10: 'mrt',
  11: 'zebra',
  12: 'bird',
  13: 'dnrouted',
  14: 'xorp',
  15: 'ntk',
  16: 'dhcp',
  18: 'keepalived',
  42: 'babel',
  99: 'openr',
  186: 'bgp',
  187: 'isis',
  188: 'ospf',
  189: 'rip',
  192: 'eigrp',
};

export function protoName(p: number): string {
  return PROTO_NAMES[p] ?? String(p);
}

export function parseProto(token: string): number | undefined {
  for (const [k, v] of Object.entries(PROTO_NAMES)) if (v === token) return Number(k);
  return cUnsigned(token, 255);
}

export const TABLE_NAMES: Record<number, string> = { 0: 'unspec', 253: 'default', 254: 'main', 255: 'local' };

export function tableName(t: number): string {
  return TABLE_NAMES[t] ?? String(t);
}

export function parseTable(token: string): number | undefined {
  for (const [k, v] of Object.entries(TABLE_NAMES)) if (v === token) return Number(k);
  return cUnsigned(token, 0xffffffff);
}
