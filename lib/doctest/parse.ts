// MDX → code blocks, and a checked block → its commands and expected outputs.
//
// The document structure comes from unified + remark-parse + remark-mdx + remark-frontmatter;
// only the *inside* of a code block (prompt lines, output lines, `[N]` status lines) and its
// meta string are read line by line here. See docs/authoring.md for the syntax.
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkMdx from 'remark-mdx';
import remarkFrontmatter from 'remark-frontmatter';
import type { Code, Root } from 'mdast';
import type { Node, Parent } from 'unist';

/** Something an author has to fix, with the file line it is about. */
export interface Problem {
  file: string;
  line: number;
  message: string;
}

/** One whitespace-separated item of a code block's meta string. */
export interface MetaToken {
  key?: string;
  /** The value with quotes removed (undefined for a bare word or flag). */
  value?: string;
  /** The item exactly as written. */
  raw: string;
}

export interface Meta {
  raw: string;
  tokens: MetaToken[];
  /** `scripts="a.sh b.sh"`: reference scripts under content/scripts, in order. */
  scripts?: string[];
  /** `ns="pod-a-60"`: default namespace of `$ ` prompts. */
  ns?: string;
  /** `unchecked="reason"`: explicit opt-out, shown to readers. */
  unchecked?: string;
  title?: string;
  /** What is wrong with the meta string (empty when it is fine). */
  errors: string[];
}

/** One prompt line (plus continuation lines) of a checked block and the output under it. */
export interface Command {
  /** File line (1-based) of the prompt line. */
  line: number;
  /** The prompt as written, e.g. `$ `, `node-a$ `, `#hide$ `. */
  prompt: string;
  /** Namespace named by the prompt (`node-a$ ...`), if any. */
  promptNetns?: string;
  /** Namespace the command runs in: the prompt's, else the block's ns=, else undefined (initial). */
  netns?: string;
  /** The command; continuation lines joined with "\n" (each still ending in a backslash). */
  text: string;
  /** `#hide$ ...`: run, not shown on the site, output not compared. */
  hidden: boolean;
  /** Expected output lines (line endings removed), without the `[N]` status line. */
  output: string[];
  /** Expected exit status: N from a final `[N]` line, else 0. */
  status: number;
  /** The whole expected section as written: output lines plus the `[N]` line if present. */
  section: string[];
  /** File lines [sectionStart, sectionEnd) hold the section. */
  sectionStart: number;
  sectionEnd: number;
}

export type BlockKind =
  /** meta has scripts=: run against the model and compared. */
  | 'checked'
  /** meta has unchecked="reason". */
  | 'opted-out'
  /** ```mermaid: a diagram, never command output. */
  | 'diagram'
  /** Anything else: not checked; the detector decides whether it looks like output. */
  | 'plain';

export interface Block {
  file: string;
  /** File line of the opening fence. */
  line: number;
  lang: string;
  meta: Meta;
  kind: BlockKind;
  /** The code as remark gives it, split into lines (line endings removed). */
  lines: string[];
  /** File line of lines[0]. */
  firstLine: number;
  /** False when the opening fence is never closed (the block runs to the end of its container). */
  closed: boolean;
  /** What the container put in front of each line (list indentation, `> `), when consistent. */
  indent?: string;
  /** For a checked block: its commands in order. */
  commands: Command[];
  /** Malformed block: what to fix. A block with problems is not run. */
  problems: Problem[];
  /** For kind 'opted-out'. */
  reason?: string;
}

export interface ParsedFile {
  file: string;
  source: string;
  blocks: Block[];
  /** Problems not tied to one block (e.g. the MDX does not parse). */
  problems: Problem[];
}

/** Languages a checked block may use (a shell session: prompts and output). */
export const SESSION_LANGS: readonly string[] = ['console', 'shellsession', 'shell-session', 'sh-session'];

/** Meta keys the doctest owns. */
export const DOCTEST_KEYS: readonly string[] = ['scripts', 'ns', 'unchecked'];

