// A kernel test that cannot run on this machine must not pass green: outside CI it is
// reported as skipped (vitest's summary counts it, and the reason is printed), and in CI it
// fails with the reason — CI is where the kernel checks are mandatory.
import type { TestContext } from 'vitest';
import { inCi } from '../../lib/doctest/ci.ts';

const said = new Set<string>();

/** Skips the running test (outside CI) or fails it (in CI), naming why it cannot run. */
export function cannotRunHere(ctx: Pick<TestContext, 'skip'>, reason: string): never {
  if (inCi(process.env)) throw new Error(`this kernel test is mandatory in CI and cannot run here: ${reason}`);
  if (!said.has(reason)) {
    said.add(reason);
    console.warn(`kernel test skipped: ${reason}`);
  }
  return ctx.skip(reason);
}
