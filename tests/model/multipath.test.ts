// `ip route get` through a multipath route with several live nexthops: the kernel's choice
// (fib_select_multipath) hashes the flow with a key drawn at random at boot, so the model
// refuses to guess and says how to ask about one path; with one live nexthop (the others
// dead) or with `oif`, the answer is known and kernel-captures/multipath.sh checks it.
import { describe, expect, it } from 'vitest';
import { runScripts } from '../../lib/session.ts';

const setup = `ip netns add m
ip -n m link add va type veth peer name vb
ip -n m link add wa type veth peer name wb
ip -n m link set va up
ip -n m link set vb up
ip -n m link set wa up
ip -n m link set wb up
ip -n m addr add 10.1.1.1/24 dev va
ip -n m addr add 10.2.2.1/24 dev wa
ip -n m route add 10.9.0.0/16 nexthop via 10.1.1.7 weight 1 nexthop via 10.2.2.7 weight 3
`;

describe('ip route get through a multipath route', () => {
  it('refuses to pick a path the boot-random flow hash decides, naming the destination', () => {
    const r = runScripts([{ name: 'mp.sh', text: setup + 'echo before\nip -n m route get 10.9.1.1\n' }]);
    expect(r.unsupported).toBe(true);
    expect(r.combined).toContain('before\n');
    expect(r.combined).toContain('ip route get 10.9.1.1: the route has 2 live nexthops');
    expect(r.combined).not.toMatch(/at .*\.ts:\d+/);
  });
  it('answers once one path is left', () => {
    const r = runScripts([{ name: 'mp.sh', text: setup + 'ip -n m link set wa down\nip -n m route get 10.9.1.1\n' }]);
    expect(r.unsupported).toBe(false);
    expect(r.combined).toBe('10.9.1.1 via 10.1.1.7 dev va src 10.1.1.1 uid 0 \n    cache \n');
  });
});
