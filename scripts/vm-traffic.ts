// `node scripts/vm-traffic.ts`: real traffic across the production reference cluster on the
// reference kernel (tests/lab/vm-traffic.ts) alone: boots the VM, builds the cluster from
// content/scripts (the production scripts, no stand-ins), runs the probes and checks against
// the model's packet tracer. Exit status 0 only when every probe and check agrees.
import { ReferenceVm } from '../lib/vm/machine.ts';
import { modelWorld, planScripts } from '../tests/lab/reference.ts';
import { formatVmTraffic, runVmTraffic } from '../tests/lab/vm-traffic.ts';
import { VmWorld } from '../tests/lab/vm-world.ts';

const log = (l: string) => process.stderr.write(`${l}\n`);
const vm = await ReferenceVm.boot({ log });
let failing = 1;
try {
  const world = new VmWorld(vm);
  const scripts = planScripts().production;
  const t = Date.now();
  const problem = await world.build(scripts);
  log(`vm-traffic: cluster ${scripts.join(' ')} built in ${((Date.now() - t) / 1000).toFixed(1)} s${problem ? `; ${problem}` : ''}`);
  world.scriptResults.forEach((r, i) => {
    if (r.status !== 0 || r.stderr) log(`vm-traffic: bash ${scripts[i]}: exit ${r.status}${r.stderr ? `, stderr: ${r.stderr.trim().replace(/\n/g, ' | ')}` : ''}`);
  });
  const { session } = modelWorld(scripts);
  const r = await runVmTraffic(world, session, log);
  process.stdout.write(formatVmTraffic(r) + '\n');
  failing = r.probes.filter((p) => p.differences.length).length + r.checks.filter((c) => !c.ok).length + (problem ? 1 : 0);
} finally {
  await vm.stop();
}
process.exit(failing ? 1 : 0);
