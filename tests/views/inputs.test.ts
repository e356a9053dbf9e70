import { describe, expect, it } from 'vitest';
import { collect, parseAddress, parseChoice, parseInteger, parseMacInput } from '../../lib/views/inputs.ts';

describe('input parsing', () => {
  it('addresses', () => {
    expect(parseAddress('to', ' 10.20.4.5 ')).toEqual({ ok: true, value: '10.20.4.5' });
    for (const bad of ['10.20.4', '300.1.1.1', '10.20.4.5/24', 'abc', '1.2.3.4.5', '١٠.٢٠.٤.٥'])
      expect(parseAddress('to', bad)).toEqual({ ok: false, error: { field: 'to', code: 'address', value: bad } });
    expect(parseAddress('to', '  ')).toMatchObject({ ok: false, error: { code: 'required' } });
  });

  it('integers with ranges and optional blanks', () => {
    expect(parseInteger('dport', '443', 0, 65535)).toEqual({ ok: true, value: 443 });
    expect(parseInteger('dport', '', 0, 65535, true)).toEqual({ ok: true, value: undefined });
    expect(parseInteger('dport', '', 0, 65535)).toMatchObject({ ok: false, error: { code: 'required' } });
    expect(parseInteger('dport', '65536', 0, 65535)).toMatchObject({ ok: false, error: { code: 'range', min: 0, max: 65535 } });
    for (const bad of ['-1', '1.5', '1e3', '0x10', '12abc'])
      expect(parseInteger('dport', bad, 0, 65535)).toMatchObject({ ok: false, error: { code: 'integer', value: bad } });
    // A whole number too large for the field is out of range, not "not a whole number" (issue 17).
    for (const big of ['1000000000', '9999999999', '123456789012345678901234567890'])
      expect(parseInteger('size', big, 28, 65535)).toMatchObject({ ok: false, error: { code: 'range', value: big, min: 28, max: 65535 } });
  });

  it('choices and MACs', () => {
    expect(parseChoice('proto', 'tcp', ['icmp', 'tcp'] as const)).toEqual({ ok: true, value: 'tcp' });
    expect(parseChoice('proto', 'sctp', ['icmp', 'tcp'] as const)).toMatchObject({ ok: false, error: { code: 'choice', choices: ['icmp', 'tcp'] } });
    expect(parseMacInput('smac', '02:0A:00:00:99:0B')).toEqual({ ok: true, value: '02:0a:00:00:99:0b' });
    expect(parseMacInput('smac', '02:0a:00:00:99')).toMatchObject({ ok: false, error: { code: 'mac' } });
  });

  it('collects errors', () => {
    expect(collect([parseAddress('a', 'x'), parseAddress('b', '1.1.1.1'), parseInteger('c', 'y', 0, 1)]).map((e) => e.field)).toEqual(['a', 'c']);
  });
});
