// One routing table: routes indexed by prefix length, then by network address. A lookup
// probes at most 33 hash buckets whatever the table's size (the trie's longest-prefix match
// with backtracking gives the same answer), so lookup cost does not grow with the table.
import { maskOf } from '../net/ipv4.ts';
import type { FibOutcome, Flow } from './fib-lookup.ts';
import { TYPE_ERRORS, type Nexthop, type Route } from './route.ts';

/** Tables at least this big get the flat index once they stop changing. */
const ARRAY_MODE_AT = 4096;

const MASKS: readonly number[] = Array.from({ length: 33 }, (_, len) => maskOf(len));

/**
 * The flat index. Entry i of a /16's run takes four words of `ent`: network address; prefix
 * length | FAST | scope << 8; the only nexthop's ifindex (0 = any); index into `lists`.
 * FAST marks a prefix with a single plain alias (tos 0, a type without error, at most one
 * nexthop): its checks need only the words above, and `objs[2i]`, `objs[2i+1]` hold its
 * route and nexthop, so a hit reads three runs of memory and no route object.
 */
interface FlatIndex {
  start: Uint32Array;
  ent: Uint32Array;
  objs: (Route | Nexthop | undefined)[];
  lists: Route[][];
}
const FAST = 64;

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
  private flat: FlatIndex | undefined;
  /** Lookups since the last change, while the flat index is missing. */
  private lookupsSinceChange = 0;
  private count = 0;

  /** 'never' keeps a table on the hash path whatever its size (tests compare the two paths). */
  private readonly flatPolicy: 'auto' | 'never';

  constructor(id: number, opts: { flatIndex?: 'auto' | 'never' } = {}) {
    this.id = id;
    this.flatPolicy = opts.flatIndex ?? 'auto';
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
    }
    this.changed(); // the flat index summarises each prefix's first alias
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
    const ent = new Uint32Array(total * 4);
    const objs: (Route | Nexthop | undefined)[] = new Array(total * 2).fill(undefined);
    for (let k = 0; k < 65536; k++) {
      const idxs = per[k];
      if (!idxs) continue;
      let o = start[k]!;
      for (const idx of idxs) {
        const list = lists[idx]!;
        const r = list[0]!;
        const nh = r.nexthops[0];
        const fast = list.length === 1 && r.tos === 0 && !TYPE_ERRORS[r.type] && r.nexthops.length <= 1;
        ent[o * 4] = r.dst.addr;
        ent[o * 4 + 1] = r.dst.len | (fast ? FAST : 0) | (r.scope << 8);
        ent[o * 4 + 2] = nh?.dev?.ifindex ?? 0;
        ent[o * 4 + 3] = idx;
        if (fast) {
          objs[o * 2] = r;
          objs[o * 2 + 1] = nh;
        }
        o++;
      }
    }
    this.flat = { start, ent, objs, lists };
  }

  /** NLM_F_APPEND: right after `after`, the last alias with the same tos and metric. */
  insertAfter(route: Route, after: Route): void {
    const list = this.byLen[route.dst.len]?.get(route.dst.addr);
    const i = list ? list.indexOf(after) : -1;
    if (!list || i < 0) return this.insert(route);
    list.splice(i + 1, 0, route);
    this.count++;
    this.changed();
  }

  remove(route: Route): boolean {
    const m = this.byLen[route.dst.len];
    const list = m?.get(route.dst.addr);
    if (!m || !list) return false;
    const i = list.indexOf(route);
    if (i < 0) return false;
    list.splice(i, 1);
    this.count--;
    this.changed();
    if (list.length === 0) {
      m.delete(route.dst.addr);
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
   * `a` and `b` are handed to `fn` so a hot caller can pass a plain function, not a closure
   * allocated per lookup.
   */
  visit<T, A = undefined, B = undefined>(
    dst: number,
    fn: (aliases: Route[], len: number, a: A, b: B) => T | undefined,
    a?: A,
    b?: B,
  ): T | undefined {
    const f = this.flatIndex();
    if (f) {
      const s = dst >>> 16;
      const end = f.start[s + 1]!;
      const ent = f.ent;
      for (let i = f.start[s]!; i < end; i++) {
        const len = ent[i * 4 + 1]! & 63;
        if (((dst & MASKS[len]!) >>> 0) === ent[i * 4]) {
          const v = fn(f.lists[ent[i * 4 + 3]!]!, len, a as A, b as B);
          if (v !== undefined) return v;
        }
      }
      return undefined;
    }
    return this.visitHash(dst, fn, a as A, b as B);
  }

  /** `visit` without the flat index: the long-prefix group of dst's /16, then the short lengths. */
  private visitHash<T, A, B>(dst: number, fn: (aliases: Route[], len: number, a: A, b: B) => T | undefined, a: A, b: B): T | undefined {
    const group = this.long.get(dst >>> 16);
    if (group) {
      for (let i = 0; i < group.length; i++) {
        const list = group[i]!;
        const r = list[0]!;
        const len = r.dst.len;
        if (((dst & MASKS[len]!) >>> 0) === r.dst.addr) {
          const v = fn(list, len, a, b);
          if (v !== undefined) return v;
        }
      }
    }
    const short = this.shortLengths;
    for (let i = 0; i < short.length; i++) {
      const len = short[i]!;
      const list = this.byLen[len]!.get((dst & MASKS[len]!) >>> 0);
      if (list) {
        const v = fn(list, len, a, b);
        if (v !== undefined) return v;
      }
    }
    return undefined;
  }

  private flatIndex(): FlatIndex | undefined {
    if (!this.flat && this.flatPolicy === 'auto' && this.count >= ARRAY_MODE_AT && ++this.lookupsSinceChange > 256) this.buildFlat();
    return this.flat;
  }

  /**
   * fib_table_lookup: the longest prefix holding `fl.dst` that has an alias passing the
   * kernel's per-alias checks; undefined when none does (the caller goes on to the next table).
   */
  lookup(fl: Flow): FibOutcome | undefined {
    const f = this.flatIndex();
    // visitHash, not visit: flatIndex() counts lookups toward building the index, once each.
    if (!f) return this.visitHash(fl.dst, checkAliases, fl, this.id);
    const dst = fl.dst;
    const s = dst >>> 16;
    const end = f.start[s + 1]!;
    const ent = f.ent;
    for (let i = f.start[s]!; i < end; i++) {
      const meta = ent[i * 4 + 1]!;
      const len = meta & 63;
      if (((dst & MASKS[len]!) >>> 0) !== ent[i * 4]) continue;
      if (meta & FAST) {
        // The checks of checkAliases on the one alias, from the index alone.
        if (meta >>> 8 < fl.scope) continue;
        const oif = ent[i * 4 + 2]!;
        if (fl.oif && oif && fl.oif !== oif) continue;
        const route = f.objs[i * 2] as Route;
        const nh = f.objs[i * 2 + 1] as Nexthop | undefined;
        return { ok: true, res: { route, nh, table: this.id, rule: undefined, prefixlen: len } };
      }
      const v = checkAliases(f.lists[ent[i * 4 + 3]!]!, len, fl, this.id);
      if (v !== undefined) return v;
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

/** fib_table_lookup's per-alias checks on one prefix's aliases (kernel order). */
function checkAliases(list: Route[], len: number, fl: Flow, tableId: number): FibOutcome | undefined {
  for (let j = 0; j < list.length; j++) {
    const r = list[j]!;
    if (r.tos !== 0 && r.tos !== fl.tos) continue;
    if (r.scope < fl.scope) continue;
    const err = TYPE_ERRORS[r.type];
    if (err) return { ok: false, errno: err, route: r, prefixlen: len };
    const nh = usableNexthop(r, fl);
    if (r.nexthops.length > 0 && !nh) continue;
    return { ok: true, res: { route: r, nh, table: tableId, rule: undefined, prefixlen: len } };
  }
  return undefined;
}

/**
 * fib_lookup_good_nhc. Nexthops over a down device never reach here: the kernel flushes
 * those routes when the device goes down. A linkdown nexthop is still used, because
 * ignore_routes_with_linkdown is 0 unless set.
 */
function usableNexthop(r: Route, fl: Flow): Nexthop | undefined {
  for (const nh of r.nexthops) {
    if (nh.dead) continue; // fib_table_lookup: RTNH_F_DEAD nexthops are skipped
    if (fl.oif && nh.dev && fl.oif !== nh.dev.ifindex) continue;
    return nh;
  }
  return undefined;
}
