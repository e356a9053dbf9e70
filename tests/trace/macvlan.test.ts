// The tracer on macvlan modes, against the real kernel: captures/macvlan-traffic.sh ran
// one ping per pair on kernel 6.18 after captures/macvlan-traffic.setup.sh and recorded
// which got through (macvlan-traffic.kernel.out). The model builds the same setup and the
// tracer must give the same verdict for each pair.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Session } from '../../lib/session.ts';
import { stepsOf, trace } from '../../lib/trace/index.ts';

const dir = join(import.meta.dirname, 'captures');
const setup = readFileSync(join(dir, 'macvlan-traffic.setup.sh'), 'utf8');
const kernel = readFileSync(join(dir, 'macvlan-traffic.kernel.out'), 'utf8')
  .trim()
  .split('\n')
  .map((l) => l.split(' ') as [string, string, 'ok' | 'fail']);

describe('macvlan modes: the tracer agrees with the kernel on which pings get through', () => {
  const s = new Session();
  const r = s.runScript(setup, 'macvlan-traffic.setup.sh');
  it('builds the setup', () => {
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(kernel.length).toBe(12);
  });
  for (const [from, to, verdict] of kernel) {
    it(`${from} → ${to}: ${verdict}`, () => {
      const t = trace(s.world, { from, to });
      expect(t.disposition === 'DELIVERED' ? 'ok' : 'fail').toBe(verdict);
    });
  }

  it('bridge mode to a bridge-mode sibling: switched inside the lower device, never on the wire', () => {
    const t = trace(s.world, { from: 'cap-ma', to: '10.9.0.2' });
    const sw = stepsOf(t, 'macvlan').find((x) => x.action === 'SWITCHED');
    expect(sw?.detail.to).toBe('cap-mb:mvb');
    expect(t.steps.some((x) => x.type === 'veth')).toBe(false);
  });

  it('private mode: the ARP request leaves through the lower device and nobody answers', () => {
    const t = trace(s.world, { from: 'cap-mc', to: '10.9.0.4' });
    expect(t.disposition).toBe('NEIGHBOR_UNREACHABLE');
  });
});
