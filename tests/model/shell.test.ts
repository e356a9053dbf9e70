import { describe, expect, it } from 'vitest';
import { logicalLines, ShellSyntaxError, splitWords } from '../../lib/tools/shell/lexer.ts';
import { runScripts, Session } from '../../lib/session.ts';

const env = new Map<string, string>();

describe('lexer', () => {
  it('joins continuations and keeps the starting line', () => {
    expect(logicalLines('a \\\n  b\nc')).toEqual([
      { line: 1, text: 'a   b' },
      { line: 3, text: 'c' },
    ]);
  });
  it('drops comments, honours quotes and expands variables', () => {
    const e = new Map([['NS', 'node-a']]);
    expect(splitWords('ip -n $NS route # the routes', 1, e)).toEqual(['ip', '-n', 'node-a', 'route']);
    expect(splitWords(`echo 'a # b' "x \${NS} y" c\\ d`, 1, e)).toEqual(['echo', 'a # b', 'x node-a y', 'c d']);
    expect(splitWords('   # only a comment', 1, env)).toEqual([]);
  });
  it('refuses shell constructs it does not run, naming the operator and line', () => {
    expect(() => splitWords('ip route | grep upvx', 7, env)).toThrow(/"\|" is not supported/);
    try {
      splitWords('echo "unterminated', 4, env);
    } catch (e) {
      expect(e).toBeInstanceOf(ShellSyntaxError);
      expect((e as ShellSyntaxError).line).toBe(4);
    }
  });
});

describe('interpreter', () => {
  it('goes on after a failure without set -e, like bash', () => {
    const r = runScripts([{ name: 's.sh', text: 'ip link set nosuch up\necho after\n' }]);
    expect(r.combined).toBe('Cannot find device "nosuch"\nafter\n');
    expect(r.status).toBe(0);
  });
  it('stops at the first failure under set -e with its status', () => {
    const r = runScripts([{ name: 's.sh', text: 'set -e\nip route add 10.0.0.0/8 via 1.2.3.4\necho never\n' }]);
    expect(r.combined).toBe('Error: Nexthop has invalid gateway.\n');
    expect(r.status).toBe(2);
  });
  it('names script, line and token for a command the model does not run', () => {
    const r = runScripts([{ name: 'x.sh', text: 'echo one\n\nnft list ruleset\necho two\n' }]);
    expect(r.unsupported).toBe(true);
    expect(r.stderr).toMatch(/^netatlas: x\.sh:3: "nft" is not a command the model runs/);
    expect(r.stdout).toBe('one\n');
  });
  it('names the unsupported token inside a known command', () => {
    const r = runScripts([{ name: 'y.sh', text: 'ip -s link\n' }]);
    expect(r.unsupported).toBe(true);
    expect(r.stderr).toContain('y.sh:1');
    expect(r.stderr).toContain('"-s"');
  });
  it('runs commands inside a namespace and keeps state across calls', () => {
    const s = new Session();
    s.runScript('ip netns add h1\nip -n h1 link set lo up\n', 'setup.sh');
    expect(s.runCommand('ip route get 127.0.0.1', { netns: 'h1' }).stdout).toBe('local 127.0.0.1 dev lo src 127.0.0.1 uid 0 \n    cache <local> \n');
    expect(s.runCommand('ip route', { netns: 'nope' }).status).toBe(1);
  });
});

