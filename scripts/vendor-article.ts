// `npm run vendor-article -- ARTICLE.md [--check]`: copies the source article's fenced
// code blocks (its command/output blocks and its Mermaid diagram sources), and nothing of its
// prose, into tests/fixtures/article/article.zh.code.md, which tests/model/article.test.ts and
// tests/diagrams/bind.test.ts read. The repository never reads the article itself: pass its
// path (the project's copy is seed/article.zh.md in the shared research folder; see
// tests/fixtures/article/PROVENANCE.md).
//
// Every fenced block is kept byte for byte, in the article's order, each under a comment
// naming its line range in the article; the file starts with a comment naming the article's
// title and the sha256 of the article file. `--check` writes nothing: it exits 1 when the
// vendored file differs from what the article gives (the article changed, or the file was
// edited by hand).
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';

const ROOT = join(import.meta.dirname, '..');
export const VENDORED = join(ROOT, 'tests', 'fixtures', 'article', 'article.zh.code.md');

export interface CodeBlock {
  lang: string;
  /** 1-based lines of the opening and closing fences in the article. */
  open: number;
  close: number;
  /** The lines between the fences, each with its line ending. */
  body: string;
}

/** The front matter's `title:` (quotes removed), or undefined. */
export function articleTitle(md: string): string | undefined {
  const fm = /^---\r?\n([\s\S]*?)\r?\n---\r?\n/.exec(md);
  const m = fm && /^title:\s*(.*)$/m.exec(fm[1]!);
  if (!m) return undefined;
  const v = m[1]!.trim();
  return /^(["']).*\1$/.test(v) ? v.slice(1, -1) : v;
}

/** The fenced (```) code blocks of a Markdown text, in order. Throws on an unclosed fence. */
export function codeBlocks(md: string, name = 'the article'): CodeBlock[] {
  const lines = md.split(/(?<=\n)/);
  const out: CodeBlock[] = [];
  let open: { lang: string; line: number; fence: string; body: string[] } | undefined;
  lines.forEach((raw, i) => {
    const line = raw.replace(/\r?\n$/, '');
    if (!open) {
      const m = /^(`{3,})\s*([^\s`]*)/.exec(line);
      if (m) open = { lang: m[2]!, line: i + 1, fence: m[1]!, body: [] };
      return;
    }
    // A closing fence: only backticks (at least as many as the opening one), then blanks.
    const close = /^(`{3,})\s*$/.exec(line);
    if (close && close[1]!.length >= open.fence.length) {
      out.push({ lang: open.lang, open: open.line, close: i + 1, body: open.body.join('') });
      open = undefined;
      return;
    }
    open.body.push(raw);
  });
  if (open) throw new Error(`${name}:${open.line}: the code fence opened here is never closed`);
  return out;
}

/** The vendored file's text for an article's text. */
export function vendor(md: string, sourceName: string): string {
  const sha = createHash('sha256').update(md).digest('hex');
  const title = articleTitle(md);
  if (title === undefined) throw new Error(`${sourceName}: no title: in its front matter`);
  const blocks = codeBlocks(md, sourceName);
  if (blocks.length === 0) throw new Error(`${sourceName}: no fenced code blocks`);
  const head = [
    '<!--',
    `Vendored by scripts/vendor-article.ts from ${sourceName}: its fenced code blocks only,`,
    'byte for byte and in order (no prose). Do not edit: regenerate. See PROVENANCE.md.',
    `title: ${title}`,
    `sha256 of ${sourceName}: ${sha}`,
    `blocks: ${blocks.length} (${blocks.map((b) => b.lang || 'no language').join(', ')})`,
    '-->',
    '',
  ];
  const parts = blocks.map((b) => `<!-- ${sourceName} lines ${b.open}-${b.close} -->\n\`\`\`${b.lang}\n${b.body}\`\`\`\n`);
  return head.join('\n') + '\n' + parts.join('\n');
}

function main(argv: string[]): number {
  const check = argv.includes('--check');
  const paths = argv.filter((a) => a !== '--check');
  if (paths.length !== 1 || paths[0]!.startsWith('-')) {
    process.stderr.write('usage: npm run vendor-article -- ARTICLE.md [--check]\n');
    return 2;
  }
  const path = paths[0]!;
  let md: string;
  try {
    md = readFileSync(path, 'utf8');
  } catch (e) {
    process.stderr.write(`vendor-article: cannot read ${path}: ${(e as Error).message}\n`);
    return 2;
  }
  let text: string;
  try {
    text = vendor(md, basename(path));
  } catch (e) {
    process.stderr.write(`vendor-article: ${(e as Error).message}\n`);
    return 2;
  }
  const rel = VENDORED.slice(ROOT.length + 1);
  if (check) {
    let have = '';
    try {
      have = readFileSync(VENDORED, 'utf8');
    } catch {
      // missing: differs
    }
    if (have === text) {
      process.stdout.write(`${rel} is what ${path} gives\n`);
      return 0;
    }
    process.stderr.write(`${rel} differs from what ${path} gives: run without --check to regenerate it\n`);
    return 1;
  }
  writeFileSync(VENDORED, text);
  process.stdout.write(`wrote ${rel} (${codeBlocks(md).length} blocks)\n`);
  return 0;
}

if (import.meta.filename === process.argv[1]) process.exitCode = main(process.argv.slice(2));
