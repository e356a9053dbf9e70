import { describe, expect, it } from 'vitest';
import { parseDocument, parseMeta, parseSession, checkedBlocks } from '../../lib/doctest/parse.ts';

const F = '```';
const doc = (...lines: string[]): string => lines.join('\n') + '\n';

describe('parseMeta', () => {
  it('reads scripts, ns, unchecked and leaves Expressive Code items alone', () => {
    const m = parseMeta('scripts="overlay.sh underlay.sh" ns="pod-a-60" title="inside the pod" {1-3} ins={4} wrap /eth0/');
    expect(m.errors).toEqual([]);
    expect(m.scripts).toEqual(['overlay.sh', 'underlay.sh']);
    expect(m.ns).toBe('pod-a-60');
    expect(m.title).toBe('inside the pod');
    expect(m.tokens.map((t) => t.raw)).toEqual([
      'scripts="overlay.sh underlay.sh"',
      'ns="pod-a-60"',
      'title="inside the pod"',
      '{1-3}',
      'ins={4}',
      'wrap',
      '/eth0/',
    ]);
  });

  it('accepts single quotes, commas and escaped quotes', () => {
    const m = parseMeta(`scripts='a.sh,b.sh' title="say \\"hi\\""`);
    expect(m.errors).toEqual([]);
    expect(m.scripts).toEqual(['a.sh', 'b.sh']);
    expect(m.title).toBe('say "hi"');
  });

  it('reads an opt-out reason', () => {
    const m = parseMeta('unchecked="only on a real node: needs a physical NIC" title="ethtool"');
    expect(m.errors).toEqual([]);
    expect(m.unchecked).toBe('only on a real node: needs a physical NIC');
  });

  it.each([
    ['scripts="a.sh', /unterminated double quote/],
    ['scripts="a.sh"title="x"', /separate items with a space/],
    ['scripts="a.sh" scripts="b.sh"', /scripts= is given twice/],
    ['scripts', /scripts needs a quoted value/],
    ['scripts=""', /scripts="" is empty/],
    ['scripts="../x.sh"', /relative to content\/scripts/],
    ['unchecked=""', /needs a reason readers can see/],
    ['unchecked', /unchecked needs a quoted value/],
    ['scripts="a.sh" unchecked="x"', /either scripts=.*or unchecked=/],
    ['ns="node-a"', /ns= only applies to a checked block/],
    ['scripts="a.sh" ns="bad name"', /is not a namespace name/],
    ['script="a.sh"', /did you mean scripts=\?/],
    ['scripts="a.sh" netns="x"', /did you mean ns=\?/],
    ['ins={1-2', /unterminated \{\.\.\.\}/],
  ])('reports bad meta %s', (meta, message) => {
    const m = parseMeta(meta);
    expect(m.errors.join('\n')).toMatch(message);
  });
});

describe('parseSession', () => {
  it('splits prompts, namespaces, hidden lines, continuations and status lines', () => {
    const lines = [
      '#hide$ ip netns add h9',
      '$ ip route',
      'default via 169.254.1.1 dev eth0 ',
      '169.254.1.1 dev eth0 scope link ',
      'node-a$ ip link show nosuch',
      'Device "nosuch" does not exist.',
      '[1]',
      '#hide node-b$ ip link set lo up',
      'h1$ ip route add 10.9.0.0/16 \\',
      '  via 10.0.0.254',
      '$ echo',
      '',
    ];
    const { commands, problems } = parseSession(lines, 10, 'f.mdx', 'pod-a');
    expect(problems).toEqual([]);
    expect(commands.map((c) => [c.line, c.prompt, c.netns ?? null, c.hidden, c.text, c.status])).toEqual([
      [10, '#hide$ ', 'pod-a', true, 'ip netns add h9', 0],
      [11, '$ ', 'pod-a', false, 'ip route', 0],
      [14, 'node-a$ ', 'node-a', false, 'ip link show nosuch', 1],
      [17, '#hide node-b$ ', 'node-b', true, 'ip link set lo up', 0],
      [18, 'h1$ ', 'h1', false, 'ip route add 10.9.0.0/16 \\\n  via 10.0.0.254', 0],
      [20, '$ ', 'pod-a', false, 'echo', 0],
    ]);
    expect(commands[1]!.output).toEqual(['default via 169.254.1.1 dev eth0 ', '169.254.1.1 dev eth0 scope link ']);
    expect(commands[1]!.sectionStart).toBe(12);
    expect(commands[1]!.sectionEnd).toBe(14);
    expect(commands[2]!.output).toEqual(['Device "nosuch" does not exist.']);
    expect(commands[2]!.section).toEqual(['Device "nosuch" does not exist.', '[1]']);
    // A trailing blank line is output too (byte for byte).
    expect(commands[5]!.section).toEqual(['']);
    expect(commands[1]!.promptNetns).toBeUndefined();
    expect(commands[2]!.promptNetns).toBe('node-a');
  });

  it('plain $ runs in the initial namespace without ns=', () => {
    const { commands } = parseSession(['$ ip route'], 1, 'f.mdx');
    expect(commands[0]!.netns).toBeUndefined();
  });

  it('#hidefoo$ is not a hidden prompt', () => {
    const { commands, problems } = parseSession(['$ true', '#hidefoo$ x'], 1, 'f.mdx');
    expect(problems).toEqual([]);
    expect(commands).toHaveLength(1);
    expect(commands[0]!.output).toEqual(['#hidefoo$ x']);
  });

  it.each([
    [['default via 1.2.3.4 dev eth0', '$ ip route'], 1, /output line before any command/],
    [[], 1, /has no command/],
    [['', ''], 1, /has no command/],
    [['$ ip route', '[0]'], 2, /"\[0\]" is not needed/],
    [['#hide$ ip netns add x', 'oops', '$ ip route'], 2, /output lines under a hidden command/],
    [['#hide$ ip netns add x'], 1, /every command of this checked block is hidden/],
    [['$ ip route', '$'], 2, /empty command/],
    [['$ ip route add 10.0.0.0/8 \\'], 1, /ends with a backslash/],
  ])('reports malformed session %j', (lines, line, message) => {
    const { problems } = parseSession(lines, 1, 'f.mdx');
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0]!.message).toMatch(message);
    expect(problems[0]!.line).toBe(line);
    expect(problems[0]!.file).toBe('f.mdx');
  });
});

