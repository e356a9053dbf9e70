// The doctests again, on the host kernel: every checked block in content/ whose scripts the
// host kernel can run (lib/doctest/kernel-scripts.ts, hostKernelRuns) is replayed in real
// network namespaces with bash, and its output must equal the block's — the same bytes the
// model produced. Today every block is built on the production cluster (bond, OVS), which the
// host kernel cannot build, so there are none: the reference kernel VM replays every checked
// block instead (tests/lab/vm-doctests.ts), which is what the "checked against the model and
// the Linux kernel" badge stands for.
//
// The replay is lib/doctest/kernel-confirm.ts (hostNetnsRunner), the same code that confirms
// `npm run doctest -- --update`. Each block runs in a private mount namespace with its own
// /run/netns, so the reference cluster's names cannot clash with other tests' and vanish with
// the block. Without root or `ip netns` every block is skipped, saying why; in CI it fails.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { confirmOnKernel, describeDifferences, hostNetnsRunner, writtenSections } from '../../lib/doctest/kernel-confirm.ts';
import { hostKernelRuns } from '../../lib/doctest/kernel-scripts.ts';
import { parseDocument, type Block } from '../../lib/doctest/parse.ts';
import { cannotRunHere } from './skip.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const SCRIPTS = join(ROOT, 'content', 'scripts');

function kernelBlocks(): { where: string; block: Block }[] {
  const seen = new Set<string>();
  const out: { where: string; block: Block }[] = [];
  for (const locale of ['zh-cn', 'en']) {
    for (const f of readdirSync(join(ROOT, 'content', locale)).filter((x) => x.endsWith('.mdx')).sort()) {
      const file = `content/${locale}/${f}`;
      for (const block of parseDocument(readFileSync(join(ROOT, file), 'utf8'), file).blocks) {
        if (block.kind !== 'checked' || !hostKernelRuns(block)) continue;
        // Both locales carry the same blocks (the doctest checks that): run each once.
        const key = JSON.stringify([block.meta.scripts, block.meta.ns, block.commands.map((c) => [c.netns, c.text, c.section])]);
        if (seen.has(key)) continue;
        seen.add(key);
        out.push({ where: `${file}:${block.line}`, block });
      }
    }
  }
  return out;
}

const blocks = kernelBlocks();
const runner = hostNetnsRunner({ scriptsDir: SCRIPTS });

describe.skipIf(blocks.length === 0)('checked blocks on the host kernel', () => {
  for (const { where, block } of blocks) {
    it(where, async (ctx) => {
      const [c] = await confirmOnKernel([{ block, expected: writtenSections(block) }], runner);
      if (c!.notRun?.why === 'unavailable') cannotRunHere(ctx, c!.notRun.reason);
      expect(c!.notRun, `${where}: ${c!.notRun?.reason}`).toBeUndefined();
      expect(describeDifferences(c!, 'block').join('\n'), `${where}: the kernel prints differently`).toBe('');
      expect(c!.confirmed).toBe(true);
    }, 120_000);
  }
});
