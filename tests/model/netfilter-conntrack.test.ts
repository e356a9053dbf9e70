// NAT hooks + conntrack, checked against tests/model/fixtures/netfilter/conntrack.json: the
// same topology and flows were run on the lab kernel (capture.py conntrack.cmds; the flows
// come from traffic.py with fixed ports and ICMP id). The model pushes the same packets
// through its hooks and must list the same entries. Three things differ by design and are
// normalised: the kernel lists entries in hash order (the model oldest first), a real
// listing shows timeouts already counted down by a second or two, and the clashing
// connection's new source port is random in the kernel (the model takes the next free one).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Session } from '../../lib/session.ts';
import type { Netns } from '../../lib/model/netns.ts';
import { inputRoute, outputRoute } from '../../lib/model/route-resolve.ts';
import { natInput, natOutput, natPostrouting, natPrerouting } from '../../lib/model/netfilter/nat-hooks.ts';
import type { NfPacket, TcpFlags } from '../../lib/model/netfilter/packet.ts';
import { parseIpv4, type Ipv4Addr } from '../../lib/net/ipv4.ts';
import { runTool, type Capture } from './tool-harness.ts';

const TOPOLOGY = `
ip netns add nfcap-a
ip netns add nfcap-b
ip netns add nfcap-p
ip link add va netns nfcap-a type veth peer name vb netns nfcap-b
ip -n nfcap-a addr add 10.0.0.1/24 dev va
ip -n nfcap-b addr add 10.0.0.2/24 dev vb
ip -n nfcap-a link set va up
ip -n nfcap-b link set vb up
ip link add vpod netns nfcap-a type veth peer name eth0 netns nfcap-p
ip -n nfcap-a addr add 10.20.9.1/24 dev vpod
ip -n nfcap-p addr add 10.20.9.60/24 dev eth0
ip -n nfcap-a link set vpod up
ip -n nfcap-p link set eth0 up
ip -n nfcap-p route add default via 10.20.9.1
ip netns exec nfcap-a sysctl -q -w net.ipv4.ip_forward=1
ip -n nfcap-a route add 10.96.0.0/12 dev va
`;

const ip = (s: string): Ipv4Addr => parseIpv4(s);

function pkt(proto: 'tcp' | 'udp' | 'icmp', src: string, sport: number, dst: string, dport: number, extra: Partial<NfPacket> = {}): NfPacket {
  const p: NfPacket = { proto: proto === 'tcp' ? 6 : proto === 'udp' ? 17 : 1, src: ip(src), dst: ip(dst), sport, dport, mark: 0, ...extra };
  return p;
}

/** A packet received on `iif` and forwarded: PREROUTING, routing, POSTROUTING. */
function forward(ns: Netns, p: NfPacket, iif: string): NfPacket {
  const pre = natPrerouting(ns, p, iif);
  const rt = inputRoute(ns, { dst: pre.packet.dst, src: pre.packet.src, iif: ns.device(iif)! });
  const post = natPostrouting(ns, pre.packet, rt.dev, rt.gw ?? pre.packet.dst);
  return post.packet;
}

/** A packet received on `iif` for this host: PREROUTING, INPUT. */
function deliver(ns: Netns, p: NfPacket, iif: string): NfPacket {
  return natInput(ns, natPrerouting(ns, p, iif).packet, iif).packet;
}

/** A locally generated packet: OUTPUT, (re-)routing, POSTROUTING. */
function send(ns: Netns, p: NfPacket): NfPacket {
  const first = outputRoute(ns, { dst: p.dst, src: p.src });
  const out = natOutput(ns, p, first.dev);
  const rt = outputRoute(ns, { dst: out.packet.dst, src: out.packet.src });
  return natPostrouting(ns, out.packet, rt.dev, rt.gw ?? out.packet.dst).packet;
}

function reply(p: NfPacket, flags?: TcpFlags): NfPacket {
  const r: NfPacket = { proto: p.proto, src: p.dst, dst: p.src, sport: p.dport, dport: p.sport, mark: 0 };
  if (p.proto === 1) {
    r.sport = p.sport;
    r.dport = 0;
    r.icmpType = 0;
    r.icmpCode = 0;
  }
  if (flags) r.tcpFlags = flags;
  return r;
}

function build(): { s: Session; a: Netns } {
  const s = new Session();
  const setup = s.runScript(TOPOLOGY, 'topology.sh');
  expect(setup.stderr).toBe('');
  return { s, a: s.world.netns('nfcap-a')! };
}

function normalise(lines: string[]): string[] {
  return lines
    .map((l) => {
      const clash = /^(udp +17 )(\d+)( src=10\.0\.0\.1 dst=10\.0\.0\.2 sport=41005 dport=5353 src=10\.0\.0\.2 dst=10\.0\.0\.1 sport=5353 dport=)(\d+)/.exec(l);
      if (clash) {
        const port = Number(clash[4]);
        expect(port).not.toBe(41005);
        expect(port).toBeGreaterThanOrEqual(1024);
        l = l.replace(/dport=\d+( mark)/, 'dport=MOVED$1');
      }
      return l.replace(/^(\S+ +\d+ )(\d+)/, '$1T');
    })
    .sort();
}

