// The little IPv6 the model needs: EUI-64 link-local addresses and their RFC 5952 text.
import { macBytes, type Mac } from './mac.ts';

/** Sixteen bytes of an IPv6 address. */
export type Ipv6Bytes = readonly number[];

/**
 * fe80::/64 + modified EUI-64 of the MAC: flip the universal/local bit and put ff:fe in the
 * middle — or, when the device has a dev_id (ipvlan slaves sharing one MAC), the dev_id
 * there instead and the U/L bit left as it is (addrconf_ifid_eui48 flips it only in the
 * ff:fe branch: 02:0a:00:00:99:0b with dev_id 1 gives fe80::20a:0:100:990b on 6.1).
 */
export function eui64LinkLocal(mac: Mac, devId?: number): Ipv6Bytes {
  const m = macBytes(mac);
  const mid = devId ? [(devId >> 8) & 0xff, devId & 0xff] : [0xff, 0xfe];
  const b0 = devId ? m[0]! : m[0]! ^ 0x02;
  return [0xfe, 0x80, 0, 0, 0, 0, 0, 0, b0, m[1]!, m[2]!, mid[0]!, mid[1]!, m[3]!, m[4]!, m[5]!];
}

export const IPV6_LOOPBACK: Ipv6Bytes = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];

/** RFC 5952 text form, as inet_ntop prints it: longest run (>1) of zero groups becomes `::`. */
export function formatIpv6(b: Ipv6Bytes): string {
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((b[i]! << 8) | b[i + 1]!);
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestLen < 2) return hex.join(':');
  const head = hex.slice(0, bestStart).join(':');
  const tail = hex.slice(bestStart + bestLen).join(':');
  return `${head}::${tail}`;
}
