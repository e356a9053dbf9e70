import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { inCi, runCli } from '../../lib/doctest/cli.ts';
import { confirmOnKernel, hostKernelUnavailable, hostNetnsRunner, type KernelRunner } from '../../lib/doctest/kernel-confirm.ts';
import { parseDocument } from '../../lib/doctest/parse.ts';
import type { SessionFactory } from '../../lib/doctest/run.ts';
import { applyEdits } from '../../lib/doctest/update.ts';
import { Session } from '../../lib/session.ts';
import { cannotRunHere } from '../kernel/skip.ts';
import { cleanup, copySite, edit, FIXTURE, replaceOnce } from './helpers.ts';

afterAll(cleanup);

/** The fixture's scripts (veth, addresses) are ones the host kernel can run. */
const FIXTURE_SCRIPTS = new Set(['h1.sh', 'h2.sh']);
/** The host kernel, allowed to run the fixture's scripts from the copy in `dir`. */
const hostKernel = (dir: string): KernelRunner => hostNetnsRunner({ scriptsDir: join(dir, 'content', 'scripts'), kernelScripts: FIXTURE_SCRIPTS });
const unavailable = hostKernelUnavailable();

/**
 * A stand-in kernel that answers what the model answers: for the tests of the file rewriting
 * itself (which bytes change), not of what is true — the host-kernel tests below do that.
 */
function modelAsKernel(dir: string): KernelRunner {
  return async (blocks) =>
    blocks.map((b) => {
      const s = new Session();
      for (const name of b.meta.scripts ?? []) s.runScript(readFileSync(join(dir, 'content', 'scripts', name), 'utf8'), name);
      return { ran: true as const, kernel: 'stand-in (the model)', results: b.commands.map((c) => s.runCommand(c.text, c.netns !== undefined ? { netns: c.netns } : {})) };
    });
}

