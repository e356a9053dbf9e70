// Every checked block of the chapters, replayed on the reference kernel. A block's scripts
// build a world (once per distinct list of scripts); read-only blocks share that world, a
// block that changes state gets a fresh world of its own. Each command runs as the reader
// would type it (inside its namespace for `node-a$` prompts), stdout and stderr together,
// and its output must equal the block's section byte for byte (random values masked, see
// vm-shows.ts maskRandom).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument, type Block } from '../../lib/doctest/parse.ts';
import { renderSection } from '../../lib/doctest/run.ts';
import { maskRandom } from './vm-shows.ts';
import type { VmWorld } from './vm-world.ts';

const ROOT = join(import.meta.dirname, '..', '..');

export interface DocBlock {
  /** content/LOCALE/FILE.mdx:LINE of the first locale that has it. */
  where: string;
  block: Block;
}

/** The checked blocks of both locales, each distinct block once (the locales carry the same blocks). */
export function checkedBlocks(root = ROOT): DocBlock[] {
  const seen = new Set<string>();
  const out: DocBlock[] = [];
  for (const locale of ['zh-cn', 'en']) {
    const dir = join(root, 'content', locale);
    for (const f of readdirSync(dir).filter((x) => x.endsWith('.mdx')).sort()) {
      const file = `content/${locale}/${f}`;
      for (const block of parseDocument(readFileSync(join(root, file), 'utf8'), file).blocks) {
        if (block.kind !== 'checked') continue;
        const key = JSON.stringify([block.meta.scripts, block.commands.map((c) => [c.netns, c.text, c.hidden, c.section])]);
        if (seen.has(key)) continue;
        seen.add(key);
        out.push({ where: `${file}:${block.line}`, block });
      }
    }
  }
  return out;
}

const READERS = new Set(['ip', 'bridge', 'cat', 'sysctl', 'iptables', 'iptables-save', 'ipvsadm', 'conntrack', 'ovs-vsctl', 'ovs-appctl', 'ovs-ofctl', 'ovs-dpctl', 'busybox', 'echo', 'true']);
const WRITERS = /(^|\s)(add|del|delete|set|replace|change|append|prepend|flush|-w|-A|-I|-D|-R|-F|-X|-N|-P|-C|-Z|--zero|add-br|add-port|del-br|del-port|up|down)(\s|$)|=/;

/** True when a command only reads state (so blocks with such commands can share a world). */
export function readOnly(text: string): boolean {
  let t = text.replace(/\\\n/g, ' ').trim();
  const exec = /^ip (?:-\S+ )*netns exec \S+ (.*)$/.exec(t);
  if (exec) t = exec[1]!;
  const first = t.split(/\s+/)[0]!;
  if (!READERS.has(first)) return false;
  if (first === 'sysctl') return !/=|(^|\s)-w(\s|$)/.test(t);
  if (first === 'ovs-vsctl') return /^ovs-vsctl (show|list-br|list-ports|list-ifaces|get|list|find|br-exists|port-to-br|iface-to-br)(\s|$)/.test(t);
  if (first === 'ipvsadm') return /^ipvsadm (-L|-l|--list|-S|--save)/.test(t) && !/(^|\s)(-Z|--zero)(\s|$)/.test(t);
  if (first === 'conntrack') return /^conntrack (-L|--dump|-S|-C|--count)/.test(t) && !/-F/.test(t);
  if (first === 'ip' && /(^|\s)route get(\s|$)/.test(t)) return true;
  return !WRITERS.test(t.replace(/^\S+/, ''));
}

export function blockReadOnly(b: Block): boolean {
  return b.commands.every((c) => readOnly(c.text));
}

export interface DocFailure {
  where: string;
  line: number;
  command: string;
  expected: string[];
  actual: string[];
}

export interface DocReplay {
  blocks: number;
  worlds: number;
  commands: number;
  failures: DocFailure[];
  problems: string[];
}

/** The bash a block's command runs as: in its namespace, stdout and stderr in one stream. */
function asTyped(c: Block['commands'][number]): string {
  const inner = c.netns ? `ip netns exec ${c.netns} bash -c ${shQuote(c.text)}` : c.text;
  return `{ ${inner}\n} 2>&1`;
}

function shQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

export async function replayBlocks(world: VmWorld, blocks: readonly DocBlock[], log: (l: string) => void): Promise<DocReplay> {
  const res: DocReplay = { blocks: blocks.length, worlds: 0, commands: 0, failures: [], problems: [] };
  const groups = new Map<string, DocBlock[]>();
  for (const b of blocks) {
    const key = JSON.stringify(b.block.meta.scripts ?? []);
    groups.set(key, [...(groups.get(key) ?? []), b]);
  }
  const runIn = async (bs: DocBlock[]) => {
    const cmds = bs.flatMap((b) => b.block.commands.map((c) => asTyped(c)));
    const r = await world.run(cmds);
    if (typeof r === 'string') {
      res.problems.push(`${bs.map((b) => b.where).join(', ')}: ${r}`);
      return;
    }
    let i = 0;
    for (const b of bs) {
      for (const c of b.block.commands) {
        const k = r[i++]!;
        res.commands++;
        const actual = renderSection({ combined: maskRandom(k.stdout), status: k.status });
        if (c.hidden) {
          if (k.status !== 0) res.failures.push({ where: b.where, line: c.line, command: c.text, expected: ['(hidden setup: status 0)'], actual });
          continue;
        }
        const expected = maskRandom(c.section.join('\n')).split('\n');
        const exp = c.section.length === 0 ? [] : expected;
        if (JSON.stringify(exp) !== JSON.stringify(actual)) res.failures.push({ where: b.where, line: c.line, command: c.text, expected: exp, actual });
      }
    }
  };
  for (const [key, bs] of groups) {
    const scripts = JSON.parse(key) as string[];
    const shared = bs.filter((b) => blockReadOnly(b.block));
    const own = bs.filter((b) => !blockReadOnly(b.block));
    const worldsNeeded: DocBlock[][] = [...(shared.length ? [shared] : []), ...own.map((b) => [b])];
    for (const w of worldsNeeded) {
      log(`doctests: world ${scripts.join(' ')} for ${w.length} block(s) (${w.map((b) => b.where).join(', ').slice(0, 160)})`);
      const p = await world.build(scripts);
      res.worlds++;
      if (p) {
        res.problems.push(`world ${scripts.join(' ')}: ${p}`);
        continue;
      }
      const bad = world.scriptResults.findIndex((r) => r.status !== 0);
      if (bad >= 0) {
        res.problems.push(`world ${scripts.join(' ')}: ${scripts[bad]} failed on the kernel (status ${world.scriptResults[bad]!.status}): ${world.scriptResults[bad]!.stderr.trim().slice(0, 400)}`);
        continue;
      }
      await runIn(w);
    }
  }
  return res;
}

export function formatDocFailure(f: DocFailure): string {
  return `--- ${f.where.replace(/:\d+$/, '')}:${f.line}: ${f.command}\n    expected (model, as the page shows):\n${f.expected.map((l) => `      ${l}`).join('\n')}\n    reference kernel printed:\n${f.actual.map((l) => `      ${l}`).join('\n')}`;
}
