// The generated scripts on the host kernel: for a few random parameter sets, the simulation a
// reader can run on a kernel without bond, OVS or 802.1Q (the generator's `no-ovs` set:
// 00-hosts, 10-fabric-lab, 20-node-net, 30-overlay, 60-snat: network namespaces, veth, VXLAN,
// a Linux bridge, routes, proxy ARP, iptables NAT) runs with bash in network namespaces, and
// what the kernel shows must be byte for byte what the model shows for the same scripts. Then
// each node's generated check script runs on the kernel's node and must find nothing to
// report, and a ping crosses the overlay (ttl 62). This tests the generator's own fabric
// without OVS, which it offers readers in simulation/; the reference scripts (production
// fabric) are run on the reference kernel VM by tests/lab.
//
// Runs only as root with `ip netns` working: elsewhere each case is reported as skipped with
// the reason, and in CI (CI=true) it fails with the reason instead (tests/kernel/skip.ts). Every namespace is named nagen-<pid>-<case>-... and deleted at the
// end, also when a check fails or the run is interrupted. Addresses are only those of the
// namespaces; no traffic leaves them.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkParams } from '../../lib/generator/check-params.ts';
import { renderCheckScript } from '../../lib/generator/node-check-script.ts';
import { FILTERS } from '../../lib/generator/node-checks.ts';
import type { Cluster } from '../../lib/generator/cluster.ts';
import { buildModel, expectedChecks } from '../../lib/generator/expected.ts';
import { simulationScripts } from '../../lib/generator/simulation.ts';
import { cannotRunHere } from '../kernel/skip.ts';
import { randomParams } from './random-params.ts';

const PREFIX = `nagen-${process.pid}`;
const SEED = Number(process.env.NETATLAS_SEED ?? 20261126);
const CASES = Number(process.env.NETATLAS_KERNEL_CASES ?? 3);

function blocker(): string | undefined {
  if (process.platform !== 'linux') return `not Linux (${process.platform})`;
  if (typeof process.getuid === 'function' && process.getuid() !== 0) return 'not root: the kernel lab needs `ip netns add`';
  for (const c of ['ip', 'bridge', 'iptables', 'bash', 'ping']) {
    if (spawnSync('bash', ['-c', `command -v ${c}`], { stdio: 'ignore' }).status !== 0) return `${c} is not installed (apt-get install -y iproute2 iptables iputils-ping)`;
  }
  const probe = `${PREFIX}-probe`;
  const r = spawnSync('bash', ['-c', `ip netns add ${probe} && ip -n ${probe} link add v0 type veth peer name v1 && ip -n ${probe} link add vx0 type vxlan id 1 dstport 4789 local 127.0.0.1; s=$?; ip netns del ${probe} 2>/dev/null; exit $s`], { encoding: 'utf8' });
  if (r.status !== 0) return `ip netns / veth / vxlan do not work here: ${(r.stderr || '').trim() || `status ${r.status}`}`;
  return undefined;
}

const reason = blocker();
const created = new Set<string>();
let tmp: string | undefined;

function listNetns(): string[] {
  return (spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout || '')
    .split('\n')
    .map((l) => l.split(' ')[0]!)
    .filter((n) => n !== '');
}

/** Deletes every namespace this run made (synchronous: also from exit and signal handlers). */
function cleanup(): void {
  const existing = new Set(listNetns());
  for (const ns of existing) if (ns.startsWith(`${PREFIX}-`)) spawnSync('ip', ['netns', 'del', ns], { stdio: 'ignore' });
  created.clear();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
  tmp = undefined;
}

if (!reason) {
  process.once('exit', cleanup);
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => {
      cleanup();
      process.exit(130);
    });
  }
}

afterAll(() => {
  cleanup();
  expect(listNetns().filter((n) => n.startsWith(`${PREFIX}-`))).toEqual([]);
});

function write(script: string, name: string): string {
  tmp ??= mkdtempSync(join(tmpdir(), `${PREFIX}-`));
  const file = join(tmp, name);
  writeFileSync(file, script);
  return file;
}

function bash(script: string, name: string): { status: number; out: string } {
  const r = spawnSync('bash', [write(script, name)], { encoding: 'utf8', timeout: 120_000 });
  return { status: r.status ?? 128, out: (r.stdout ?? '') + (r.stderr ?? '') };
}

