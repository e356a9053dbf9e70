// 48-bit MAC addresses, stored as their canonical lower-case text.

export type Mac = string & { readonly __brand: 'Mac' };

const MAC_RE = /^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$/;

export function parseMac(text: string): Mac | undefined {
  return MAC_RE.test(text) ? (text.toLowerCase() as Mac) : undefined;
}

export function macBytes(mac: Mac): number[] {
  return mac.split(':').map((h) => parseInt(h, 16));
}

export function macFromBytes(bytes: readonly number[]): Mac {
  return bytes.map((b) => b.toString(16).padStart(2, '0')).join(':') as Mac;
}

export const BROADCAST_MAC = 'ff:ff:ff:ff:ff:ff' as Mac;
export const ZERO_MAC = '00:00:00:00:00:00' as Mac;

/** True for a unicast MAC the kernel accepts for a device (`is_valid_ether_addr`). */
export function isValidUnicastMac(mac: Mac): boolean {
  const b = macBytes(mac);
  return (b[0]! & 1) === 0 && b.some((x) => x !== 0);
}

/**
 * A stable, locally administered unicast MAC for a device the script did not give one.
 * The kernel uses random ones (eth_hw_addr_random); the model must be deterministic, so it
 * hashes the namespace and device name (FNV-1a) instead. Scripts whose MACs are shown set
 * them explicitly.
 */
export function deterministicMac(seed: string): Mac {
  let h = 0x811c9dc5;
  const bytes: number[] = [];
  for (let round = 0; round < 2; round++) {
    for (let i = 0; i < seed.length; i++) {
      h ^= seed.charCodeAt(i);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    h ^= round + 1;
    h = Math.imul(h, 0x01000193) >>> 0;
    bytes.push(h & 255, (h >>> 8) & 255, (h >>> 16) & 255);
  }
  bytes[0] = (bytes[0]! & 0xfe) | 0x02;
  return macFromBytes(bytes);
}
