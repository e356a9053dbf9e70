// The build's diagram helpers for readers (src/integrations/diagram-parts.mjs) and the
// deployment settings (src/integrations/deploy.mjs).
import { describe, expect, it } from 'vitest';
import { accessibleSvg, figureCaption, labelsOf, minWidthFor, splitSequence } from '../../src/integrations/diagram-parts.mjs';
import { DEFAULT_SITE, deployConfig } from '../../src/integrations/deploy.mjs';

const SEQ = [
  'sequenceDiagram',
  '    %% trace: from=a to=b',
  '    autonumber',
  '    participant A as Alpha',
  '    participant B as Beta',
  '    participant C as Gamma',
  '    participant D as Delta',
  '    Note over A, B: start',
  ...Array.from({ length: 7 }, (_, i) => `    A->>B: m${i + 1}`),
  '    B->>C: m8',
  '    Note right of C: about m8',
  '    C->>D: m9',
  '    C->>D: m10',
  '    D-->>C: m11',
  '    C-->>B: m12',
  '    B-->>A: m13',
].join('\n');

describe('splitSequence', () => {
  it('leaves short sequences and flowcharts alone', () => {
    expect(splitSequence('flowchart TD\n  A --> B')).toEqual(['flowchart TD\n  A --> B']);
    expect(splitSequence('sequenceDiagram\n  A->>B: x\n  B->>A: y')).toHaveLength(1);
  });
  it('cuts every 6 messages, keeps each note with its message, declares only used participants, numbers on', () => {
    const parts = splitSequence(SEQ);
    expect(parts).toHaveLength(2);
    const [one, two] = parts;
    expect(one).toContain('autonumber 1');
    expect(one).toContain('participant A as Alpha');
    expect(one).not.toContain('participant C');
    expect(one.match(/->>/g)).toHaveLength(6);
    expect(two).toContain('autonumber 7');
    expect(two).toContain('Note right of C: about m8');
    expect(two).not.toContain('Note over A, B: start'); // the first note stays in part 1
    // Every message appears once, in order.
    const msgs = parts.flatMap((p) => [...p.matchAll(/: (m\d+)/g)].map((m) => m[1]));
    expect(msgs).toEqual(Array.from({ length: 13 }, (_, i) => `m${i + 1}`));
  });
});

describe('accessible SVGs', () => {
  const svg = '<svg id="x" width="100%" style="max-width: 800px;" viewBox="0 0 800 200" role="graphics-document document"><style>#x{font-size:16px;}</style><text>Pod &amp; node</text><text>route</text></svg>';
  it('adds a title and a description of the labels, role img, and a min-width for 11 px labels', () => {
    const out = accessibleSvg(svg, 'x', 'Caption');
    expect(out).toContain('<title id="x-title">Caption</title><desc id="x-desc">Pod &amp; node; route</desc>');
    expect(out).toContain('role="img" aria-labelledby="x-title" aria-describedby="x-desc"');
    expect(out).toContain('min-width: 550px');
    expect(labelsOf(svg)).toEqual(['Pod & node', 'route']);
    expect(minWidthFor(svg)).toBe(550);
  });
  it('a full-size file keeps its natural size', () => {
    const out = accessibleSvg(svg, 'x', 'Caption', { standalone: true });
    expect(out).toContain('width="800" height="200"');
    expect(out).not.toContain('max-width');
  });
  it('captions: the title, else the first label', () => {
    expect(figureCaption('flowchart TD\n  A["Start here"] --> B', undefined, 'en').text).toBe('Diagram: Start here');
    expect(figureCaption('x', 'Given', 'zh-CN').text).toBe('Given');
    expect(figureCaption('x', undefined, 'zh-CN').enlarge).toBe('查看原尺寸');
  });
});

describe('deployConfig', () => {
  it('defaults to the local server and no repository links', () => {
    expect(deployConfig({})).toEqual({ site: DEFAULT_SITE, base: undefined, repo: undefined, editBase: undefined });
  });
  it('reads a project page and a repository', () => {
    expect(deployConfig({ NETATLAS_SITE: 'https://o.github.io/netatlas/', NETATLAS_REPO: 'https://github.com/o/netatlas/', NETATLAS_BRANCH: 'dev' })).toEqual({
      site: 'https://o.github.io',
      base: '/netatlas',
      repo: 'https://github.com/o/netatlas',
      editBase: 'https://github.com/o/netatlas/edit/dev/',
    });
  });
});

describe('console blocks: command and output lines', async () => {
  const { commandLineIndexes } = await import('../../src/integrations/ec-copy-commands.mjs');
  it('marks prompt lines and their continuations as commands, the rest as output', () => {
    expect([...commandLineIndexes('node-a$ ip route add 10.0.0.0/8 \\\n    dev biz\nRTNETLINK answers: File exists\n$ ls\nfile\n# comment')]).toEqual([0, 1, 3]);
    expect([...commandLineIndexes('just output')]).toEqual([]);
  });
});
