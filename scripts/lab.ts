// `npm run lab -- [options]`: the kernel lab (tests/lab/lab.ts): the reference kernel in a VM
// (QEMU) and the host kernel in network namespaces. Needs root, `ip netns` and the Debian
// packages scripts/setup.sh installs. Exit status 0 only with zero mismatches.
//
//   --seed N          fuzz seed (default 1); every configuration is reproducible from it
//   --configs K       fuzz configurations (default 200; CI size)
//   --lookups L       `ip route get` lookups per configuration (default 50)
//   --config I        replay configuration I of the seed only (implies --fuzz-only)
//   --parallel P      kernel scripts at once (default 2)
//   --shrink S        shrink at most S mismatches to minimal scripts (default 3)
//   --fuzz-only, --scripts-only, --traffic-only   one host-kernel part only (no VM)
//   --vm-only         only the reference kernel (VM): production cluster and checked blocks
//   --no-vm, --no-vm-doctests, --no-vm-traffic   skip the reference kernel / its replay of the
//                     checked blocks / its traffic
//   --vm-fuzz N       configurations of the device fuzzer on the reference kernel (default 100, the CI size; 0 skips it)
//   --no-coverage     do not rewrite tests/lab/coverage.json
import { COVERAGE_FILE, DEFAULT_OPTIONS, formatSummary, runLab, type LabOptions } from '../tests/lab/lab.ts';

function parse(argv: string[]): LabOptions {
  const o: LabOptions = { ...DEFAULT_OPTIONS, parts: { ...DEFAULT_OPTIONS.parts }, coverageFile: COVERAGE_FILE, log: (l) => process.stderr.write(`${l}\n`) };
  const num = (v: string | undefined, name: string): number => {
    if (v === undefined || !/^\d+$/.test(v)) throw new Error(`${name} needs a number`);
    return Number(v);
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--seed') o.seed = num(argv[++i], a);
    else if (a === '--configs') o.configs = num(argv[++i], a);
    else if (a === '--lookups') o.lookups = num(argv[++i], a);
    else if (a === '--config') {
      o.only = num(argv[++i], a);
      o.parts = { fuzz: true, scripts: false, traffic: false, vm: false, vmDoctests: false, vmTraffic: false, vmFuzz: 0 };
    } else if (a === '--parallel') o.parallel = Math.max(1, num(argv[++i], a));
    else if (a === '--shrink') o.shrinkLimit = num(argv[++i], a);
    else if (a === '--fuzz-only') o.parts = { fuzz: true, scripts: false, traffic: false, vm: false, vmDoctests: false, vmTraffic: false, vmFuzz: 0 };
    else if (a === '--scripts-only') o.parts = { fuzz: false, scripts: true, traffic: false, vm: false, vmDoctests: false, vmTraffic: false, vmFuzz: 0 };
    else if (a === '--traffic-only') o.parts = { fuzz: false, scripts: false, traffic: true, vm: false, vmDoctests: false, vmTraffic: false, vmFuzz: 0 };
    else if (a === '--vm-only') o.parts = { fuzz: false, scripts: false, traffic: false, vm: true, vmDoctests: true, vmTraffic: true, vmFuzz: o.parts.vmFuzz };
    else if (a === '--no-vm') o.parts = { ...o.parts, vm: false, vmDoctests: false, vmTraffic: false, vmFuzz: 0 };
    else if (a === '--no-vm-doctests') o.parts = { ...o.parts, vmDoctests: false };
    else if (a === '--no-vm-traffic') o.parts = { ...o.parts, vmTraffic: false };
    else if (a === '--vm-fuzz') o.parts = { ...o.parts, vmFuzz: num(argv[++i], a) };
    else if (a === '--no-coverage') delete o.coverageFile;
    else if (a === '--help' || a === '-h') {
      process.stdout.write(
        'npm run lab -- [--seed N] [--configs K] [--lookups L] [--config I] [--parallel P] [--shrink S]\n' +
          '               [--fuzz-only|--scripts-only|--traffic-only|--vm-only] [--no-vm] [--no-vm-doctests] [--no-vm-traffic] [--vm-fuzz N] [--no-coverage]\n',
      );
      process.exit(0);
    } else throw new Error(`unknown option ${a} (see --help)`);
  }
  if (!o.parts.vm) delete o.coverageFile;
  return o;
}

let opts: LabOptions;
try {
  opts = parse(process.argv.slice(2));
} catch (e) {
  process.stderr.write(`lab: ${(e as Error).message}\n`);
  process.exit(2);
}
const summary = await runLab(opts);
process.stdout.write(formatSummary(summary, opts.seed));
if (!summary.ran) process.exit(process.env.CI === 'true' ? 1 : 0);
process.exit(summary.mismatchCount === 0 ? 0 : 1);
