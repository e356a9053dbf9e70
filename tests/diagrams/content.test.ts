// Every Mermaid diagram in content/ is either bound to the model and consistent with it,
// or says why it is only a picture (%% unbound: reason).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkDiagram, unboundReason } from '../../lib/diagrams/bind.ts';
import { parseMermaid } from '../../lib/diagrams/mermaid.ts';
import { parseDocument } from '../../lib/doctest/parse.ts';
import { referenceSession, ROOT } from '../trace/reference.ts';

const files = ['zh-cn', 'en'].flatMap((l) => readdirSync(join(ROOT, 'content', l)).filter((f) => f.endsWith('.mdx')).map((f) => `content/${l}/${f}`));
const diagrams = files.flatMap((file) =>
  parseDocument(readFileSync(join(ROOT, file), 'utf8'), file)
    .blocks.filter((b) => b.kind === 'diagram')
    .map((b) => ({ where: `${file}:${b.line}`, code: b.lines.join('\n') })),
);

describe('diagrams in content/', () => {
  it('there are diagrams, and some are bound to the model', () => {
    expect(diagrams.length).toBeGreaterThanOrEqual(10);
    expect(diagrams.filter((d) => unboundReason(parseMermaid(d.code)) === undefined).length).toBeGreaterThanOrEqual(4);
  });
  for (const d of diagrams) {
    it(d.where, () => {
      // A fresh model each: tracing leaves connections behind.
      const problems = checkDiagram(referenceSession().world, parseMermaid(d.code));
      expect(problems.map((p) => `${d.where}${p.line ? ` (diagram line ${p.line})` : ''}: ${p.message}`)).toEqual([]);
    });
  }
});
