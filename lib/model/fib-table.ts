// One routing table: routes indexed by prefix length, then by network address. A lookup
// probes at most 33 hash buckets whatever the table's size (the trie's longest-prefix match
// with backtracking gives the same answer), so lookup cost does not grow with the table.
import { maskOf } from '../net/ipv4.ts';
import type { Route } from './route.ts';

/** Tables at least this big get the flat index once they stop changing. */
const ARRAY_MODE_AT = 4096;

const MASKS: readonly number[] = Array.from({ length: 33 }, (_, len) => maskOf(len));

export class FibTable {
  readonly id: number;
  /** byLen[len] maps a network address to its aliases, kept in the kernel's alias order. */
  private readonly byLen: (Map<number, Route[]> | undefined)[] = new Array(33).fill(undefined);
  /** Prefix lengths present, longest first. */
  private lengths: number[] = [];
  /** Prefix lengths up to 16 present, longest first. */
  private shortLengths: number[] = [];
  /**
   * Prefixes longer than /16, grouped by their first 16 bits, longest first. A lookup reads
   * one group plus the few short lengths, so its cost stays flat as the table grows.
   */
  private readonly long = new Map<number, Route[][]>();
  /**
   * For big tables, a flat index rebuilt lazily once the table stops changing: for each /16,
   * the prefixes reaching it (long ones under it, short ones expanded over it), longest first,
   * in contiguous typed arrays — a lookup reads one small run of memory, so a 100,000-route
   * table answers about as fast as a small one.
   */
  private flat: { start: Uint32Array; addr: Uint32Array; len: Uint8Array; ref: Uint32Array; lists: Route[][] } | undefined;
  /** Lookups since the last change, while the flat index is missing. */
  private lookupsSinceChange = 0;
  private count = 0;

  constructor(id: number) {
    this.id = id;
  }

  get size(): number {
    return this.count;
  }

  /** The aliases with exactly this prefix (kernel order), possibly empty. */
  aliases(addr: number, len: number): Route[] {
    return this.byLen[len]?.get(addr) ?? [];
  }

  /** Inserts before `before` (an alias of the same prefix) or at the end of its sorted place. */
  insert(route: Route, before?: Route): void {
    const { addr, len } = route.dst;
    let m = this.byLen[len];
    if (!m) {
      m = new Map();
      this.byLen[len] = m;
      this.lengths = [...this.lengths, len].sort((a, b) => b - a);
      this.shortLengths = this.lengths.filter((l) => l <= 16);
    }
    let list = m.get(addr);
    if (!list) {
      list = [];
      m.set(addr, list);
      if (len > 16) {
        const group = this.long.get(addr >>> 16) ?? [];
        let at = group.findIndex((g) => g[0] === undefined || g[0].dst.len < len);
        if (at < 0) at = group.length;
        group.splice(at, 0, list);
        this.long.set(addr >>> 16, group);
      }
      this.changed();
    }
    let at: number;
    if (before) {
      at = list.indexOf(before);
      if (at < 0) at = list.length;
    } else {
      // Sorted by tos descending, then metric ascending; equal keys keep insertion order.
      at = list.findIndex((r) => r.tos < route.tos || (r.tos === route.tos && r.metric > route.metric));
      if (at < 0) at = list.length;
    }
    list.splice(at, 0, route);
    this.count++;
  }

  private changed(): void {
    this.flat = undefined;
    this.lookupsSinceChange = 0;
  }

  private buildFlat(): void {
    const per: number[][] = new Array(65536);
    const lists: Route[][] = [];
    // Longest prefixes first, so each /16's run comes out in lookup order.
    for (let len = 32; len >= 0; len--) {
      const m = this.byLen[len];
      if (!m) continue;
      for (const [addr, list] of m) {
        if (list.length === 0) continue;
        const idx = lists.push(list) - 1;
        const first = addr >>> 16;
        const n = len >= 16 ? 1 : 1 << (16 - len);
        for (let k = 0; k < n; k++) (per[first + k] ??= []).push(idx);
      }
    }
    const start = new Uint32Array(65537);
    for (let k = 0; k < 65536; k++) start[k + 1] = start[k]! + (per[k]?.length ?? 0);
    const total = start[65536]!;
    const addr = new Uint32Array(total);
    const len = new Uint8Array(total);
    const ref = new Uint32Array(total);
    for (let k = 0; k < 65536; k++) {
      const idxs = per[k];
      if (!idxs) continue;
      let o = start[k]!;
      for (const idx of idxs) {
        const r = lists[idx]![0]!;
        addr[o] = r.dst.addr;
        len[o] = r.dst.len;
        ref[o] = idx;
        o++;
      }
    }
    this.flat = { start, addr, len, ref, lists };
  }

