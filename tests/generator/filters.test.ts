// The check scripts' filters exist twice: as the bash pipeline in the script (run on the
// node) and as a function (for the expected output). Both must give the same text: here
// both run on the same inputs — the reference cluster's outputs and real-kernel-like ones.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { checkParams } from '../../lib/generator/check-params.ts';
import { FILTERS, normalizeOutput, type FilterId } from '../../lib/generator/node-checks.ts';
import { renderCheckScript, shQuote } from '../../lib/generator/node-check-script.ts';
import { buildModel, expectedChecks } from '../../lib/generator/expected.ts';
import { REFERENCE_PARAMS } from '../../lib/generator/reference.ts';
import { simulationScripts } from '../../lib/generator/simulation.ts';

const c = checkParams(REFERENCE_PARAMS).cluster!;
const model = buildModel(simulationScripts(c, 'production'));
const run = (cmd: string) => model.runCommand(cmd, { netns: 'node-a' }).combined;

// Outputs as a real node prints them: more fields, other indexes, IPv6, DHCP flags.
const REAL: Record<FilterId, string[]> = {
  inet: [
    '7: biz: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UNKNOWN group default qlen 1000\n    inet 10.186.153.11/24 brd 10.186.153.255 scope global dynamic biz\n       valid_lft 86321sec preferred_lft 86321sec\n    inet6 fe80::a:ff:fe00:990b/64 scope link tentative \n       valid_lft forever preferred_lft forever\n',
  ],
  vxlan: [
    '12: vxlan.2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue state UNKNOWN mode DEFAULT group default \n    link/ether 4a:2d:0c:51:9e:0a brd ff:ff:ff:ff:ff:ff promiscuity 0 minmtu 68 maxmtu 65535 \n    vxlan id 2 local 10.186.153.11 dev biz srcport 0 0 dstport 4789 nolearning ttl auto ageing 300 udpcsum noudp6zerocsumtx noudp6zerocsumrx addrgenmode eui64 numtxqueues 1 numrxqueues 1 gso_max_size 65536 gso_max_segs 65535 \n',
  ],
  mtu: ['91: upvx4279f78e5dc@if3: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue state UP mode DEFAULT group default \n    link/ether ee:5a:01:9c:c7:60 brd ff:ff:ff:ff:ff:ff link-netns pod-9-60\n'],
  bond: [
    'Ethernet Channel Bonding Driver: v5.15.0-91-generic\n\nBonding Mode: IEEE 802.3ad Dynamic link aggregation\nTransmit Hash Policy: layer3+4 (1)\nMII Status: up\nMII Polling Interval (ms): 100\nUp Delay (ms): 0\n\n802.3ad info\nLACP active: on\nLACP rate: fast\nMin links: 0\n\nSlave Interface: ens5f0np0\nMII Status: up\nSpeed: 25000 Mbps\n\nSlave Interface: ens7f0np0\nMII Status: up\n',
  ],
  sorted: ['10.20.7.0 lladdr 4a:2d:0c:51:9e:0c PERMANENT \n10.20.4.0 lladdr 4a:2d:0c:51:9e:0b PERMANENT \n', 'b\nB\na\n_x\n10\n9\n'],
};

const MODEL: Record<FilterId, string[]> = {
  inet: [run('ip -4 addr show dev biz'), run('ip -4 addr show dev kube-ipvs0')],
  vxlan: [run('ip -d link show dev vxlan.2')],
  mtu: [run('ip link show dev upvx4279f78e5dc')],
  bond: [run('cat /proc/net/bonding/bond0')],
  sorted: [run('ip neigh show dev vxlan.2'), run('bridge fdb show dev vxlan.2')],
};

function bashFilter(id: FilterId, input: string): string {
  const r = spawnSync('bash', ['-c', FILTERS[id].bash], { input, encoding: 'utf8' });
  return r.stdout;
}

describe('each filter does in bash what it does in TypeScript', () => {
  for (const id of Object.keys(FILTERS) as FilterId[]) {
    it(id, () => {
      for (const input of [...MODEL[id], ...REAL[id]]) {
        const ts = FILTERS[id].apply(input);
        expect(ts, `${id} keeps something of ${JSON.stringify(input.slice(0, 60))}`).not.toBe('');
        expect(bashFilter(id, input)).toBe(ts);
      }
    });
  }

  it('the real-node outputs give the expected ones where only non-meaningful parts differ', () => {
    expect(normalizeOutput(FILTERS.inet.apply(REAL.inet[0]!))).toBe('    inet 10.186.153.11/24 brd 10.186.153.255 scope global dynamic biz');
    expect(normalizeOutput(FILTERS.vxlan.apply(REAL.vxlan[0]!))).toBe(normalizeOutput(FILTERS.vxlan.apply(MODEL.vxlan[0]!)));
    expect(normalizeOutput(FILTERS.bond.apply(REAL.bond[0]!))).toBe(normalizeOutput(FILTERS.bond.apply(MODEL.bond[0]!)));
  });
});

describe('the check script', () => {
  const expected = expectedChecks(c, model).get('node-a')!;
  const script = renderCheckScript(c.nodes[0]!, expected);

  it('is valid bash', () => {
    const r = spawnSync('bash', ['-n'], { input: script, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('says ok when a node prints what is expected, and shows the difference when not', () => {
    // A stand-in node: every command prints the model's output (or a changed one), via a
    // function that replaces eval's command lookup.
    const outputs = new Map(expected.map((e) => [e.check.command, run(e.check.command)]));
    const fake = (broken: boolean) =>
      [
        'fake() {',
        '  case "$*" in',
        ...[...outputs].map(([cmd, out]) => `    ${shQuote(cmd)}) printf '%s' ${shQuote(broken && cmd === 'ip route show default' ? out.replace('10.186.153.254', '10.186.153.1') : out)} ;;`),
        '    *) echo "unexpected: $*" >&2; return 1 ;;',
        '  esac',
        '}',
        'for c in ip bridge sysctl iptables ovs-vsctl cat; do eval "$c() { fake $c \\"\\$@\\"; }"; done',
      ].join('\n');
    const good = spawnSync('bash', ['-c', `${fake(false)}\n${script.replace(/^#!.*\n/, '')}`], { encoding: 'utf8' });
    expect(good.stdout).toContain(`node-a: ${expected.length} checks match, 0 differ (0 skipped)`);
    expect(good.status).toBe(0);
    const bad = spawnSync('bash', ['-c', `${fake(true)}\n${script.replace(/^#!.*\n/, '')}`], { encoding: 'utf8' });
    expect(bad.stdout).toContain('DIFF  default route');
    expect(bad.stdout).toContain('      -default via 10.186.153.254 dev biz');
    expect(bad.stdout).toContain('      +default via 10.186.153.1 dev biz');
    expect(bad.stdout).toContain(`node-a: ${expected.length - 1} checks match, 1 differ (0 skipped)`);
    expect(bad.status).toBe(1);
    const some = spawnSync('bash', ['-c', `${fake(false)}\nCHECK_STAGES=30-overlay\n${script.replace(/^#!.*\n/, '').replace(/^STAGES=.*$/m, 'STAGES=$CHECK_STAGES')}`], { encoding: 'utf8' });
    expect(some.stdout).toMatch(/checks match, 0 differ \([1-9]\d* skipped\)/);
  });
});
