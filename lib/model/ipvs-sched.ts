// IPVS schedulers (ip_vs_rr.c, ip_vs_wrr.c, ip_vs_lc.c, ip_vs_wlc.c) over a service's
// real servers in kernel list order (newest first). peekSchedule computes a pick without
// changing anything; the caller commits `schedPos`/`wrrCw` when the connection is made.
import type { IpvsDest, IpvsService } from './ipvs.ts';

const MODELLED_SCHEDULERS = new Set(['rr', 'wrr', 'lc', 'wlc']);


export interface SchedulePick {
  dest: IpvsDest;
  /** Scheduler state after the pick (commit it to advance the scheduler). */
  schedPos: number;
  wrrCw: number;
  /** How the choice was made, for a trace. */
  why: string;
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/** ip_vs_rr_schedule: the next server with weight > 0 after the previous pick. */
function rr(s: IpvsService): SchedulePick | undefined {
  const n = s.dests.length;
  for (let k = 1; k <= n; k++) {
    const pos = (s.schedPos + k) % n;
    const d = s.dests[pos]!;
    if (d.weight > 0) return { dest: d, schedPos: pos, wrrCw: s.wrrCw, why: `rr: next after ${s.schedPos < 0 ? 'the list head' : `position ${s.schedPos + 1}`} in kernel list order (newest first): position ${pos + 1}` };
  }
  return undefined;
}

/** ip_vs_wrr_gcd_weight / ip_vs_wrr_max_weight - (di - 1). */
function wrrMarks(s: IpvsService): { di: number; mw: number } {
  const weights = s.dests.map((d) => d.weight).filter((w) => w > 0);
  const di = weights.reduce(gcd, 0) || 1;
  const max = Math.max(0, ...s.dests.map((d) => d.weight));
  return { di, mw: max - (di - 1) };
}

/** ip_vs_wrr_dest_changed: back to the list head, current weight clamped. */
export function wrrDestChanged(s: IpvsService): void {
  const { di, mw } = wrrMarks(s);
  s.schedPos = -1;
  if (s.wrrCw > mw || s.wrrCw === 0) s.wrrCw = mw;
  else if (di > 1) s.wrrCw = Math.floor(s.wrrCw / di) * di + 1;
}

/** ip_vs_wrr_schedule: the next server whose weight reaches the current weight; each pass
 *  through the list lowers the current weight by the weights' gcd, back to the maximum. */
function wrr(s: IpvsService): SchedulePick | undefined {
  const { di, mw } = wrrMarks(s);
  if (mw <= 0) return undefined;
  let cw = s.wrrCw;
  let pos = s.schedPos;
  const n = s.dests.length;
  for (let guard = 0; guard <= n * (Math.ceil(mw / di) + 2); guard++) {
    pos++;
    if (pos >= n) {
      pos = -1;
      cw -= di;
      if (cw <= 0) cw = mw;
      continue;
    }
    const d = s.dests[pos]!;
    if (d.weight > 0 && d.weight >= cw) return { dest: d, schedPos: pos, wrrCw: cw, why: `wrr: next server in list order with weight >= ${cw}` };
  }
  return undefined;
}

/** ip_vs_dest_conn_overhead: active connections weigh 256 inactive ones. */
function overhead(d: IpvsDest): number {
  return (d.activeConns << 8) + d.inactConns;
}

/** ip_vs_lc_schedule / ip_vs_wlc_schedule: least (weighted) overhead, first in list order on ties. */
function leastConn(s: IpvsService, weighted: boolean): SchedulePick | undefined {
  let best: IpvsDest | undefined;
  for (const d of s.dests) {
    if (d.weight <= 0) continue;
    if (!best) {
      best = d;
      continue;
    }
    const better = weighted ? overhead(best) * d.weight > overhead(d) * best.weight : overhead(d) < overhead(best);
    if (better) best = d;
  }
  if (!best) return undefined;
  return { dest: best, schedPos: s.schedPos, wrrCw: s.wrrCw, why: `${weighted ? 'wlc' : 'lc'}: least ${weighted ? 'overhead/weight' : 'overhead'} (active*256 + inactive)` };
}

export class IpvsScheduleError extends Error {}

/** The server the service's scheduler would pick now, without changing any state. */
export function peekSchedule(s: IpvsService): SchedulePick | undefined {
  if (!MODELLED_SCHEDULERS.has(s.scheduler)) {
    throw new IpvsScheduleError(`IPVS scheduler "${s.scheduler}" is not modelled (the model picks with rr, wrr, lc, wlc)`);
  }
  switch (s.scheduler) {
    case 'rr':
      return rr(s);
    case 'wrr':
      return wrr(s);
    case 'lc':
      return leastConn(s, false);
    default:
      return leastConn(s, true);
  }
}

