// Every checked block of the chapters, replayed on the reference kernel: vmKernelRunner is the
// doctest's KernelRunner (lib/doctest/kernel-confirm.ts) for the VM. A block's scripts build a
// world (once per distinct list of scripts); read-only blocks share that world, a block that
// changes state gets a fresh world of its own. Each command runs as the reader would type it
// (inside its namespace for `node-a$` prompts), stdout and stderr in one stream, and
// confirmOnKernel compares it with the block's section byte for byte (random values masked,
// see vm-shows.ts maskRandom).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { confirmOnKernel, describeDifferences, writtenSections, type Confirmation, type KernelOutcome, type KernelRunner } from '../../lib/doctest/kernel-confirm.ts';
import { parseDocument, type Block } from '../../lib/doctest/parse.ts';
import { ReferenceVm } from '../../lib/vm/machine.ts';
import { maskLines } from './vm-shows.ts';
import { VmWorld } from './vm-world.ts';

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
  if (first === 'conntrack') return /^conntrack (-L|--dump|-S|--count)/.test(t);
  if (first === 'ip' && /(^|\s)route get(\s|$)/.test(t)) return true;
  return !WRITERS.test(t.replace(/^\S+/, ''));
}

export function blockReadOnly(b: Block): boolean {
  return b.commands.every((c) => readOnly(c.text));
}

/** The bash a block's command runs as: in its namespace, stdout and stderr in one stream. */
function asTyped(c: Block['commands'][number]): string {
  const inner = c.netns ? `ip netns exec ${c.netns} bash -c ${shQuote(c.text)}` : c.text;
  return `{ ${inner}\n} 2>&1`;
}

function shQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

export interface VmRunnerStats {
  worlds: number;
  commands: number;
}

/**
 * The reference kernel as a KernelRunner. Boots the VM on first use unless one is given (then
 * it is not stopped here); `close()` stops a VM the runner booted.
 */
export function vmKernelRunner(opts: { vm?: ReferenceVm; log?: (l: string) => void } = {}): KernelRunner & { stats: VmRunnerStats; close(): Promise<void> } {
  const log = opts.log ?? (() => {});
  let vm = opts.vm;
  let booted = false;
  const stats: VmRunnerStats = { worlds: 0, commands: 0 };
  const runner = async (blocks: readonly Block[]): Promise<KernelOutcome[]> => {
    if (!vm) {
      try {
        vm = await ReferenceVm.boot({ log });
        booted = true;
      } catch (e) {
        return blocks.map(() => ({ ran: false as const, why: 'unavailable' as const, reason: (e as Error).message }));
      }
    }
    const world = new VmWorld(vm);
    const outcomes: KernelOutcome[] = blocks.map(() => ({ ran: false, why: 'failed', reason: 'not run' }));
    const groups = new Map<string, number[]>();
    blocks.forEach((b, i) => {
      const key = JSON.stringify(b.meta.scripts ?? []);
      groups.set(key, [...(groups.get(key) ?? []), i]);
    });
    // Worlds in the order of their script lists, so that a list extending the one before it
    // (`00 10 20 30` then `00 10 20 30 60`) runs only its extra scripts on the same world,
    // as long as no block has changed that world in between.
    const keys = [...groups.keys()].sort((a, b) => {
      const x = JSON.parse(a) as string[];
      const y = JSON.parse(b) as string[];
      for (let j = 0; j < Math.min(x.length, y.length); j++) if (x[j] !== y[j]) return x[j]! < y[j]! ? -1 : 1;
      return x.length - y.length;
    });
    let pristine = false;
    for (const key of keys) {
      const idx = groups.get(key)!;
      const scripts = JSON.parse(key) as string[];
      const shared = idx.filter((i) => blockReadOnly(blocks[i]!));
      const own = idx.filter((i) => !blockReadOnly(blocks[i]!));
      for (const w of [...(shared.length ? [shared] : []), ...own.map((i) => [i])]) {
        const where = w.map((i) => `${blocks[i]!.file}:${blocks[i]!.line}`).join(', ').slice(0, 200);
        const have = world.scripts;
        const extends_ = pristine && have.length <= scripts.length && have.every((s, j) => scripts[j] === s);
        let problem: string | undefined;
        if (extends_) {
          const more = scripts.slice(have.length);
          log(`vm doctests: the world extended by ${more.join(' ') || '(nothing)'} for ${w.length} block(s): ${where}`);
          problem = more.length ? await world.extend(more) : undefined;
        } else {
          log(`vm doctests: a world of ${scripts.join(' ')} for ${w.length} block(s): ${where}`);
          stats.worlds++;
          problem = await world.build(scripts);
        }
        const bad = world.scriptResults.findIndex((r) => r.status !== 0);
        if (problem || bad >= 0) {
          const reason = problem ?? `${world.scripts[world.scripts.length - world.scriptResults.length + bad]} failed on the reference kernel (status ${world.scriptResults[bad]!.status}): ${world.scriptResults[bad]!.stderr.trim().slice(0, 400)}`;
          for (const i of w) outcomes[i] = { ran: false, why: 'failed', reason };
          pristine = false;
          continue;
        }
        pristine = true;
        const cmds = w.flatMap((i) => blocks[i]!.commands.map((c) => asTyped(c)));
        const r = await world.run(cmds);
        if (!w.every((i) => blockReadOnly(blocks[i]!))) pristine = false;
        if (typeof r === 'string') {
          for (const i of w) outcomes[i] = { ran: false, why: 'failed', reason: r };
          pristine = false;
          continue;
        }
        let k = 0;
        for (const i of w) {
          const results = blocks[i]!.commands.map(() => {
            const x = r[k++]!;
            stats.commands++;
            return { combined: x.stdout, status: x.status };
          });
          outcomes[i] = { ran: true, kernel: vm.label, results, mask: maskLines };
        }
      }
    }
    return outcomes;
  };
  return Object.assign(runner, {
    stats,
    async close() {
      if (booted && vm) await vm.stop();
    },
  });
}

export interface DocReplay {
  blocks: number;
  worlds: number;
  commands: number;
  failures: Confirmation[];
  notRun: Confirmation[];
}

/** Replays every checked block on the reference kernel (the VM given). */
export async function replayCheckedBlocks(vm: ReferenceVm, log: (l: string) => void, root = ROOT): Promise<DocReplay> {
  const blocks = checkedBlocks(root);
  const runner = vmKernelRunner({ vm, log });
  const confirmations = await confirmOnKernel(blocks.map((b) => ({ block: b.block, expected: writtenSections(b.block) })), runner);
  return {
    blocks: blocks.length,
    worlds: runner.stats.worlds,
    commands: runner.stats.commands,
    failures: confirmations.filter((c) => !c.confirmed && !c.notRun),
    notRun: confirmations.filter((c) => c.notRun),
  };
}

export function formatConfirmation(c: Confirmation): string {
  const where = `${c.block.file}:${c.block.line}`;
  if (c.notRun) return `--- ${where}: not run on the reference kernel (${c.notRun.why}): ${c.notRun.reason}`;
  return `--- ${where}: the reference kernel prints something else\n${describeDifferences(c, 'page').map((l) => `    ${l}`).join('\n')}`;
}
