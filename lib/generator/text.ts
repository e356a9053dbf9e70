// Small English helpers for the scripts' comments.

const WORDS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve'];

export function numberWord(n: number): string {
  return WORDS[n] ?? String(n);
}

export function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** "a", "a and b", "a, b and c" (or with "or"). */
export function listWords(items: readonly string[], conjunction = 'and'): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${conjunction} ${items[items.length - 1]}`;
}

/** Comment lines are at most this long, `# ` included. */
export const COMMENT_WIDTH = 88;

/**
 * Greedy word wrap of a paragraph into comment lines (returned without the `# `), each at
 * most COMMENT_WIDTH characters once `# ` is added; lines after the first start with `indent`.
 */
export function wrapComment(text: string, indent = ''): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    if (line === '') line = (lines.length > 0 ? indent : '') + word;
    else if (2 + line.length + 1 + word.length <= COMMENT_WIDTH) line += ' ' + word;
    else {
      lines.push(line);
      line = indent + word;
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}
