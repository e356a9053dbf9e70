// npm run doctest [-- --update]: every command output shown on the site, checked against the model.
// With --update, a rewritten block is written only when the reference kernel (the VM, see
// tests/lab/vm-doctests.ts) prints exactly the new output.
import { runCli } from '../lib/doctest/cli.ts';
import { vmKernelRunner } from '../tests/lab/vm-doctests.ts';

const argv = process.argv.slice(2);
const runner = argv.includes('--update') ? vmKernelRunner({ log: (l) => process.stderr.write(`${l}\n`) }) : undefined;
try {
  const result = await runCli(argv, process.env, undefined, runner);
  process.stdout.write(result.output.endsWith('\n') ? result.output : result.output + '\n');
  process.exitCode = result.code;
} finally {
  await runner?.close();
}
