import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { inCi, runCli } from '../../lib/doctest/cli.ts';
import { applyEdits } from '../../lib/doctest/update.ts';
import { cleanup, copySite, edit, FIXTURE, replaceOnce } from './helpers.ts';

afterAll(cleanup);

const FILES = ['content/zh-cn/demo.mdx', 'content/en/demo.mdx'];
const read = (dir: string, f: string): string => readFileSync(join(dir, f), 'utf8');

/** Breaks outputs of the fixture in several ways (the fixture itself is correct). */
function breakOutputs(s: string): string {
  s = replaceOnce(s, '10.0.0.0/24 dev e0 proto kernel scope link src 10.0.0.1 \n$ ip link', '10.0.0.0/24 dev e0 proto kernel scope link src 10.0.0.1\n$ ip link'); // trailing space lost
  s = replaceOnce(s, 'Device "nosuch" does not exist.\n[1]\n', 'old text\nmore old text\n'); // output and status
  s = replaceOnce(s, 'broadcast 10.0.0.255 dev e0', 'broadcast 10.0.0.254 dev e0'); // one character
  s = replaceOnce(s, '10.9.0.0/16 via 10.0.0.254 dev e0 \n', ''); // a line lost
  s = replaceOnce(s, '   net.ipv4.ip_forward = 0\n', '   net.ipv4.ip_forward = 1\n   extra\n'); // inside a list item
  s = replaceOnce(s, 'h1$ ip -br -4 addr show e0\ne0@e1            UP             10.0.0.1/24 \n', 'h1$ ip -br -4 addr show e0\n'); // output missing
  return s;
}

describe('--update', () => {
  it('rewrites only the output lines, back to the model\'s output byte for byte', async () => {
    const dir = copySite(FIXTURE);
    for (const f of FILES) edit(join(dir, f), breakOutputs);
    const before = await runCli(['--root', dir], {});
    expect(before.code).toBe(1);
    expect(before.output.split('\n').at(-1)).toBe('doctest: 0 passed, 6 failed');

    const r = await runCli(['--update', '--root', dir], {});
    expect(r.output).toContain('doctest --update: rewrote the output of 12 commands in 2 files: content/en/demo.mdx, content/zh-cn/demo.mdx');
    expect(r.output).toContain('content/zh-cn/demo.mdx:13: warning: now marked [1] (the command fails): is this error meant to be shown?');
    expect(r.output.split('\n').at(-1)).toBe('doctest: 6 passed, 0 failed');
    expect(r.code).toBe(0);
    for (const f of FILES) expect(read(dir, f)).toBe(readFileSync(join(FIXTURE, f), 'utf8'));
  });

  it('keeps CRLF line endings and everything else', async () => {
    const dir = copySite(FIXTURE);
    for (const f of FILES) {
      edit(join(dir, f), (s) => breakOutputs(s).replace(/\n/g, '\r\n'));
    }
    const r = await runCli(['--update', '--root', dir], {});
    expect(r.output.split('\n').at(-1)).toBe('doctest: 6 passed, 0 failed');
    for (const f of FILES) expect(read(dir, f)).toBe(readFileSync(join(FIXTURE, f), 'utf8').replace(/\n/g, '\r\n'));
  });

  it('does not touch what it cannot fix (unsupported commands, unknown namespaces)', async () => {
    const dir = copySite(FIXTURE);
    for (const f of FILES) {
      edit(join(dir, f), (s) => replaceOnce(replaceOnce(s, '$ ip link show nosuch', '$ ethtool eth0'), 'h9$ ip route', 'h7$ ip route'));
    }
    const copy = FILES.map((f) => read(dir, f));
    const r = await runCli(['--update', '--root', dir], {});
    expect(r.code).toBe(1);
    expect(r.output).toContain('content/zh-cn/demo.mdx:13: not updated: unsupported: fix by hand');
    expect(r.output).toContain('content/zh-cn/demo.mdx:35: not updated: unknown-netns: fix by hand');
    expect(FILES.map((f) => read(dir, f))).toEqual(copy);
  });

  it('is refused when CI is set, and changes nothing', async () => {
    const dir = copySite(FIXTURE);
    for (const f of FILES) edit(join(dir, f), breakOutputs);
    const copy = FILES.map((f) => read(dir, f));
    const r = await runCli(['--update', '--root', dir], { CI: 'true' });
    expect(r.code).toBe(2);
    expect(r.output).toMatch(/^doctest: --update is refused when CI is set/);
    expect(FILES.map((f) => read(dir, f))).toEqual(copy);
    expect(inCi({ CI: '1' })).toBe(true);
    expect(inCi({ CI: '' })).toBe(false);
    expect(inCi({})).toBe(false);
  });

  it('the CLI rejects unknown arguments', async () => {
    const r = await runCli(['--frobnicate'], {});
    expect(r.code).toBe(2);
    expect(r.output).toContain('unknown argument "--frobnicate"');
  });
});

describe('applyEdits', () => {
  it('replaces, inserts and deletes line ranges, keeping the rest byte for byte', () => {
    const src = 'a\nb\nc\nd\n';
    expect(applyEdits(src, [{ start: 2, end: 3, lines: ['B1', 'B2'] }])).toBe('a\nB1\nB2\nc\nd\n');
    expect(applyEdits(src, [{ start: 3, end: 3, lines: ['new'] }])).toBe('a\nb\nnew\nc\nd\n');
    expect(applyEdits(src, [{ start: 2, end: 4, lines: [] }])).toBe('a\nd\n');
    expect(applyEdits('a\r\nb\r\nc', [{ start: 2, end: 3, lines: ['x', 'y'] }])).toBe('a\r\nx\r\ny\r\nc');
    expect(
      applyEdits(src, [
        { start: 4, end: 5, lines: ['D'] },
        { start: 2, end: 3, lines: ['B'] },
      ]),
    ).toBe('a\nB\nc\nD\n');
  });
});

