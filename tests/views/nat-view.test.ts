import { describe, expect, it } from 'vitest';
import { replyQuery, trace } from '../../lib/trace/index.ts';
import { natDefaults, natView, NAT_PRESETS } from '../../lib/views/nat-view.ts';
import { buildSession } from '../../lib/views/session-pool.ts';
import { faultTexts, referenceScripts } from './helpers.ts';

const fresh = () => buildSession(referenceScripts).session;

describe('NAT and conntrack view', () => {
  it('egress: MASQUERADE on node-a, the entry as conntrack -L prints it, the reply mapped back', () => {
    const v = natView(fresh(), natDefaults()).view!;
    expect(v.node).toBe('node-a');
    expect(v.forward).toHaveLength(1);
    expect(v.forward[0]!.rule).toBe('-A POSTROUTING -s 10.20.0.0/16 ! -d 10.20.0.0/16 -j MASQUERADE');
    expect(v.forward[0]!.conntrack).toMatch(/^tcp +6 120 SYN_SENT src=10\.20\.9\.41 dst=203\.0\.113\.10 .*\[UNREPLIED\] src=203\.0\.113\.10 dst=10\.186\.153\.11/);
    expect(v.conntrackAfterRequest).toContain(v.forward[0]!.conntrack!);
    expect(v.backward.map((e) => e.summary)).toEqual(['MASQUERADE in PREROUTING: dst 10.186.153.11:40000 → 10.20.9.41:40000']);
    expect(v.conntrackAfterReply).toMatch(/ESTABLISHED .*\[ASSURED\]/);
    expect(v.seenBy).toEqual({ requestSource: '10.186.153.11:40000', replySource: '203.0.113.10:443' });
    // The same answer as the model's, step by step.
    const s = fresh();
    const t = trace(s.world, { from: 'pod-9-41', to: '203.0.113.10', proto: 'tcp', dport: 443 });
    expect(v.request).toEqual(t);
    expect(v.conntrackAfterRequest).toBe(s.runCommand('conntrack -L', { netns: 'node-a' }).combined);
    expect(v.reply).toEqual(trace(s.world, replyQuery(t)));
    expect(v.conntrackAfterReply).toBe(s.runCommand('conntrack -L', { netns: 'node-a' }).combined);
  });

  it('ClusterIP: IPVS picks a real server and the reply gets the service address back', () => {
    const v = natView(fresh(), natDefaults(NAT_PRESETS.clusterip)).view!;
    expect(v.forward.map((e) => e.type)).toEqual(['ipvs']);
    expect(v.forward[0]!.summary).toMatch(/^IPVS UDP 10\.96\.0\.10:53 → real server 10\.20\.\d+\.\d+:53 \(rr\)$/);
    expect(v.ipvsadm).toMatch(/UDP {2}10\.96\.0\.10:53 rr/);
    expect(v.backward.map((e) => e.type)).toEqual(['ipvs']);
    expect(v.seenBy!.replySource).toBe('10.96.0.10:53');
  });

  it('without the MASQUERADE rule the outside host sees the pod address and the reply has no way back', () => {
    const b = buildSession(referenceScripts, [{ name: 'no-snat.sh', text: faultTexts(['no-snat.sh'])['no-snat.sh']! }]);
    const v = natView(b.session, natDefaults()).view!;
    expect(v.forward).toEqual([]);
    expect(v.seenBy!.requestSource).toBe('10.20.9.41:40000');
    expect(v.replyVerdict!.delivered).toBe(false);
  });

  it('bad input', () => {
    expect(natView(fresh(), natDefaults({ to: 'x' })).errors).toMatchObject([{ field: 'to', code: 'address' }]);
  });
});
