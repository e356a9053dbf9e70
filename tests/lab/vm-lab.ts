// The reference kernel's part of the lab: one boot of the VM (lib/vm), then
//   1. the production reference cluster (content/scripts, no stand-ins) built with bash and on
//      the model, every show command a reader can type compared (vm-shows.ts);
//   2. every checked block of the chapters replayed (vm-doctests.ts);
// and the coverage of the site's outputs that follows from it.
import { ReferenceVm, VmError } from '../../lib/vm/machine.ts';
import { VmImageError } from '../../lib/vm/image.ts';
import type { CommandResult } from './kernel.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { listScripts } from '../../lib/doctest/run.ts';
import { modelWorld, planScripts, sameOutput, SCRIPTS_DIR, type ShowCommand } from './reference.ts';
import { replayCheckedBlocks, VmPool, type DocReplay } from './vm-doctests.ts';
import { masked, vmShowCommands } from './vm-shows.ts';
import { VmWorld } from './vm-world.ts';
import { runVmTraffic, type VmTraffic } from './vm-traffic.ts';
import { runVmFuzz, type VmFuzzSummary } from './vm-fuzz.ts';

export interface VmMismatch {
  world: string;
  ns: string;
  command: string;
  kernel: CommandResult;
  model: CommandResult;
}

export interface VmCoverageEntry {
  netns: string;
  command: string;
  checkedBy: 'kernel' | 'model';
  compare?: 'set';
}

export interface VmLabSummary {
  ran: boolean;
  skipped?: string;
  /** "Linux 6.1.0-57-amd64 (Debian 6.1.192-3, QEMU VM)". */
  label: string;
  versions: Record<string, string>;
  bootSeconds: number;
  reference?: { scripts: string[]; scriptsCompared: number; outputsCompared: number; mismatches: VmMismatch[]; problems: string[]; coverage: VmCoverageEntry[]; buildSeconds: number; showSeconds: number };
  doctests?: DocReplay & { seconds: number };
  /** Real traffic across the production cluster, against the packet tracer. */
  traffic?: VmTraffic;
  /** The device fuzzer (100 configurations in CI; `npm run lab -- --vm-fuzz N` for another size). */
  fuzz?: VmFuzzSummary;
  seconds: number;
}

export interface VmLabOptions {
  parts: { reference: boolean; doctests: boolean; traffic: boolean; fuzzConfigs: number };
  /** VMs for the replay of the checked blocks (default 2: a second one boots beside the first). */
  vms?: number;
  /** The second VM boots once this settles (the host kernel's part of the lab is done). */
  secondVmAfter?: Promise<unknown>;
  seed: number;
  log: (line: string) => void;
}

