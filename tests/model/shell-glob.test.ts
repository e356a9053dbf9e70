// Pathname expansion in `netatlas run` scripts. bash matches an unquoted `*`, `?` or
// `[...]` against the files on disk; the model has no file tree (its cat serves a few /proc
// files, /proc/sys is read through sysctl), so such a word is refused with its line and
// token instead of being passed on as written. What bash leaves alone stays as it is.
import { describe, expect, it } from 'vitest';
import { runScripts } from '../../lib/session.ts';

const run = (text: string, name = 'g.sh') => runScripts([{ name, text }]);

describe('shell pathname expansion', () => {
  it('quoted, escaped and bracket-less words stay literal, as bash prints them', () => {
    // bash g.sh printed: a*b [x] * [ ] X=a* ?
    const r = run(`echo "a*b" '[x]' \\* [ ] 'X=a*' "?"\nA=b*\necho "$A"\n`);
    expect(r.unsupported).toBe(false);
    expect(r.stdout).toBe('a*b [x] * [ ] X=a* ?\nb*\n');
  });
  it.each([
    ['cat /proc/sys/net/ipv4/conf/*/rp_filter', '/proc/sys/net/ipv4/conf/*/rp_filter'],
    ['echo eth?', 'eth?'],
    ['echo [ab]c', '[ab]c'],
    ['A=x*\necho $A', 'x*'],
  ])('refuses %s naming the word and its line', (line, token) => {
    const r = run(`echo one\n${line}\necho two\n`, 'g.sh');
    const n = 2 + (line.split('\n').length - 1);
    expect(r.unsupported).toBe(true);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('one\n');
    expect(r.stderr).toBe(
      `netatlas: g.sh:${n}: pathname expansion of "${token}" is not supported (the model has no files to match it against; quote it to pass it as written)\n`,
    );
  });
});
