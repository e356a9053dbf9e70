import { generateVmConfig } from '../tests/lab/vm-fuzz-gen.ts';
const c = generateVmConfig(2, 78, 'vf78');
for (const x of c.commands) console.log(x.text);
