import { describe, expect, it } from 'vitest';
import type { CheckReport } from '../../lib/doctest/check.ts';
import { parseDocument } from '../../lib/doctest/parse.ts';
import { finalLine, formatDiff, formatFailure, formatUncheckedOutput, trailingWhitespaceNotes } from '../../lib/doctest/report.ts';
import { detectOutput } from '../../lib/doctest/detect.ts';

const F = '```';

describe('formatDiff', () => {
  it('is a unified diff named after file:line, without the index banner', () => {
    const d = formatDiff(['a', 'b ', 'c'], ['a', 'b', 'c', '[1]'], 'content/en/x.mdx:12 (expected)', 'model output (actual)');
    expect(d).toBe(
      [
        '--- content/en/x.mdx:12 (expected)',
        '+++ model output (actual)',
        '@@ -1,3 +1,4 @@',
        ' a',
        '-b ',
        '+b',
        ' c',
        '+[1]',
        'note: line 2 differs only in trailing whitespace: expected 1 space, actual none',
      ].join('\n'),
    );
  });

  it('handles an empty side', () => {
    expect(formatDiff([], ['x'], 'e', 'a')).toBe(['--- e', '+++ a', '@@ -0,0 +1,1 @@', '+x'].join('\n'));
  });
});

describe('trailingWhitespaceNotes', () => {
  it('counts spaces and tabs, with line numbers of the expected side', () => {
    expect(trailingWhitespaceNotes(['same', 'x\t', 'y  '], ['same', 'x', 'y '])).toEqual([
      'line 2 differs only in trailing whitespace: expected 1 tab, actual none',
      'line 3 differs only in trailing whitespace: expected 2 spaces, actual 1 space',
    ]);
    expect(trailingWhitespaceNotes(['a'], ['b'])).toEqual([]);
  });
});

describe('formatFailure', () => {
  it('starts with file:line of the command, shows the command, then the diff', () => {
    const block = parseDocument([`${F}console scripts="a.sh"`, '$ ip route', 'x', F, ''].join('\n'), 'content/en/x.mdx').blocks[0]!;
    const cmd = block.commands[0]!;
    const text = formatFailure({
      kind: 'mismatch',
      file: 'content/en/x.mdx',
      line: 2,
      command: '$ ip route',
      message: "the output differs from the model's",
      expected: ['x'],
      actual: ['y'],
      block,
      cmd,
    });
    expect(text).toBe(
      [
        "content/en/x.mdx:2: error: the output differs from the model's",
        '    $ ip route',
        '--- content/en/x.mdx:2 (expected)',
        '+++ model output (actual)',
        '@@ -1,1 +1,1 @@',
        '-x',
        '+y',
      ].join('\n'),
    );
  });

  it('an unchecked output-looking block names the block, the line and both ways out', () => {
    const block = parseDocument(['text', '', `${F}console title="node-a"`, '$ ip route', 'default via 10.0.0.1 dev biz', F, ''].join('\n'), 'content/en/x.mdx').blocks[0]!;
    const text = formatUncheckedOutput({ block, detection: detectOutput(block.lines.join('\n'), block.lang)! });
    expect(text.split('\n')[0]).toBe('content/en/x.mdx:3: error: this ```console block looks like command output but is not checked');
    expect(text).toContain('content/en/x.mdx:5: "default via 10.0.0.1 dev biz" looks like an ip route line');
    expect(text).toContain('scripts="SCRIPT.sh"');
    expect(text).toContain('unchecked="why it cannot be checked"');
  });
});

describe('finalLine', () => {
  it('is exactly `doctest: N passed, N failed`', () => {
    const r = { passed: 12, failed: 0 } as CheckReport;
    expect(finalLine(r)).toBe('doctest: 12 passed, 0 failed');
    expect(finalLine({ passed: 1, failed: 3 } as CheckReport)).toMatch(/^doctest: \d+ passed, \d+ failed$/);
  });
});
