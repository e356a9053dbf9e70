// Each script in kernel-captures/ was run with bash as root in fresh network namespaces on
// this project's machines (kernel 6.18, iproute2 6.1.0), and its combined output saved
// beside it (`scripts/capture-kernel.sh` redoes that). The model must print the same bytes,
// after the recorded differences between 6.18 and the reference kernel 6.1 are rewritten
// (tests/lab/kernel-differences.ts).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScripts } from '../../lib/session.ts';
import { asReferenceKernel } from '../lab/kernel-differences.ts';

const dir = join(import.meta.dirname, 'kernel-captures');
const scripts = readdirSync(dir).filter((f) => f.endsWith('.sh'));

describe('model output equals captured kernel output', () => {
  it('has captures to compare', () => {
    expect(scripts.length).toBeGreaterThanOrEqual(3);
  });
  for (const f of scripts) {
    it(f, () => {
      const text = readFileSync(join(dir, f), 'utf8');
      const kernel = asReferenceKernel(readFileSync(join(dir, f.replace(/\.sh$/, '.kernel.out')), 'utf8'));
      const r = runScripts([{ name: f, text }]);
      expect(r.unsupported).toBe(false);
      expect(r.combined).toBe(kernel);
    });
  }
});
