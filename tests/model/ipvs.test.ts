// IPVS: model only (the lab kernel has no IPVS). Expected outputs are derived from
// ipvsadm 1.31's ipvsadm.c (print_title: the two title lines; print_service_entry:
// "%s %s" for "PROT  VIP:PORT" and the scheduler, "  -> %-28s %-7s %-6d %-10u %-10u\n" for
// each real server; list_all: the "IP Virtual Server version %d.%d.%d (size=%d)" banner with
// IP_VS_VERSION_CODE 0x010201 and a 4096-entry connection table; FMT_RULE for -S) and
// libipvs.c (ipvs_cmp_services / ipvs_cmp_dests: sort by protocol, address, port; the
// error strings of ipvs_strerror), and the schedulers from the kernel's ip_vs_rr.c and
// ip_vs_wrr.c with ip_vs_ctl.c's list_add_rcu (new real servers go to the list head).
import { describe, expect, it } from 'vitest';
import { Session } from '../../lib/session.ts';
import { ipvsLocalIn, ipvsOut, ipvsSchedule, ipvsState, findService } from '../../lib/model/ipvs.ts';
import { natPostrouting, natPrerouting } from '../../lib/model/netfilter/nat-hooks.ts';
import { parseIpv4 } from '../../lib/net/ipv4.ts';
import type { Netns } from '../../lib/model/netns.ts';
import type { NfPacket } from '../../lib/model/netfilter/packet.ts';
import { runTool } from './tool-harness.ts';

const SERVICES = `
ip netns add node-a
ip -n node-a link set lo up
ip -n node-a link add kube-ipvs0 type dummy
ip -n node-a addr add 10.96.0.1/32 dev kube-ipvs0
ip -n node-a addr add 10.96.0.10/32 dev kube-ipvs0
ip netns exec node-a modprobe ip_vs
ip netns exec node-a sysctl -q -w net.ipv4.vs.conntrack=1
ip netns exec node-a ipvsadm -A -t 10.96.0.1:443 -s rr
ip netns exec node-a ipvsadm -a -t 10.96.0.1:443 -r 10.186.20.11:6443 -m -w 1
ip netns exec node-a ipvsadm -A -u 10.96.0.10:53 -s rr
ip netns exec node-a ipvsadm -a -u 10.96.0.10:53 -r 10.20.9.72:53 -m -w 1
ip netns exec node-a ipvsadm -a -u 10.96.0.10:53 -r 10.20.4.5:53 -m -w 1
`;

function nodeA(): Netns {
  const s = new Session();
  const r = s.runScript(SERVICES, '50-services.sh');
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return s.world.netns('node-a')!;
}

const ip = parseIpv4;
const udp = (src: string, sport: number, dst: string, dport: number): NfPacket => ({ proto: 17, src: ip(src), dst: ip(dst), sport, dport, mark: 0 });

const BANNER = 'IP Virtual Server version 1.2.1 (size=4096)\n';
const TITLE = 'Prot LocalAddress:Port Scheduler Flags\n  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n';

describe('ipvsadm listing', () => {
  it('-Ln: banner, title, services sorted TCP before UDP, servers sorted by address', () => {
    const a = nodeA();
    expect(runTool(a, ['ipvsadm', '-Ln'])).toEqual({
      stdout:
        BANNER +
        TITLE +
        'TCP  10.96.0.1:443 rr\n' +
        '  -> 10.186.20.11:6443            Masq    1      0          0         \n' +
        'UDP  10.96.0.10:53 rr\n' +
        '  -> 10.20.4.5:53                 Masq    1      0          0         \n' +
        '  -> 10.20.9.72:53                Masq    1      0          0         \n',
      stderr: '',
      status: 0,
    });
  });

  it('-L without -n names ports from /etc/services; -S prints the rules back', () => {
    const a = nodeA();
    const l = runTool(a, ['ipvsadm', '-L']).stdout;
    expect(l).toContain('TCP  10.96.0.1:https rr\n');
    expect(l).toContain('UDP  10.96.0.10:domain rr\n  -> 10.20.4.5:domain             Masq    1      0          0         \n');
    expect(runTool(a, ['ipvsadm', '-Sn']).stdout).toBe(
      '-A -t 10.96.0.1:443 -s rr\n' +
        '-a -t 10.96.0.1:443 -r 10.186.20.11:6443 -m -w 1\n' +
        '-A -u 10.96.0.10:53 -s rr\n' +
        '-a -u 10.96.0.10:53 -r 10.20.4.5:53 -m -w 1\n' +
        '-a -u 10.96.0.10:53 -r 10.20.9.72:53 -m -w 1\n',
    );
  });

  it('-Ln -t VIP:PORT lists one service without the banner', () => {
    const a = nodeA();
    expect(runTool(a, ['ipvsadm', '-Ln', '-t', '10.96.0.1:443']).stdout).toBe(TITLE + 'TCP  10.96.0.1:443 rr\n  -> 10.186.20.11:6443            Masq    1      0          0         \n');
    expect(runTool(a, ['ipvsadm', '-Ln', '-t', '10.96.0.2:443'])).toEqual({ stdout: '', stderr: 'No such service\n', status: 1 });
  });

  it('sorts addresses with ipvs_cmp_dests\' wrapping int subtraction', () => {
    const a = nodeA();
    runTool(a, ['ipvsadm', '-A', '-t', '10.96.0.5:80', '-s', 'rr']);
    // 200.0.0.1 - 10.0.0.1 = 0xBE000000 wraps negative: 200.0.0.1 sorts first.
    runTool(a, ['ipvsadm', '-a', '-t', '10.96.0.5:80', '-r', '10.0.0.1:80', '-m']);
    runTool(a, ['ipvsadm', '-a', '-t', '10.96.0.5:80', '-r', '200.0.0.1:80', '-m']);
    const out = runTool(a, ['ipvsadm', '-Ln', '-t', '10.96.0.5:80']).stdout.split('\n');
    expect(out[3]).toMatch(/^ {2}-> 200\.0\.0\.1:80 /);
    expect(out[4]).toMatch(/^ {2}-> 10\.0\.0\.1:80 /);
  });
});

