// Property tests over many random valid parameter sets (seeded, reproducible): the
// generated simulation scripts run on the model without an error, the key flows are
// delivered, each node's own script builds on the node what the simulation builds, and
// the check scripts' filters do in bash what they do in TypeScript.
import { describe, expect, it } from 'vitest';
import { checkParams } from '../../lib/generator/check-params.ts';
import type { Cluster } from '../../lib/generator/cluster.ts';
import { buildModel } from '../../lib/generator/expected.ts';
import { generate } from '../../lib/generator/generate.ts';
import { nodeCommand, nodeLines, simCommand } from '../../lib/generator/render.ts';
import { simulationScripts } from '../../lib/generator/simulation.ts';
import { buildStages, PRODUCTION } from '../../lib/generator/stages/index.ts';
import { Session } from '../../lib/session.ts';
import { trace } from '../../lib/trace/index.ts';
import { formatIpv4 } from '../../lib/net/ipv4.ts';
import { randomParams } from './random-params.ts';

const SEED = Number(process.env.NETATLAS_SEED ?? 20261126);
const CASES = Number(process.env.NETATLAS_CASES ?? 60);
const seeds = [...Array(CASES).keys()].map((i) => (SEED + i * 7919) >>> 0);

function cluster(seed: number): Cluster {
  const c = checkParams(randomParams(seed));
  if (!c.cluster) throw new Error(`seed ${seed}: random parameters rejected:\n${c.errors.map((e) => `${e.path}: ${e.message}`).join('\n')}`);
  return c.cluster;
}

describe(`random valid parameter sets (seed ${SEED}, ${CASES} cases; NETATLAS_SEED / NETATLAS_CASES to vary)`, () => {
  it.each(seeds)('seed %i: simulation runs on the model, and the key flows are delivered', (seed) => {
    const c = cluster(seed);
    for (const which of ['production', 'no-ovs'] as const) {
      const s = new Session();
      for (const sc of simulationScripts(c, which)) {
        const r = s.runScript(sc.text, sc.name);
        expect(r.combined, `seed ${seed}: ${which} ${sc.name}`).toBe('');
        expect(r.status, `seed ${seed}: ${which} ${sc.name}`).toBe(0);
      }
    }
    const s = buildModel(simulationScripts(c, 'production'));
    const [a, b] = c.nodes;
    const from = a!.pods[0]!;
    const to = b!.pods[0]!;

    // pod → pod on another node: through both nodes' routing, VXLAN in between.
    const t1 = trace(s.world, { from: from.name, to: to.ip });
    expect(t1.disposition, `seed ${seed}: ${from.name} → ${to.ip}: ${t1.reason}`).toBe('DELIVERED');
    expect(t1.at.ns).toBe(to.name);
    expect(t1.ttlAtDelivery).toBe(62);
    const encap = t1.steps.find((x) => x.type === 'encapsulate')!;
    expect(encap.detail).toMatchObject({ vni: c.overlay.vni, dstport: c.overlay.port });

    // A packet of exactly the pod MTU with DF still fits through the tunnel.
    const t1big = trace(buildModel(simulationScripts(c, 'production')).world, { from: from.name, to: to.ip, size: c.overlay.podMtu });
    expect(t1big.disposition, `seed ${seed}: ${c.overlay.podMtu}-byte packet: ${t1big.reason}`).toBe('DELIVERED');

    // pod → outside host: MASQUERADE to the node's address when SNAT is on.
    const t2 = trace(s.world, { from: from.name, to: c.sim.outside.address, proto: 'tcp', dport: 80 });
    expect(t2.disposition, `seed ${seed}: pod → outside: ${t2.reason}`).toBe('DELIVERED');
    expect(t2.at.ns).toBe(c.sim.outside.name);
    const nat = t2.steps.filter((x) => x.type === 'netfilter');
    const src = t2.steps.at(-1)!.headers.find((h) => h.kind === 'ipv4');
    if (c.overlay.snat) {
      expect(nat[0]?.detail).toMatchObject({ by: 'MASQUERADE', field: 'src' });
      expect(src && src.kind === 'ipv4' && formatIpv4(src.src)).toBe(a!.address);
    } else {
      expect(nat).toEqual([]);
      expect(src && src.kind === 'ipv4' && formatIpv4(src.src)).toBe(from.ip);
    }

    // outside host → underlay pod: routed by the gateway into the pod's VLAN.
    for (const n of c.nodes) {
      for (const u of n.underlayPods) {
        const t3 = trace(s.world, { from: c.sim.outside.name, to: u.ip });
        expect(t3.disposition, `seed ${seed}: outside → ${u.name}: ${t3.reason}`).toBe('DELIVERED');
        expect(t3.at.ns).toBe(u.name);
        expect(t3.ttlAtDelivery).toBe(63);
      }
    }
  });

  it.each(seeds.slice(0, 20))('seed %i: each node\'s own script builds what the simulation builds', (seed) => {
    const c = cluster(seed);
    const stages = buildStages(c);
    const sim = buildModel(simulationScripts(c, 'production'));
    // The same world, in the same order, with each node-local command run on its node the
    // way the node's own script has it (no namespace wrapper), the others as the simulation.
    const own = new Session();
    for (const id of PRODUCTION) {
      for (const n of c.nodes) {
        const lines = nodeLines(stages[id], n.name).filter((l) => l !== '' && !l.startsWith('#'));
        const mine = stages[id].items.flatMap((it) => (it.kind === 'cmd' && it.node === n.name ? [nodeCommand(it, n.name)] : []));
        expect(lines).toEqual(mine);
      }
      for (const it of stages[id].items) {
        if (it.kind !== 'cmd') continue;
        const r = it.node === undefined ? own.runCommand(simCommand(it)) : own.runCommand(nodeCommand(it, it.node), { netns: it.node });
        expect(r.combined, `seed ${seed}: ${it.node ?? 'root'}: ${nodeCommand(it, it.node ?? '')}`).toBe('');
        expect(r.status).toBe(0);
      }
    }
    const show = ['ip -d link', 'ip addr', 'ip route show table all', 'ip neigh', 'bridge fdb show', 'iptables -t nat -S', 'ovs-vsctl show', 'ipvsadm -Ln', 'sysctl net.ipv4.ip_forward'];
    for (const ns of sim.world.namespaces().map((x) => x.name)) {
      for (const cmd of show) {
        expect(own.runCommand(cmd, { netns: ns }).combined, `seed ${seed}: ${ns}: ${cmd}`).toBe(sim.runCommand(cmd, { netns: ns }).combined);
      }
    }
  });

  it.each(seeds.slice(0, 10))('seed %i: generate() writes every file, and the same parameters give the same files', (seed) => {
    const p = randomParams(seed);
    const one = generate(p);
    const two = generate(JSON.parse(JSON.stringify(p)));
    expect(one.ok && two.ok).toBe(true);
    if (!one.ok || !two.ok) return;
    expect(one.value.files.map((f) => [f.path, f.text])).toEqual(two.value.files.map((f) => [f.path, f.text]));
    const paths = one.value.files.map((f) => f.path);
    for (const n of one.value.cluster.nodes) {
      expect(paths).toContain(`nodes/${n.name}/setup-${n.name}.sh`);
      expect(paths).toContain(`nodes/${n.name}/check-${n.name}.sh`);
    }
    expect(paths).toContain('README.md');
    expect(paths.filter((x) => x.startsWith('simulation/'))).toHaveLength(9);
  });
});
