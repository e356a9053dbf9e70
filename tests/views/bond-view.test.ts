import { describe, expect, it } from 'vitest';
import { bondXmitHash } from '../../lib/model/bond-hash.ts';
import { parseIpv4 } from '../../lib/net/ipv4.ts';
import type { Mac } from '../../lib/net/mac.ts';
import { stepsOf, trace } from '../../lib/trace/index.ts';
import { bondDefaults, bondView, POLICIES } from '../../lib/views/bond-view.ts';
import { buildSession } from '../../lib/views/session-pool.ts';
import { referenceScripts } from './helpers.ts';

const fresh = () => buildSession(referenceScripts).session;

describe('bond hash view', () => {
  it('defaults to bond0\'s policy and the VXLAN frame the tracer sends through it', () => {
    const d = bondDefaults(fresh());
    expect(d).toMatchObject({ policy: 'layer3+4', src: '10.186.153.11', dst: '10.186.153.12', proto: 'udp', dport: '4789', smac: '02:0a:00:00:99:0b', dmac: '02:0b:00:00:99:0c', vlan: '' });
  });

  it('for bond0\'s own policy, the member is the one the tracer used', () => {
    const s = fresh();
    const t = trace(s.world, { from: 'pod-9-60', to: '10.20.4.5' });
    const step = stepsOf(t, 'bond').find((x) => x.ns === 'node-a')!;
    const v = bondView(fresh(), bondDefaults(fresh())).view!;
    expect(v.member).toBe(step.detail.member);
    expect(v.hash).toBe(step.detail.hash);
    expect(v.steps.map((x) => x.detail)).toEqual(step.detail.steps!.slice(0, v.steps.length).map((x) => x.detail));
  });

  it('other policies: the model\'s arithmetic, then hash % members', () => {
    const d = bondDefaults(fresh());
    for (const policy of POLICIES) {
      const v = bondView(fresh(), { ...d, policy }).view!;
      const h = bondXmitHash(policy, {
        srcMac: d.smac as Mac,
        dstMac: d.dmac as Mac,
        ethertype: 0x0800,
        ip: { src: parseIpv4(d.src), dst: parseIpv4(d.dst), proto: 17, sport: Number(d.sport), dport: Number(d.dport) },
      });
      expect(v.hash, policy).toBe(h.hash);
      expect(v.index).toBe(h.hash % 2);
      expect(v.members).toEqual(['ens5f0np0', 'ens7f0np0']);
      expect(v.steps.at(-1)!.label).toBe('member');
    }
  });

  it('bad input is reported per field', () => {
    const d = bondDefaults(fresh());
    const r = bondView(fresh(), { ...d, src: '1.2.3', sport: '99999', smac: 'zz', policy: 'layer5' });
    expect(r.view).toBeUndefined();
    expect(r.errors.map((e) => e.field)).toEqual(['policy', 'src', 'sport', 'smac']);
  });
});
