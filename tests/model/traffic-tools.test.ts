// The traffic commands (ping, socat) and the shell forms they need (`&`, `<<<`): what they
// refuse, with a message naming the command and token, and what the reference cluster's
// traffic leaves behind. The output texts themselves are judged by the reference kernel
// (vm-captures/ping-conntrack.sh, and the chapters' blocks replayed on the VM).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScripts, Session } from '../../lib/session.ts';
import { splitWords, type LineExtras } from '../../lib/tools/shell/lexer.ts';

const SCRIPTS = join(import.meta.dirname, '../../content/scripts');
const CLUSTER = ['00-hosts.sh', '10-fabric.sh', '20-node-net.sh', '21-planes.sh', '30-overlay.sh', '40-underlay.sh', '50-services.sh', '60-snat.sh'];

function cluster(): Session {
  const s = new Session();
  for (const f of CLUSTER) expect(s.runScript(readFileSync(join(SCRIPTS, f), 'utf8'), f).status).toBe(0);
  return s;
}

describe('shell: & and <<<', () => {
  it('takes a trailing & and a here-string only when the caller can honour them', () => {
    const x: LineExtras = {};
    expect(splitWords('socat -T 5 UDP-RECVFROM:53 PIPE &', 1, new Map(), x)).toEqual(['socat', '-T', '5', 'UDP-RECVFROM:53', 'PIPE']);
    expect(x.background).toBe(true);
    const y: LineExtras = {};
    expect(splitWords('socat - UDP:1.2.3.4:53 <<< "$W" # c', 1, new Map([['W', 'a b']]), y)).toEqual(['socat', '-', 'UDP:1.2.3.4:53']);
    expect(y.stdin).toBe('a b\n');
    expect(() => splitWords('socat PIPE &', 1, new Map())).toThrow(/"&" is not supported/);
    expect(() => splitWords('a && b', 1, new Map(), {})).toThrow(/"&&" is not supported/);
    expect(() => splitWords('a & b', 1, new Map(), {})).toThrow(/"&" is not supported/);
  });

  it('runs in the background only a tool that can be, and feeds stdin only to one that reads it', () => {
    const r = runScripts([{ name: 's.sh', text: 'ip netns add a\nip netns exec a ip link show lo &\necho <<< x\n' }]);
    expect(r.unsupported).toBe(true);
    expect(r.stderr).toBe('netatlas: s.sh:2: "ip ... &": the model runs in the background only a server it keeps (socat ... &)\n');
    const e = runScripts([{ name: 's.sh', text: 'echo <<< x\n' }]);
    expect(e.stderr).toBe('netatlas: s.sh:1: "echo ... <<< ...": echo does not read stdin in the model\n');
  });
});

