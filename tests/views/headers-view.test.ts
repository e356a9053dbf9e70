import { describe, expect, it } from 'vitest';
import { headerSize, type Header } from '../../lib/trace/index.ts';
import { alignHeaders, headerBytes, stackView } from '../../lib/views/headers-view.ts';
import type { Mac } from '../../lib/net/mac.ts';

const ip = (src: number, dst: number, ttl = 64): Header => ({ kind: 'ipv4', src, dst, ttl, proto: 1, totalLength: 84, df: true });
const icmp: Header = { kind: 'icmp', type: 8, code: 0, id: 1, seq: 1 };
const pay: Header = { kind: 'payload', length: 56 };
const eth = (src: string, dst: string): Header => ({ kind: 'eth', src: src as Mac, dst: dst as Mac, ethertype: 0x0800 });

describe('header byte fields', () => {
  it('field sizes add up to the size the tracer gives every header', () => {
    const all: Header[] = [
      eth('02:00:00:00:00:01', '02:00:00:00:00:02'),
      { kind: 'vlan', vid: 20 },
      ip(1, 2),
      { kind: 'udp', sport: 1, dport: 4789, length: 8 },
      { kind: 'tcp', sport: 1, dport: 2, flags: 'S' },
      icmp,
      { kind: 'vxlan', vni: 2 },
      pay,
    ];
    for (const h of all) expect(headerBytes(h), h.kind).toBe(headerSize(h));
  });

  it('encapsulation adds the outer headers in front; the inner IPv4 header is the old one', () => {
    const inner = [ip(10, 20, 63), icmp, pay];
    const outer: Header[] = [ip(100, 200), { kind: 'udp', sport: 5, dport: 4789, length: 134 }, { kind: 'vxlan', vni: 2 }, eth('4a:00:00:00:00:0a', '4a:00:00:00:00:0b'), ...inner];
    expect(alignHeaders(inner, outer)).toEqual([undefined, undefined, undefined, undefined, 0, 1, 2]);
    const v = stackView(outer, inner);
    expect(v.layers.map((l) => [l.title, l.role, l.added])).toEqual([
      ['IPv4', 'outer', true],
      ['UDP', 'outer', true],
      ['VXLAN', 'outer', true],
      ['Ethernet', 'inner', true],
      ['IPv4', 'inner', false],
      ['ICMP', 'inner', false],
      ['payload', 'inner', false],
    ]);
    expect(v.total).toBe(134);
    expect(v.removed).toEqual([]);
    expect(v.layers[4]!.fields.some((f) => f.changed)).toBe(false);
  });

  it('an 802.1Q tag is inserted, not a rewrite of Ethernet', () => {
    const a = [eth('02:00:00:00:00:01', '02:00:00:00:00:02'), ip(1, 2), icmp, pay];
    const b = [a[0]!, { kind: 'vlan', vid: 153 } as Header, ...a.slice(1)];
    const v = stackView(b, a);
    expect(v.layers.map((l) => l.added)).toEqual([false, true, false, false, false]);
    expect(v.layers[1]!.fields.find((f) => f.name === 'VID')!.value).toBe('153');
  });

  it('rewritten fields are marked (NAT source, TTL), untracked bytes never are', () => {
    const v = stackView([ip(9, 2, 63), icmp, pay], [ip(1, 2, 64), icmp, pay]);
    const f = v.layers[0]!.fields;
    expect(f.filter((x) => x.changed).map((x) => x.name)).toEqual(['TTL', 'src']);
    expect(f.filter((x) => !x.modelled).every((x) => !x.changed)).toBe(true);
  });

  it('decapsulation and receive remove headers', () => {
    const inner = [eth('4a:00:00:00:00:0a', '4a:00:00:00:00:0b'), ip(10, 20), icmp, pay];
    const outer: Header[] = [ip(100, 200), { kind: 'udp', sport: 5, dport: 4789, length: 134 }, { kind: 'vxlan', vni: 2 }, ...inner];
    const v = stackView(inner, outer);
    expect(v.removed.map((r) => `${r.title} ${r.bytes}`)).toEqual(['IPv4 20', 'UDP 8', 'VXLAN 8']);
    expect(v.layers.every((l) => !l.added)).toBe(true);
  });
});
