// The kernel lab at CI size, as part of `npm test`: 200 fuzz configurations × 50 route
// lookups (10,000 lookups), the reference scripts on the kernel and the model, traffic against
// the packet tracer. It needs root, `ip netns` and the Debian packages scripts/setup.sh
// installs; without them it is reported as skipped with the reason, and in CI (CI=true) it
// fails with the reason instead. It is a differential test, not a timed one: the timeout is generous.
import { describe, expect, it } from 'vitest';
import { cannotRunHere } from '../kernel/skip.ts';
import { COVERAGE_FILE, DEFAULT_OPTIONS, formatSummary, runLab } from './lab.ts';

const SEED = Number(process.env.LAB_SEED ?? DEFAULT_OPTIONS.seed);
const CONFIGS = Number(process.env.LAB_CONFIGS ?? DEFAULT_OPTIONS.configs);

describe('kernel lab', () => {
  it(
    'the model answers what Linux answers (fuzzed routing, reference scripts, traffic)',
    async (ctx) => {
      const lines: string[] = [];
      const s = await runLab({ ...DEFAULT_OPTIONS, seed: SEED, configs: CONFIGS, coverageFile: COVERAGE_FILE, log: (l) => lines.push(l) });
      const report = formatSummary(s, SEED);
      if (!s.ran) cannotRunHere(ctx, `the kernel lab could not run: ${s.skipped}`);
      console.log(report);
      expect(s.fuzz!.configs, report).toBeGreaterThanOrEqual(Math.min(CONFIGS, 200));
      if (CONFIGS >= 200) expect(s.fuzz!.lookups, report).toBeGreaterThanOrEqual(10_000);
      expect(s.scripts!.outputsCompared, report).toBeGreaterThan(500);
      expect(s.traffic!.probes.length, report).toBeGreaterThan(0);
      expect(s.mismatchCount, report).toBe(0);
    },
    30 * 60_000,
  );
});
