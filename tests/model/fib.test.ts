import { describe, expect, it } from 'vitest';
import type { Device } from '../../lib/model/device.ts';
import { flow, type FibOutcome, type Flow } from '../../lib/model/fib-lookup.ts';
import { FibTable } from '../../lib/model/fib-table.ts';
import type { Nexthop, Route, RouteType } from '../../lib/model/route.ts';
import { formatIpv4, makePrefix, maskOf, parseIpv4 } from '../../lib/net/ipv4.ts';
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

describe('FibTable.lookup: the flat index gives the hash path\'s answers', () => {
  // Routes with every attribute the per-alias checks read: tos, scope, error types, several
  // aliases, nexthops on different devices. The same routes go into a table kept on the hash
  // path and a big one that switches to the flat index; every flow must get the same answer.
  let seed = 777;
  const rnd = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0);
  const devs = [1, 2, 3].map((ifindex) => ({ ifindex }) as unknown as Device);
  const types: RouteType[] = ['unicast', 'unicast', 'unicast', 'unicast', 'blackhole', 'unreachable', 'throw', 'local'];
  const scopes = [0, 0, 253, 254];
  const nexthops = (): Nexthop[] => {
    const n = rnd() % 3;
    return Array.from({ length: n }, () => ({ dev: devs[rnd() % 3], onlink: false, scope: 253, weight: 1 }));
  };
  const randomRoute = (addr: number, len: number, serial: number): Route => ({
    table: 254,
    type: types[rnd() % types.length]!,
    dst: makePrefix(addr, len),
    tos: rnd() % 5 === 0 ? 4 : 0,
    metric: rnd() % 3,
    proto: 4,
    scope: scopes[rnd() % scopes.length]!,
    nexthops: nexthops(),
    serial,
  });
  const describeOutcome = (o: FibOutcome | undefined) =>
    o === undefined ? 'none' : o.ok ? `ok ${o.res.route.serial} nh=${o.res.nh?.dev?.ifindex ?? '-'} /${o.res.prefixlen} t${o.res.table}` : `${o.errno} ${o.route?.serial ?? '-'} /${o.prefixlen}`;

  const hashOnly = new FibTable(254, { flatIndex: 'never' });
  const flat = new FibTable(254);
  const both = (r: Route) => {
    hashOnly.insert(r);
    flat.insert(r);
  };
  let serial = 0;
  const prefixes: [number, number][] = [];
  while (prefixes.length < 6000) {
    const len = 8 + (rnd() % 25);
    const addr = (rnd() & maskOf(len)) >>> 0;
    prefixes.push([addr, len]);
    both(randomRoute(addr, len, serial++));
    if (rnd() % 4 === 0) both(randomRoute(addr, len, serial++)); // a second alias
  }
  const flows = (n: number): Flow[] =>
    Array.from({ length: n }, () => {
      // Half the destinations inside a known prefix, so most lookups hit something.
      const [addr, len] = prefixes[rnd() % prefixes.length]!;
      const dst = rnd() % 2 ? (addr | (rnd() & ~maskOf(len))) >>> 0 : rnd();
      return flow(dst, { scope: scopes[rnd() % scopes.length]!, oif: rnd() % 4, tos: rnd() % 3 === 0 ? 4 : 0 });
    });

  it('agrees on 5000 flows with tos, scope, oif and error routes', () => {
    for (const fl of flows(300)) flat.lookup(fl); // past the warm-up, the flat index is built
    let fastHits = 0;
    for (const fl of flows(5000)) {
      const want = describeOutcome(hashOnly.lookup(fl));
      expect(describeOutcome(flat.lookup(fl)), `dst ${formatIpv4(fl.dst)} scope ${fl.scope} oif ${fl.oif} tos ${fl.tos}`).toBe(want);
      if (want.startsWith('ok')) fastHits++;
    }
    expect(fastHits).toBeGreaterThan(500);
  });

  it('sees an alias added to or removed from an existing prefix at once', () => {
    // A prefix with one plain alias that answers for its own network address: a FAST entry.
    const [addr, len] = prefixes.find(([a, l]) => {
      const o = hashOnly.lookup(flow(a));
      return flat.aliases(a, l).length === 1 && o?.ok === true && o.res.route.dst.len === l && o.res.route.tos === 0 && o.res.route.nexthops.length <= 1;
    })!;
    const dst = addr;
    for (const fl of flows(300)) flat.lookup(fl);
    expect(describeOutcome(flat.lookup(flow(dst)))).toMatch(/^ok /);
    const extra: Route = { table: 254, type: 'blackhole', dst: makePrefix(addr, len), tos: 0, metric: 0, proto: 4, scope: 0, nexthops: [], serial: 99999 };
    flat.insert(extra, flat.aliases(addr, len)[0]);
    expect(describeOutcome(flat.lookup(flow(dst)))).toBe(`EINVAL 99999 /${len}`);
    for (const fl of flows(300)) flat.lookup(fl);
    flat.remove(extra);
    expect(describeOutcome(flat.lookup(flow(dst)))).toBe(describeOutcome(hashOnly.lookup(flow(dst))));
  });
});
