// The nat model beneath the tools: chain walks (jumps, RETURN, MARK), the NAT hooks'
// results for the tracer, MASQUERADE's source choice, the TCP conntrack states. Expected
// values come from the kernel sources named in each case; the formats of iptables -S and
// conntrack -L are the ones the captures in netfilter-iptables/-conntrack.test.ts verify.
import { describe, expect, it } from 'vitest';
import { Session } from '../../lib/session.ts';
import type { Netns } from '../../lib/model/netns.ts';
import { walkChain } from '../../lib/model/netfilter/nat-eval.ts';
import { natTable, NatTableError } from '../../lib/model/netfilter/nat-table.ts';
import { natOutput, natPostrouting, natPrerouting } from '../../lib/model/netfilter/nat-hooks.ts';
import type { NfPacket } from '../../lib/model/netfilter/packet.ts';
import { parseIpv4 } from '../../lib/net/ipv4.ts';
import { runTool } from './tool-harness.ts';

const ip = parseIpv4;

function host(script: string): Netns {
  const s = new Session();
  const r = s.runScript(`ip netns add h\n${script}`, 'host.sh');
  expect(r.stderr).toBe('');
  return s.world.netns('h')!;
}

const ipt = (ns: Netns, line: string) => {
  const r = runTool(ns, ['iptables', ...line.split(' ')]);
  expect(r.stderr).toBe('');
};

const tcp = (src: string, sport: number, dst: string, dport: number, extra: Partial<NfPacket> = {}): NfPacket => ({ proto: 6, src: ip(src), dst: ip(dst), sport, dport, mark: 0, ...extra });

describe('walkChain', () => {
  it('matches -m addrtype on the type of the address in the namespace\'s local table (inet_addr_type)', () => {
    const ns = host('ip -n h link add d0 type dummy\nip -n h addr add 10.60.0.1/24 dev d0\nip -n h link set d0 up');
    ipt(ns, '-t nat -A PREROUTING -m addrtype --dst-type LOCAL -j MARK --or-mark 0x1');
    ipt(ns, '-t nat -A PREROUTING -m addrtype --dst-type BROADCAST -j MARK --or-mark 0x2');
    ipt(ns, '-t nat -A PREROUTING -m addrtype ! --src-type UNICAST -j MARK --or-mark 0x4');
    const mark = (src: string, dst: string) => walkChain(natTable(ns), 'PREROUTING', tcp(src, 1000, dst, 80), { addrType: (a) => (a === ip('10.60.0.1') ? 'local' : a === ip('10.60.0.255') ? 'broadcast' : 'unicast') }).mark;
    expect(mark('192.0.2.1', '10.60.0.1')).toBe(0x1);
    expect(mark('192.0.2.1', '10.60.0.255')).toBe(0x2);
    expect(mark('192.0.2.1', '10.60.0.7')).toBe(0);
    expect(mark('10.60.0.1', '10.60.0.7')).toBe(0x4);
    // Through the hooks, the types come from the namespace itself.
    expect(natPrerouting(ns, tcp('192.0.2.1', 1000, '10.60.0.1', 80), 'd0').packet.mark).toBe(0x1);
    expect(natPrerouting(ns, tcp('192.0.2.1', 1001, '10.60.0.255', 80), 'd0').packet.mark).toBe(0x2);
    expect(natPrerouting(ns, tcp('192.0.2.1', 1002, '10.60.0.9', 80), 'd0').packet.mark).toBe(0);
  });

  it('follows kube-proxy\'s mark-then-masquerade chains (jump, MARK or, RETURN, MARK xor)', () => {
    const ns = host('');
    for (const l of [
      '-t nat -N KUBE-SERVICES',
      '-t nat -N KUBE-MARK-MASQ',
      '-t nat -N KUBE-POSTROUTING',
      '-t nat -A PREROUTING -j KUBE-SERVICES',
      '-t nat -A KUBE-SERVICES ! -s 10.20.0.0/16 -d 10.96.0.0/12 -j KUBE-MARK-MASQ',
      '-t nat -A KUBE-MARK-MASQ -j MARK --or-mark 0x4000',
      '-t nat -A POSTROUTING -j KUBE-POSTROUTING',
      '-t nat -A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN',
      '-t nat -A KUBE-POSTROUTING -j MARK --xor-mark 0x4000',
      '-t nat -A KUBE-POSTROUTING -j MASQUERADE --random-fully',
    ]) ipt(ns, l);
    const t = natTable(ns);
    const pre = walkChain(t, 'PREROUTING', tcp('192.168.1.5', 5000, '10.96.0.1', 443), { in: 'eth0' });
    expect(pre.hits.map((h) => h.text)).toEqual([
      '-A PREROUTING -j KUBE-SERVICES',
      '-A KUBE-SERVICES ! -s 10.20.0.0/16 -d 10.96.0.0/12 -j KUBE-MARK-MASQ',
      '-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000',
    ]);
    expect([pre.mark, pre.end]).toEqual([0x4000, 'policy']);
    const marked = walkChain(t, 'POSTROUTING', tcp('192.168.1.5', 5000, '10.20.4.5', 443, { mark: 0x4000 }), { out: 'eth0' });
    expect(marked.nat?.hit.text).toBe('-A KUBE-POSTROUTING -j MASQUERADE --random-fully');
    expect(marked.mark).toBe(0); // (0x4000 & ~0) ^ 0x4000
    const unmarked = walkChain(t, 'POSTROUTING', tcp('10.20.9.60', 5000, '10.20.4.5', 443), { out: 'eth0' });
    expect([unmarked.nat, unmarked.end, unmarked.hits.length]).toEqual([undefined, 'policy', 2]);
  });

  it('refuses a NAT target in a hook it cannot run in, reachable through a jump', () => {
    const t = natTable(host(''));
    t.newChain('U');
    t.append('U', { matches: [], target: { kind: 'MASQUERADE', range: {}, random: false, randomFully: false, persistent: false } });
    expect(() => t.append('PREROUTING', { matches: [], target: { kind: 'jump', chain: 'U' } })).toThrow(NatTableError);
    t.append('POSTROUTING', { matches: [], target: { kind: 'jump', chain: 'U' } });
    expect(t.references('U')).toBe(1);
  });
});