describe('ping', () => {
  it('refuses what it cannot print faithfully, naming the token', () => {
    const s = cluster();
    expect(s.runCommand('ping 10.20.4.5', { netns: 'pod-9-60', where: 'b.mdx:3' }).stderr).toBe('netatlas: b.mdx:3: ping: give -c N (without it ping runs until interrupted)\n');
    expect(s.runCommand('ping -c 1 -f 10.20.4.5', { netns: 'pod-9-60', where: 'x' }).stderr).toMatch(/^netatlas: x: ping: option -f is not modelled/);
    expect(s.runCommand('ping -c 1 node-b', { netns: 'pod-9-60', where: 'x' }).stderr).toMatch(/"node-b" is not an IPv4 address/);
    expect(s.runCommand('ping -c 1 -M probe 10.20.4.5', { netns: 'pod-9-60', where: 'x' }).stderr).toMatch(/^netatlas: x: ping: -M probe is not modelled/);
  });

  it('counts an ICMP error under -q without printing it (as vm-captures/pmtu-frag-needed.sh shows the kernel doing)', () => {
    const s = cluster();
    const r = s.runCommand('ping -c 1 -q 10.20.9.60', { netns: 'upod-101-21' });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('PING 10.20.9.60 (10.20.9.60) 56(84) bytes of data.\n\n--- 10.20.9.60 ping statistics ---\n1 packets transmitted, 0 received, +1 errors, 100% packet loss, time 0ms\n\n');
  });

  it('prints the gateway\'s ICMP net unreachable for an echo it has no route for', () => {
    const s = cluster();
    // The text the reference kernel prints for it (external.mdx, replayed on the VM).
    const r = s.runCommand('ping -c 1 10.20.9.60', { netns: 'upod-101-21' });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe(
      'PING 10.20.9.60 (10.20.9.60) 56(84) bytes of data.\n' +
        'From 10.186.101.254 icmp_seq=1 Destination Net Unreachable\n\n' +
        '--- 10.20.9.60 ping statistics ---\n' +
        '1 packets transmitted, 0 received, +1 errors, 100% packet loss, time 0ms\n\n',
    );
  });

  it('refuses to follow an ICMP error through a namespace that tracks connections', () => {
    const s = cluster();
    // pod-9-60's echo to a network nobody routes: node-a forwards it (MASQUERADE, so
    // conntrack tracks it there) and the gateway has no route.
    const r = s.runCommand('ping -c 1 10.99.0.1', { netns: 'pod-9-60', where: 'x' });
    expect(r.unsupported).toBe(true);
    expect(r.stderr).toMatch(/the ICMP error would be RELATED to the echo's connection in node-a, which the model does not translate/);
  });

  it('leaves the SNAT mapping in node-a for an echo from an overlay pod to an underlay pod', () => {
    const s = cluster();
    const r = s.runCommand('ping -c 2 -q 10.186.101.21', { netns: 'pod-9-60' });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('2 packets transmitted, 2 received, 0% packet loss');
    expect(s.runCommand('conntrack -L -p icmp', { netns: 'node-a' }).stdout).toBe(
      'icmp     1 30 src=10.20.9.60 dst=10.186.101.21 type=8 code=0 id=1 src=10.186.101.21 dst=10.186.153.11 type=0 code=0 id=1 mark=0 use=1\n',
    );
  });
});

describe('socat', () => {
  it('needs a server for an answer, and a server answers once', () => {
    const s = cluster();
    const none = s.runCommand('socat -t 5 - UDP:10.96.0.10:53 <<< q', { netns: 'pod-9-60', where: 'x' });
    expect(none.unsupported).toBe(true);
    expect(none.stderr).toMatch(/reaches pod-4-5 \(10\.20\.4\.5:53\), where no server of the model listens/);
    expect(s.runCommand('socat -T 10 UDP-RECVFROM:53,bind=10.20.4.5 PIPE &', { netns: 'pod-4-5' }).status).toBe(0);
    // rr: this connection goes to the other backend, 10.20.9.72, where nothing listens.
    expect(s.runCommand('socat -t 5 - UDP:10.96.0.10:53 <<< q', { netns: 'pod-9-60' }).stderr).toMatch(/reaches pod-9-72/);
    expect(s.runCommand('socat -t 5 - UDP:10.96.0.10:53 <<< q', { netns: 'pod-9-60' }).stdout).toBe('q\n');
    expect(s.runCommand('socat -t 5 - UDP:10.20.4.5:53 <<< q', { netns: 'pod-9-60' }).stderr).toMatch(/no server of the model listens/);
  });

  it('refuses a server in the foreground and a bind to an address the namespace lacks', () => {
    const s = cluster();
    expect(s.runCommand('socat UDP-RECVFROM:53 PIPE', { netns: 'pod-4-5', where: 'x' }).stderr).toMatch(/a server in the foreground would wait here/);
    expect(s.runCommand('socat UDP-RECVFROM:53,bind=10.20.9.60 PIPE &', { netns: 'pod-4-5', where: 'x' }).stderr).toMatch(/10\.20\.9\.60 is not an address of pod-4-5/);
  });
});

describe('what traffic learns is refused, not listed without it', () => {
  // On the reference kernel a ping leaves ARP entries on every hop and learned MACs in the
  // bridges it crosses; the model computes neither, so listing them after traffic would be a
  // silent wrong answer.
  it('ip neigh, bridge fdb show and ovs-appctl fdb/show refuse in a namespace a ping crossed, and only there', () => {
    const s = cluster();
    expect(s.runCommand('ip netns exec tor ip neigh show dev gw-v101').status).toBe(0);
    const p = s.runCommand('ip netns exec upod-101-21 ping -c 1 10.186.101.254');
    expect(p.status).toBe(0);
    for (const [cmd, what] of [
      ['ip netns exec tor ip neigh show dev gw-v101', 'ip neigh show'],
      ['ip netns exec upod-101-21 ip neigh', 'ip neigh show'],
      ['ip netns exec tor ip neigh flush dev gw-v101', 'ip neigh flush'],
      ['ip netns exec tor ovs-appctl fdb/show br-tor', 'ovs-appctl fdb/show'],
      ['ip netns exec node-a bridge fdb show', 'bridge fdb show'],
      ['ip netns exec node-a cat /proc/net/vlan/biz.101', 'cat /proc/net/vlan/biz.101'],
    ] as const) {
      const r = s.runCommand(cmd);
      expect(r.unsupported, cmd).toBe(true);
      expect(r.stderr, cmd).toContain(`${what} after traffic is not modelled`);
    }
    // A namespace the echo did not cross still lists its table.
    const b = s.runCommand('ip netns exec node-b ip neigh');
    expect(b.unsupported).toBe(false);
    expect(b.status).toBe(0);
  });
});

describe('path MTU exceptions', () => {
  it('refuses the forms of ip route show cache it does not model, naming the token', () => {
    const s = cluster();
    const r = s.runCommand('ip route show cache 10.20.4.5', { netns: 'pod-9-60', where: 'c.mdx:2' });
    expect(r.unsupported).toBe(true);
    expect(r.stderr).toBe('netatlas: c.mdx:2: ip route show cache: selectors after "cache" are not modelled (got "10.20.4.5")\n');
    expect(s.runCommand('ip -j route show cache', { netns: 'pod-9-60', where: 'x' }).stderr).toBe('netatlas: x: ip -j route show cache is not modelled\n');
  });

  it('leaves an exception only in the namespace the ICMP reached, and only for that destination', () => {
    const s = cluster();
    s.runCommand('ip link set eth0 mtu 1500', { netns: 'pod-9-60' });
    s.runCommand('ip link set upvx4279f78e5dc mtu 1500', { netns: 'node-a' });
    expect(s.runCommand('ping -c 1 -M do -s 1472 10.20.4.5', { netns: 'pod-9-60' }).stdout).toContain('From 10.186.153.11 icmp_seq=1 Frag needed and DF set (mtu = 1450)\n');
    expect(s.runCommand('ip route show cache', { netns: 'pod-9-60' }).stdout).toBe('10.20.4.5 via 169.254.1.1 dev eth0 \n    cache expires 599sec mtu 1450 \n');
    expect(s.runCommand('ip route get 10.20.4.6', { netns: 'pod-9-60' }).stdout).toBe('10.20.4.6 via 169.254.1.1 dev eth0 src 10.20.9.60 uid 0 \n    cache \n');
    expect(s.runCommand('ip route show cache', { netns: 'node-a' }).stdout).toBe('');
  });
});
