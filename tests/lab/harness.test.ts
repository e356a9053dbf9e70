// The lab's own machinery, without a kernel: reproducible generation, and the per-command
// split of a wrapped bash run.
import { describe, expect, it } from 'vitest';
import { generateConfig } from './fuzz-gen.ts';
import { unwrapResults, wrapCommands } from './kernel.ts';
import { Prng, subSeed } from './prng.ts';
import { planScripts } from './reference.ts';

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

  it('classifies every reference script (kernel, model only, or stand-in)', () => {
    const plan = planScripts();
    expect(plan.unclassified).toEqual([]);
    expect(plan.kernel).toContain('30-overlay.sh');
    expect(plan.standIns['10-fabric.sh']).toBe('10-fabric-lab.sh');
  });
});
