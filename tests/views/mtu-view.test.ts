import { describe, expect, it } from 'vitest';
import { trace } from '../../lib/trace/index.ts';
import { MTU_SCENARIO, mtuDefaults, mtuQuestion, mtuScript, mtuView } from '../../lib/views/mtu-view.ts';
import { buildSession } from '../../lib/views/session-pool.ts';
import { referenceScripts } from './helpers.ts';

function run(over: Parameters<typeof mtuDefaults>[0]) {
  const q = mtuQuestion(mtuDefaults(over));
  const script = mtuScript(q.settings!);
  const b = buildSession(referenceScripts, script.text ? [script] : []);
  expect(b.failures).toEqual([]);
  return { ...mtuView(b.session, q.settings!), script, session: b.session };
}

describe('encapsulation and MTU', () => {
  it('every device the scenario changes exists in the reference cluster', () => {
    const w = buildSession(referenceScripts).session.world;
    const sc = MTU_SCENARIO;
    for (const [ns, devs] of sc.underlay) for (const d of devs) expect(w.netns(ns)?.device(d), `${ns}:${d}`).toBeDefined();
    for (const [ns, d] of [...sc.vxlan, ...sc.pods, ...sc.vlanPorts]) expect(w.netns(ns)?.device(d), `${ns}:${d}`).toBeDefined();
    expect(w.netns(sc.from)).toBeDefined();
    expect(w.netns('node-a')!.device('vxlan.2')!.mtu).toBe(sc.defaults.underlay - sc.vxlanOverhead);
    expect(w.netns('pod-9-60')!.device('eth0')!.mtu).toBe(sc.defaults.pod);
  });

  it('the reference configuration needs no script; a 1450-byte ping fits and its frame is 1514 bytes', () => {
    const r = run({});
    expect(r.script.text).toBe('');
    expect(r.view!.trace.disposition).toBe('DELIVERED');
    expect(r.view!.wire.tunnelled).toBe(true);
    expect(r.view!.wire.total).toBe(1514);
    expect(r.view!.wire.layers.map((l) => `${l.role} ${l.title} ${l.bytes} @${l.offset}`)).toEqual([
      'outer Ethernet 14 @0',
      'outer IPv4 20 @14',
      'outer UDP 8 @34',
      'outer VXLAN 8 @42',
      'inner Ethernet 14 @50',
      'inner IPv4 20 @64',
      'inner ICMP 8 @84',
      'inner payload 1422 @92',
    ]);
    expect(r.view!.path.map((p) => `${p.where} ${p.ipLength}/${p.mtu}`)).toEqual([
      'pod-9-60:eth0 1450/1450',
      'node-a:vxlan.2 1450/1450',
      'node-a:biz 1500/1500',
      'node-b:upvx6d1e0b7a2f3 1450/1450',
    ]);
  });

  it('the answer is the tracer\'s, on a session with the script applied', () => {
    const r = run({ pod: '1500', size: '1500' });
    const b = buildSession(referenceScripts, [r.script]);
    expect(r.view!.trace).toEqual(trace(b.session.world, { from: 'pod-9-60', to: '10.20.4.5', proto: 'icmp', size: 1500 }));
    expect(r.view!.trace.disposition).toBe('MTU_EXCEEDED');
    expect(r.view!.trace.at).toEqual({ ns: 'node-a', device: 'vxlan.2' });
  });

  it('one byte too many for the pod dies in the pod', () => {
    const r = run({ size: '1451' });
    expect(r.view!.trace.disposition).toBe('MTU_EXCEEDED');
    expect(r.view!.trace.at).toEqual({ ns: 'pod-9-60', device: 'eth0' });
    expect(r.view!.wire.tunnelled).toBe(false);
  });

  it('jumbo frames: underlay 9000 lets pods use 8950', () => {
    const r = run({ underlay: '9000', pod: '8950', size: '8950' });
    expect(r.script.text).toContain('ip -n node-a link set vxlan.2 mtu 8950');
    expect(r.view!.trace.disposition).toBe('DELIVERED');
    expect(r.view!.wire.total).toBe(9014);
  });

  it('a VLAN tag adds 4 bytes on the trunk and changes no IP MTU', () => {
    const r = run({ vlan: '153' });
    expect(r.script.text).toContain('ip netns exec tor ovs-vsctl set port gw-biz tag=153');
    expect(r.view!.trace.disposition).toBe('DELIVERED');
    expect(r.view!.wire.total).toBe(1518);
    expect(r.view!.wire.layers[1]).toMatchObject({ title: '802.1Q', bytes: 4 });
  });

  it('bad settings are reported per field', () => {
    expect(mtuQuestion(mtuDefaults({ underlay: '100', vlan: '5000', pod: 'x', size: '' })).errors.map((e) => [e.field, e.code])).toEqual([
      ['underlay', 'range'],
      ['vlan', 'range'],
      ['pod', 'integer'],
      ['size', 'required'],
    ]);
  });
});
