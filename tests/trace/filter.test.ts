// The tracer and the filter table (issue #15), against the real kernel: captures/filter-traffic.sh
// ran one ping per destination on kernel 6.18 after captures/filter-traffic.setup.sh and
// recorded which got through (filter-traffic.kernel.out). The model builds the same setup and
// the tracer must give the same verdict for each; where it stops a packet, the hook and the
// rule are the ones the setup script wrote for that address.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Session } from '../../lib/session.ts';
import { stepsOf, trace } from '../../lib/trace/index.ts';

const dir = join(import.meta.dirname, 'captures');
const setup = readFileSync(join(dir, 'filter-traffic.setup.sh'), 'utf8');
const kernel = readFileSync(join(dir, 'filter-traffic.kernel.out'), 'utf8')
  .trim()
  .split('\n')
  .map((l) => l.split(' ') as [string, string, 'ok' | 'fail']);

describe('filter table: the tracer agrees with the kernel on which pings get through', () => {
  const s = new Session();
  const r = s.runScript(setup, 'filter-traffic.setup.sh');
  it('builds the setup', () => {
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(kernel.length).toBe(8);
  });
  for (const [from, to, verdict] of kernel) {
    it(`${from} → ${to}: ${verdict}`, () => {
      const t = trace(s.world, { from, to });
      expect(t.disposition === 'DELIVERED' ? 'ok' : 'fail').toBe(verdict);
    });
  }

  const denied = (to: string) => {
    const t = trace(s.world, { from: 'cap-fa', to });
    expect(t.disposition).toBe('DENIED');
    const last = stepsOf(t, 'netfilter').at(-1)!;
    return { ns: last.ns, hook: last.detail.hook, rule: last.detail.rule, summary: last.summary };
  };

  it('stops each packet at the hook and rule the setup wrote for its address', () => {
    expect(denied('10.2.0.4')).toMatchObject({ ns: 'cap-fa', hook: 'OUTPUT', rule: '-A OUTPUT -d 10.2.0.4/32 -j DROP' });
    expect(denied('10.2.0.2')).toMatchObject({ ns: 'cap-fr', hook: 'FORWARD', rule: '-A FORWARD -d 10.2.0.2/32 -j DROP' });
    expect(denied('10.2.0.5')).toMatchObject({ ns: 'cap-fr', hook: 'FORWARD', rule: '-A KUBE-FW -d 10.2.0.5/32 -j DROP' });
    expect(denied('10.2.0.254')).toMatchObject({ ns: 'cap-fr', hook: 'INPUT', rule: '-A INPUT -d 10.2.0.254/32 -j DROP' });
    expect(denied('10.2.0.3')).toMatchObject({ ns: 'cap-fb', hook: 'INPUT', rule: '-A INPUT -d 10.2.0.3/32 -p icmp -j REJECT --reject-with icmp-port-unreachable', summary: 'filter INPUT: rejected (icmp-port-unreachable)' });
  });

  it('a packet the rules let through passes every filter hook on its way, accepted by policy', () => {
    const t = trace(s.world, { from: 'cap-fa', to: '10.2.0.1' });
    expect(stepsOf(t, 'netfilter').map((x) => `${x.ns} ${x.detail.hook} ${x.action}`)).toEqual(['cap-fa OUTPUT PERMITTED', 'cap-fr FORWARD PERMITTED', 'cap-fb INPUT PERMITTED']);
  });

  it('a policy DROP stops what no rule accepts', () => {
    const s2 = new Session();
    s2.runScript(setup, 'filter-traffic.setup.sh');
    s2.runCommand('ip netns exec cap-fr iptables -P FORWARD DROP');
    s2.runCommand('ip netns exec cap-fr iptables -I FORWARD -d 10.2.0.1 -j ACCEPT');
    expect(trace(s2.world, { from: 'cap-fa', to: '10.2.0.1' }).disposition).toBe('DELIVERED');
    const t = trace(s2.world, { from: 'cap-fb', to: '10.1.0.1' });
    expect(t.disposition).toBe('DENIED');
    expect(t.reason).toContain("the chain's policy DROP");
  });
});

describe('filter OUTPUT sees the VXLAN packet a host encapsulates (captures/filter-vxlan.sh, kernel 6.18)', () => {
  const kernelOut = readFileSync(join(dir, 'filter-vxlan.kernel.out'), 'utf8');
  it('the kernel: a ping over VXLAN passes, and fails once OUTPUT drops UDP 4789', () => {
    expect(kernelOut).toBe('before ok\nafter fail\n');
  });
  it('the tracer agrees, and stops the outer packet at cap-xa OUTPUT', () => {
    const s = new Session();
    const r = s.runScript(readFileSync(join(dir, 'filter-vxlan.setup.sh'), 'utf8'), 'filter-vxlan.setup.sh');
    expect([r.stderr, r.status]).toEqual(['', 0]);
    expect(trace(s.world, { from: 'cap-xa', to: '192.168.7.2' }).disposition).toBe('DELIVERED');
    s.runCommand('ip netns exec cap-xa iptables -A OUTPUT -d 10.0.0.2 -p udp --dport 4789 -j DROP');
    const t = trace(s.world, { from: 'cap-xa', to: '192.168.7.2' });
    expect(t.disposition).toBe('DENIED');
    const last = t.steps.at(-1)!;
    expect([last.ns, last.type, last.summary, last.headers.map((h) => h.kind).slice(0, 4)]).toEqual(['cap-xa', 'netfilter', 'filter OUTPUT: dropped', ['ipv4', 'udp', 'vxlan', 'eth']]);
  });
});
