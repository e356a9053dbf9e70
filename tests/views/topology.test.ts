import { describe, expect, it } from 'vitest';
import { trace } from '../../lib/trace/index.ts';
import { buildSession } from '../../lib/views/session-pool.ts';
import { topology } from '../../lib/views/topology.ts';
import { stepKey } from '../../lib/views/trace-view.ts';
import { referenceScripts } from './helpers.ts';

describe('topology diagram', () => {
  const s = buildSession(referenceScripts).session;
  const topo = topology(s.world);
  const keys = new Set([...topo.devices.map((d) => d.key), ...topo.boxes.map((b) => b.key)]);

  it('has a box for every namespace and a place for every device the reference flows visit', () => {
    for (const ns of s.world.namespaces()) expect(keys.has(ns.name), ns.name).toBe(true);
    const flows = [
      { from: 'pod-9-60', to: '10.20.4.5' },
      { from: 'pod-9-41', to: '203.0.113.10', proto: 'tcp' as const, dport: 443 },
      { from: 'upod-102-22', to: '10.186.101.21' },
      { from: 'ext', to: '10.186.101.21' },
      { from: 'pod-9-41', to: '10.96.0.10', proto: 'udp' as const, dport: 53 },
    ];
    for (const f of flows) {
      const t = trace(buildSession(referenceScripts).session.world, f);
      for (const st of t.steps) if (st.device && st.device !== 'lo') expect(keys.has(stepKey(st)), `${stepKey(st)} (${f.from} → ${f.to})`).toBe(true);
    }
  });

  it('keeps boxes apart and inside the drawing', () => {
    const inside = (b: { x: number; y: number; w: number; h: number }) => b.x >= 0 && b.y >= 0 && b.x + b.w <= topo.width && b.y + b.h <= topo.height;
    for (const b of [...topo.boxes, ...topo.devices]) expect(inside(b), JSON.stringify(b)).toBe(true);
    const devs = topo.devices;
    for (let i = 0; i < devs.length; i++)
      for (let j = i + 1; j < devs.length; j++) {
        const a = devs[i]!;
        const b = devs[j]!;
        const overlap = a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
        expect(overlap, `${a.key} overlaps ${b.key}`).toBe(false);
      }
  });

  it('links veth pairs, bond members and VLAN/VXLAN lowers', () => {
    const has = (a: string, b: string) => topo.links.some((l) => (l.a === a && l.b === b) || (l.a === b && l.b === a));
    expect(has('node-a:ens5f0np0', 'tor:a-p1')).toBe(true);
    expect(has('node-a:ens5f0np0', 'node-a:bond0')).toBe(true);
    expect(has('node-a:vxlan.2', 'node-a:biz')).toBe(true);
    expect(has('node-a:biz.101', 'node-a:biz')).toBe(true);
    expect(has('node-a:upvx4279f78e5dc', 'pod-9-60:eth0')).toBe(true);
    expect(has('node-a:biz.101', 'upod-101-21:eth0')).toBe(true);
    expect(has('tor:wan0', 'ext:eth0')).toBe(true);
  });
});