export async function runVmLab(o: VmLabOptions): Promise<VmLabSummary> {
  const t0 = Date.now();
  let vm: ReferenceVm;
  try {
    vm = await ReferenceVm.boot({ log: o.log });
  } catch (e) {
    if (e instanceof VmError || e instanceof VmImageError) return { ran: false, skipped: e.message, label: '', versions: {}, bootSeconds: 0, seconds: (Date.now() - t0) / 1000 };
    throw e;
  }
  const sum: VmLabSummary = { ran: true, label: vm.label, versions: vm.versions, bootSeconds: vm.bootSeconds, seconds: 0 };
  // The checked blocks replay on a second VM from the start (the machine has two cores; TCG
  // runs a guest on one) and on this one too once the cluster, traffic and fuzzer are done.
  const pool = new VmPool();
  let second: Promise<ReferenceVm | undefined> | undefined;
  let replay: Promise<DocReplay & { seconds: number }> | undefined;
  if (o.parts.doctests) {
    const td = Date.now();
    o.log('vm: replaying the checked blocks');
    replay = replayCheckedBlocks(pool, o.log).then((r) => ({ ...r, seconds: (Date.now() - td) / 1000 }));
    replay.catch(() => {});
    if ((o.vms ?? 2) > 1) {
      second = Promise.resolve(o.secondVmAfter)
        .then(() => ReferenceVm.boot({ log: (l) => o.log(l.replace(/^vm:/, 'vm 2:')) }))
        .then(
        (v) => {
          pool.add(v);
          return v;
        },
        (e: Error) => {
          o.log(`vm 2: not booted (${e.message.split('\n')[0]}); the replay runs on one VM`);
          return undefined;
        },
      );
    }
  }
  try {
    const world = new VmWorld(vm);
    if (o.parts.reference) {
      const plan = planScripts();
      const scripts = plan.production;
      o.log(`vm: reference cluster ${scripts.join(' ')}`);
      const tb = Date.now();
      const problem = await world.build(scripts);
      const buildSeconds = (Date.now() - tb) / 1000;
      const model = modelWorld(scripts);
      const ref: NonNullable<VmLabSummary['reference']> = { scripts, scriptsCompared: 0, outputsCompared: 0, mismatches: [], problems: [], coverage: [], buildSeconds, showSeconds: 0 };
      if (problem) ref.problems.push(`reference cluster: ${problem}`);
      scripts.forEach((s, i) => {
        ref.scriptsCompared++;
        const k = world.scriptResults[i];
        const m = model.results[i]!;
        if (!k || k.stdout !== m.stdout || k.stderr !== m.stderr || k.status !== m.status) {
          ref.mismatches.push({ world: 'reference', ns: '', command: `bash ${s}`, kernel: k ?? { stdout: '', stderr: '(not run)', status: -1 }, model: m });
        }
      });
      const shows: ShowCommand[] = vmShowCommands(model.session);
      const ts = Date.now();
      const k = await world.run(shows.map((s) => s.text));
      ref.showSeconds = (Date.now() - ts) / 1000;
      if (typeof k === 'string') ref.problems.push(`show commands: ${k}`);
      else {
        shows.forEach((s, i) => {
          const r = model.session.runCommand(s.text);
          const m = masked({ stdout: r.stdout, stderr: r.stderr, status: r.status });
          const kk = masked(k[i]!);
          const same = !r.unsupported && sameOutput(s.compare, kk, m);
          ref.outputsCompared++;
          if (!same) ref.mismatches.push({ world: 'reference', ns: s.ns, command: s.text, kernel: kk, model: m });
          // Every show command ran on the kernel; one that differs is a failure, not "model".
          ref.coverage.push({ netns: s.ns, command: s.text, checkedBy: 'kernel', ...(s.compare === 'set' ? { compare: 'set' as const } : {}) });
        });
      }
      if (o.parts.traffic) {
        o.log('vm: traffic across the production cluster');
        sum.traffic = await runVmTraffic(world, model.session, o.log);
      }
      // The fault and variant scripts, one after another on top of the built cluster, in both
      // worlds: each script's own output and status must agree (`netatlas run` and
      // `netatlas kernel run` print the same for every script in content/scripts).
      const extras = listScripts(SCRIPTS_DIR).filter((f) => f.includes('/'));
      const ke = await world.run(extras.map((f) => `bash ${f}`));
      if (typeof ke === 'string') ref.problems.push(`fault and variant scripts: ${ke}`);
      else {
        extras.forEach((f, i) => {
          const r = model.session.runScript(readFileSync(join(SCRIPTS_DIR, f), 'utf8'), f);
          const m = { stdout: r.stdout, stderr: r.stderr, status: r.status };
          ref.scriptsCompared++;
          if (r.unsupported || ke[i]!.stdout !== m.stdout || ke[i]!.stderr !== m.stderr || ke[i]!.status !== m.status) {
            ref.mismatches.push({ world: 'reference', ns: '', command: `bash ${f}`, kernel: ke[i]!, model: m });
          }
        });
      }
      sum.reference = ref;
    }
    if (o.parts.fuzzConfigs > 0) {
      await vm.reset();
      o.log(`vm: device fuzzer, seed ${o.seed}, ${o.parts.fuzzConfigs} configurations`);
      sum.fuzz = await runVmFuzz(vm, { seed: o.seed, configs: o.parts.fuzzConfigs, log: o.log, shrinkLimit: 3 });
    }
    if (replay) {
      pool.add(vm);
      sum.doctests = await replay;
    }
  } finally {
    await vm.stop();
    await (await second)?.stop();
  }
  sum.seconds = (Date.now() - t0) / 1000;
  return sum;
}
