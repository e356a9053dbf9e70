// A header stack as labelled byte fields, and what changed between two steps of a trace:
// headers added (encapsulation, a link-layer header, an 802.1Q tag), headers removed
// (decapsulation, receive), fields rewritten (NAT, TTL, MAC addresses, VLAN id).
import { formatIpv4 } from '../net/ipv4.ts';
import type { Header } from '../trace/index.ts';

export interface FieldView {
  /** Field name as the protocol names it (`dst`, `TTL`, `VNI`...). */
  name: string;
  bytes: number;
  value: string;
  /** Rewritten since the previous step. */
  changed: boolean;
  /** False for bytes the model does not track (checksums, ids...): shown greyed. */
  modelled: boolean;
}

export interface LayerView {
  kind: Header['kind'];
  /** Ethernet, 802.1Q, IPv4, UDP, TCP, ICMP, VXLAN, payload. */
  title: string;
  bytes: number;
  /** Outer (tunnel) or inner header of a VXLAN frame; undefined when not tunnelled. */
  role?: 'outer' | 'inner';
  /** Added at this step (not in the previous step's stack). */
  added: boolean;
  fields: FieldView[];
}

export interface StackView {
  layers: LayerView[];
  /** Headers of the previous step that this step no longer has (title and size). */
  removed: { kind: Header['kind']; title: string; bytes: number; role?: 'outer' | 'inner' }[];
  total: number;
}

const TITLES: Record<Header['kind'], string> = {
  eth: 'Ethernet',
  vlan: '802.1Q',
  ipv4: 'IPv4',
  udp: 'UDP',
  tcp: 'TCP',
  icmp: 'ICMP',
  vxlan: 'VXLAN',
  payload: 'payload',
};

const PROTO: Record<number, string> = { 1: 'ICMP (1)', 6: 'TCP (6)', 17: 'UDP (17)' };
const hex = (n: number, width: number) => `0x${n.toString(16).padStart(width, '0')}`;

type F = [name: string, bytes: number, value: string, modelled?: boolean];

/** The fields of one header in wire order; bytes the model does not track are grouped. */
function fieldsOf(h: Header): F[] {
  switch (h.kind) {
    case 'eth':
      return [
        ['dst', 6, h.dst],
        ['src', 6, h.src],
        ['type', 2, hex(h.ethertype, 4)],
      ];
    case 'vlan':
      // On the wire the tag sits between the source MAC and the EtherType.
      return [
        ['TPID', 2, '0x8100'],
        ['VID', 2, String(h.vid)],
      ];
    case 'ipv4':
      return [
        ['version, IHL, DSCP', 2, '0x45 0x00', false],
        ['total length', 2, String(h.totalLength)],
        ['id', 2, '', false],
        ['flags', 2, h.df ? 'DF' : '-'],
        ['TTL', 1, String(h.ttl)],
        ['protocol', 1, PROTO[h.proto] ?? String(h.proto)],
        ['checksum', 2, '', false],
        ['src', 4, formatIpv4(h.src)],
        ['dst', 4, formatIpv4(h.dst)],
      ];
    case 'udp':
      return [
        ['sport', 2, String(h.sport)],
        ['dport', 2, String(h.dport)],
        ['length', 2, String(h.length)],
        ['checksum', 2, '', false],
      ];
    case 'tcp':
      return [
        ['sport', 2, String(h.sport)],
        ['dport', 2, String(h.dport)],
        ['seq, ack', 8, '', false],
        ['flags', 2, h.flags],
        ['window, checksum, urgent', 6, '', false],
      ];
    case 'icmp':
      return [
        ['type', 1, String(h.type)],
        ['code', 1, String(h.code)],
        ['checksum', 2, '', false],
        ['id', 2, String(h.id)],
        ['seq', 2, String(h.seq)],
      ];
    case 'vxlan':
      return [
        ['flags', 1, '0x08'],
        ['reserved', 3, '', false],
        ['VNI', 3, String(h.vni)],
        ['reserved', 1, '', false],
      ];
    case 'payload':
      return [['data', h.length, `${h.length} bytes`, false]];
  }
}

export function headerTitle(h: Header): string {
  return TITLES[h.kind];
}

/** Sum of the field sizes: the header's size on the wire. */
export function headerBytes(h: Header): number {
  return fieldsOf(h).reduce((n, f) => n + f[1], 0);
}

/**
 * Which header of `prev` each header of `cur` is (undefined: added). Longest common
 * subsequence by header kind, matched from the innermost header outwards, so that
 * encapsulation is seen as headers added in front (not the inner IPv4 header turning into
 * the outer one).
 */
export function alignHeaders(prev: readonly Header[], cur: readonly Header[]): (number | undefined)[] {
  const n = prev.length;
  const m = cur.length;
  const L: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = 1; i <= n; i++)
    for (let j = 1; j <= m; j++)
      L[i]![j] = prev[i - 1]!.kind === cur[j - 1]!.kind ? L[i - 1]![j - 1]! + 1 : Math.max(L[i - 1]![j]!, L[i]![j - 1]!);
  const match: (number | undefined)[] = new Array(m).fill(undefined);
  let i = n;
  let j = m;
  while (i > 0 && j > 0) {
    if (prev[i - 1]!.kind === cur[j - 1]!.kind && L[i]![j] === L[i - 1]![j - 1]! + 1) {
      match[j - 1] = i - 1;
      i--;
      j--;
    } else if (L[i]![j - 1]! >= L[i - 1]![j]!) j--;
    else i--;
  }
  return match;
}

function roles(stack: readonly Header[]): ('outer' | 'inner' | undefined)[] {
  const v = stack.findIndex((h) => h.kind === 'vxlan');
  return stack.map((_, i) => (v < 0 ? undefined : i <= v ? 'outer' : 'inner'));
}

/** The stack of a step as byte fields, with what changed since `prev` (the step before). */
export function stackView(cur: readonly Header[], prev?: readonly Header[]): StackView {
  const match = prev ? alignHeaders(prev, cur) : cur.map(() => undefined);
  const r = roles(cur);
  const layers: LayerView[] = cur.map((h, idx) => {
    const fields = fieldsOf(h);
    const pi = match[idx];
    const before = pi !== undefined && prev ? fieldsOf(prev[pi]!) : undefined;
    return {
      kind: h.kind,
      title: TITLES[h.kind],
      bytes: fields.reduce((s, f) => s + f[1], 0),
      ...(r[idx] ? { role: r[idx] } : {}),
      added: prev !== undefined && pi === undefined,
      fields: fields.map(([name, bytes, value, modelled], k) => ({
        name,
        bytes,
        value,
        modelled: modelled !== false,
        changed: before !== undefined && modelled !== false && before[k]?.[2] !== value,
      })),
    };
  });
  const used = new Set(match.filter((x) => x !== undefined));
  const pr = prev ? roles(prev) : [];
  const removed = (prev ?? [])
    .map((h, i) => ({ h, i }))
    .filter(({ i }) => !used.has(i))
    .map(({ h, i }) => ({ kind: h.kind, title: TITLES[h.kind], bytes: headerBytes(h), ...(pr[i] ? { role: pr[i] } : {}) }));
  return { layers, removed, total: layers.reduce((s, l) => s + l.bytes, 0) };
}