function inNs(ns: string, cmd: string): string {
  const r = spawnSync('bash', ['-c', `ip netns exec ${ns} ${cmd}`], { encoding: 'utf8', timeout: 30_000 });
  return (r.stdout ?? '') + (r.stderr ?? '');
}

/** The kernel's version of a script: DAD off in each new namespace before any device is made. */
function forKernel(text: string): string {
  return text.replace(/^ip netns add (\S+)$/gm, (line, ns: string) => {
    created.add(ns);
    return `${line}\nip netns exec ${ns} sysctl -q -w net.ipv6.conf.default.accept_dad=0`;
  });
}

function namespaces(c: Cluster): string[] {
  return [...c.nodes.map((n) => n.name), c.sim.switch, c.sim.outside.name, ...c.nodes.flatMap((n) => n.pods.map((p) => p.name))];
}

const seeds = [...Array(CASES).keys()].map((i) => (SEED + i * 15485863) >>> 0);

describe('generated scripts on the kernel', () => {
  it.for(seeds.map((s, i) => [i, s] as const))('case %i (seed %i): the kernel shows what the model shows, and the check scripts pass', ([k, seed], ctx) => {
    if (reason) cannotRunHere(ctx, reason);
    const checked = checkParams(randomParams(seed, { nsPrefix: `${PREFIX}-${k}-`, maxNodes: 3 }));
    expect(checked.errors).toEqual([]);
    const c = checked.cluster!;
    const scripts = simulationScripts(c, 'no-ovs');
    try {
      // The kernel.
      for (const s of scripts) {
        const r = bash(forKernel(s.text), s.name);
        expect(r.out, `kernel: ${s.name}`).toBe('');
        expect(r.status, `kernel: ${s.name}`).toBe(0);
      }
      // The model, from the same scripts.
      const model = buildModel(scripts);
      const vx = c.overlay.device;
      for (const ns of namespaces(c)) {
        const cmds = ['ip route', 'ip -4 addr'];
        if (c.nodes.some((n) => n.name === ns)) cmds.push(`ip neigh show dev ${vx}`, `bridge fdb show dev ${vx}`, 'iptables -t nat -S');
        for (const cmd of cmds) {
          const kernel = inNs(ns, cmd);
          const modelled = model.runCommand(cmd, { netns: ns }).combined;
          // The kernel lists neighbours in the order of a hash seeded at random (arp_hashfn
          // with neigh_hash_alloc's hash_rnd and the device's address): not reproducible, so
          // the lines are compared byte for byte, in byte order.
          if (cmd.startsWith('ip neigh')) expect(FILTERS.sorted.apply(kernel), `${ns}: ${cmd} (sorted)`).toBe(FILTERS.sorted.apply(modelled));
          else expect(kernel, `${ns}: ${cmd}`).toBe(modelled);
        }
      }
      // Each node's check script, on the kernel's node, for the stages the kernel has. The
      // expected outputs come from the production form (bond, OVS): the same for these checks.
      const expected = expectedChecks(c, buildModel(simulationScripts(c, 'production')));
      for (const n of c.nodes) {
        const file = write(renderCheckScript(n, expected.get(n.name)!), `check-${n.name}.sh`);
        const r = spawnSync('bash', ['-c', `CHECK_STAGES="20-node-net 30-overlay 60-snat" ip netns exec ${n.name} bash ${file}`], { encoding: 'utf8' });
        const out = (r.stdout ?? '') + (r.stderr ?? '');
        expect(out, `check-${n.name}.sh on the kernel said:\n${out}`).toMatch(new RegExp(`^${n.name}: \\d+ checks match, 0 differ \\(\\d+ skipped\\)$`, 'm'));
        expect(out).not.toMatch(/^DIFF/m);
        expect(r.status).toBe(0);
      }
      // And traffic: a ping from a pod to a pod on another node arrives with ttl 62.
      const from = c.nodes[0]!.pods[0]!;
      const to = c.nodes[1]!.pods[0]!;
      const ping = inNs(from.name, `ping -c 1 -W 3 ${to.ip}`);
      expect(ping).toMatch(/ttl=62/);
      if (c.overlay.snat) expect(inNs(from.name, `ping -c 1 -W 3 ${c.sim.outside.address}`)).toMatch(/ttl=62/);
    } finally {
      cleanup();
    }
  });
});
