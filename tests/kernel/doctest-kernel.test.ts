// The doctests again, on the real kernel: every checked block in content/ whose scripts the
// kernel can run (lib/doctest/kernel-scripts.ts) is replayed in real network namespaces with
// bash, and its output must equal the block's — the same bytes the model produced. This is
// what entitles a block to the "checked against the model and the Linux kernel" badge.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { verifiedLevel } from '../../lib/doctest/kernel-scripts.ts';
import { parseDocument, type Block } from '../../lib/doctest/parse.ts';
import { renderSection } from '../../lib/doctest/run.ts';
import { deleteNamespaces, labUnavailable, namespaces, settle, sh } from './netns.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const SCRIPTS = join(ROOT, 'content', 'scripts');

function kernelBlocks(): { where: string; block: Block }[] {
  const seen = new Set<string>();
  const out: { where: string; block: Block }[] = [];
  for (const locale of ['zh-cn', 'en']) {
    for (const f of readdirSync(join(ROOT, 'content', locale)).filter((x) => x.endsWith('.mdx')).sort()) {
      const file = `content/${locale}/${f}`;
      for (const block of parseDocument(readFileSync(join(ROOT, file), 'utf8'), file).blocks) {
        if (verifiedLevel(block) !== 'kernel') continue;
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

/** The reference cluster's namespace names: the only ones this test creates or deletes. */
const OURS = /^(node-|pod-|upod-|tor$|ext$)/;

const unavailable = labUnavailable();
const blocks = kernelBlocks();
const created = new Set<string>();

afterAll(() => deleteNamespaces(created));

describe('checked blocks on the real kernel', () => {
  if (unavailable) {
    it('runs here', () => {
      // In CI the kernel lab is mandatory; elsewhere say plainly why it did not run.
      if (process.env.CI) throw new Error(`the kernel lab cannot run: ${unavailable}`);
      console.warn(`kernel doctests skipped: ${unavailable}`);
    });
    return;
  }
  it('has blocks to replay', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(10);
  });
  for (const { where, block } of blocks) {
    it(where, () => {
      const before = new Set(namespaces());
      const clash = [...before].filter((n) => OURS.test(n));
      expect(clash, 'namespaces of the reference cluster already exist: remove them first (the lab does not touch namespaces it did not create)').toEqual([]);
      try {
        for (const s of block.meta.scripts!) {
          const r = sh(`bash ${JSON.stringify(join(SCRIPTS, s))}`, SCRIPTS);
          for (const n of namespaces()) if (!before.has(n) && OURS.test(n)) created.add(n);
          expect(r.status, `${s} failed on the kernel:\n${r.combined}`).toBe(0);
        }
        settle(namespaces().filter((n) => !before.has(n) && OURS.test(n)));
        for (const c of block.commands) {
          const cmd = c.netns ? `ip netns exec ${c.netns} bash -c ${JSON.stringify(c.text)}` : c.text;
          const r = sh(cmd, SCRIPTS);
          const actual = renderSection(r);
          if (c.hidden) {
            expect(r.status, `hidden command failed: ${c.text}`).toBe(0);
            continue;
          }
          expect(actual, `${where} line ${c.line}: ${c.text}`).toEqual(c.section);
        }
      } finally {
        // Other tests may create namespaces meanwhile: touch only the reference cluster's.
        const mine = namespaces().filter((n) => !before.has(n) && OURS.test(n));
        deleteNamespaces(mine);
        for (const n of mine) created.delete(n);
      }
    }, 60_000);
  }
});
