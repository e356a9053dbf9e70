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

/**
 * `conntrack -L` writes its entries to stdout and its count to stderr: on a terminal (what a
 * block shows) the entries come first, off one (a file, as here) stdout is block-buffered and
 * the count comes first. Such a command runs on a pseudo-terminal (socat's pty, raw: no
 * carriage returns), as the reader's terminal would show it.
 */
const ON_A_TERMINAL = /^conntrack (?:-L|--dump)(?: [\w.\/=-]+)*$/;

/** The bash a block's command runs as: in its namespace, stdout and stderr in one stream. */
export function asTyped(c: Pick<Block['commands'][number], 'netns' | 'text'>): string {
  if (ON_A_TERMINAL.test(c.text)) return `socat -u EXEC:${shQuote(`${c.netns ? `ip netns exec ${c.netns} ` : ''}${c.text}`)},pty,stderr,rawer STDOUT 2>&1`;
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
 * The VMs a runner may use. A VM joins when it is free (the lab's first VM joins after the
 * reference cluster and the traffic; a second one is booted for the replay alone), and every
 * VM in the pool takes the next world from one queue.
 */
export class VmPool {
  private readonly vms: ReferenceVm[] = [];
  private readonly waiters: ((vm: ReferenceVm) => void)[] = [];

  add(vm: ReferenceVm): void {
    this.vms.push(vm);
    for (const w of this.waiters.splice(0)) w(vm);
  }

  get size(): number {
    return this.vms.length;
  }

  /** Every VM now in the pool, then each one as it joins. */
  each(fn: (vm: ReferenceVm) => void): void {
    for (const vm of this.vms) fn(vm);
    const again = (vm: ReferenceVm) => {
      fn(vm);
      this.waiters.push(again);
    };
    this.waiters.push(again);
  }
}

/** One world's work: the blocks run on a world of these scripts (several read-only blocks, or one that changes it). */
interface Unit {
  scripts: string[];
  blocks: number[];
  readOnly: boolean;
}

/** The units in the order of their script lists, so that a list extending the one before it runs only its extra scripts. */
function plan(blocks: readonly Block[]): Unit[] {
  const groups = new Map<string, number[]>();
  blocks.forEach((b, i) => {
    const key = JSON.stringify(b.meta.scripts ?? []);
    groups.set(key, [...(groups.get(key) ?? []), i]);
  });
  const keys = [...groups.keys()].sort((a, b) => {
    const x = JSON.parse(a) as string[];
    const y = JSON.parse(b) as string[];
    for (let j = 0; j < Math.min(x.length, y.length); j++) if (x[j] !== y[j]) return x[j]! < y[j]! ? -1 : 1;
    return x.length - y.length;
  });
  const units: Unit[] = [];
  for (const key of keys) {
    const idx = groups.get(key)!;
    const scripts = JSON.parse(key) as string[];
    const shared = idx.filter((i) => blockReadOnly(blocks[i]!));
    if (shared.length) units.push({ scripts, blocks: shared, readOnly: true });
    for (const i of idx.filter((i) => !blockReadOnly(blocks[i]!))) units.push({ scripts, blocks: [i], readOnly: false });
  }
  return units;
}

/**
 * The reference kernel as a KernelRunner. Boots one VM on first use unless a pool is given
 * (then its VMs are not stopped here); `close()` stops a VM the runner booted.
 */
export function vmKernelRunner(opts: { vm?: ReferenceVm; pool?: VmPool; log?: (l: string) => void } = {}): KernelRunner & { stats: VmRunnerStats; close(): Promise<void> } {
  const log = opts.log ?? (() => {});
  let booted: ReferenceVm | undefined;
  const stats: VmRunnerStats = { worlds: 0, commands: 0 };
  const runner = async (blocks: readonly Block[]): Promise<KernelOutcome[]> => {
    let pool = opts.pool;
    if (!pool) {
      pool = new VmPool();
      if (opts.vm) pool.add(opts.vm);
      else {
        try {
          booted = await ReferenceVm.boot({ log });
          pool.add(booted);
        } catch (e) {
          return blocks.map(() => ({ ran: false as const, why: 'unavailable' as const, reason: (e as Error).message }));
        }
      }
    }
    const outcomes: KernelOutcome[] = blocks.map(() => ({ ran: false, why: 'failed', reason: 'not run' }));
    const queue = plan(blocks);
    let left = queue.length;
    if (left === 0) return outcomes;
    return new Promise<KernelOutcome[]>((resolve, reject) => {
      let workers = 0;
      const worker = async (vm: ReferenceVm) => {
        const tag = `vm doctests${++workers > 1 || pool.size > 1 ? ` [vm ${workers}]` : ''}`;
        const world = new VmWorld(vm);
        let pristine = false;
        const extendsWorld = (u: Unit) => pristine && world.scripts.length <= u.scripts.length && world.scripts.every((s, j) => u.scripts[j] === s);
        while (queue.length) {
          // The next unit this world can grow into, else the next one in order (a new world).
          const at = Math.max(0, queue.findIndex(extendsWorld));
          const u = queue.splice(at, 1)[0]!;
          const where = u.blocks.map((i) => `${blocks[i]!.file}:${blocks[i]!.line}`).join(', ').slice(0, 200);
          let problem: string | undefined;
          if (extendsWorld(u)) {
            const more = u.scripts.slice(world.scripts.length);
            log(`${tag}: the world extended by ${more.join(' ') || '(nothing)'} for ${u.blocks.length} block(s): ${where}`);
            problem = more.length ? await world.extend(more) : undefined;
          } else {
            log(`${tag}: a world of ${u.scripts.join(' ')} for ${u.blocks.length} block(s): ${where}`);
            stats.worlds++;
            problem = await world.build(u.scripts);
          }
          const bad = world.scriptResults.findIndex((r) => r.status !== 0);
          if (problem || bad >= 0) {
            const reason = problem ?? `${world.scripts[world.scripts.length - world.scriptResults.length + bad]} failed on the reference kernel (status ${world.scriptResults[bad]!.status}): ${world.scriptResults[bad]!.stderr.trim().slice(0, 400)}`;
            for (const i of u.blocks) outcomes[i] = { ran: false, why: 'failed', reason };
            pristine = false;
          } else {
            const r = await world.run(u.blocks.flatMap((i) => blocks[i]!.commands.map((c) => asTyped(c))));
            pristine = u.readOnly && typeof r !== 'string';
            if (typeof r === 'string') for (const i of u.blocks) outcomes[i] = { ran: false, why: 'failed', reason: r };
            else {
              let k = 0;
              for (const i of u.blocks) {
                const results = blocks[i]!.commands.map(() => {
                  const x = r[k++]!;
                  stats.commands++;
                  return { combined: x.stdout, status: x.status };
                });
                outcomes[i] = { ran: true, kernel: vm.label, results, mask: maskLines };
              }
            }
          }
          if (--left === 0) resolve(outcomes);
        }
      };
      pool.each((vm) => void worker(vm).catch(reject));
    });
  };
  return Object.assign(runner, {
    stats,
    async close() {
      if (booted) await booted.stop();
    },
  });
}

export interface DocReplay {
  blocks: number;
  /** VMs that took part. */
  vms: number;
  worlds: number;
  commands: number;
  failures: Confirmation[];
  notRun: Confirmation[];
}

/** Replays every checked block on the reference kernel (the VM given). */
export async function replayCheckedBlocks(pool: VmPool, log: (l: string) => void, root = ROOT): Promise<DocReplay> {
  const blocks = checkedBlocks(root);
  const runner = vmKernelRunner({ pool, log });
  const confirmations = await confirmOnKernel(blocks.map((b) => ({ block: b.block, expected: writtenSections(b.block) })), runner);
  return {
    blocks: blocks.length,
    vms: pool.size,
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
