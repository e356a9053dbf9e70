// Replays the checked blocks of some chapters (or of some lines of them) on the reference
// kernel VM, as `npm run lab` does for all of them, and prints what differs.
// Usage: node scripts/vm-replay.ts content/en/external.mdx[:LINE,LINE...] ...
// One VM is booted and stopped; the exit status is 1 when a block differs or did not run.
import { readFileSync } from 'node:fs';
import { confirmOnKernel, writtenSections } from '../lib/doctest/kernel-confirm.ts';
import { parseDocument } from '../lib/doctest/parse.ts';
import { checkedBlocks, formatConfirmation, vmKernelRunner } from '../tests/lab/vm-doctests.ts';

const args = process.argv.slice(2);
if (args.length === 0 || args.includes('--help')) {
  process.stdout.write('usage: node scripts/vm-replay.ts content/LOCALE/FILE.mdx[:LINE,LINE...] ...\n');
  process.exit(args.length === 0 ? 2 : 0);
}
const wanted = args.map((a) => {
  const m = /^(.*?\.mdx)(?::([\d,]+))?$/.exec(a);
  if (!m) {
    process.stderr.write(`vm-replay: "${a}" is not content/LOCALE/FILE.mdx[:LINE,...]\n`);
    process.exit(2);
  }
  return { file: m[1]!.replace(/^\.\//, ''), lines: m[2] ? new Set(m[2].split(',').map(Number)) : undefined };
});
// Both locales hold the same blocks; confirmOnKernel runs a block asked for twice once.
const all = checkedBlocks();
const picked = wanted.flatMap((w) => {
  let text: string;
  try {
    text = readFileSync(w.file, 'utf8');
  } catch (e) {
    process.stderr.write(`vm-replay: cannot read ${w.file}: ${(e as Error).message}\n`);
    process.exit(2);
  }
  const blocks = parseDocument(text, w.file).blocks.filter((b) => b.kind === 'checked' && (!w.lines || w.lines.has(b.line)));
  if (w.lines && blocks.length !== w.lines.size) {
    process.stderr.write(`vm-replay: ${w.file}: no checked block starts at some of the lines ${[...w.lines].join(',')}\n`);
    process.exit(2);
  }
  return blocks;
});
process.stderr.write(`vm-replay: ${picked.length} block(s) of ${all.length} distinct checked blocks\n`);
const runner = vmKernelRunner({ log: (l) => process.stderr.write(`${l}\n`) });
try {
  const conf = await confirmOnKernel(picked.map((block) => ({ block, expected: writtenSections(block) })), runner);
  for (const c of conf) if (!c.confirmed) process.stdout.write(`${formatConfirmation(c)}\n`);
  const ok = conf.filter((c) => c.confirmed).length;
  process.stdout.write(`vm-replay: ${ok} confirmed, ${conf.length - ok} not (${runner.stats.worlds} worlds, ${runner.stats.commands} commands)\n`);
  process.exitCode = ok === conf.length ? 0 : 1;
} finally {
  await runner.close();
}
