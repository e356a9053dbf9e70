// Issue 15: no input to the CLI ends in a stack trace, a hang or unbounded memory. Each case
// runs `netatlas` in a child process with a timeout (a guard against hangs, not a timing
// assertion) and checks that it ended by itself, with a status, and without a trace.
// The texts bash and the real tools print for these inputs are checked elsewhere
// (tests/model/shell.test.ts, kernel-captures/edges-*.sh); here only robustness is.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'netatlas-robust-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function cli(args: string[]) {
  return spawnSync(process.execPath, [join(ROOT, 'lib', 'cli', 'main.ts'), ...args], { encoding: 'utf8', timeout: 60_000, maxBuffer: 64 * 1024 * 1024 });
}

function script(name: string, text: string | Buffer): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

/** A V8 stack frame line ("    at f (file:1:2)") or an uncaught JavaScript error's name at a line start. */
const TRACE = /^\s+at .+(:\d+:\d+\)?|\(native\))$|^(Uncaught )?(AddressError|RangeError|TypeError|ReferenceError|SyntaxError)\b/m;

function expectClean(r: ReturnType<typeof cli>, what: string): void {
  expect(r.error, `${what}: ${String(r.error)}`).toBeUndefined(); // ETIMEDOUT when it hung
  expect(r.signal, what).toBeNull();
  expect(typeof r.status, what).toBe('number');
  expect(r.stderr, what).not.toMatch(TRACE);
  expect(r.stdout, what).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
}

const NS = 'ip netns add r\n';
const RUN_CASES: [string, string | Buffer][] = [
  ['vxlan local with an invalid address', `${NS}ip -n r link add vx type vxlan id 5 dstport 4789 local 10.9.9.300\necho after\n`],
  ['vxlan remote with an invalid address', `${NS}ip -n r link add vx type vxlan id 5 dstport 4789 remote zz\n`],
  ['vxlan id 2^24', `${NS}ip -n r link add vx type vxlan id 16777216 dstport 4789\n`],
  ['vxlan dstport 65536', `${NS}ip -n r link add vx type vxlan id 5 dstport 65536\n`],
  ['bridge fdb dst invalid', `${NS}ip -n r link add vx type vxlan id 5 dstport 4789\nbridge -n r fdb add 02:00:00:00:00:12 dev vx dst 10.9.9.300 self permanent\nbridge -n r fdb add 02:00:00:00:00:12 dev vx dst zz self\n`],
  ['every ip address parser', `${NS}ip -n r route add 1.2.3.4.5 dev lo\nip -n r route add 10.0.0.0/8 via zz\nip -n r addr add 1.2.3.256/24 dev lo\nip -n r addr add 1.2.3.4/24 brd zz dev lo\nip -n r rule add from zz lookup 5\nip -n r neigh add zz lladdr 02:00:00:00:00:01 dev lo\nip -n r route get zz\nip -n r route get 1.2.3.4 from zz\nip -n r neigh show zz\n`],
  ['route prefix with host bits, table 0, missing table', `${NS}ip -n r link set lo up\nip -n r route add 10.52.1.0/16 dev lo\nip -n r route add 10.1.0.0/16 dev lo table 0\nip -n r route show table 77\n`],
  ['interface names', `${NS}ip -n r link add 0123456789abcdef type veth peer name x\nip -n r link add a1 type veth peer name 0123456789abcdef\nip -n r link add a/b type veth peer name y\nip -n r link add "a b" type veth peer name z\nip -n r link add . type veth peer name w\nip -n r link add .. type veth peer name v\nip -n r link add "" type veth peer name u\n`],
  ['nud permanent without lladdr, 8-byte lladdr, txqueuelen -1', `${NS}ip -n r link add va type veth peer name vb\nip -n r addr add 10.1.1.1/24 dev va\nip -n r neigh add 10.1.1.8 dev va nud permanent\nip -n r neigh add 10.1.1.9 lladdr 02:00:00:00:00:07:08:09 dev va\nip -n r link set va txqueuelen -1\nip -n r link set va address 02:00:00:00:00:07:08:09\n`],
  ['sysctl ranges and overflow', `${NS}ip netns exec r sysctl -w "net.ipv4.ip_local_port_range=40000 30000"\nip netns exec r sysctl -w net.ipv4.ip_forward=99999999999\n`],
  ['invalid arguments and garbage', `${NS}ip -n r route add 10.0.0.0/8 dev lo table foo\nip -n r rule add pref foo lookup 5\nip -n r link add dev foo dev frobnicate type veth\nip\n`],
  ['iptables bad policy and -X of a built-in chain', `${NS}ip netns exec r iptables -t nat -P POSTROUTING FOO\nip netns exec r iptables -t nat -X POSTROUTING\nip netns exec r iptables -P INPUT FOO\nip netns exec r iptables -X INPUT\n`],
  ['netns deleted under a veth', `${NS}ip netns add s\nip -n r link add va type veth peer name vb netns s\nip netns del s\nip -n r link\nip netns list\n`],
  ['shell: $? and refused expansions', 'false\necho $?\necho $(echo x)\n'],
  ['shell: ${A:-x}', 'echo ${A:-x}\n'],
  ['shell: ${#A}', 'A=abc\necho ${#A}\n'],
  ['shell: $((...))', 'echo $((1+2))\n'],
  ['shell: ~', 'echo ~\n'],
  ['shell: CRLF', 'echo hi\r\ntrue\r\n'],
  ['shell: BOM', '\ufeffecho hi\n'],
  ['shell: NUL in the first line', Buffer.from('echo a\0b\n')],
  ['shell: NUL later', Buffer.from('echo a\necho b\0c\n')],
  ['shell: a variable doubled 29 times', 'A=xx\n' + 'A=$A$A\n'.repeat(29) + 'echo done\n'],
  ['shell: 200,000 continuation lines', 'echo start \\\n' + '  a \\\n'.repeat(200_000) + 'end\n'],
];

describe('netatlas run: no stack trace, no hang', () => {
  it.each(RUN_CASES)('%s', (name, text) => {
    const r = cli(['run', script(`${name.replace(/[^a-z0-9]+/gi, '-')}.sh`, text)]);
    expectClean(r, name);
  }, 90_000);
  it('a directory as the script: 126, as bash', () => {
    const d = join(dir, 'adir');
    mkdirSync(d, { recursive: true });
    const r = cli(['run', d]);
    expectClean(r, 'directory');
    expect([r.status, r.stderr]).toEqual([126, `${d}: ${d}: Is a directory\n`]);
  }, 90_000);
  it('a missing script: 127, as bash', () => {
    const r = cli(['run', join(dir, 'missing.sh')]);
    expectClean(r, 'missing');
    expect(r.status).toBe(127);
  }, 90_000);
});

describe('netatlas generate --out: clear errors, no trace, no spin', () => {
  const params = join(ROOT, 'content', 'scripts', 'reference.params.json');
  const file = script('a-file', 'x');
  it.each([
    ['onto an existing file', file, 'exists and is not a directory'],
    ['under a file', join(file, 'sub'), 'is a file, not a directory'],
    ['under /sys', '/sys/kernel/netatlas-test', 'is on /sys (sysfs)'],
    ['under /proc', '/proc/netatlas-test', 'is on /proc (procfs)'],
    ['under /proc/self', '/proc/self/netatlas-test', 'is on /proc (procfs)'],
  ])('%s', (_name, out, message) => {
    const r = cli(['generate', params, '--out', out]);
    expectClean(r, out);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(message);
  }, 90_000);
});
