import { describe, expect, it } from 'vitest';
import { trace } from '../../lib/trace/index.ts';
import { buildSession } from '../../lib/views/session-pool.ts';
import {
  clampStep,
  contextFacts,
  pathKeys,
  queryLine,
  runTrace,
  stepFacts,
  stepKey,
  stepMetrics,
  stepRows,
  stepStack,
  tracerDefaults,
  tracerQuestion,
  verdict,
} from '../../lib/views/trace-view.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkParams } from '../../lib/generator/check-params.ts';
import { REFERENCE_PARAMS } from '../../lib/generator/reference.ts';
import { simulationScripts } from '../../lib/generator/simulation.ts';
import { ROOT, referenceScripts } from './helpers.ts';

const fresh = () => buildSession(referenceScripts).session;
const namespaces = fresh()
  .world.namespaces()
  .map((n) => n.name);

describe('tracer question', () => {
  it('the default state is a valid question', () => {
    expect(tracerQuestion(tracerDefaults(), namespaces)).toEqual({ query: { from: 'pod-9-60', to: '10.20.4.5', proto: 'icmp' }, dir: 'request', errors: [] });
  });

  it('blank ports and size fall back to the tracer\'s defaults; typed ones are numbers', () => {
    const q = tracerQuestion(tracerDefaults({ proto: 'tcp', sport: '1234', dport: '443', size: '1000', dir: 'reply' }), namespaces);
    expect(q.query).toEqual({ from: 'pod-9-60', to: '10.20.4.5', proto: 'tcp', sport: 1234, dport: 443, size: 1000 });
    expect(q.dir).toBe('reply');
  });

  it('marks sizes below the headers of the protocol (0–27 for ICMP and UDP, 0–39 for TCP) and huge ones on the size field', () => {
    for (const [proto, size, min] of [['icmp', '0', 28], ['icmp', '27', 28], ['udp', '27', 28], ['tcp', '39', 40], ['icmp', '1000000000', 28]] as const) {
      const q = tracerQuestion(tracerDefaults({ proto, size }), namespaces);
      expect(q.errors).toEqual([{ field: 'size', code: 'range', value: size, min, max: 65535 }]);
    }
    expect(tracerQuestion(tracerDefaults({ proto: 'icmp', size: '28' }), namespaces).errors).toEqual([]);
    expect(tracerQuestion(tracerDefaults({ proto: 'tcp', size: '40' }), namespaces).errors).toEqual([]);
  });

  it('reports every bad field, with the text as typed', () => {
    const q = tracerQuestion(tracerDefaults({ from: 'nope', to: '10.20.4', proto: 'sctp', dport: '70000', dir: 'sideways' }), namespaces);
    expect(q.query).toBeUndefined();
    expect(q.dir).toBe('request');
    expect(q.errors.map((e) => [e.field, e.code, e.value])).toEqual([
      ['from', 'choice', 'nope'],
      ['to', 'address', '10.20.4'],
      ['proto', 'choice', 'sctp'],
      ['dport', 'range', '70000'],
    ]);
  });
});

describe('running a trace', () => {
  it('is the tracer\'s answer, request and reply', () => {
    const q = { from: 'pod-9-41', to: '203.0.113.10', proto: 'tcp' as const, dport: 443 };
    const r = runTrace(fresh(), q, 'reply');
    const s = fresh();
    const expected = trace(s.world, q);
    expect(r.run!.request).toEqual(expected);
    expect(r.run!.shown).toBe(r.run!.reply);
    expect(r.run!.reply!.query.reply).toBe(true);
    expect(r.run!.reply!.disposition).toBe('DELIVERED');
  });

  it('a question the model refuses is an inline error, not an exception', () => {
    const r = runTrace(fresh(), { from: 'pod-9-60', to: '10.20.4.5', proto: 'icmp', size: 10 }, 'request');
    expect(r.run).toBeUndefined();
    expect(r.error).toMatchObject({ code: 'model' });
    expect(r.error!.message).toMatch(/size 10 is out of range/);
  });

  it('no reply for a packet that was not delivered', () => {
    const s = fresh();
    s.runScript('ip -n node-a route del default\n', 'f.sh');
    const r = runTrace(s, { from: 'pod-9-60', to: '10.20.4.5' }, 'reply');
    expect(r.run!.reply).toBeUndefined();
    expect(r.run!.replyError).toMatch(/not delivered/);
    expect(r.run!.shown).toBe(r.run!.request);
  });
});