  /** NLM_F_APPEND: right after `after`, the last alias with the same tos and metric. */
  insertAfter(route: Route, after: Route): void {
    const list = this.byLen[route.dst.len]?.get(route.dst.addr);
    const i = list ? list.indexOf(after) : -1;
    if (!list || i < 0) return this.insert(route);
    list.splice(i + 1, 0, route);
    this.count++;
  }

  remove(route: Route): boolean {
    const m = this.byLen[route.dst.len];
    const list = m?.get(route.dst.addr);
    if (!m || !list) return false;
    const i = list.indexOf(route);
    if (i < 0) return false;
    list.splice(i, 1);
    this.count--;
    if (list.length === 0) {
      m.delete(route.dst.addr);
      this.changed();
      if (route.dst.len > 16) {
        const key = route.dst.addr >>> 16;
        const group = this.long.get(key)!.filter((g) => g !== list);
        if (group.length === 0) this.long.delete(key);
        else this.long.set(key, group);
      }
      if (m.size === 0) {
        this.byLen[route.dst.len] = undefined;
        this.lengths = this.lengths.filter((l) => l !== route.dst.len);
        this.shortLengths = this.lengths.filter((l) => l <= 16);
      }
    }
    return true;
  }

  removeWhere(pred: (r: Route) => boolean): Route[] {
    const gone = this.all().filter(pred);
    for (const r of gone) this.remove(r);
    return gone;
  }

  /**
   * Candidate aliases for `dst`, longest prefix first. The caller applies the kernel's
   * per-alias checks and goes on to the next (shorter) candidate when none fits.
   */
  *candidates(dst: number): Generator<Route[]> {
    for (const len of this.lengths) {
      const list = this.byLen[len]!.get((dst & maskOf(len)) >>> 0);
      if (list) yield list;
    }
  }

  /**
   * Calls `fn` with each alias list whose prefix holds `dst`, longest prefix first, until it
   * returns something other than undefined (the kernel's backtracking to shorter prefixes).
   */
  visit<T>(dst: number, fn: (aliases: Route[], len: number) => T | undefined): T | undefined {
    if (!this.flat && this.count >= ARRAY_MODE_AT && ++this.lookupsSinceChange > 256) this.buildFlat();
    const f = this.flat;
    if (f) {
      const s = dst >>> 16;
      const end = f.start[s + 1]!;
      for (let i = f.start[s]!; i < end; i++) {
        const len = f.len[i]!;
        if (((dst & MASKS[len]!) >>> 0) === f.addr[i]) {
          const v = fn(f.lists[f.ref[i]!]!, len);
          if (v !== undefined) return v;
        }
      }
      return undefined;
    }
    const group = this.long.get(dst >>> 16);
    if (group) {
      for (let i = 0; i < group.length; i++) {
        const list = group[i]!;
        const r = list[0]!;
        const len = r.dst.len;
        if (((dst & MASKS[len]!) >>> 0) === r.dst.addr) {
          const v = fn(list, len);
          if (v !== undefined) return v;
        }
      }
    }
    const short = this.shortLengths;
    for (let i = 0; i < short.length; i++) {
      const len = short[i]!;
      const list = this.byLen[len]!.get((dst & MASKS[len]!) >>> 0);
      if (list) {
        const v = fn(list, len);
        if (v !== undefined) return v;
      }
    }
    return undefined;
  }

  /** Dump order of the kernel's trie walk: ascending address, longer prefix first, alias order. */
  all(): Route[] {
    const out: Route[] = [];
    for (const m of this.byLen) if (m) for (const list of m.values()) out.push(...list);
    out.sort((a, b) => a.dst.addr - b.dst.addr || b.dst.len - a.dst.len);
    // Array.prototype.sort is stable, so aliases of one prefix keep their list order.
    return out;
  }
}