describe('sysctl exit status (procps-ng 4.0.2, as measured on this machine)', () => {
  // `ip netns exec N sysctl ...; echo $?` printed 1 for each of these, and the message the
  // kernel capture tests/model/kernel-captures/sysctl.sh records.
  const status = (cmd: string) => runScripts([{ name: 's.sh', text: `ip netns add s\nip netns exec s ${cmd}\n` }]);
  it.each([
    ['sysctl net.ipv4.conf.nosuch.rp_filter', 'sysctl: cannot stat /proc/sys/net/ipv4/conf/nosuch/rp_filter: No such file or directory\n'],
    ['sysctl -w net.ipv4.ip_forward', 'sysctl: command line(0): invalid syntax, continuing...\n'],
    ['sysctl -w net.ipv4.conf.all.rp_filter=1x', 'sysctl: setting key "net.ipv4.conf.all.rp_filter": Invalid argument\n'],
  ])('%s fails with status 1', (cmd, err) => {
    const r = status(cmd);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(err);
  });
  it('goes on after a failing key and still fails', () => {
    const r = status('sysctl -w net.ipv4.conf.nosuch.rp_filter=1 net.ipv4.conf.all.rp_filter=2');
    expect([r.status, r.stdout]).toEqual([1, 'net.ipv4.conf.all.rp_filter = 2\n']);
  });
  it('refuses a key it does not model instead of claiming it is missing', () => {
    const r = status('sysctl net.ipv4.conf.all.log_martians');
    expect(r.unsupported).toBe(true);
    expect(r.stderr).toMatch(/net\.ipv4\.conf\.all\.log_martians" is not modelled/);
  });
});

describe('the shell contract at its edges (bash 5.2 on this machine printed the expected text)', () => {
  const run = (text: string, name = 's.sh') => runScripts([{ name, text }]);
  it('$? is the status of the last command, $# is 0 and $0 the script name', () => {
    // bash s.sh printed "x 0 0", "1", "s.sh"
    expect(run('A=x\necho ${A} $? $#\nfalse\necho $?\necho "$0"\n').stdout).toBe('x 0 0\n1\ns.sh\n');
    expect(run('ip link set nosuch up\necho $?\n').stdout).toBe('1\n');
  });
  it.each([
    ['echo $(echo z)', 3, 'command substitution "$(echo z)"'],
    ['echo ${A:-x}', 3, 'the parameter expansion "${A:-x}"'],
    ['echo ${#A}', 3, 'the parameter expansion "${#A}"'],
    ['echo $((1+2))', 3, 'arithmetic expansion "$((1+2))"'],
    ['echo ~', 3, 'tilde expansion "~"'],
    ['echo ~root/x', 3, 'tilde expansion "~root/x"'],
    ['A=~/x', 3, 'tilde expansion "~/x"'],
    ['echo $$', 3, 'the special parameter "$$"'],
  ])('refuses %s naming script, line and token', (line, n, token) => {
    const r = run(`echo one\n\n${line}\necho two\n`, 'e.sh');
    expect(r.unsupported).toBe(true);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('one\n');
    expect(r.stderr).toBe(`netatlas: e.sh:${n}: ${token} is not supported (the model expands only $NAME, \${NAME} and $?)\n`);
  });
  it('keeps quoted and literal dollars and tildes as bash does', () => {
    // bash printed: "$ ~ a~b '$(x)' $"
    expect(run(`echo $ "~" a~b "'\\$(x)'" '$'\n`).stdout).toBe("$ ~ a~b '$(x)' $\n");
  });
  it('a CRLF script fails as under bash: the carriage return stays in the last word', () => {
    // bash crlf.sh printed "hi\r" then "crlf.sh: line 2: $'true\r': command not found"
    const r = run('echo hi\r\ntrue\r\necho $?\r\n', 'crlf.sh');
    expect(r.stdout).toBe('hi\r\n');
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/^netatlas: crlf\.sh:2: "true\\r" is not a command .*CRLF line endings/);
  });
  it('a byte order mark or a NUL byte gets a clear message', () => {
    const bom = run('\ufeffecho hi\n', 'bom.sh');
    expect([bom.status, bom.stdout]).toEqual([2, '']);
    expect(bom.stderr).toMatch(/^netatlas: bom\.sh:1: the script starts with a UTF-8 byte order mark/);
    // bash: "nul1.sh: nul1.sh: cannot execute binary file", status 126
    const first = run('echo a\0b\n', 'nul1.sh');
    expect([first.status, first.stderr]).toEqual([126, 'nul1.sh: nul1.sh: cannot execute binary file\n']);
    const later = run('echo a\necho b\0c\n', 'nul.sh');
    expect(later.status).toBe(2);
    expect(later.stderr).toMatch(/^netatlas: nul\.sh:2: the script contains a NUL byte/);
  });
  it('stops a variable that doubles past the size limit with a clear error, not a RangeError', () => {
    const text = 'A=xx\n' + 'A=$A$A\n'.repeat(29) + 'echo done\n';
    const r = run(text, 'dbl.sh');
    expect(r.status).toBe(2);
    expect(r.stderr).toBe("netatlas: dbl.sh:24: after expansion the command is longer than the model's limit of 16777216 bytes\n");
  });
  it('joins 200,000 continuation lines in linear time', () => {
    const text = 'echo start \\\n' + '  a \\\n'.repeat(200_000) + 'end\n';
    const t0 = performance.now();
    const r = run(text);
    expect(r.stdout.length).toBe('start'.length + 2 * 200_000 + 'end\n'.length + 1);
    // bash took 0.24 s; quadratic joining took 32 s. A generous bound against regressions.
    expect(performance.now() - t0).toBeLessThan(10_000);
  });
});

describe('field splitting of unquoted expansions (bash 5.2)', () => {
  it('splits $N at blanks and keeps "$N" whole', () => {
    // N="ip -n x"; printf '[%s]' $N "$N" x$E"" ; with E=" a  b " bash printed [ip][-n][x][ip -n x][x][a][b][]
    const e = new Map([['N', 'ip -n x'], ['E', ' a  b ']]);
    expect(splitWords(`printf '[%s]' $N "$N" x$E""`, 1, e)).toEqual(['printf', '[%s]', 'ip', '-n', 'x', 'ip -n x', 'x', 'a', 'b', '']);
  });
});