/** The model, except that `ip route` in h1 loses its trailing spaces: a model bug. */
const lyingModel: SessionFactory = () => {
  const s = new Session();
  return {
    runScript: (text, name) => s.runScript(text, name),
    runCommand: (line, opts) => {
      const r = s.runCommand(line, opts);
      if (line !== 'ip route' || opts?.netns !== 'h1') return r;
      return { ...r, stdout: r.stdout.replace(/ \n/g, '\n'), combined: r.combined.replace(/ \n/g, '\n') };
    },
    get world() {
      return s.world;
    },
  };
};

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
  it('rewrites only the output lines, back to the output the host kernel confirms, byte for byte', async (ctx) => {
    if (unavailable) cannotRunHere(ctx, unavailable);
    const dir = copySite(FIXTURE);
    for (const f of FILES) edit(join(dir, f), breakOutputs);
    const before = await runCli(['--root', dir], {});
    expect(before.code).toBe(1);
    expect(before.output.split('\n').at(-1)).toBe('doctest: 0 passed, 6 failed');

    const r = await runCli(['--update', '--root', dir], {}, undefined, hostKernel(dir));
    expect(r.output).toContain('doctest --update: rewrote the output of 12 commands in 2 files: content/en/demo.mdx, content/zh-cn/demo.mdx');
    expect(r.output).toContain('content/zh-cn/demo.mdx:13: warning: now marked [1] (the command fails): is this error meant to be shown?');
    expect(r.output).not.toContain('not written');
    expect(r.output.split('\n').at(-1)).toBe('doctest: 6 passed, 0 failed');
    expect(r.code).toBe(0);
    for (const f of FILES) expect(read(dir, f)).toBe(readFileSync(join(FIXTURE, f), 'utf8'));
  }, 120_000);

  it('does not write the model\'s output where the host kernel prints something else, and shows what it printed', async (ctx) => {
    if (unavailable) cannotRunHere(ctx, unavailable);
    const dir = copySite(FIXTURE);
    const copy = FILES.map((f) => read(dir, f));
    // The fixture is right; the model is wrong about `ip route` in h1 (trailing space lost).
    const r = await runCli(['--update', '--root', dir], {}, lyingModel, hostKernel(dir));
    expect(r.output).toContain('doctest --update: rewrote the output of 0 commands in 0 files');
    expect(r.output).toContain('2 blocks not written');
    for (const f of FILES) {
      const line = 10;
      expect(r.output).toMatch(new RegExp(`  ${f}:${line}: not written: the kernel \\(Linux \\S+ \\(host kernel, network namespaces\\)\\) prints something other than the model\\n`));
    }
    expect(r.output).toContain(['      line 11: $ ip route', '        model  | "10.0.0.0/24 dev e0 proto kernel scope link src 10.0.0.1"', '        kernel | "10.0.0.0/24 dev e0 proto kernel scope link src 10.0.0.1 "'].join('\n'));
    expect(r.code).toBe(1);
    expect(FILES.map((f) => read(dir, f))).toEqual(copy);
  }, 120_000);

  it('does not write blocks no kernel can run yet, naming each block and why', async () => {
    const dir = copySite(FIXTURE);
    for (const f of FILES) edit(join(dir, f), breakOutputs);
    const copy = FILES.map((f) => read(dir, f));
    // The default runner: the host kernel, for the reference scripts it can run (not h1.sh).
    const r = await runCli(['--update', '--root', dir], {});
    expect(r.output).toContain('doctest --update: rewrote the output of 0 commands in 0 files');
    for (const f of FILES) {
      // (The broken copy's third block starts at line 40: two lines fewer above it.)
      expect(r.output).toContain(`  ${f}:10: not written: no kernel can run this block yet: h1.sh is not among the scripts the host kernel can run (lib/doctest/kernel-scripts.ts`);
      expect(r.output).toContain(`  ${f}:20: not written: no kernel can run this block yet: h1.sh, h2.sh are not among the scripts`);
      expect(r.output).toContain(`  ${f}:40: not written: no kernel can run this block yet: h1.sh is not among`);
    }
    expect(r.output).toContain('6 blocks not written');
    expect(r.code).toBe(1);
    expect(FILES.map((f) => read(dir, f))).toEqual(copy);
  });

  it('does not write when the kernel cannot be used here, or a script fails on it', async () => {
    const dir = copySite(FIXTURE);
    for (const f of FILES) edit(join(dir, f), breakOutputs);
    const copy = FILES.map((f) => read(dir, f));
    const refusing: KernelRunner = async (blocks) =>
      blocks.map((b) => (b.meta.scripts!.length === 1 ? { ran: false, why: 'unavailable', reason: 'not running as root' } : { ran: false, why: 'failed', reason: 'h2.sh exited with status 1 on the kernel; it printed:\nRTNETLINK answers: File exists' }));
    const r = await runCli(['--update', '--root', dir], {}, undefined, refusing);
    expect(r.output).toContain('  content/zh-cn/demo.mdx:10: not written: no kernel could confirm it here: not running as root');
    expect(r.output).toContain('  content/zh-cn/demo.mdx:20: not written: the kernel could not run it: h2.sh exited with status 1 on the kernel; it printed:\n      RTNETLINK answers: File exists');
    expect(FILES.map((f) => read(dir, f))).toEqual(copy);
  });

  it('keeps CRLF line endings and everything else', async () => {
    const dir = copySite(FIXTURE);
    for (const f of FILES) {
      edit(join(dir, f), (s) => breakOutputs(s).replace(/\n/g, '\r\n'));
    }
    const r = await runCli(['--update', '--root', dir], {}, undefined, modelAsKernel(dir));
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

describe('confirmOnKernel', () => {
  const block = parseDocument(readFileSync(join(FIXTURE, 'content/en/demo.mdx'), 'utf8'), 'content/en/demo.mdx').blocks.find((b) => b.line === 20)!;
  const expected = block.commands.map((c) => c.section);
  const answering = (results: { combined: string; status: number }[]): { runner: KernelRunner; calls: number[] } => {
    const calls: number[] = [];
    return { calls, runner: async (blocks) => (calls.push(blocks.length), blocks.map(() => ({ ran: true as const, kernel: 'test kernel', results }))) };
  };
  const asPrinted = block.commands.map((c) => ({ combined: c.output.map((l) => l + '\n').join(''), status: c.status }));

  it('confirms a block the kernel prints exactly, running identical requests once', async () => {
    const { runner, calls } = answering(asPrinted);
    const r = await confirmOnKernel([{ block, expected }, { block, expected }], runner);
    expect(r.map((c) => [c.confirmed, c.kernel, c.differences])).toEqual([[true, 'test kernel', []], [true, 'test kernel', []]]);
    expect(calls).toEqual([1]);
  });

  it('refuses a block when one line differs by a trailing space, or a hidden command fails', async () => {
    const spaced = asPrinted.map((x, i) => (i === 1 ? { ...x, combined: x.combined.replace(/ \n$/, '\n') } : x));
    const r1 = (await confirmOnKernel([{ block, expected }], answering(spaced).runner))[0]!;
    expect(r1.confirmed).toBe(false);
    expect(r1.differences.map((d) => d.command.line)).toEqual([22]);
    const hiddenFails = asPrinted.map((x, i) => (i === 0 ? { combined: 'Cannot create namespace file "/run/netns/h9": File exists\n', status: 1 } : x));
    const r2 = (await confirmOnKernel([{ block, expected }], answering(hiddenFails).runner))[0]!;
    expect(r2.confirmed).toBe(false);
    expect(r2.differences.map((d) => [d.command.line, d.kernel])).toEqual([[21, ['Cannot create namespace file "/run/netns/h9": File exists', '[1]']]]);
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