describe('parseDocument', () => {
  const source = doc(
    '---',
    'title: t',
    '---',
    '',
    "import { Tabs, TabItem } from '@astrojs/starlight/components';",
    '',
    'Text with `$ ip route` inline.',
    '',
    `${F}console scripts="h1.sh" ns="h1" title="x"`,
    '$ ip route',
    '10.0.0.0/24 dev lo proto kernel scope link src 10.0.0.1 ',
    F,
    '',
    '<Tabs>',
    '<TabItem label="a">',
    '',
    `${F}console scripts="h1.sh"`,
    'h1$ ip route',
    F,
    '',
    '</TabItem>',
    '</Tabs>',
    '',
    '- item',
    '',
    `  ${F}console scripts="h1.sh"`,
    '  $ echo hi',
    '  hi',
    `  ${F}`,
    '',
    `${F}mermaid`,
    'graph TD',
    F,
    '',
    `${F}console unchecked="needs a NIC"`,
    '$ ethtool eth0',
    F,
    '',
    `~~~~yaml`,
    'a: 1',
    '~~~~',
  );
  const parsed = parseDocument(source, 'content/en/x.mdx');

  it('finds every block with its kind and fence line, also inside JSX and lists', () => {
    expect(parsed.problems).toEqual([]);
    expect(parsed.blocks.map((b) => [b.line, b.lang, b.kind])).toEqual([
      [9, 'console', 'checked'],
      [17, 'console', 'checked'],
      [26, 'console', 'checked'],
      [31, 'mermaid', 'diagram'],
      [35, 'console', 'opted-out'],
      [39, 'yaml', 'plain'],
    ]);
    expect(parsed.blocks.every((b) => b.problems.length === 0 && b.closed)).toBe(true);
    expect(checkedBlocks(parsed)).toHaveLength(3);
  });

  it('gives commands their file lines, keeps trailing spaces, knows container indentation', () => {
    const [a, b, c] = parsed.blocks;
    expect(a!.commands[0]!.line).toBe(10);
    expect(a!.commands[0]!.output).toEqual(['10.0.0.0/24 dev lo proto kernel scope link src 10.0.0.1 ']);
    expect(a!.indent).toBe('');
    expect(b!.commands[0]!.netns).toBe('h1');
    expect(c!.commands[0]!.line).toBe(27);
    expect(c!.commands[0]!.output).toEqual(['hi']);
    expect(c!.indent).toBe('  ');
    expect(parsed.blocks[4]!.reason).toBe('needs a NIC');
  });

  it('normalises CRLF line endings', () => {
    const crlf = parseDocument(`${F}console scripts="a.sh"\r\n$ ip route\r\nx \r\n${F}\r\n`, 'f.mdx');
    expect(crlf.blocks[0]!.commands[0]!.output).toEqual(['x ']);
  });

  it('reports an unterminated fence with its line', () => {
    const p = parseDocument(doc('# T', '', `${F}console scripts="a.sh"`, '$ ip route', 'x'), 'content/en/t.mdx');
    expect(p.blocks[0]!.closed).toBe(false);
    expect(p.blocks[0]!.problems[0]).toMatchObject({ file: 'content/en/t.mdx', line: 3 });
    expect(p.blocks[0]!.problems[0]!.message).toMatch(/unterminated code block/);
  });

  it('reports bad meta with the fence line', () => {
    const p = parseDocument(doc('', `${F}console scripts="a.sh`, '$ ip route', F), 'f.mdx');
    expect(p.blocks[0]!.problems.map((x) => [x.line, x.message])).toEqual([[2, expect.stringMatching(/bad meta syntax.*unterminated double quote/)]]);
  });

  it('requires a session language for checked blocks', () => {
    const p = parseDocument(doc(`${F}bash scripts="a.sh"`, '$ ip route', F), 'f.mdx');
    expect(p.blocks[0]!.problems[0]!.message).toMatch(/must be a shell session: write ````console scripts="a.sh"` instead of ````bash`/);
  });

  it('reports MDX that does not parse', () => {
    const p = parseDocument(doc('# T', '', '<div>', ''), 'content/en/bad.mdx');
    expect(p.problems[0]!.file).toBe('content/en/bad.mdx');
    expect(p.problems[0]!.message).toMatch(/does not parse/);
  });
});

describe('stripHiddenLines (for the site)', () => {
  it('drops #hide prompt lines and their continuations, nothing else', async () => {
    const { stripHiddenLines } = await import('../../lib/doctest/parse.ts');
    expect(stripHiddenLines('#hide$ ip netns add x \\\n  more\n$ ip route\nout \n#hide h1$ true\n$ ip rule\n[1]')).toBe('$ ip route\nout \n$ ip rule\n[1]');
  });

});
