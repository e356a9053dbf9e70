import { describe, expect, it } from 'vitest';
import { AddressError, broadcastOf, formatIpv4, networkOf, parseIpv4, parseIpv4Interface } from '../../lib/net/ipv4.ts';
import { eui64LinkLocal, formatIpv6 } from '../../lib/net/ipv6.ts';
import { deterministicMac, isValidUnicastMac, parseMac } from '../../lib/net/mac.ts';

describe('IPv4 values', () => {
  it('parses and formats dotted quads', () => {
    expect(formatIpv4(parseIpv4('10.186.153.254'))).toBe('10.186.153.254');
    expect(parseIpv4('0.0.0.1')).toBe(1);
  });
  it('rejects malformed addresses naming the token', () => {
    for (const bad of ['10.0.0', '256.1.1.1', '1.2.3.4.5', 'x', '']) {
      expect(() => parseIpv4(bad)).toThrow(AddressError);
    }
    try {
      parseIpv4('10.0.0.300');
    } catch (e) {
      expect((e as AddressError).token).toBe('10.0.0.300');
    }
  });
  it('accepts iproute2 short forms and default', () => {
    expect(parseIpv4Interface('10/8')).toEqual({ addr: parseIpv4('10.0.0.0'), len: 8 });
    expect(parseIpv4Interface('default')).toEqual({ addr: 0, len: 0 });
    expect(parseIpv4Interface('10.20.9.60')).toEqual({ addr: parseIpv4('10.20.9.60'), len: 32 });
    expect(() => parseIpv4Interface('10.0.0.0/33')).toThrow(AddressError);
  });
  it('computes network and broadcast', () => {
    expect(formatIpv4(networkOf(parseIpv4('10.186.153.11'), 24))).toBe('10.186.153.0');
    expect(formatIpv4(broadcastOf(parseIpv4('10.186.153.11'), 24))).toBe('10.186.153.255');
    expect(formatIpv4(networkOf(parseIpv4('10.1.2.3'), 0))).toBe('0.0.0.0');
  });
});

describe('MAC and EUI-64', () => {
  it('derives the article\'s link-local address from its MAC', () => {
    // article.zh.md: link/ether 3e:7c:ce:7d:a4:88 ... inet6 fe80::3c7c:ceff:fe7d:a488/64
    expect(formatIpv6(eui64LinkLocal(parseMac('3e:7c:ce:7d:a4:88')!))).toBe('fe80::3c7c:ceff:fe7d:a488');
  });
  it('compresses the longest zero run only', () => {
    expect(formatIpv6([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1])).toBe('::1');
    expect(formatIpv6([0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xfe, 0, 1, 0x0a])).toBe('fe80::ff:fe00:10a');
  });
  it('makes stable, valid, locally administered MACs', () => {
    const a = deterministicMac('node-a/biz');
    expect(a).toBe(deterministicMac('node-a/biz'));
    expect(a).not.toBe(deterministicMac('node-b/biz'));
    expect(isValidUnicastMac(a)).toBe(true);
    expect(parseInt(a.slice(0, 2), 16) & 2).toBe(2);
    expect(parseMac('zz:00:00:00:00:00')).toBeUndefined();
  });
});
