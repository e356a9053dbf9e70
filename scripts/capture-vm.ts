// Captures the reference kernel's output (Debian's Linux 6.1 under QEMU: lib/vm) for
// tests/model/vm-captures/*.sh: one boot, the VM reset before each script, stdout and stderr
// interleaved as `bash X.sh > X.vm.out 2>&1` would write them. Review the diff before committing.
// Usage: node scripts/capture-vm.ts [NAME.sh...]   (default: every script)
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { ReferenceVm } from '../lib/vm/machine.ts';

const dir = join(import.meta.dirname, '../tests/model/vm-captures');
const args = process.argv.slice(2);
const names = args.length ? args.map((a) => basename(a)) : readdirSync(dir).filter((f) => f.endsWith('.sh'));
const vm = await ReferenceVm.boot({ log: (l) => process.stderr.write(`${l}\n`) });
try {
  for (const f of names) {
    await vm.reset();
    const text = readFileSync(join(dir, f), 'utf8');
    const r = await vm.run(`exec 2>&1\n${text}`, { name: f, timeoutS: 300 });
    writeFileSync(join(dir, f.replace(/\.sh$/, '.vm.out')), r.stdout + r.stderr);
    process.stdout.write(`captured ${f.replace(/\.sh$/, '.vm.out')} (status ${r.status})\n`);
  }
} finally {
  await vm.stop();
}
