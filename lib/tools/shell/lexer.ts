// Splits a shell script into commands: `\` continuations, `#` comments, quotes, and
// `$VAR`/`${VAR}` expansion. Only the subset reference scripts use: one simple command per
// line, no pipes, redirections or control flow (those are reported, not ignored).

export interface Word {
  text: string;
}

export interface CommandLine {
  /** 1-based line where the command starts. */
  line: number;
  words: string[];
  /** The command as written (continuations joined), for messages and `set -x`. */
  source: string;
}

export class ShellSyntaxError extends Error {
  readonly line: number;
  constructor(message: string, line: number) {
    super(message);
    this.name = 'ShellSyntaxError';
    this.line = line;
  }
}

const UNSUPPORTED = new Set(['|', '>', '<', '>>', '&', '&&', '||', ';', '(', ')', '`']);

/** Logical lines: continuations joined, with the line number where each starts. */
export function logicalLines(text: string): { line: number; text: string }[] {
  const raw = text.replace(/\r\n?/g, '\n').split('\n');
  const out: { line: number; text: string }[] = [];
  for (let i = 0; i < raw.length; i++) {
    const start = i + 1;
    let acc = raw[i]!;
    while (endsWithContinuation(acc) && i + 1 < raw.length) {
      acc = acc.slice(0, -1) + raw[++i]!;
    }
    out.push({ line: start, text: acc });
  }
  return out;
}

function endsWithContinuation(s: string): boolean {
  let n = 0;
  for (let i = s.length - 1; i >= 0 && s[i] === '\\'; i--) n++;
  return n % 2 === 1;
}

/**
 * Tokenizes one logical line into words, expanding variables from `env`. Returns [] for a
 * blank or comment-only line. Throws ShellSyntaxError on an unterminated quote or a shell
 * construct the model does not run.
 */
export function splitWords(text: string, line: number, env: ReadonlyMap<string, string>): string[] {
  const words: string[] = [];
  let cur = '';
  let inWord = false;
  let i = 0;
  const expand = (quoted: boolean): void => {
    // at text[i] === '$'
    let name = '';
    if (text[i + 1] === '{') {
      const end = text.indexOf('}', i + 2);
      if (end < 0) throw new ShellSyntaxError('unterminated ${', line);
      name = text.slice(i + 2, end);
      i = end + 1;
    } else {
      const m = /^[A-Za-z_][A-Za-z0-9_]*|^[0-9?#@*]/.exec(text.slice(i + 1));
      if (!m) {
        cur += '$';
        i++;
        inWord = true;
        return;
      }
      name = m[0];
      i += 1 + name.length;
    }
    if (name === '(' || name.startsWith('(')) throw new ShellSyntaxError('command substitution is not supported', line);
    const v = env.get(name);
    if (v === undefined) {
      if (env.get('-u') === '1') throw new ShellSyntaxError(`${name}: unbound variable`, line);
    }
    cur += v ?? '';
    inWord = inWord || quoted || (v ?? '') !== '';
  };
  while (i < text.length) {
    const c = text[i]!;
    if (c === ' ' || c === '\t') {
      if (inWord) words.push(cur);
      cur = '';
      inWord = false;
      i++;
      continue;
    }
    if (c === '#' && !inWord) break;
    if (c === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) throw new ShellSyntaxError("unexpected EOF while looking for matching `''", line);
      cur += text.slice(i + 1, end);
      inWord = true;
      i = end + 1;
      continue;
    }
    if (c === '"') {
      i++;
      inWord = true;
      while (i < text.length && text[i] !== '"') {
        if (text[i] === '\\' && i + 1 < text.length && '"\\$`'.includes(text[i + 1]!)) {
          cur += text[i + 1];
          i += 2;
        } else if (text[i] === '$') {
          expand(true);
        } else if (text[i] === '`') {
          throw new ShellSyntaxError('command substitution is not supported', line);
        } else {
          cur += text[i++];
        }
      }
      if (i >= text.length) throw new ShellSyntaxError('unexpected EOF while looking for matching `"\'', line);
      i++;
      continue;
    }
    if (c === '\\' && i + 1 < text.length) {
      cur += text[i + 1];
      inWord = true;
      i += 2;
      continue;
    }
    if (c === '$') {
      expand(false);
      continue;
    }
    if (!inWord) {
      const two = text.slice(i, i + 2);
      const op = UNSUPPORTED.has(two) ? two : UNSUPPORTED.has(c) ? c : undefined;
      if (op !== undefined) throw new ShellSyntaxError(`the shell operator "${op}" is not supported (one simple command per line)`, line);
    } else if ('|;&<>`'.includes(c)) {
      throw new ShellSyntaxError(`the shell operator "${c}" is not supported (one simple command per line)`, line);
    }
    cur += c;
    inWord = true;
    i++;
  }
  if (inWord) words.push(cur);
  return words;
}
