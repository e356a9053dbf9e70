import { describe, expect, it } from 'vitest';
import { MAX_VALUE_LENGTH, parseQuery, readState, writeState } from '../../lib/views/url-state.ts';

const defaults = { from: 'pod-9-60', to: '10.20.4.5', step: '1' };

describe('widget state in the query string', () => {
  it('reads its own keys and ignores the others', () => {
    const s = readState('?trace.from=ext&route.host=tor&trace.bogus=1&x=2', 'trace', defaults);
    expect(s).toEqual({ from: 'ext', to: '10.20.4.5', step: '1' });
  });

  it('writes only non-default values, keeping other widgets\' keys', () => {
    const q = writeState('?route.host=tor&trace.step=3', 'trace', { from: 'ext', to: '10.20.4.5', step: '1' }, defaults);
    expect(q).toBe('?route.host=tor&trace.from=ext');
    expect(writeState('?trace.step=3', 'trace', defaults, defaults)).toBe('');
  });

  it('round-trips awkward text (spaces, &, =, #, unicode, markup)', () => {
    const hostile = '<img src=x onerror=alert(1)>&a=b#c 中文';
    const q = writeState('', 'trace', { ...defaults, to: hostile }, defaults);
    expect(q).not.toContain('<');
    expect(q).not.toContain('#');
    expect(readState(q, 'trace', defaults).to).toBe(hostile);
  });

  it('keeps shared links readable', () => {
    expect(writeState('', 'brk', { faults: 'a,b', to: '1.2.3.4:80' }, { faults: '', to: '' })).toBe('?brk.faults=a,b&brk.to=1.2.3.4:80');
  });

  it('survives malformed escapes and overlong values', () => {
    expect(parseQuery('?a=%E0%A4%A&b')).toEqual([
      ['a', '%E0%A4%A'],
      ['b', ''],
    ]);
    const long = 'x'.repeat(5000);
    expect(readState(`?trace.to=${long}`, 'trace', defaults).to).toHaveLength(MAX_VALUE_LENGTH);
  });

  it('the last occurrence of a key wins; + is a space', () => {
    expect(readState('?trace.to=a&trace.to=b+c', 'trace', defaults).to).toBe('b c');
  });

  it('shows control and bidi characters from a link as visible marks', () => {
    const s = readState('?trace.to=' + encodeURIComponent('10.20.4.5\u202E\u0000'), 'trace', { to: '' });
    expect(s.to).toBe('10.20.4.5⟦U+202E⟧⟦U+0000⟧');
  });
});
