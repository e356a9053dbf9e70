// Each script in vm-captures/ was run with bash as root on the reference kernel (Debian's
// Linux 6.1, iproute2 6.1, BusyBox 1.35, Open vSwitch 3.1: `npx netatlas kernel info`) and its
// combined output saved beside it as NAME.vm.out (`node scripts/capture-vm.ts` redoes that).
// These cover what the host kernel cannot show (bond, 802.1Q, ipvlan, dummy, OVS, IPVS) and
// where 6.1 prints differently from the host's 6.18. The model must print the same bytes.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScripts } from '../../lib/session.ts';

const dir = join(import.meta.dirname, 'vm-captures');
const scripts = readdirSync(dir).filter((f) => f.endsWith('.sh'));

describe('model output equals the reference kernel VM output', () => {
  it('has captures to compare', () => {
    expect(scripts.length).toBeGreaterThanOrEqual(1);
  });
  for (const f of scripts) {
    it(f, () => {
      const text = readFileSync(join(dir, f), 'utf8');
      const kernel = readFileSync(join(dir, f.replace(/\.sh$/, '.vm.out')), 'utf8');
      const r = runScripts([{ name: f, text }]);
      expect(r.unsupported).toBe(false);
      expect(r.combined).toBe(kernel);
    });
  }
});