describe('MASQUERADE', () => {
  it('takes inet_select_addr(out dev, next hop), not the route\'s src (nf_nat_masquerade.c)', () => {
    const ns = host(
      [
        'ip -n h link add eth0 type veth peer name peer0',
        'ip -n h link set eth0 up',
        'ip -n h link set peer0 up',
        'ip -n h link set lo up',
        'ip -n h addr add 10.0.0.1/24 dev eth0',
        'ip -n h addr add 10.0.0.9/32 dev lo',
        'ip -n h route add default via 10.0.0.254 dev eth0 src 10.0.0.9',
      ].join('\n'),
    );
    ipt(ns, '-t nat -A POSTROUTING -o eth0 -j MASQUERADE');
    const step = natPostrouting(ns, tcp('10.20.9.60', 40000, '8.8.8.8', 53), ns.device('eth0')!, ip('10.0.0.254'));
    expect(step.rewrite).toEqual({ field: 'src', from: { addr: ip('10.20.9.60'), port: 40000 }, to: { addr: ip('10.0.0.1'), port: 40000 }, via: 'rule', by: 'MASQUERADE' });
    expect(step.rule?.text).toBe('-A POSTROUTING -o eth0 -j MASQUERADE');
    expect(step.conntrack?.created).toBe(true);
    expect(step.conntrack?.entry.confirmed).toBe(true);
  });

  it('drops when the namespace has no address to use', () => {
    const ns = host('ip -n h link add eth0 type veth peer name peer0\nip -n h link set eth0 up');
    ipt(ns, '-t nat -A POSTROUTING -j MASQUERADE');
    const step = natPostrouting(ns, tcp('10.20.9.60', 1, '8.8.8.8', 53), 'eth0');
    expect(step.verdict).toBe('drop');
    expect(runTool(ns, ['conntrack', '-L']).stdout).toBe('');
  });

  it('says where the kernel would pick a random port', () => {
    const ns = host('ip -n h link add eth0 type veth peer name peer0\nip -n h link set eth0 up\nip -n h addr add 10.0.0.1/24 dev eth0');
    ipt(ns, '-t nat -A POSTROUTING -j MASQUERADE --random-fully');
    expect(natPostrouting(ns, tcp('10.20.9.60', 1234, '10.0.0.2', 80), 'eth0').notes).toHaveLength(1);
  });
});

describe('SNAT port choice', () => {
  it('keeps a free port, moves to the next free one in the range on a clash', () => {
    const ns = host('');
    ipt(ns, '-t nat -A POSTROUTING -p tcp -j SNAT --to-source 198.51.100.1:2000-2002');
    const a = natPostrouting(ns, tcp('10.0.0.1', 2000, '203.0.113.9', 80), 'eth0');
    const b = natPostrouting(ns, tcp('10.0.0.2', 2000, '203.0.113.9', 80), 'eth0');
    const c = natPostrouting(ns, tcp('10.0.0.3', 5000, '203.0.113.9', 80), 'eth0');
    expect([a.packet.sport, b.packet.sport, c.packet.sport]).toEqual([2000, 2001, 2002]);
  });
});

describe('conntrack states (nf_conntrack_proto_tcp.c timeouts)', () => {
  it('SYN_SENT 120 [UNREPLIED] -> SYN_RECV 60 -> ESTABLISHED 432000 [ASSURED]', () => {
    const ns = host('');
    ipt(ns, '-t nat -A OUTPUT -d 10.96.0.1 -p tcp -j DNAT --to-destination 10.20.1.5:6443');
    const line = () => runTool(ns, ['conntrack', '-L']).stdout;
    const syn = natOutput(ns, tcp('10.0.0.1', 40000, '10.96.0.1', 443, { tcpFlags: 'SYN' }), 'eth0');
    natPostrouting(ns, syn.packet, 'eth0');
    expect(line()).toBe('tcp      6 120 SYN_SENT src=10.0.0.1 dst=10.96.0.1 sport=40000 dport=443 [UNREPLIED] src=10.20.1.5 dst=10.0.0.1 sport=6443 dport=40000 mark=0 use=1\n');
    const synack = natPrerouting(ns, tcp('10.20.1.5', 6443, '10.0.0.1', 40000, { tcpFlags: 'SYN,ACK' }), 'eth0');
    // The reply's source goes back to the service address (un-DNAT) on LOCAL_IN, not in PREROUTING.
    expect([synack.packet.src, synack.conntrack?.dir]).toEqual([ip('10.20.1.5'), 'reply']);
    expect(line()).toBe('tcp      6 60 SYN_RECV src=10.0.0.1 dst=10.96.0.1 sport=40000 dport=443 src=10.20.1.5 dst=10.0.0.1 sport=6443 dport=40000 mark=0 use=1\n');
    natOutput(ns, tcp('10.0.0.1', 40000, '10.96.0.1', 443, { tcpFlags: 'ACK' }), 'eth0');
    expect(line()).toBe('tcp      6 432000 ESTABLISHED src=10.0.0.1 dst=10.96.0.1 sport=40000 dport=443 src=10.20.1.5 dst=10.0.0.1 sport=6443 dport=40000 [ASSURED] mark=0 use=1\n');
  });
});
