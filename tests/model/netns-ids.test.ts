// `ip netns list` shows ` (id: N)` once the namespace ip runs in has an id for the listed one.
// Expected lines: /tmp probe run with bash as root on the host kernel (6.18, iproute2 6.1.0),
// `ip netns exec cap-r ip netns list | grep cap-` after each step. The host's own namespaces
// make the listing order unrepeatable there (readdir of /var/run/netns), so lines are compared
// as sets.
import { describe, expect, it } from 'vitest';
import { Session } from '../../lib/session.ts';

const sorted = (s: string) => s.split('\n').filter((l) => l.startsWith('cap-')).sort();

describe('ip netns list ids (kernel probe)', () => {
  it('allocates an id when a veth end is created or dumped across namespaces, frees it on delete', () => {
    const s = new Session();
    const run = (c: string) => s.runCommand(c);
    run('ip netns add cap-r');
    run('ip netns add cap-n1');
    run('ip netns add cap-n2');
    run('ip -n cap-r link add cvA netns cap-n2 type veth peer name cvB');
    const list = () => sorted(run('ip netns exec cap-r ip netns list').stdout);
    // kernel: cap-n1 / cap-r / cap-n2 (cvA was created in cap-n2: cap-r allocates nothing)
    expect(list()).toEqual(['cap-n1', 'cap-n2', 'cap-r']);
    run('ip -n cap-r link add cv1 type veth peer name cv2 netns cap-n1');
    expect(list()).toEqual(['cap-n1 (id: 0)', 'cap-n2', 'cap-r']);
    run('ip -n cap-r link show cvB');
    expect(list()).toEqual(['cap-n1 (id: 0)', 'cap-n2 (id: 1)', 'cap-r']);
    run('ip netns del cap-n1');
    expect(list()).toEqual(['cap-n2 (id: 1)', 'cap-r']);
    // and cv1, whose peer lived in cap-n1, is gone with it (tests/model/kernel-captures/netns-lifecycle.sh)
    expect(run('ip -n cap-r link show cv1').stderr).toBe('Device "cv1" does not exist.\n');
  });
});
