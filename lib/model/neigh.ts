// The neighbour (ARP) table of a namespace.
import type { Ipv4Addr } from '../net/ipv4.ts';
import type { Mac } from '../net/mac.ts';
import { isLoopback, type Device } from './device.ts';
import { KernelError } from './errno.ts';
import type { Netns } from './netns.ts';
import { addrTypeOnDev } from './route-config.ts';

/** NONE: an entry created by a request that then failed (it stays, with no state). */
export type NudState = 'NONE' | 'INCOMPLETE' | 'REACHABLE' | 'STALE' | 'DELAY' | 'PROBE' | 'FAILED' | 'NOARP' | 'PERMANENT';

export interface NeighEntry {
  dst: Ipv4Addr;
  dev: Device;
  lladdr?: Mac;
  state: NudState;
  router: boolean;
  proxy: boolean;
}

/** NUD_VALID: the states that carry a link-layer address. */
export function nudValid(s: NudState): boolean {
  return s === 'PERMANENT' || s === 'NOARP' || s === 'REACHABLE' || s === 'STALE' || s === 'DELAY' || s === 'PROBE';
}

export interface NeighRequest {
  dst: Ipv4Addr;
  dev: Device;
  state: NudState;
  /** The address bytes as sent (NDA_LLADDR); the kernel keeps the device's address length of them. */
  lladdr?: readonly number[];
  router: boolean;
  proxy: boolean;
}

/**
 * neigh_add and __neigh_update (net/core/neighbour.c): `add` is NLM_F_CREATE|NLM_F_EXCL,
 * `replace` CREATE|REPLACE, `change` REPLACE. The entry is created before the update is
 * judged, so a refused update leaves it behind with no state, as the kernel does.
 */
export function neighAdd(ns: Netns, req: NeighRequest, op: 'add' | 'replace' | 'change', addrLen = 6): void {
  const table = ns.neigh;
  if (req.lladdr && req.lladdr.length < addrLen) throw new KernelError('EINVAL', 'Invalid link address');
  // neigh_add looks the address up as given (EEXIST, ENOENT), but on loopback (and
  // point-to-point) devices the entry it creates or finds is keyed 0.0.0.0: every address on
  // lo updates that one entry (seen on 6.18).
  const found = table.findIndex((n) => n.dst === req.dst && n.dev === req.dev && n.proxy === req.proxy);
  if (found >= 0 && op === 'add') throw new KernelError('EEXIST');
  if (found < 0 && op === 'change') throw new KernelError('ENOENT');
  const dst = (isLoopback(req.dev) ? 0 : req.dst) as Ipv4Addr;
  const i = table.findIndex((n) => n.dst === dst && n.dev === req.dev && n.proxy === req.proxy);
  let old: NeighEntry;
  if (i >= 0) old = table[i]!;
  else {
    // arp_constructor: a multicast address maps to its group MAC, a broadcast one (which is
    // any address while the namespace has no local table) to the device's broadcast, and a
    // device without ARP (lo, `arp off`) gives its own address: all start NOARP. Others start
    // with no state.
    const type = addrTypeOnDev(ns, req.dev, req.dst);
    const ha =
      type === 'multicast'
        ? (`01:00:5e:${[(req.dst >>> 16) & 0x7f, (req.dst >>> 8) & 255, req.dst & 255].map((b) => b.toString(16).padStart(2, '0')).join(':')}` as Mac)
        : isLoopback(req.dev) || req.dev.noarp
          ? (req.dev.mac as Mac)
          : type === 'broadcast'
            ? (req.dev.brd as Mac)
            : undefined;
    old = { dst, dev: req.dev, state: ha ? 'NOARP' : 'NONE', router: false, proxy: req.proxy, ...(ha ? { lladdr: ha } : {}) };
    table.push(old);
  }
  const given = req.lladdr ? (req.lladdr.slice(0, addrLen).map((b) => b.toString(16).padStart(2, '0')).join(':') as Mac) : undefined;
  if (req.proxy) {
    table[table.indexOf(old)] = { dst, dev: req.dev, state: req.state, router: req.router, proxy: true, ...(given ? { lladdr: given } : {}) };
    return;
  }
  // __neigh_update: a state without an address (INCOMPLETE, FAILED...) takes no address;
  // a valid one needs the given address or the one the entry already had.
  let lladdr = old.lladdr;
  if (nudValid(req.state)) {
    if (given) lladdr = given;
    else if (!nudValid(old.state)) throw new KernelError('EINVAL', 'No link layer address given');
  }
  table[table.indexOf(old)] = { dst, dev: req.dev, state: req.state, router: req.router, proxy: false, ...(lladdr ? { lladdr } : {}) };
}
