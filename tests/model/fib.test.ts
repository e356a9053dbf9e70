import { describe, expect, it } from 'vitest';
import { FibTable } from '../../lib/model/fib-table.ts';
import type { Route } from '../../lib/model/route.ts';
import { parseIpv4, formatIpv4 } from '../../lib/net/ipv4.ts';
import { runScripts } from '../../lib/session.ts';

function r(dst: string, len: number, metric = 0, serial = 0): Route {
  return { table: 254, type: 'unicast', dst: { addr: parseIpv4(dst), len }, tos: 0, metric, proto: 3, scope: 0, nexthops: [], serial };
}

describe('FibTable', () => {
  it('dumps in trie order: ascending address, longer prefix first, then metric', () => {
    const t = new FibTable(254);
    t.insert(r('10.8.0.0', 16, 100));
    t.insert(r('10.0.0.0', 8));
    t.insert(r('10.8.0.0', 16, 50));
    t.insert(r('0.0.0.0', 0));
    t.insert(r('10.8.0.0', 24));
    expect(t.all().map((x) => `${formatIpv4(x.dst.addr)}/${x.dst.len}:${x.metric}`)).toEqual([
      '0.0.0.0/0:0',
      '10.0.0.0/8:0',
      '10.8.0.0/24:0',
      '10.8.0.0/16:50',
      '10.8.0.0/16:100',
    ]);
  });
  it('offers candidates longest prefix first, whatever the table size', () => {
    const t = new FibTable(254);
    for (let i = 0; i < 1000; i++) t.insert(r(formatIpv4(parseIpv4('10.0.0.0') + i * 256), 24));
    t.insert(r('10.0.0.0', 8));
    const lens = [...t.candidates(parseIpv4('10.0.5.9'))].map((l) => l[0]!.dst.len);
    expect(lens).toEqual([24, 8]);
    expect(t.size).toBe(1001);
  });
});

describe('route lookups through the tools', () => {
  const setup = `ip netns add f
ip -n f link add a0 address 02:00:00:00:00:a0 type veth peer name b0 address 02:00:00:00:00:b0
ip -n f link set a0 up
ip -n f link set b0 up
ip -n f addr add 192.0.2.1/24 dev a0
`;
  const run = (extra: string) => runScripts([{ name: 't.sh', text: setup + extra }]).combined;

  it('needs a connected route for a gateway, unless onlink', () => {
    // kernel-facts.md: the gateway check comes before the duplicate check.
    expect(run('ip -n f route add 10.0.0.0/8 via 10.9.9.9 dev a0\nip -n f route add 10.0.0.0/8 via 10.9.9.9 dev a0 onlink\nip -n f route\n')).toBe(
      'Error: Nexthop has invalid gateway.\n10.0.0.0/8 via 10.9.9.9 dev a0 onlink \n192.0.2.0/24 dev a0 proto kernel scope link src 192.0.2.1 \n',
    );
  });
  it('returns the error of unreachable, prohibit and blackhole routes at once', () => {
    expect(run('ip -n f route add unreachable 10.0.0.0/8\nip -n f route add 10.1.0.0/16 via 192.0.2.9\nip -n f route get 10.2.0.1\nip -n f route get 10.1.0.1\n')).toBe(
      'RTNETLINK answers: No route to host\n10.1.0.1 via 192.0.2.9 dev a0 src 192.0.2.1 uid 0 \n    cache \n',
    );
  });
  it('skips aliases whose scope is too small for a gateway lookup', () => {
    // A universe-scope route cannot resolve a gateway (scope must be link or host).
    expect(run('ip -n f route add 198.51.100.0/24 via 192.0.2.9\nip -n f route add 203.0.113.0/24 via 198.51.100.1\n')).toBe('Error: Nexthop has invalid gateway.\n');
  });
});

describe('FibTable at scale', () => {
  it('answers like a brute-force longest-prefix match, below and above the slot-array size', () => {
    let seed = 12345;
    const rnd = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0);
    for (const n of [300, 6000]) {
      const t = new FibTable(254);
      const all: Route[] = [];
      const seen = new Set<string>();
      while (all.length < n) {
        const len = rnd() % 33;
        const addr = len === 0 ? 0 : (rnd() & ((0xffffffff << (32 - len)) >>> 0)) >>> 0;
        if (seen.has(`${addr}/${len}`)) continue;
        seen.add(`${addr}/${len}`);
        const route = r(formatIpv4(addr), len);
        all.push(route);
        t.insert(route);
      }
      // Remove a tenth, to exercise removal in both modes.
      for (const route of all.splice(0, n / 10)) t.remove(route);
      for (let i = 0; i < 3000; i++) {
        const dst = rnd();
        const best = all
          .filter((x) => ((dst & (x.dst.len === 0 ? 0 : (0xffffffff << (32 - x.dst.len)) >>> 0)) >>> 0) === x.dst.addr)
          .sort((a, b) => b.dst.len - a.dst.len)[0];
        const got = t.visit(dst, (list) => list[0]);
        expect(got?.dst).toEqual(best?.dst);
      }
    }
  });
});
