// `node scripts/vm-fuzz.ts [options]`: the reference kernel's differential fuzzer alone
// (tests/lab/vm-fuzz.ts): boots the VM once, runs the configurations, prints the counts per
// device class and every mismatch (shrunk). Exit status 0 only with zero mismatches.
//
//   --seed N      run seed (default 1)
//   --configs K   configurations (default 140: 20 per device class)
//   --config I    replay configuration I of the seed only
//   --class C     generate only class C (bond vlan ipvlan dummy ipvs ovs nat)
//   --shrink S    shrink at most S mismatches (default 5)
import { ReferenceVm } from '../lib/vm/machine.ts';
import { formatVmFuzzSummary, formatVmMismatch, runVmFuzz } from '../tests/lab/vm-fuzz.ts';
import { VM_DEVICE_CLASSES, type VmDeviceClass } from '../tests/lab/vm-fuzz-gen.ts';

const argv = process.argv.slice(2);
let seed = 1;
let configs = 140;
let only: number | undefined;
let cls: VmDeviceClass | undefined;
let shrinkLimit = 5;
const num = (v: string | undefined, name: string): number => {
  if (v === undefined || !/^\d+$/.test(v)) {
    process.stderr.write(`vm-fuzz: ${name} needs a whole number, not "${v ?? ''}"\n`);
    process.exit(2);
  }
  return Number(v);
};
for (let i = 0; i < argv.length; i++) {
  const a = argv[i]!;
  if (a === '--seed') seed = num(argv[++i], a);
  else if (a === '--configs') configs = num(argv[++i], a);
  else if (a === '--config') only = num(argv[++i], a);
  else if (a === '--shrink') shrinkLimit = num(argv[++i], a);
  else if (a === '--class') {
    const c = argv[++i] as VmDeviceClass;
    if (!VM_DEVICE_CLASSES.includes(c)) {
      process.stderr.write(`vm-fuzz: --class takes one of ${VM_DEVICE_CLASSES.join(', ')}, not "${c ?? ''}"\n`);
      process.exit(2);
    }
    cls = c;
  } else {
    process.stderr.write(`vm-fuzz: unknown option "${a}" (see the header of scripts/vm-fuzz.ts)\n`);
    process.exit(2);
  }
}
const log = (l: string) => process.stderr.write(`${l}\n`);
const vm = await ReferenceVm.boot({ log });
let sum;
try {
  sum = await runVmFuzz(vm, { seed, configs, log, shrinkLimit, ...(only !== undefined ? { only } : {}), ...(cls ? { cls } : {}) });
} finally {
  await vm.stop();
}
for (const m of sum.mismatches) process.stdout.write(formatVmMismatch(m, seed) + '\n');
process.stdout.write(formatVmFuzzSummary(sum) + '\n');
process.exit(sum.mismatches.length || sum.harnessErrors.length ? 1 : 0);
