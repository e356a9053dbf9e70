// Which reference scripts the host's Linux kernel on the project's machines can run (veth,
// vxlan, routing, proxy ARP, iptables NAT — no bond, OVS, 802.1Q, ipvlan, dummy or IPVS).
// A checked block built only on these is also replayed on the host kernel by
// tests/kernel/doctest-kernel.test.ts, and the site says so under it. Every checked block is
// replayed on the reference kernel VM, which runs all of content/scripts (tests/lab/vm-doctests.ts).
import type { Block } from './parse.ts';
import { scriptFiles, SITE } from '../site/manifest.ts';

export const KERNEL_SCRIPTS: ReadonlySet<string> = new Set([
  ...scriptFiles(SITE.scripts.kernel),
  ...scriptFiles(SITE.scripts.kernelFaults).map((f) => `faults/${f}`),
  ...scriptFiles(SITE.scripts.kernelVariants).map((f) => `variants/${f}`),
]);

/** True when the host kernel can run every script of the block (tests/kernel replays it there). */
export function hostKernelRuns(block: Pick<Block, 'meta'>): boolean {
  const scripts = block.meta.scripts ?? [];
  return scripts.length > 0 && scripts.every((s) => KERNEL_SCRIPTS.has(s));
}

/**
 * The verification level of a block: kernel (and model), model only, or none. Every checked
 * block is built on the reference scripts, all of which the reference kernel VM runs, and
 * tests/lab/vm-doctests.ts replays every checked block there (in the kernel lab, part of
 * npm test): so a checked block is checked by a kernel.
 */
export function verifiedLevel(block: Pick<Block, 'kind' | 'meta'>): 'kernel' | 'model' | undefined {
  if (block.kind !== 'checked') return undefined;
  return (block.meta.scripts ?? []).length > 0 ? 'kernel' : 'model';
}