describe('ipvsadm errors (ipvs_strerror, fail(), generic_opt_check)', () => {
  const cases: [string[], string, number][] = [
    [['ipvsadm', '-A', '-t', '10.96.0.1:443', '-s', 'rr'], 'Service already exists\n', 255],
    [['ipvsadm', '-a', '-t', '10.96.0.9:443', '-r', '10.0.0.1', '-m'], 'Service not defined\n', 255],
    [['ipvsadm', '-a', '-t', '10.96.0.1:443', '-r', '10.186.20.11:6443', '-m'], 'Destination already exists\n', 255],
    [['ipvsadm', '-D', '-t', '10.96.0.9:443'], 'No such service\n', 255],
    [['ipvsadm', '-d', '-t', '10.96.0.1:443', '-r', '10.0.0.9:1'], 'No such destination\n', 255],
    [['ipvsadm', '-A', '-t', '10.96.0.2:443', '-s', 'fancy'], 'Scheduler or persistence engine not found\n', 255],
    [['ipvsadm', '-A', '-s', 'rr'], "You need to supply the 'service-address' option for the 'add-service' command\n", 2],
    [['ipvsadm', '-a', '-t', '10.96.0.1:443', '-m'], "You need to supply the 'real-server' option for the 'add-server' command\n", 2],
    [['ipvsadm', '-L', '-s', 'rr'], "Illegal 'scheduler' option with the 'list' command\n", 2],
    [['ipvsadm', '-A', '-t', '10.96.0.300:443'], 'illegal virtual server address[:port] specified\n', 2],
    // Debian's ipvsadm 1:1.31-1 takes weights up to INT_MAX (vm-captures/ipvsadm-options.sh: 65536 and 2147483647 accepted).
    [['ipvsadm', '-a', '-t', '10.96.0.1:443', '-r', '10.0.0.1', '-w', '2147483648'], 'illegal weight specified\n', 2],
    [['ipvsadm', '-A', '-t', '10.96.0.2'], 'Zero port specified for non-persistent service\n', 2],
    [['ipvsadm', '-n', '-L'], "Try `ipvsadm -h' or 'ipvsadm --help' for more information.\n", 255],
  ];
  for (const [argv, err, status] of cases) {
    it(argv.slice(1).join(' '), () => {
      expect(runTool(nodeA(), argv)).toEqual({ stdout: '', stderr: err, status });
    });
  }
});