/** Keys an author may have meant instead of one of ours. */
const NEAR_MISSES: Record<string, string> = {
  script: 'scripts',
  scenario: 'scripts',
  scenarios: 'scripts',
  setup: 'scripts',
  netns: 'ns',
  namespace: 'ns',
  skip: 'unchecked',
  nocheck: 'unchecked',
  'no-check': 'unchecked',
  noverify: 'unchecked',
  unverified: 'unchecked',
};

/** A namespace name as a prompt or ns= may give it. */
export const NETNS_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/**
 * Prompt lines of a checked block:
 *   `$ CMD`            runs CMD in the block's ns= (or the initial namespace)
 *   `NAME$ CMD`        runs CMD in namespace NAME
 *   `#hide$ CMD`       hidden: runs, not shown, output not compared
 *   `#hide NAME$ CMD`  hidden, in namespace NAME
 * A line that is exactly `$` (or `NAME$`) is a prompt with an empty command (an error).
 */
const PROMPT = /^(#hide(?: (?=[A-Za-z0-9])|(?=\$)))?([A-Za-z0-9][A-Za-z0-9_.-]*)?\$(?: (.*)|)$/;

/** `[N]` on its own line: the exit status of the command above (cram style). */
const STATUS_LINE = /^\[(\d{1,3})\]$/;

/** Would this line read as a prompt line inside a checked block? */
export function isSessionPrompt(line: string): boolean {
  return PROMPT.test(line);
}

/** Would this line, last under a command, read as an exit status marker `[N]`? */
export function isStatusLine(line: string): boolean {
  return STATUS_LINE.test(line);
}

export function parseMeta(raw: string | null | undefined): Meta {
  const text = raw ?? '';
  const tokens: MetaToken[] = [];
  const errors: string[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    while (i < n && /\s/.test(text[i]!)) i++;
    if (i >= n) break;
    const start = i;
    let key: string | undefined;
    let value: string | undefined;
    const keyMatch = /^([A-Za-z_][\w-]*)=/.exec(text.slice(i));
    if (keyMatch) {
      key = keyMatch[1]!;
      i += keyMatch[0].length;
    }
    const c = text[i];
    if (c === '"' || c === "'") {
      // Quoted value (or a quoted bare item, which Expressive Code treats as a text marker).
      let j = i + 1;
      let v = '';
      let closed = false;
      while (j < n) {
        const d = text[j]!;
        if (d === '\\' && j + 1 < n && (text[j + 1] === c || text[j + 1] === '\\')) {
          v += text[j + 1];
          j += 2;
          continue;
        }
        if (d === c) {
          closed = true;
          j++;
          break;
        }
        v += d;
        j++;
      }
      if (!closed) {
        errors.push(`unterminated ${c === '"' ? 'double' : 'single'} quote in the meta string: ${text.slice(start)}`);
        i = n;
        tokens.push({ key, value: v, raw: text.slice(start) });
        break;
      }
      value = v;
      i = j;
    } else if (c === '{' || c === '/') {
      // {1-3} line ranges, /regex/ markers: skip to the matching close.
      const close = c === '{' ? '}' : '/';
      let j = i + 1;
      let depth = 1;
      while (j < n && depth > 0) {
        if (text[j] === '\\') {
          j += 2;
          continue;
        }
        if (c === '{' && text[j] === '{') depth++;
        else if (text[j] === close) depth--;
        j++;
      }
      if (depth > 0) {
        errors.push(`unterminated ${c === '{' ? '{...}' : '/.../'} in the meta string: ${text.slice(start)}`);
        i = n;
        tokens.push({ key, raw: text.slice(start) });
        break;
      }
      value = text.slice(i, j);
      i = j;
    } else {
      let j = i;
      while (j < n && !/\s/.test(text[j]!)) j++;
      const word = text.slice(i, j);
      if (key !== undefined) value = word;
      i = j;
    }
    if (i < n && !/\s/.test(text[i]!)) {
      // e.g. title="a"b: something glued to a closing quote.
      let j = i;
      while (j < n && !/\s/.test(text[j]!)) j++;
      errors.push(`unexpected text ${JSON.stringify(text.slice(i, j))} right after ${text.slice(start, i)} in the meta string (separate items with a space)`);
      i = j;
    }
    tokens.push({ key, value, raw: text.slice(start, i) });
  }

  const meta: Meta = { raw: text, tokens, errors };
  const seen = new Set<string>();
  for (const t of tokens) {
    const bare = t.key === undefined ? /^[A-Za-z_][\w-]*$/.exec(t.raw)?.[0] : undefined;
    const key = t.key ?? bare;
    if (key === undefined) continue;
    if (DOCTEST_KEYS.includes(key)) {
      if (seen.has(key)) {
        errors.push(`${key}= is given twice in the meta string`);
        continue;
      }
      seen.add(key);
      if (t.key === undefined || t.value === undefined) {
        errors.push(`${key} needs a quoted value, e.g. ${key === 'unchecked' ? 'unchecked="only on a real node: needs a physical NIC"' : key === 'ns' ? 'ns="node-a"' : 'scripts="overlay.sh"'}`);
        continue;
      }
      if (t.value.startsWith('{')) {
        errors.push(`${key}= takes a quoted string, not ${t.value}`);
        continue;
      }
      if (key === 'scripts') {
        const list = t.value.split(/[\s,]+/).filter((s) => s !== '');
        if (list.length === 0) errors.push('scripts="" is empty: name at least one script under content/scripts');
        for (const s of list) {
          if (s.startsWith('/') || s.split('/').includes('..')) {
            errors.push(`scripts= names ${JSON.stringify(s)}: give a path relative to content/scripts, without ..`);
          }
        }
        meta.scripts = list;
      } else if (key === 'ns') {
        if (!NETNS_NAME.test(t.value)) {
          errors.push(`ns=${JSON.stringify(t.value)} is not a namespace name (letters, digits, _ . -)`);
        }
        meta.ns = t.value;
      } else {
        const reason = t.value.trim();
        if (reason === '') errors.push('unchecked="" needs a reason readers can see, e.g. unchecked="only on a real node: needs a physical NIC"');
        meta.unchecked = reason;
      }
    } else if (key === 'title' && t.value !== undefined) {
      meta.title = t.value;
    } else if (NEAR_MISSES[key] !== undefined && (t.key !== undefined || key === 'skip' || key === 'nocheck')) {
      errors.push(`unknown meta key "${key}": did you mean ${NEAR_MISSES[key]}=?`);
    }
  }
  if (meta.unchecked !== undefined && meta.scripts !== undefined) {
    errors.push('a block has either scripts= (checked) or unchecked="reason" (opted out), not both');
  }
  if (meta.ns !== undefined && meta.scripts === undefined) {
    errors.push('ns= only applies to a checked block: add scripts="..." too');
  }
  return meta;
}

/** Joins a command's continuation lines. */
function endsWithContinuation(line: string): boolean {
  return /\\$/.test(line);
}

/**
 * Splits the inside of a checked block into commands and expected output sections.
 * `firstLine` is the file line of lines[0].
 */
export function parseSession(
  lines: string[],
  firstLine: number,
  file: string,
  defaultNs?: string,
): { commands: Command[]; problems: Problem[] } {
  const commands: Command[] = [];
  const problems: Problem[] = [];
  let i = 0;
  // Before the first prompt: only blank lines are allowed.
  while (i < lines.length && !PROMPT.test(lines[i]!)) {
    if (lines[i]!.trim() !== '') {
      problems.push({
        file,
        line: firstLine + i,
        message: `output line before any command: ${JSON.stringify(lines[i])}. A checked block starts with a prompt line such as "$ ip route" (or "node-a$ ip route"); the output follows it`,
      });
      break;
    }
    i++;
  }
  if (i === lines.length && problems.length === 0) {
    problems.push({
      file,
      line: firstLine,
      message: 'a checked block has no command: start a line with "$ " (or "NAME$ " for namespace NAME) and put the expected output under it',
    });
  }
  while (i < lines.length && problems.length === 0) {
    const line = lines[i]!;
    const m = PROMPT.exec(line)!;
    const hidden = m[1] !== undefined;
    const promptNetns = m[2];
    const first = m[3] ?? '';
    const prompt = line.slice(0, line.length - first.length);
    const cmdLine = firstLine + i;
    const textLines = [first];
    i++;
    while (endsWithContinuation(textLines[textLines.length - 1]!) && i < lines.length) {
      textLines.push(lines[i]!);
      i++;
    }
    const text = textLines.join('\n');
    if (text.trim() === '') {
      problems.push({ file, line: cmdLine, message: `empty command after the prompt ${JSON.stringify(prompt.trimEnd())}` });
    }
    if (endsWithContinuation(text) && i >= lines.length) {
      problems.push({ file, line: cmdLine, message: 'the command ends with a backslash (line continuation) but the block ends' });
    }
    const sectionStart = i;
    while (i < lines.length && !PROMPT.test(lines[i]!)) i++;
    const section = lines.slice(sectionStart, i);
    let output = section;
    let status = 0;
    const last = section[section.length - 1];
    const sm = last !== undefined ? STATUS_LINE.exec(last) : null;
    if (sm) {
      status = Number(sm[1]);
      output = section.slice(0, -1);
      if (status === 0) {
        problems.push({ file, line: firstLine + i - 1, message: '"[0]" is not needed: a command without a status line must exit 0' });
      }
    }
    if (hidden && section.length > 0) {
      problems.push({
        file,
        line: firstLine + sectionStart,
        message: `output lines under a hidden command (${JSON.stringify(prompt.trimEnd())}): a hidden command's output is neither shown nor compared, and it must succeed. Remove these lines, or remove "#hide" to show the command and its output`,
      });
    }
    const netns = promptNetns ?? defaultNs;
    const cmd: Command = {
      line: cmdLine,
      prompt,
      text,
      hidden,
      output,
      status,
      section,
      sectionStart: firstLine + sectionStart,
      sectionEnd: firstLine + i,
    };
    if (promptNetns !== undefined) cmd.promptNetns = promptNetns;
    if (netns !== undefined) cmd.netns = netns;
    commands.push(cmd);
  }
  if (problems.length === 0 && commands.length > 0 && commands.every((c) => c.hidden)) {
    problems.push({
      file,
      line: firstLine,
      message: 'every command of this checked block is hidden (#hide): show at least one command and its output',
    });
  }
  return { commands, problems };
}

function lineEndingSplit(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

/** Is `raw` a closing fence for an opening fence that starts with `open` (``` or ~~~, any length)? */
function isClosingFence(raw: string, open: string): boolean {
  const m = /^(`{3,}|~{3,})[ \t]*$/.exec(raw.trim());
  if (!m) return false;
  return m[1]![0] === open[0] && m[1]!.length >= open.length;
}

function classify(lang: string, meta: Meta): BlockKind {
  if (lang === 'mermaid') return 'diagram';
  if (meta.scripts !== undefined) return 'checked';
  if (meta.unchecked !== undefined) return 'opted-out';
  return 'plain';
}

/** Builds a Block from a remark code node and the file's lines. */
function blockFromNode(node: Code, file: string, srcLines: string[]): Block {
  const start = node.position?.start.line ?? 1;
  const end = node.position?.end.line ?? start;
  const lang = node.lang ?? '';
  const meta = parseMeta(node.meta);
  const lines = node.value === '' && end - start <= 1 ? [] : lineEndingSplit(node.value);
  const fenceRaw = srcLines[start - 1] ?? '';
  const col = (node.position?.start.column ?? 1) - 1;
  const indentCandidate = fenceRaw.slice(0, col);
  const fenceChars = /^(`{3,}|~{3,})/.exec(fenceRaw.slice(col))?.[1] ?? '```';
  const endRaw = srcLines[end - 1] ?? '';
  const closed = end > start && isClosingFence(endRaw.slice(Math.min(col, endRaw.length)), fenceChars);
  const block: Block = {
    file,
    line: start,
    lang,
    meta,
    kind: classify(lang, meta),
    lines,
    firstLine: start + 1,
    closed,
    commands: [],
    problems: [],
  };
  // Each code line is one source line; the container may have put a prefix in front of it.
  let consistent = true;
  for (let k = 0; k < lines.length; k++) {
    const raw = srcLines[start + k] ?? '';
    const v = lines[k]!;
    if (raw === indentCandidate + v) continue;
    if (v === '' && raw.trim() === indentCandidate.trim()) continue;
    consistent = false;
    break;
  }
  if (consistent) block.indent = indentCandidate;

  if (!closed && block.kind !== 'diagram') {
    block.problems.push({
      file,
      line: start,
      message: `unterminated code block: the ${fenceChars} fence opened here is never closed (add a closing ${fenceChars} line)`,
    });
  }
  for (const e of meta.errors) {
    block.problems.push({ file, line: start, message: `bad meta syntax in \`${fenceChars}${lang}${node.meta ? ' ' + node.meta : ''}\`: ${e}` });
  }
  if (block.kind === 'checked') {
    if (!SESSION_LANGS.includes(lang)) {
      block.problems.push({
        file,
        line: start,
        message: `a checked block (scripts=) must be a shell session: write \`${fenceChars}console ${node.meta ?? ''}\`${lang ? ` instead of \`${fenceChars}${lang}\`` : ''}`,
      });
    }
    const parsed = parseSession(lines, start + 1, file, meta.ns);
    block.commands = parsed.commands;
    block.problems.push(...parsed.problems);
  } else if (block.kind === 'opted-out') {
    block.reason = meta.unchecked ?? '';
  }
  return block;
}

function walk(node: Node, visit: (n: Node) => void): void {
  visit(node);
  const children = (node as Parent).children;
  if (Array.isArray(children)) for (const c of children) walk(c, visit);
}

/** Parses the MDX (or Markdown when `mdx` is false) source of `file` into its code blocks. */
export function parseDocument(source: string, file: string, opts: { mdx?: boolean } = {}): ParsedFile {
  const mdx = opts.mdx ?? !file.endsWith('.md');
  const processor = mdx
    ? unified().use(remarkParse).use(remarkMdx).use(remarkFrontmatter, ['yaml', 'toml'])
    : unified().use(remarkParse).use(remarkFrontmatter, ['yaml', 'toml']);
  const result: ParsedFile = { file, source, blocks: [], problems: [] };
  let tree: Root;
  try {
    tree = processor.parse(source) as Root;
  } catch (e) {
    const err = e as { message?: string; line?: number; place?: { line?: number; start?: { line?: number } } };
    const line = err.line ?? err.place?.line ?? err.place?.start?.line ?? 1;
    result.problems.push({ file, line, message: `the MDX does not parse: ${err.message ?? String(e)}` });
    return result;
  }
  const srcLines = lineEndingSplit(source);
  walk(tree, (n) => {
    if (n.type === 'code') result.blocks.push(blockFromNode(n as Code, file, srcLines));
  });
  return result;
}

/** The checked blocks of a parsed file, in document order (what the site marks "verified"). */
export function checkedBlocks(parsed: ParsedFile): Block[] {
  return parsed.blocks.filter((b) => b.kind === 'checked');
}

/**
 * The code a reader sees: a checked block without its hidden (`#hide$ ...`) prompt lines and
 * their continuation lines. For the site's remark / Expressive Code step.
 */
export function stripHiddenLines(code: string): string {
  const lines = code.split(/\r?\n/);
  const out: string[] = [];
  let hiding = false;
  for (const line of lines) {
    if (hiding) {
      hiding = endsWithContinuation(line);
      continue;
    }
    const m = PROMPT.exec(line);
    if (m && m[1] !== undefined) {
      hiding = endsWithContinuation(line);
      continue;
    }
    out.push(line);
  }
  return out.join('\n');
}

