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

/**
 * Logical lines: continuations joined, with the line number where each starts. Lines end at
 * `\n` only: a carriage return is an ordinary character to bash (a CRLF script's last word
 * on each line ends in `\r`, and its commands fail as they do under bash). Linear in the
 * text: the pieces of a continued line are joined once.
 */
export function logicalLines(text: string): { line: number; text: string }[] {
  const raw = text.split('\n');
  const out: { line: number; text: string }[] = [];
  for (let i = 0; i < raw.length; i++) {
    const start = i + 1;
    let piece = raw[i]!;
    if (!endsWithContinuation(piece) || i + 1 >= raw.length) {
      out.push({ line: start, text: piece });
      continue;
    }
    const parts: string[] = [];
    while (endsWithContinuation(piece) && i + 1 < raw.length) {
      parts.push(piece.slice(0, -1));
      piece = raw[++i]!;
    }
    parts.push(piece);
    out.push({ line: start, text: parts.join('') });
  }
  return out;
}

/** The longest command (all its words, after expansion) the model runs: 16 MiB. */
export const MAX_COMMAND_BYTES = 16 * 1024 * 1024;

function endsWithContinuation(s: string): boolean {
  let n = 0;
  for (let i = s.length - 1; i >= 0 && s[i] === '\\'; i--) n++;
  return n % 2 === 1;
}