describe('scheduling', () => {
  it('rr: the server added last gets the first connection (list_add_rcu puts it at the head)', () => {
    const a = nodeA();
    // Added 10.20.9.72 then 10.20.4.5: the kernel list is [10.20.4.5, 10.20.9.72].
    expect(ipvsSchedule(a, 'udp', ip('10.96.0.10'), 53, { addr: ip('10.20.9.60'), port: 40000 })?.dest.addr).toBe(ip('10.20.4.5'));
    const picks = [40000, 40001, 40002].map((sport) => ipvsLocalIn(a, udp('10.20.9.60', sport, '10.96.0.10', 53))!.dest.addr);
    expect(picks).toEqual([ip('10.20.4.5'), ip('10.20.9.72'), ip('10.20.4.5')]);
    // The same client tuple keeps its server.
    expect(ipvsLocalIn(a, udp('10.20.9.60', 40001, '10.96.0.10', 53))!.dest.addr).toBe(ip('10.20.9.72'));
    expect(runTool(a, ['ipvsadm', '-Ln', '-u', '10.96.0.10:53']).stdout).toBe(
      TITLE +
        'UDP  10.96.0.10:53 rr\n' +
        '  -> 10.20.4.5:53                 Masq    1      0          2         \n' +
        '  -> 10.20.9.72:53                Masq    1      0          1         \n',
    );
  });

  it('wrr: weights 1, 2, 3 (added in that order) give C B A C C B C B A', () => {
    const a = nodeA();
    runTool(a, ['ipvsadm', '-A', '-t', '10.96.0.7:80', '-s', 'wrr']);
    runTool(a, ['ipvsadm', '-a', '-t', '10.96.0.7:80', '-r', '10.0.0.1:80', '-m', '-w', '1']);
    runTool(a, ['ipvsadm', '-a', '-t', '10.96.0.7:80', '-r', '10.0.0.2:80', '-m', '-w', '2']);
    runTool(a, ['ipvsadm', '-a', '-t', '10.96.0.7:80', '-r', '10.0.0.3:80', '-m', '-w', '3']);
    // ip_vs_wrr_dest_changed leaves cw at 1 after the second add (cw <= mw, gcd 1): the first
    // pass takes every server with weight >= 1 in list order C, B, A; then cw = 3, 2, 1 ...
    const names: Record<number, string> = { [ip('10.0.0.1')]: 'A', [ip('10.0.0.2')]: 'B', [ip('10.0.0.3')]: 'C' };
    const seq = Array.from({ length: 9 }, (_, i) => names[ipvsLocalIn(a, { proto: 6, src: ip('10.20.9.60'), dst: ip('10.96.0.7'), sport: 41000 + i, dport: 80, mark: 0 })!.dest.addr]);
    expect(seq.join(' ')).toBe('C B A C C B C B A');
  });

  it('lc: the least loaded server, first in list order on ties', () => {
    const a = nodeA();
    runTool(a, ['ipvsadm', '-E', '-u', '10.96.0.10:53', '-s', 'lc']);
    const first = ipvsLocalIn(a, udp('10.20.9.60', 1, '10.96.0.10', 53))!.dest.addr;
    const second = ipvsLocalIn(a, udp('10.20.9.60', 2, '10.96.0.10', 53))!.dest.addr;
    expect([first, second]).toEqual([ip('10.20.4.5'), ip('10.20.9.72')]);
  });
});

describe('the packet path with net.ipv4.vs.conntrack=1', () => {
  it('DNATs to the real server, rewrites the conntrack reply tuple, and un-DNATs the reply', () => {
    const a = nodeA();
    runTool(a, ['iptables', '-t', 'nat', '-A', 'POSTROUTING', '-s', '10.20.0.0/16', '!', '-d', '10.20.0.0/16', '-j', 'MASQUERADE']);
    const pre = natPrerouting(a, udp('10.20.9.60', 40000, '10.96.0.10', 53), 'upvx4279f78e5dc');
    const step = ipvsLocalIn(a, pre.packet)!;
    expect(step.newConnection).toBe(true);
    expect([step.packet.dst, step.packet.dport]).toEqual([ip('10.20.4.5'), 53]);
    expect(step.conntrackUpdated).toBe(true);
    // 10.20.4.5 is inside 10.20.0.0/16: the MASQUERADE rule does not match.
    const post = natPostrouting(a, step.packet, 'vxlan.2', ip('10.20.4.0'));
    expect(post.rewrite).toBeUndefined();
    // ip_vs_update_conntrack: the original tuple stays CIP->VIP, the reply comes from RIP.
    expect(runTool(a, ['conntrack', '-L']).stdout).toBe(
      'udp      17 30 src=10.20.9.60 dst=10.96.0.10 sport=40000 dport=53 [UNREPLIED] src=10.20.4.5 dst=10.20.9.60 sport=53 dport=40000 mark=0 use=1\n',
    );
    const back = ipvsOut(a, udp('10.20.4.5', 53, '10.20.9.60', 40000))!;
    expect([back.packet.src, back.packet.sport]).toEqual([ip('10.96.0.10'), 53]);
  });

  it('with net.ipv4.vs.conntrack=0 the DNAT\'d packet is untracked', () => {
    const a = nodeA();
    a.sysctl.vsConntrack = 0;
    runTool(a, ['iptables', '-t', 'nat', '-A', 'POSTROUTING', '-j', 'MASQUERADE']);
    const pre = natPrerouting(a, udp('10.20.9.60', 40000, '10.96.0.10', 53), 'eth0');
    const step = ipvsLocalIn(a, pre.packet)!;
    expect(step.packet.untracked).toBe(true);
    expect(natPostrouting(a, step.packet, 'eth0').rewrite).toBeUndefined();
    expect(findService(ipvsState(a), 'udp', ip('10.96.0.10'), 53)!.dests[0]!.inactConns).toBe(1);
  });
});
