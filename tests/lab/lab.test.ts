// The kernel lab at CI size, as part of `npm test`: the reference kernel (Debian's Linux 6.1 in
// a QEMU VM) builds the production reference cluster, sends traffic across it, replays every
// checked block and runs the device fuzzer (100 configurations of bond, VLAN, ipvlan, dummy,
// IPVS, Open vSwitch and iptables nat, seed LAB_SEED); the host
// kernel runs 200 fuzz configurations × 50 route lookups (10,000 lookups), the stand-in worlds
// and traffic against the packet tracer. It needs root, `ip netns`, QEMU and the Debian
// packages scripts/setup.sh installs; without them it is reported as skipped with the reason,
// and in CI (CI=true) it fails with the reason instead. It is a differential test, not a timed one: the timeout
// is generous. It never writes tests/lab/coverage.json: it recomputes it and compares.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cannotRunHere } from '../kernel/skip.ts';
import { COVERAGE_FILE, coverageJson, DEFAULT_OPTIONS, formatSummary, FUZZ_BUDGET, runLab } from './lab.ts';

const SEED = Number(process.env.LAB_SEED ?? DEFAULT_OPTIONS.seed);
const CONFIGS = Number(process.env.LAB_CONFIGS ?? DEFAULT_OPTIONS.configs);

describe('kernel lab', () => {
  it(
    'the model answers what Linux answers (reference kernel VM, fuzzed routing, reference scripts, traffic)',
    async (ctx) => {
      const lines: string[] = [];
      const s = await runLab({ ...DEFAULT_OPTIONS, seed: SEED, configs: CONFIGS, log: (l) => lines.push(l) });
      const report = formatSummary(s, SEED);
      if (!s.ran) cannotRunHere(ctx, `the kernel lab could not run: ${s.skipped}`);
      if (!s.vm?.ran) cannotRunHere(ctx, `the reference kernel VM could not boot: ${s.vm?.skipped}`);
      console.log(report);
      expect(s.fuzz!.configs, report).toBeGreaterThanOrEqual(Math.min(CONFIGS, 200));
      if (CONFIGS >= 200) expect(s.fuzz!.lookups, report).toBeGreaterThanOrEqual(10_000);
      expect(s.scripts!.outputsCompared, report).toBeGreaterThan(500);
      expect(s.vm!.reference!.outputsCompared, report).toBeGreaterThan(700);
      expect(s.vm!.doctests!.blocks, report).toBeGreaterThan(30);
      expect(s.traffic!.probes.length, report).toBeGreaterThan(0);
      expect(s.vm!.fuzz?.configs ?? 0, report).toBeGreaterThanOrEqual(FUZZ_BUDGET);
      expect(s.mismatchCount, report).toBe(0);
      // The committed coverage file says what this run found (npm run lab rewrites it).
      // Userland versions are Debian's current ones on each machine: recorded, not compared.
      const committed = { ...JSON.parse(readFileSync(COVERAGE_FILE, 'utf8')), referenceVersions: undefined };
      const now = { ...JSON.parse(coverageJson(s, s.vm!)), referenceVersions: undefined };
      expect(now, 'tests/lab/coverage.json is stale: run `npm run lab` and commit it').toEqual(committed);
      expect(now.counts.model).toBe(0);
    },
    60 * 60_000,
  );
});
