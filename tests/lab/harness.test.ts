// The lab's own machinery, without a kernel: reproducible generation, and the per-command
// split of a wrapped bash run.
import { describe, expect, it } from 'vitest';
import { generateConfig } from './fuzz-gen.ts';
import { unwrapResults, wrapCommands } from './kernel.ts';
import { Prng, subSeed } from './prng.ts';
import { hostStandIns, planScripts, readScript } from './reference.ts';

describe('lab harness', () => {
  it('generates the same configuration from the same seed, different ones otherwise', () => {
    const a = generateConfig(7, 3, 'nalab-1', { lookups: 50 });
    const b = generateConfig(7, 3, 'nalab-1', { lookups: 50 });
    const c = generateConfig(7, 4, 'nalab-1', { lookups: 50 });
    expect(a.commands.map((x) => x.text)).toEqual(b.commands.map((x) => x.text));
    expect(a.commands.map((x) => x.text)).not.toEqual(c.commands.map((x) => x.text));
    expect(a.commands.filter((x) => x.kind === 'lookup')).toHaveLength(50);
    expect(a.commands[0]!.text).toBe('ip netns add nalab-1-3');
  });

  it('spreads sub-seeds (neighbouring seeds and indexes do not give related streams)', () => {
    const seen = new Set<number>();
    for (let s = 0; s < 20; s++) for (let n = 0; n < 50; n++) seen.add(subSeed(s, n));
    expect(seen.size).toBe(1000);
    const r = new Prng(1);
    const xs = Array.from({ length: 1000 }, () => r.int(0, 9));
    for (let d = 0; d < 10; d++) expect(xs.filter((x) => x === d).length).toBeGreaterThan(60);
  });

  it('splits a wrapped run into each command’s stdout, stderr and status', () => {
    const script = wrapCommands(['echo a', 'echo b >&2; false', 'printf x']);
    expect(script).toContain('echo b >&2; false');
    // What bash prints for that script (RS = \x1e).
    const R = '\x1e';
    const stdout = `${R}0${R}a\n${R}rc=0${R}${R}1${R}${R}rc=1${R}${R}2${R}x${R}rc=0${R}${R}end${R}`;
    const stderr = `${R}0${R}${R}1${R}b\n${R}2${R}${R}end${R}`;
    expect(unwrapResults(3, { stdout, stderr, status: 0, timedOut: false })).toEqual([
      { stdout: 'a\n', stderr: '', status: 0 },
      { stdout: '', stderr: 'b\n', status: 1 },
      { stdout: 'x', stderr: '', status: 0 },
    ]);
  });

  it('classifies every reference script (host kernel, model only, or replaced on the host kernel)', () => {
    const plan = planScripts();
    expect(plan.unclassified).toEqual([]);
    expect(plan.kernel).toContain('30-overlay.sh');
    // The host's transport comes from the generator, not from content/scripts.
    expect(plan.standIns['10-fabric.sh']).toBe('10-fabric-lab.sh');
    expect(plan.kernel).toEqual(['00-hosts.sh', '10-fabric-lab.sh', '20-node-net.sh', '30-overlay.sh', '60-snat.sh']);
    expect(plan.production).not.toContain('10-fabric-lab.sh');
    expect(readScript('10-fabric-lab.sh').text).toBe(hostStandIns()['10-fabric.sh']!.text);
    expect(readScript('10-fabric-lab.sh').text).toMatch(/^ip -n tor link add gw-biz type bridge$/m);
  });
});
