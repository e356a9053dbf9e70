// Which reference scripts the Linux kernel on the project's machines can run (veth, vxlan,
// Linux bridge, routing, proxy ARP, iptables NAT — no bond, OVS, 802.1Q, ipvlan, dummy or
// IPVS). A checked block built only on these is also replayed on the real kernel by
// tests/kernel/doctest-kernel.test.ts, and the site says so under it.
import type { Block } from './parse.ts';
import { scriptFiles, SITE } from '../site/manifest.ts';

export const KERNEL_SCRIPTS: ReadonlySet<string> = new Set([
  ...scriptFiles(SITE.scripts.kernel),
  ...scriptFiles(SITE.scripts.kernelFaults).map((f) => `faults/${f}`),
  ...scriptFiles(SITE.scripts.kernelVariants).map((f) => `variants/${f}`),
]);

/** The verification level of a block: kernel (and model), model only, or none. */
export function verifiedLevel(block: Pick<Block, 'kind' | 'meta'>): 'kernel' | 'model' | undefined {
  if (block.kind !== 'checked') return undefined;
  const scripts = block.meta.scripts ?? [];
  return scripts.length > 0 && scripts.every((s) => KERNEL_SCRIPTS.has(s)) ? 'kernel' : 'model';
}