const NAME_AT = /[A-Za-z_][A-Za-z0-9_]*|[0-9?#@*]/y;
const SIMPLE_NAME = /^(?:[A-Za-z_][A-Za-z0-9_]*|[0-9?#@*])$/;
/** What bash gives a script run with no arguments for the parameters the model does not set. */
const SPECIAL_DEFAULTS: Record<string, string> = { '#': '0', '?': '0', '@': '', '*': '' };

/**
 * Tokenizes one logical line into words, expanding variables from `env`. Returns [] for a
 * blank or comment-only line. Throws ShellSyntaxError on an unterminated quote or a shell
 * construct the model does not run.
 */
/**
 * What a command line asks of the shell besides its words, when the caller can honour it: a
 * trailing `&` (run in the background) and a here-string `<<< WORD` (the command's stdin is
 * WORD and a newline). Without this argument both are refused like any other operator.
 */
export interface LineExtras {
  background?: boolean;
  stdin?: string;
}

export function splitWords(text: string, line: number, env: ReadonlyMap<string, string>, extras?: LineExtras): string[] {
  const words: string[] = [];
  let cur = '';
  let inWord = false;
  let i = 0;
  let total = 0;
  /** Offsets in `cur` of the glob characters (`*`, `?`, `[`) that were not quoted. */
  let globAt: number[] = [];
  /**
   * Pathname expansion: bash matches an unquoted `*`, `?` or `[...]` against the files on
   * disk (and leaves the word as written when none match). The model has no file tree (its
   * `cat` serves a few /proc files, /proc/sys is read through `sysctl`), so it cannot know
   * the answer and refuses the word rather than passing it on literally. Assignments (the
   * leading NAME=VALUE words) are not expanded.
   */
  const checkGlob = (): void => {
    const marks = globAt;
    globAt = [];
    if (marks.length === 0) return;
    if (words.every((w) => /^[A-Za-z_][A-Za-z0-9_]*=/.test(w)) && /^[A-Za-z_][A-Za-z0-9_]*=/.test(cur)) return;
    const pattern = marks.some((k) => cur[k] !== '[' || cur.indexOf(']', k + 2) > k);
    if (!pattern) return;
    const token = cur.length > 80 ? cur.slice(0, 77) + '...' : cur;
    throw new ShellSyntaxError(
      `pathname expansion of "${token}" is not supported (the model has no files to match it against; quote it to pass it as written)`,
      line,
    );
  };
  const pushWord = (): void => {
    checkGlob();
    words.push(cur);
  };
  const grow = (): void => {
    if (total + cur.length > MAX_COMMAND_BYTES) {
      throw new ShellSyntaxError(
        `after expansion the command is longer than the model's limit of ${MAX_COMMAND_BYTES} bytes`,
        line,
      );
    }
  };
  const refuse = (token: string, what: string): never => {
    if (token.length > 80) token = token.slice(0, 77) + '...';
    throw new ShellSyntaxError(`${what} "${token}" is not supported (the model expands only $NAME, \${NAME} and $?)`, line);
  };
  /** `$(...)` or `$((...))` starting at text[i], up to its matching parenthesis. */
  const parenthesized = (): string => {
    let depth = 0;
    for (let j = i + 1; j < text.length; j++) {
      if (text[j] === '(') depth++;
      else if (text[j] === ')' && --depth === 0) return text.slice(i, j + 1);
    }
    return text.slice(i);
  };
  const expand = (quoted: boolean): void => {
    // at text[i] === '$'
    let name = '';
    const next = text[i + 1];
    if (next === '(') {
      refuse(parenthesized(), text[i + 2] === '(' ? 'arithmetic expansion' : 'command substitution');
    }
    if (next === '{') {
      const end = text.indexOf('}', i + 2);
      if (end < 0) throw new ShellSyntaxError('unterminated ${', line);
      name = text.slice(i + 2, end);
      if (!SIMPLE_NAME.test(name)) refuse(text.slice(i, end + 1), 'the parameter expansion');
      i = end + 1;
    } else {
      NAME_AT.lastIndex = i + 1;
      const m = NAME_AT.exec(text);
      if (!m) {
        if (next !== undefined && '$!-'.includes(next)) refuse(`$${next}`, 'the special parameter');
        cur += '$';
        i++;
        inWord = true;
        return;
      }
      name = m[0];
      i += 1 + name.length;
    }
    const v = env.get(name) ?? SPECIAL_DEFAULTS[name];
    if (v === undefined) {
      if (env.get('-u') === '1') throw new ShellSyntaxError(`${name}: unbound variable`, line);
    }
    if (quoted) {
      cur += v ?? '';
      inWord = true;
    } else {
      // Field splitting: an unquoted expansion splits at blanks (IFS unset: space, tab, newline).
      const parts = (v ?? '').split(/[ \t\n]+/);
      for (let k = 0; k < parts.length; k++) {
        if (k > 0) {
          if (inWord) {
            pushWord();
            total += cur.length + 1;
          }
          cur = '';
          inWord = false;
        }
        if (parts[k] !== '') {
          // the result of an unquoted expansion is subject to pathname expansion too
          for (let q = 0; q < parts[k]!.length; q++) if ('*?['.includes(parts[k]![q]!)) globAt.push(cur.length + q);
          cur += parts[k];
          inWord = true;
        }
      }
    }
    grow();
  };
  while (i < text.length) {
    const c = text[i]!;
    if (c === ' ' || c === '\t') {
      if (inWord) {
        pushWord();
        total += cur.length + 1;
      }
      cur = '';
      inWord = false;
      i++;
      continue;
    }
    if (c === '#' && !inWord) break;
    if (c === '~' && (!inWord || /^[A-Za-z_][A-Za-z0-9_]*=$/.test(cur))) refuse(/^~[^\s]*/.exec(text.slice(i, i + 256))![0], 'tilde expansion');
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
    if (extras && c === '&' && text[i + 1] !== '&' && /^\s*(#.*)?$/.test(text.slice(i + 1))) {
      // `cmd &` or `cmd&`: the job runs in the background (the last thing on the line).
      if (inWord) pushWord();
      if (words.length === 0) throw new ShellSyntaxError('syntax error near unexpected token `&\'', line);
      extras.background = true;
      return words;
    }
    if (extras && text.startsWith('<<<', i) && extras.stdin === undefined) {
      // A here-string: the next word (expanded like any other) is the command's stdin.
      if (inWord) pushWord();
      total += cur.length + 1;
      const before = words.length;
      cur = '';
      inWord = false;
      i += 3;
      while (text[i] === ' ' || text[i] === '\t') i++;
      const rest = splitWords(text.slice(i), line, env, extras);
      if (rest.length === 0) throw new ShellSyntaxError('syntax error near unexpected token `newline\'', line);
      extras.stdin = `${rest[0]}\n`;
      words.splice(before, 0, ...rest.slice(1));
      return words;
    }
    if (!inWord) {
      const two = text.slice(i, i + 2);
      const op = UNSUPPORTED.has(two) ? two : UNSUPPORTED.has(c) ? c : undefined;
      if (op !== undefined) throw new ShellSyntaxError(`the shell operator "${op}" is not supported (one simple command per line)`, line);
    } else if ('|;&<>`'.includes(c)) {
      throw new ShellSyntaxError(`the shell operator "${c}" is not supported (one simple command per line)`, line);
    }
    if (c === '*' || c === '?' || c === '[') globAt.push(cur.length);
    cur += c;
    inWord = true;
    i++;
  }
  if (inWord) pushWord();
  return words;
}
