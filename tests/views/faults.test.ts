import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { trace } from '../../lib/trace/index.ts';
import { demoState, FAULTS, faultScripts, formatFaults, parseFaults } from '../../lib/views/faults.ts';
import { buildSession } from '../../lib/views/session-pool.ts';
import { runTrace, tracerDefaults, tracerQuestion } from '../../lib/views/trace-view.ts';
import { faultTexts, referenceScripts, ROOT } from './helpers.ts';

const texts = faultTexts(FAULTS.map((f) => f.file));

describe('break it: faults', () => {
  it('every fault script exists and runs cleanly on the reference cluster', () => {
    const files = readdirSync(join(ROOT, 'content', 'scripts', 'faults'));
    for (const f of FAULTS) {
      expect(files).toContain(f.file);
      expect(buildSession(referenceScripts, faultScripts([f.id], texts)).failures).toEqual([]);
    }
  });

  it('parses and formats the URL list', () => {
    expect(parseFaults('no-snat, bogus,,missing-fdb')).toEqual({ ids: ['missing-fdb', 'no-snat'], unknown: ['bogus'] });
    expect(formatFaults(['no-snat', 'missing-fdb'])).toBe('missing-fdb,no-snat');
    expect(demoState(tracerDefaults(), 'mtu-too-big')).toMatchObject({ size: '1500', faults: 'mtu-too-big', step: '1' });
  });

  it('each demo flow ends differently with its fault (delivered on the healthy cluster, except the oversized ping)', () => {
    for (const f of FAULTS) {
      const state = demoState(tracerDefaults(), f.id);
      const healthy = buildSession(referenceScripts).session;
      const q = tracerQuestion(state, healthy.world.namespaces().map((n) => n.name));
      const ok = runTrace(healthy, q.query!, q.dir).run!;
      // A 1500-byte ping does not leave a healthy pod (MTU 1450): the sender is told at once.
      if (f.id === 'mtu-too-big') expect(ok.shown.at, 'healthy mtu').toEqual({ ns: 'pod-9-60', device: 'eth0' });
      else expect(ok.shown.disposition, `${f.id} healthy`).toBe('DELIVERED');
      const broken = buildSession(referenceScripts, faultScripts([f.id], texts)).session;
      const bad = runTrace(broken, q.query!, q.dir).run!;
      expect(bad.shown.disposition, `${f.id} broken`).not.toBe('DELIVERED');
      expect({ d: bad.shown.disposition, at: bad.shown.at }, `${f.id} broken`).not.toEqual({ d: ok.shown.disposition, at: ok.shown.at });
    }
  });

  it('the rp_filter fault does not touch the symmetric overlay flow (the widget says so)', () => {
    const s = buildSession(referenceScripts, faultScripts(['rp-filter-strict'], texts)).session;
    expect(trace(s.world, { from: 'pod-9-60', to: '10.20.4.5' }).disposition).toBe('DELIVERED');
  });
});