describe('step views', () => {
  const s = fresh();
  const t = trace(s.world, { from: 'pod-9-60', to: '10.20.4.5' });
  const at = (pred: (x: (typeof t.steps)[number]) => boolean) => t.steps.find(pred)!;

  it('rows, keys, verdict', () => {
    expect(stepRows(t)).toHaveLength(t.steps.length);
    expect(stepRows(t)[0]).toMatchObject({ n: 1, action: 'ORIGINATED', where: 'pod-9-60' });
    expect(stepKey(at((x) => x.type === 'encapsulate'))).toBe('node-a:vxlan.2');
    expect(verdict(t)).toMatchObject({ disposition: 'DELIVERED', where: 'pod-4-5:eth0', ttl: 62, delivered: true });
    expect(queryLine(t)).toBe('pod-9-60 → 10.20.4.5 ICMP id 1, 84 bytes');
    expect(pathKeys(t, 2)).toEqual(['pod-9-60', 'pod-9-60:eth0']);
    expect(clampStep('999', t)).toBe(t.steps.length);
    expect(clampStep('x', t)).toBe(1);
  });

  it('facts are the entries as the tools print them', () => {
    const enc = at((x) => x.type === 'encapsulate');
    expect(stepFacts(enc).map((f) => f.kind)).toEqual(['fdb', 'vxlan']);
    expect(stepFacts(enc)[0]!.text).toBe('4a:2d:0c:51:9e:0b dev vxlan.2 dst 10.186.153.12 self permanent');
    const route = at((x) => x.type === 'routing' && x.ns === 'node-a');
    expect(stepFacts(route)[0]).toMatchObject({ kind: 'route', text: '10.20.4.0/24 via 10.20.4.0 dev vxlan.2 onlink' });
    const ctx = contextFacts(t, enc.n);
    expect(ctx.map((f) => f.kind)).toEqual(['route', 'neighbour', 'fdb']);
    expect(ctx[1]!.text).toBe('10.20.4.0 dev vxlan.2 lladdr 4a:2d:0c:51:9e:0b PERMANENT');
  });

  it('TTL and MTU at a step come from the headers and the model\'s devices', () => {
    const enc = at((x) => x.type === 'encapsulate');
    expect(stepMetrics(enc, s.world)).toEqual({ ttl: 63, outerTtl: 64, ipLength: 134, bytes: 134, mtu: { device: 'vxlan.2', value: 1450 } });
    expect(stepMetrics(t.steps[0]!, s.world)).toEqual({ ttl: 64, ipLength: 84, bytes: 84 });
  });

  it('the stack at the encapsulation step marks the outer headers as added', () => {
    const enc = at((x) => x.type === 'encapsulate');
    const v = stepStack(t, enc.n);
    expect(v.layers.filter((l) => l.added).map((l) => l.title)).toEqual(['IPv4', 'UDP', 'VXLAN', 'Ethernet']);
    expect(v.total).toBe(enc.total);
  });

  it('a packet fragmented on the way (DF clear) shows the fragments', () => {
    const s2 = fresh();
    s2.runScript('ip -n node-a link set upvx4279f78e5dc mtu 1500\nip -n pod-9-60 link set eth0 mtu 1500\n', 'x.sh');
    const t2 = trace(s2.world, { from: 'pod-9-60', to: '10.20.4.5', size: 1500, df: false });
    const frag = t2.steps.find((x) => x.action === 'FRAGMENTED');
    expect(frag).toBeDefined();
    expect(stepFacts(frag!)).toMatchObject([{ kind: 'fragments' }]);
    expect(stepFacts(frag!)[0]!.text).toMatch(/^2 × \(\d+, \d+ bytes\)$/);
  });

  it('NAT steps carry the rule and the conntrack entry', () => {
    const t2 = trace(fresh().world, { from: 'pod-9-41', to: '203.0.113.10', proto: 'tcp', dport: 443 });
    const nat = t2.steps.find((x) => x.type === 'netfilter')!;
    expect(stepFacts(nat).map((f) => f.kind)).toEqual(['nat', 'nat-rule', 'conntrack']);
    expect(stepFacts(nat)[1]!.text).toBe('-A POSTROUTING -s 10.20.0.0/16 ! -d 10.20.0.0/16 -j MASQUERADE');
    const v = stepStack(t2, nat.n);
    expect(v.layers[0]!.fields.filter((f) => f.changed).map((f) => f.name)).toEqual(['src']);
  });
});

describe("trace view on the generator's fabric without OVS (a reader's simulation: Linux bridge in tor)", () => {
  it('names the bridge, its ports and the MAC it forwarded for', () => {
    // 10-fabric-lab.sh is not a reference script: the generator writes it into a reader's simulation/.
    const lab = simulationScripts(checkParams(REFERENCE_PARAMS).cluster!, 'no-ovs').filter((x) => x.name !== '60-snat.sh');
    const t = trace(buildSession(lab).session.world, { from: 'pod-9-60', to: '10.20.4.5' });
    const sw = t.steps.find((x) => x.type === 'bridge')!;
    // The outer frame goes to node-b's biz; 20-node-net.sh gives it its MAC.
    const nodeBBiz = buildSession(lab).session.world.netns('node-b')!.device('biz')!.mac;
    expect(stepFacts(sw)).toEqual([{ kind: 'bridge', text: `gw-biz: a-biz → b-biz (${nodeBBiz} is behind b-biz)`, n: sw.n, where: 'tor:gw-biz' }]);
  });
});
