// `netatlas kernel ...`: the reference kernel from the command line, for doc authors checking a
// new block and for anyone who wants to see what real Linux prints for a script.
import { readFileSync } from 'node:fs';
import { ensureImage, VmImageError } from './image.ts';
import { ReferenceVm, VmError } from './machine.ts';

export const KERNEL_HELP = `Usage: netatlas kernel run [--timeout SECONDS] SCRIPT...
       netatlas kernel build
       netatlas kernel info

run    Boots the reference kernel (Debian's Linux 6.1 under QEMU, built by
       scripts/vm/build.sh) once and runs the scripts in it in order, as root, each with
       bash (\`bash A; bash B\`: state carries over). Prints each script's stdout, then
       its stderr, and exits with the last script's status (124: a script ran over
       --timeout, default 600 s; 125: the VM failed). Every network namespace is a host:
       \`ip netns exec NS ovs-vsctl\` talks to that namespace's own Open vSwitch.
build  Builds the VM image (a cache hit when nothing changed).
info   Prints the kernel and the userland versions inside the image.
`;

export async function kernelCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === undefined || sub === '--help' || sub === '-h' || sub === 'help') {
    process.stdout.write(KERNEL_HELP);
    return sub === undefined ? 2 : 0;
  }
  try {
    if (sub === 'build' || sub === 'info') {
      const img = ensureImage((l) => process.stderr.write(`${l}\n`));
      if (sub === 'info') for (const [k, v] of Object.entries(img.versions)) process.stdout.write(`${k}=${v}\n`);
      return 0;
    }
    if (sub !== 'run') {
      process.stderr.write(`netatlas kernel: unknown subcommand "${sub}" (see netatlas kernel --help)\n`);
      return 2;
    }
    let timeoutS = 600;
    const paths: string[] = [];
    for (let i = 0; i < rest.length; i++) {
      const a = rest[i]!;
      if (a === '--help' || a === '-h') {
        process.stdout.write(KERNEL_HELP);
        return 0;
      }
      if (a === '--timeout') {
        const v = rest[++i];
        if (v === undefined || !/^[1-9]\d{0,5}$/.test(v)) {
          process.stderr.write(`netatlas kernel run: --timeout takes a whole number of seconds, not "${v ?? ''}"\n`);
          return 2;
        }
        timeoutS = Number(v);
      } else if (a.startsWith('--')) {
        process.stderr.write(`netatlas kernel run: unknown option "${a}" (see netatlas kernel --help)\n`);
        return 2;
      } else paths.push(a);
    }
    if (paths.length === 0) {
      process.stderr.write('netatlas kernel run: give at least one SCRIPT (see netatlas kernel --help)\n');
      return 2;
    }
    const scripts: { name: string; text: string }[] = [];
    for (const p of paths) {
      try {
        scripts.push({ name: p, text: readFileSync(p, 'utf8') });
      } catch {
        process.stderr.write(`bash: ${p}: No such file or directory\n`);
        return 127;
      }
    }
    const vm = await ReferenceVm.boot({ log: (l) => process.stderr.write(`${l}\n`) });
    let status = 0;
    try {
      for (const s of scripts) {
        const r = await vm.run(s.text, { name: s.name, timeoutS });
        process.stdout.write(r.stdout);
        process.stderr.write(r.stderr);
        status = r.status;
        if (status === 125) break;
      }
    } finally {
      await vm.stop();
    }
    return status;
  } catch (e) {
    if (e instanceof VmError || e instanceof VmImageError) {
      process.stderr.write(`netatlas kernel: ${e.message}\n`);
      return 125;
    }
    throw e;
  }
}
