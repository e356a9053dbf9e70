import { generateVmConfig } from '../tests/lab/vm-fuzz-gen.ts';
const c = generateVmConfig(1, 25, 'vf25');
for (const x of c.commands) console.log(x.kind, x.cmd ?? JSON.stringify(x));
