import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { allFailures, checkContent } from '../../lib/doctest/check.ts';
import { parseDocument } from '../../lib/doctest/parse.ts';
import { formatReport } from '../../lib/doctest/report.ts';
import { renderSection, runBlock, sectionsEqual, type ModelSession, type RunResultLike } from '../../lib/doctest/run.ts';
import { cleanup, copySite, edit, FIXTURE, replaceOnce } from './helpers.ts';

afterAll(cleanup);

const F = '```';

describe('renderSection / sectionsEqual', () => {
  it('renders output lines, a [N] line for a failure, (no-eol) for a missing newline', () => {
    expect(renderSection({ combined: 'a \nb\n', status: 0 })).toEqual(['a ', 'b']);
    expect(renderSection({ combined: '', status: 0 })).toEqual([]);
    expect(renderSection({ combined: 'Device "x" does not exist.\n', status: 1 })).toEqual(['Device "x" does not exist.', '[1]']);
    expect(renderSection({ combined: 'x', status: 0 })).toEqual(['x (no-eol)']);
    expect(renderSection({ combined: 'a\r\n\r\n', status: 0 })).toEqual(['a', '']);
  });

  it('compares trailing spaces', () => {
    expect(sectionsEqual(['default via 169.254.1.1 dev eth0 '], ['default via 169.254.1.1 dev eth0 '])).toBe(true);
    expect(sectionsEqual(['default via 169.254.1.1 dev eth0'], ['default via 169.254.1.1 dev eth0 '])).toBe(false);
    expect(sectionsEqual(['a'], ['a', ''])).toBe(false);
  });
});

