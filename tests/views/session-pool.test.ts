import { describe, expect, it } from 'vitest';
import { trace } from '../../lib/trace/index.ts';
import { buildSession, SessionPool } from '../../lib/views/session-pool.ts';
import { referenceScripts } from './helpers.ts';

describe('session pool', () => {
  it('hands out sessions nobody has traced on, building spares when scheduled', () => {
    const queue: (() => void)[] = [];
    const pool = new SessionPool(referenceScripts, (fn) => queue.push(fn));
    const a = pool.take();
    expect(pool.builds).toBe(1);
    expect(queue).toHaveLength(1);
    trace(a.session.world, { from: 'pod-9-41', to: '203.0.113.10', proto: 'tcp', dport: 443 });
    queue.shift()!();
    const b = pool.take();
    expect(b).not.toBe(a);
    expect(pool.builds).toBe(2);
    expect(b.session.runCommand('conntrack -L', { netns: 'node-a' }).stdout).toBe('');
  });

  it('keeps spares per script set and reports failing extra scripts', () => {
    const pool = new SessionPool(referenceScripts);
    const x = pool.take([{ name: 'bad.sh', text: 'set -e\nip -n node-a route del 1.2.3.4/32\n' }]);
    expect(x.failures).toHaveLength(1);
    expect(x.failures[0]!.output).toMatch(/RTNETLINK answers/);
  });

  it('the same scripts give the same answers', () => {
    const t1 = trace(buildSession(referenceScripts).session.world, { from: 'pod-9-41', to: '10.96.0.10', proto: 'udp', dport: 53 });
    const t2 = trace(buildSession(referenceScripts).session.world, { from: 'pod-9-41', to: '10.96.0.10', proto: 'udp', dport: 53 });
    expect(t1).toEqual(t2);
  });
});
