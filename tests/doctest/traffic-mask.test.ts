// The reference kernel comparison masks what traffic leaves that the kernel draws or that
// counts down (tests/lab/vm-shows.ts TRAFFIC_MASKS), and nothing else: a block's expected
// output is confirmed by kernel output that differs only there, and refused when an address,
// a port, the protocol, the state, a flag, the ttl or a count differs.
import { describe, expect, it } from 'vitest';
import { confirmOnKernel, type KernelRunner } from '../../lib/doctest/kernel-confirm.ts';
import { parseDocument } from '../../lib/doctest/parse.ts';
import { maskLines, maskTraffic, TRAFFIC_MASKS } from '../lab/vm-shows.ts';

const ECHO = 'icmp     1 30 src=10.20.9.60 dst=10.186.101.21 type=8 code=0 id=1 src=10.186.101.21 dst=10.186.153.11 type=0 code=0 id=1 mark=0 use=1';
const UDP = 'udp      17 30 src=10.20.9.60 dst=10.96.0.10 sport=40000 dport=53 [UNREPLIED] src=10.20.4.5 dst=10.20.9.60 sport=53 dport=40000 mark=0 use=1';
const TCP = 'tcp      6 431999 ESTABLISHED src=10.20.9.60 dst=10.96.0.1 sport=40000 dport=443 src=10.186.20.11 dst=10.20.9.60 sport=6443 dport=40000 [ASSURED] mark=0 use=1';
const PING = [
  'PING 10.186.101.21 (10.186.101.21) 56(84) bytes of data.',
  '64 bytes from 10.186.101.21: icmp_seq=1 ttl=62 time=0.100 ms',
  '',
  '--- 10.186.101.21 ping statistics ---',
  '1 packets transmitted, 1 received, 0% packet loss, time 0ms',
  'rtt min/avg/max/mdev = 0.100/0.100/0.100/0.000 ms',
];

/** Does the kernel's text confirm the expected text, through the VM runner's mask? */
async function confirms(expected: string[], kernel: string[]): Promise<boolean> {
  const md = ['```console scripts="a.sh"', '$ show', ...expected, '```', ''].join('\n');
  const block = parseDocument(md, 'x.mdx').blocks[0]!;
  const runner: KernelRunner = async (bs) => bs.map(() => ({ ran: true as const, kernel: 'test', results: [{ combined: kernel.map((l) => `${l}\n`).join(''), status: 0 }], mask: maskLines }));
  const [c] = await confirmOnKernel([{ block, expected: [block.commands[0]!.section] }], runner);
  return c!.confirmed;
}