describe('checkContent on the fixture site (real model)', () => {
  it('passes: 6 checked blocks, 2 opted out, nothing unchecked', async () => {
    const report = await checkContent({ root: FIXTURE });
    expect(allFailures(report)).toEqual([]);
    expect(report.localeProblems).toEqual([]);
    expect(report.passed).toBe(6);
    expect(report.failed).toBe(0);
    const text = formatReport(report);
    expect(text).toContain('content/zh-cn/demo.mdx: 3 checked, 1 opted out, 0 unchecked output-looking');
    expect(text).toContain('content/en/demo.mdx:47: only on a real node: needs a physical NIC');
    expect(text.split('\n').at(-1)).toBe('doctest: 6 passed, 0 failed');
  });

  it('fails on a missing trailing space, with file:line of the command and a diff', async () => {
    const dir = copySite(FIXTURE);
    for (const l of ['zh-cn', 'en']) {
      edit(join(dir, 'content', l, 'demo.mdx'), (s) =>
        replaceOnce(s, '10.0.0.0/24 dev e0 proto kernel scope link src 10.0.0.1 \n', '10.0.0.0/24 dev e0 proto kernel scope link src 10.0.0.1\n'),
      );
    }
    const report = await checkContent({ root: dir });
    const failures = allFailures(report);
    expect(failures.map((f) => [f.file, f.line, f.kind])).toEqual([
      ['content/en/demo.mdx', 11, 'mismatch'],
      ['content/zh-cn/demo.mdx', 11, 'mismatch'],
    ]);
    const text = formatReport(report);
    expect(text).toContain(
      [
        "content/zh-cn/demo.mdx:11: error: the output differs from the model's",
        '    $ ip route',
        '--- content/zh-cn/demo.mdx:11 (expected)',
        '+++ model output (actual)',
        '@@ -1,1 +1,1 @@',
        '-10.0.0.0/24 dev e0 proto kernel scope link src 10.0.0.1',
        '+10.0.0.0/24 dev e0 proto kernel scope link src 10.0.0.1 ',
        'note: line 1 differs only in trailing whitespace: expected none, actual 1 space',
      ].join('\n'),
    );
    expect(text.split('\n').at(-1)).toBe('doctest: 4 passed, 2 failed');
  });

  it('an error shown without [N] fails; [N] on a command that succeeds fails', async () => {
    const dir = copySite(FIXTURE);
    for (const l of ['zh-cn', 'en']) {
      edit(join(dir, 'content', l, 'demo.mdx'), (s) => {
        s = replaceOnce(s, 'Device "nosuch" does not exist.\n[1]\n', 'Device "nosuch" does not exist.\n');
        return replaceOnce(s, '   net.ipv4.ip_forward = 0\n', '   net.ipv4.ip_forward = 0\n   [1]\n');
      });
    }
    const report = await checkContent({ root: dir });
    const zh = allFailures(report).filter((f) => f.file === 'content/zh-cn/demo.mdx');
    expect(zh.map((f) => [f.line, f.kind])).toEqual([
      [13, 'mismatch'],
      [42, 'mismatch'], // one line up: the [1] above was removed
    ]);
    expect(zh[0]!.message).toMatch(/exited with status 1, but the block does not mark an error: .*put a line "\[1\]" after its output/);
    expect(zh[0]!.actual).toEqual(['Device "nosuch" does not exist.', '[1]']);
    expect(zh[1]!.message).toMatch(/marks exit status \[1\] but the command exited 0/);
  });

  it('reports every failure, not only the first, and all malformed-block messages', async () => {
    const dir = copySite(FIXTURE);
    const p = join(dir, 'content/zh-cn/demo.mdx');
    edit(p, (s) => {
      s = replaceOnce(s, 'h9$ ip route', 'h7$ ip route');
      s = replaceOnce(s, 'h1$ ip -br -4 addr show e0\ne0@e1 ', 'h1$ ip -br -4 addr show e0\nE0@e1 ');
      return s;
    });
    edit(join(dir, 'content/en/demo.mdx'), (s) => replaceOnce(s, '$ ip link show nosuch', '$ ethtool eth0'));
    writeFileSync(
      join(dir, 'content/zh-cn/extra.mdx'),
      [
        `${F}console scripts="h1.sh nope.sh"`,
        '$ ip route',
        F,
        '',
        `${F}console scripts="h1.sh" ns="h3"`,
        '$ ip route',
        F,
        '',
        `${F}console scripts="h1.sh"`,
        'default via 10.0.0.254 dev lo',
        F,
        '',
        `${F}console scripts="h1.sh" title="x`,
        '$ ip route',
        F,
        '',
        `${F}console scripts="h1.sh"`,
        '$ ip route',
        '',
      ].join('\n'),
    );
    const report = await checkContent({ root: dir });
    const text = formatReport(report);
    const failures = allFailures(report);
    expect(failures.map((f) => [f.file, f.line, f.kind])).toEqual([
      ['content/en/demo.mdx', 13, 'unsupported'],
      ['content/zh-cn/demo.mdx', 22, 'mismatch'],
      ['content/zh-cn/demo.mdx', 35, 'unknown-netns'],
      ['content/zh-cn/extra.mdx', 1, 'unknown-script'],
      ['content/zh-cn/extra.mdx', 6, 'unknown-netns'],
    ]);
    // Unsupported command: the model's own message, with where it came from.
    expect(text).toMatch(/content\/en\/demo\.mdx:13: error: the model does not support this command: netatlas: content\/en\/demo\.mdx:13: "ethtool" is not a command the model runs \(it runs: .*ip.*\)/);
    // Unknown namespace: the ones the scripts created.
    expect(text).toContain('content/zh-cn/demo.mdx:35: error: unknown namespace "h7" (named by the prompt "h7$"); after scripts="h1.sh h2.sh" the namespaces that exist at this point are: h1, h2, h9');
    expect(text).toContain('content/zh-cn/extra.mdx:6: error: unknown namespace "h3" (named by ns= of the block); after scripts="h1.sh" the namespaces that exist at this point are: h1');
    // Unknown script: the ones that exist.
    expect(text).toContain('content/zh-cn/extra.mdx:1: error: unknown scenario script "nope.sh": content/scripts/ has h1.sh, h2.sh');
    // Output but no command; bad meta; unterminated block.
    expect(text).toMatch(/content\/zh-cn\/extra\.mdx:10: error: output line before any command: "default via 10\.0\.0\.254 dev lo"/);
    expect(text).toMatch(/content\/zh-cn\/extra\.mdx:13: error: bad meta syntax in ````console scripts="h1\.sh" title="x`: unterminated double quote/);
    expect(text).toMatch(/content\/zh-cn\/extra\.mdx:17: error: unterminated code block/);
    // The chapter exists in zh-cn only; and the locales drifted apart.
    expect(text).toContain('content/zh-cn/extra.mdx:1: error: chapter "extra" exists in content/zh-cn/extra.mdx but not in content/en/extra.mdx');
    expect(text).toMatch(/locales drifted apart: checked block 1 of chapter "demo" .*command 2 differs \(`\$ ip link show nosuch` vs `\$ ethtool eth0`\)/);
    expect(report.failed).toBeGreaterThanOrEqual(10);
    expect(text.split('\n').at(-1)).toMatch(/^doctest: \d+ passed, \d+ failed$/);
  });

  it('a failing reference script and a failing hidden command stop the block', async () => {
    const dir = copySite(FIXTURE);
    writeFileSync(join(dir, 'content/scripts/bad.sh'), 'set -e\nip netns add h1\nip -n h1 link set nosuch up\necho never\n');
    for (const l of ['zh-cn', 'en']) {
      writeFileSync(
        join(dir, 'content', l, 'more.mdx'),
        [`${F}console scripts="bad.sh"`, '$ ip route', F, '', `${F}console scripts="h1.sh"`, '#hide$ ip -n h1 link set nosuch up', '$ ip route', F, ''].join('\n'),
      );
    }
    const report = await checkContent({ root: dir });
    const zh = allFailures(report).filter((f) => f.file === 'content/zh-cn/more.mdx');
    expect(zh.map((f) => [f.line, f.kind])).toEqual([
      [1, 'script-failed'],
      [6, 'hidden-failed'],
    ]);
    expect(zh[0]!.message).toMatch(/^scenario script content\/scripts\/bad\.sh exited with status 1; its output:\n {4}.*nosuch/);
    expect(zh[1]!.message).toMatch(/hidden setup command exited with status 1/);
  });
});

describe('runBlock with a fake model', () => {
  const fake = (log: string[]): ModelSession => {
    const nss = new Set<string>();
    const res = (combined: string, status = 0): RunResultLike => ({ stdout: combined, stderr: '', combined, status, unsupported: false });
    return {
      runScript: (text, name) => {
        log.push(`script ${name}`);
        for (const m of text.matchAll(/ip netns add (\S+)/g)) nss.add(m[1]!);
        return res('');
      },
      runCommand: (line, opts) => {
        log.push(`cmd ${opts?.netns ?? '-'} ${line} @${opts?.where}`);
        return res(`ran ${line} \n`);
      },
      world: { netns: (n) => (nss.has(n) ? {} : undefined), namespaces: () => [...nss].map((name) => ({ name })) },
    };
  };

  it('runs scripts in order, then each command in its namespace with file:line; each file gets its own run', () => {
    const src = [`${F}console scripts="h1.sh h2.sh" ns="h1"`, '$ a', 'ran a ', 'h2$ b', 'ran b ', F, ''].join('\n');
    const blocks = [...parseDocument(src, 'content/zh-cn/x.mdx').blocks, ...parseDocument(src, 'content/en/x.mdx').blocks];
    const log: string[] = [];
    let sessions = 0;
    const ctx = {
      scriptsDir: join(FIXTURE, 'content/scripts'),
      displayRoot: FIXTURE,
      factory: () => {
        sessions++;
        return fake(log);
      },
      cache: new Map(),
    };
    const results = blocks.map((b) => runBlock(b, ctx));
    expect(results.map((r) => r.passed)).toEqual([true, true]);
    expect(sessions).toBe(2);
    expect(log).toEqual([
      'script content/scripts/h1.sh',
      'script content/scripts/h2.sh',
      'cmd h1 a @content/zh-cn/x.mdx:2',
      'cmd h2 b @content/zh-cn/x.mdx:4',
      'script content/scripts/h1.sh',
      'script content/scripts/h2.sh',
      'cmd h1 a @content/en/x.mdx:2',
      'cmd h2 b @content/en/x.mdx:4',
    ]);
    // The same block at the same place runs once.
    expect(runBlock(blocks[0]!, ctx).passed).toBe(true);
    expect(sessions).toBe(2);
  });
});