function timeouts(lines: string[]): Map<string, number> {
  return new Map(lines.map((l) => [l.replace(/^(\S+ +\d+ )\d+/, '$1').replace(/dport=\d+ mark/, ''), Number(l.split(/ +/)[2])]));
}

describe('conntrack after NAT, against the lab capture', () => {
  const cap = JSON.parse(readFileSync(new URL('./fixtures/netfilter/conntrack.json', import.meta.url), 'utf8')) as Capture;
  const step = (i: number) => cap.steps[i]!;

  it('replays the rules and the flows and lists the same entries', () => {
    const { a } = build();
    // The three iptables commands, then an empty listing.
    for (let i = 0; i < 4; i++) {
      const got = runTool(a, step(i).argv);
      expect(got).toEqual({ stdout: step(i).stdout, stderr: step(i).stderr, status: step(i).status });
    }
    // pod -> b, TCP with a full handshake.
    const syn = forward(a, pkt('tcp', '10.20.9.60', 41000, '10.0.0.2', 8080, { tcpFlags: 'SYN' }), 'vpod');
    expect(syn.src).toBe(ip('10.0.0.1'));
    forward(a, reply(syn, 'SYN,ACK'), 'va');
    forward(a, pkt('tcp', '10.20.9.60', 41000, '10.0.0.2', 8080, { tcpFlags: 'ACK' }), 'vpod');
    // pod -> b, UDP answered; UDP unanswered; ICMP echo id 4660.
    forward(a, reply(forward(a, pkt('udp', '10.20.9.60', 41001, '10.0.0.2', 5353), 'vpod')), 'va');
    forward(a, pkt('udp', '10.20.9.60', 41002, '10.0.0.2', 9999), 'vpod');
    forward(a, reply(forward(a, pkt('icmp', '10.20.9.60', 4660, '10.0.0.2', 0, { icmpType: 8, icmpCode: 0 }), 'vpod')), 'va');
    // pod -> the DNAT'd service address: DNAT in PREROUTING, then MASQUERADE.
    const svc = forward(a, pkt('udp', '10.20.9.60', 41003, '10.96.0.10', 53), 'vpod');
    expect([svc.src, svc.sport, svc.dst, svc.dport]).toEqual([ip('10.0.0.1'), 41003, ip('10.0.0.2'), 5353]);
    const back = forward(a, reply(svc), 'va');
    expect([back.src, back.sport, back.dst, back.dport]).toEqual([ip('10.96.0.10'), 53, ip('10.20.9.60'), 41003]);
    // nfcap-a itself -> the service address in OUTPUT, TCP.
    const lsyn = send(a, pkt('tcp', '10.0.0.1', 41004, '10.96.0.1', 443, { tcpFlags: 'SYN' }));
    expect([lsyn.dst, lsyn.dport]).toEqual([ip('10.0.0.2'), 8080]);
    deliver(a, reply(lsyn, 'SYN,ACK'), 'va');
    send(a, pkt('tcp', '10.0.0.1', 41004, '10.96.0.1', 443, { tcpFlags: 'ACK' }));
    // Two connections that would share a reply tuple: the second one's port moves.
    forward(a, reply(forward(a, pkt('udp', '10.20.9.60', 41005, '10.0.0.2', 5353), 'vpod')), 'va');
    const clash = send(a, pkt('udp', '10.0.0.1', 41005, '10.0.0.2', 5353));
    expect(clash.sport).not.toBe(41005);
    deliver(a, reply(clash), 'va');

    const got = runTool(a, step(4).argv);
    expect(got.stderr).toBe(step(4).stderr);
    const mine = got.stdout.trimEnd().split('\n');
    const real = step(4).stdout.trimEnd().split('\n');
    expect(normalise(mine)).toEqual(normalise(real));
    // Timeouts: the model shows the value set at the last state change; the capture, read a
    // second or two later, at most that and at least three seconds less.
    const tm = timeouts(mine);
    for (const [key, t] of timeouts(real)) {
      const m = tm.get(key)!;
      expect(m - t).toBeGreaterThanOrEqual(0);
      expect(m - t).toBeLessThanOrEqual(3);
    }
    // Filters: -p tcp, -p udp, -p icmp, -s, -d.
    for (let i = 5; i <= 9; i++) {
      const r = runTool(a, step(i).argv);
      expect(r.stderr).toBe(step(i).stderr);
      expect(normalise(r.stdout.trimEnd().split('\n'))).toEqual(normalise(step(i).stdout.trimEnd().split('\n')));
    }
  });

  it('has no entries where no NAT table exists, and flushes', () => {
    const { s, a } = build();
    for (let i = 0; i < 3; i++) runTool(a, step(i).argv);
    forward(a, pkt('udp', '10.20.9.60', 41002, '10.0.0.2', 9999), 'vpod');
    expect(runTool(s.world.netns('nfcap-b')!, step(10).argv)).toEqual({ stdout: step(10).stdout, stderr: step(10).stderr, status: 0 });
    for (const i of [11, 12, 13]) {
      expect(runTool(a, step(i).argv)).toEqual({ stdout: step(i).stdout, stderr: step(i).stderr, status: step(i).status });
    }
  });
});
