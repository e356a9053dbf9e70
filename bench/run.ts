// `npm run bench`: figures, not pass/fail. Route lookup throughput on a 100,000-route table
// (and on a 100-route one, to show the cost does not grow with size), and the time to
// build a 1,000-node, 30,000-pod overlay by running its generated script through the model.
import { performance } from 'node:perf_hooks';
import { fibLookup, flow } from '../lib/model/fib-lookup.ts';
import { Session } from '../lib/session.ts';

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0);
}

function tableOf(routes: number): Session {
  const s = new Session();
  const lines = ['ip netns add bench', 'ip -n bench link add r0 type veth peer name r1', 'ip -n bench link set r0 up', 'ip -n bench link set r1 up', 'ip -n bench addr add 100.64.0.1/10 dev r0'];
  const rnd = lcg(42);
  const seen = new Set<string>();
  while (seen.size < routes) {
    const len = 16 + (rnd() % 17);
    const addr = (rnd() & (len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0)) >>> 0;
    const first = addr >>> 24;
    if (first === 0 || first === 127 || first >= 224 || first === 100) continue;
    const text = `${first}.${(addr >>> 16) & 255}.${(addr >>> 8) & 255}.${addr & 255}/${len}`;
    if (seen.has(text)) continue;
    seen.add(text);
    lines.push(`ip -n bench route add ${text} via 100.64.0.${2 + (rnd() % 200)}`);
  }
  const r = s.runScript(lines.join('\n'), 'bench-table.sh');
  if (r.status !== 0) throw new Error(`building the table failed: ${r.stderr.slice(0, 500)}`);
  return s;
}

/** Lookups per second over `dsts`, median of five timed runs after a warm-up run (JIT, flat index). */
function rate(ns: NonNullable<ReturnType<Session['world']['netns']>>, dsts: readonly number[], n: number): { perSecond: number; hits: number } {
  const fl = flow(0);
  const m = dsts.length;
  const once = (): { secs: number; hits: number } => {
    let hits = 0;
    const start = performance.now();
    for (let i = 0; i < n; i++) {
      fl.dst = dsts[i % m]!;
      if (fibLookup(ns, fl).ok) hits++;
    }
    return { secs: (performance.now() - start) / 1000, hits };
  };
  once();
  const runs = Array.from({ length: 5 }, once).sort((a, b) => a.secs - b.secs);
  return { perSecond: n / runs[2]!.secs, hits: runs[2]!.hits };
}

interface Rates {
  all: { perSecond: number; hits: number };
  hit: number;
  miss: number;
  buildMs: number;
}

/** Random destinations; then the same figure for destinations that hit a route and ones that miss. */
function lookupRates(routes: number): Rates {
  const t0 = performance.now();
  const s = tableOf(routes);
  const buildMs = performance.now() - t0;
  const ns = s.world.netns('bench')!;
  const rnd = lcg(7);
  const dsts = Array.from({ length: 1 << 16 }, () => rnd());
  const all = rate(ns, dsts, 2_000_000);
  // Hits: destinations answered by a bench route (not the /10 or a local route).
  const hitDsts: number[] = [];
  const missDsts: number[] = [];
  const fl = flow(0);
  for (let i = 0; i < 1 << 20; i++) {
    fl.dst = rnd();
    const o = fibLookup(ns, fl);
    (o.ok && o.res.table === 254 && o.res.prefixlen >= 16 ? hitDsts : missDsts).push(fl.dst);
  }
  return { all, hit: rate(ns, hitDsts, 1_000_000).perSecond, miss: rate(ns, missDsts, 1_000_000).perSecond, buildMs };
}

function clusterScript(nodes: number, podsPerNode: number): string {
  const out = ['set -e'];
  for (let n = 0; n < nodes; n++) {
    const node = `n${n}`;
    const third = n % 250;
    const second = 20 + Math.floor(n / 250);
    out.push(`ip netns add ${node}`, `ip -n ${node} link set lo up`);
    for (let p = 0; p < podsPerNode; p++) {
      const pod = `${node}-p${p}`;
      const ip = `10.${second}.${third}.${p + 2}`;
      const host = `upvx${n.toString(16).padStart(4, '0')}${p.toString(16).padStart(4, '0')}`;
      out.push(
        `ip netns add ${pod}`,
        `ip -n ${node} link add ${host} type veth peer name eth0 netns ${pod}`,
        `ip -n ${pod} link set eth0 mtu 1450 up`,
        `ip -n ${pod} addr add ${ip}/32 dev eth0`,
        `ip -n ${pod} route add 169.254.1.1 dev eth0 scope link`,
        `ip -n ${pod} route add default via 169.254.1.1 dev eth0`,
        `ip -n ${node} link set ${host} up`,
        `ip -n ${node} route add ${ip} dev ${host} scope link`,
      );
    }
  }
  return out.join('\n');
}

const small = lookupRates(100);
const big = lookupRates(100_000);
const m = (x: number) => `${(x / 1e6).toFixed(2)} M/s`;
console.log(`route lookup, 100-route table:     ${m(small.all.perSecond)} (${small.all.hits} of 2,000,000 hit); hits only ${m(small.hit)}, misses only ${m(small.miss)}`);
console.log(`route lookup, 100,000-route table: ${m(big.all.perSecond)} (${big.all.hits} of 2,000,000 hit); hits only ${m(big.hit)}, misses only ${m(big.miss)}; table built by \`ip route add\` in ${(big.buildMs / 1000).toFixed(2)} s`);
console.log(`lookup cost ratio 100k/100 routes: ${(small.all.perSecond / big.all.perSecond).toFixed(2)}x (median of 5 runs after a warm-up run)`);
const nodes = Number(process.env.BENCH_NODES ?? 1000);
const pods = Number(process.env.BENCH_PODS_PER_NODE ?? 30);
const script = clusterScript(nodes, pods);
const t0 = performance.now();
const s = new Session();
const r = s.runScript(script, 'bench-cluster.sh');
const ms = performance.now() - t0;
if (r.status !== 0) throw new Error(`cluster build failed: ${r.stderr.slice(0, 500)}`);
console.log(`build ${nodes} nodes, ${nodes * pods} pods (${script.split('\n').length} commands): ${(ms / 1000).toFixed(2)} s`);

// The tracer on the reference cluster: the longest flow (pod → remote pod over VXLAN).
{
  const { readFileSync } = await import('node:fs');
  const { trace } = await import('../lib/trace/index.ts');
  const ref = new Session();
  for (const f of ['00-hosts', '10-fabric', '20-node-net', '21-planes', '30-overlay', '40-underlay', '50-services', '60-snat']) {
    ref.runScript(readFileSync(new URL(`../content/scripts/${f}.sh`, import.meta.url), 'utf8'), f);
  }
  const flows = [
    { from: 'pod-9-60', to: '10.20.4.5' },
    { from: 'upod-101-21', to: '10.186.102.22' },
    { from: 'pod-9-60', to: '203.0.113.10', proto: 'tcp' as const, dport: 80 },
  ];
  for (const q of flows) {
    const n = 2000;
    let steps = 0;
    const t1 = performance.now();
    for (let i = 0; i < n; i++) steps = trace(ref.world, q).steps.length;
    const us = ((performance.now() - t1) / n) * 1000;
    console.log(`trace ${q.from} → ${q.to}${q.proto ? ` ${q.proto}` : ''}: ${steps} steps, ${us.toFixed(0)} µs per trace`);
  }
}