describe('the traffic mask of the reference kernel comparison', () => {
  it('names each masked field', () => {
    expect(TRAFFIC_MASKS.map((m) => m.what)).toEqual([
      'conntrack -L: the timeout column',
      'conntrack -L: the ICMP id of an echo',
      "conntrack -L: the client's source port (UDP, TCP)",
      "ipvsadm -Lnc: the expire column and the client's source port",
      "ping: a reply's time=",
      "ping: the statistics' total time",
      'ping: the rtt line',
      "ip route get / show cache: a path MTU exception's expires",
      "ip -j route get: a path MTU exception's expires",
    ]);
  });

  it('accepts a timeout that counted down and an ICMP id the kernel drew', async () => {
    expect(await confirms([ECHO], [ECHO.replace(' 30 ', ' 27 ').replaceAll('id=1 ', 'id=4711 ')])).toBe(true);
    expect(await confirms([UDP], [UDP.replace(' 30 ', ' 29 ')])).toBe(true);
    expect(await confirms([UDP], [UDP.replace(' 30 ', ' 29 ').replaceAll('40000', '51234')])).toBe(true);
    expect(await confirms([TCP], [TCP.replace(' 431999 ', ' 431987 ')])).toBe(true);
  });

  it('accepts the expire and client port of an IPVS connection, and nothing else', async () => {
    const conn = 'UDP 05:00  UDP         10.20.9.60:40000   10.96.0.10:53      10.20.4.5:53';
    expect(await confirms([conn], ['UDP 04:57  UDP         10.20.9.60:51234   10.96.0.10:53      10.20.4.5:53'])).toBe(true);
    expect(await confirms([conn], ['UDP 04:57  UDP         10.20.9.60:9       10.96.0.10:53      10.20.4.5:53'])).toBe(true);
    for (const k of [
      'UDP 04:57  UDP         10.20.9.61:40000   10.96.0.10:53      10.20.4.5:53',
      'UDP 04:57  UDP         10.20.9.60:40000   10.96.0.10:54      10.20.4.5:53',
      'UDP 04:57  UDP         10.20.9.60:40000   10.96.0.10:53      10.20.9.72:53',
      'TCP 04:57  SYN_RECV    10.20.9.60:40000   10.96.0.10:53      10.20.4.5:53',
    ])
      expect(await confirms([conn], [k]), k).toBe(false);
  });

  it('accepts the times ping measured', async () => {
    const kernel = [...PING];
    kernel[1] = kernel[1]!.replace('time=0.100', 'time=26.3');
    kernel[4] = kernel[4]!.replace('time 0ms', 'time 7ms');
    kernel[5] = 'rtt min/avg/max/mdev = 0.860/8.744/16.629/7.884 ms';
    expect(await confirms(PING, kernel)).toBe(true);
  });

  it('still rejects a different address, service port, protocol, state or flag', async () => {
    const wrong = [
      ECHO.replace('dst=10.186.153.11', 'dst=10.20.9.60'), // no SNAT in the reply direction
      ECHO.replace('type=0', 'type=3'),
      ECHO.replace('id=1 mark', 'id=2 mark'), // an id NAT changed in one direction only
      ECHO.replace(' mark=0', ' [ASSURED] mark=0'),
      ECHO.replace('src=10.20.9.60 dst=10.186.101.21 type=8 code=0 id=1 ', 'src=10.20.9.60 dst=10.186.101.21 type=8 code=0 id=1 [UNREPLIED] '),
    ];
    for (const k of wrong) expect(await confirms([ECHO], [k.replace(' 30 ', ' 29 ')]), k).toBe(false);
    const wrongUdp = [
      UDP.replace('src=10.20.4.5', 'src=10.20.9.72'), // another backend
      UDP.replace('sport=53 dport=40000', 'sport=5353 dport=40000'),
      UDP.replace('dport=53 ', 'dport=54 '),
      UDP.replace(' [UNREPLIED]', ''),
      UDP.replace('udp      17', 'udplite  136'),
      UDP.replace('dport=40000 mark', 'dport=40001 mark'), // a port SNAT changed in the reply direction
    ];
    for (const k of wrongUdp) expect(await confirms([UDP], [k.replace(' 30 ', ' 29 ')]), k).toBe(false);
    expect(await confirms([TCP], [TCP.replace('ESTABLISHED', 'TIME_WAIT')])).toBe(false);
    expect(await confirms([TCP], [TCP.replace(' [ASSURED]', '')])).toBe(false);
  });

  it("still rejects a different ttl, sequence, size, count or loss in ping's output", async () => {
    const wrong: [number, string][] = [
      [1, PING[1]!.replace('ttl=62', 'ttl=63')],
      [1, PING[1]!.replace('icmp_seq=1', 'icmp_seq=2')],
      [1, PING[1]!.replace('64 bytes', '84 bytes')],
      [1, PING[1]!.replace('from 10.186.101.21', 'from 10.186.101.254')],
      [4, '1 packets transmitted, 0 received, 100% packet loss, time 0ms'],
      [0, PING[0]!.replace('56(84)', '1000(1028)')],
    ];
    for (const [i, line] of wrong) {
      const kernel = [...PING];
      kernel[i] = line;
      expect(await confirms(PING, kernel), line).toBe(false);
    }
  });

  it("accepts a path MTU exception's countdown, and no other MTU, gateway or flag", async () => {
    const get = ['10.20.4.5 via 169.254.1.1 dev eth0 src 10.20.9.60 uid 0 ', '    cache expires 599sec mtu 1450 '];
    expect(await confirms(get, [get[0]!, '    cache expires 597sec mtu 1450 '])).toBe(true);
    for (const k of ['    cache expires 597sec mtu 1400 ', '    cache expires 597sec mtu lock 1450 ', '    cache <redirect> expires 597sec mtu 1450 ', '    cache '])
      expect(await confirms(get, [get[0]!, k]), k).toBe(false);
    expect(await confirms(get, [get[0]!.replace('169.254.1.1', '169.254.1.2'), '    cache expires 597sec mtu 1450 '])).toBe(false);
    const json = ['[{"dst":"10.20.4.5","gateway":"169.254.1.1","dev":"eth0","prefsrc":"10.20.9.60","flags":[],"uid":0,"cache":[],"expires":599,"metrics":[{"mtu":1450}]}]'];
    expect(await confirms(json, [json[0]!.replace('599', '597')])).toBe(true);
    expect(await confirms(json, [json[0]!.replace('599', '597').replace('1450', '1400')])).toBe(false);
  });

  it('leaves lines that only look alike untouched', () => {
    expect(maskTraffic('net.netfilter.nf_conntrack_icmp_timeout = 30')).toBe('net.netfilter.nf_conntrack_icmp_timeout = 30');
    expect(maskTraffic('    link/ether 02:00:00:00:00:01 brd ff:ff:ff:ff:ff:ff')).toBe('    link/ether 02:00:00:00:00:01 brd ff:ff:ff:ff:ff:ff');
    expect(maskTraffic('10.20.9.60 dev upvx4279f78e5dc scope link ')).toBe('10.20.9.60 dev upvx4279f78e5dc scope link ');
  });
});
