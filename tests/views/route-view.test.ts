import { describe, expect, it } from 'vitest';
import { buildSession } from '../../lib/views/session-pool.ts';
import { routeDefaults, routeLookup, routesContaining } from '../../lib/views/route-view.ts';
import { parseIpv4 } from '../../lib/net/ipv4.ts';
import { referenceScripts } from './helpers.ts';

const fresh = () => buildSession(referenceScripts).session;

describe('route lookup view', () => {
  it('shows the tools\' output and highlights the route the model chose', () => {
    const v = routeLookup(fresh(), routeDefaults());
    const s = fresh();
    expect(v.rules.map((l) => l.text).join('\n') + '\n').toBe(s.runCommand('ip rule', { netns: 'node-a' }).combined);
    expect(v.routes.map((l) => l.text).join('\n') + '\n').toBe(s.runCommand('ip -4 route show table all', { netns: 'node-a' }).combined);
    expect(v.getOutput).toBe(s.runCommand('ip route get 10.20.4.5', { netns: 'node-a' }).combined);
    const chosen = v.routes.filter((l) => l.mark === 'chosen');
    expect(chosen.map((l) => l.text.trimEnd())).toEqual(['10.20.4.0/24 via 10.20.4.0 dev vxlan.2 onlink']);
    expect(v.routes.filter((l) => l.mark === 'candidate').map((l) => l.text.trimEnd())).toEqual(['default via 10.186.153.254 dev biz']);
    expect(v.noCustomRules).toBe(true);
    expect(v.rules.find((l) => l.mark)).toEqual({ text: '32766:\tfrom all lookup main', mark: 'in-effect' });
    expect(v.why.some((w) => w.startsWith('longest prefix match in table main'))).toBe(true);
  });

  it('local addresses match the local table', () => {
    const v = routeLookup(fresh(), routeDefaults({ addr: '10.96.0.10' }));
    expect(v.chosen).toMatchObject({ table: 'local', type: 'local' });
    expect(v.routes.find((l) => l.mark === 'chosen')!.text).toMatch(/^local 10\.96\.0\.10 dev kube-ipvs0 table local/);
    expect(v.rules.find((l) => l.mark)!.text).toBe('0:\tfrom all lookup local');
  });

  it('custom rules: the rule the model used is highlighted', () => {
    const s = fresh();
    s.runScript('ip -n node-a rule add to 10.99.0.0/16 lookup 100 priority 100\nip -n node-a route add 10.99.0.0/16 via 10.186.153.254 dev biz table 100\n', 'x.sh');
    const v = routeLookup(s, routeDefaults({ addr: '10.99.1.1' }));
    expect(v.noCustomRules).toBe(false);
    expect(v.rules.find((l) => l.mark === 'chosen')!.text).toBe('100:\tfrom all to 10.99.0.0/16 lookup 100');
    expect(v.routes.find((l) => l.mark === 'chosen')!.text.trimEnd()).toBe('10.99.0.0/16 via 10.186.153.254 dev biz table 100');
  });

  it('no route: the kernel\'s answer and the tracer\'s reason', () => {
    const s = fresh();
    s.runScript('ip -n node-a route del default\n', 'x.sh');
    const v = routeLookup(s, routeDefaults({ addr: '8.8.8.8' }));
    expect(v.getStatus).not.toBe(0);
    expect(v.getOutput).toBe('RTNETLINK answers: Network is unreachable\n');
    expect(v.chosen).toBeUndefined();
    expect(v.why.join(' ')).toMatch(/unreachable/i);
  });

  it('bad input is an error, tables still shown', () => {
    const v = routeLookup(fresh(), routeDefaults({ addr: '10.20.4.500' }));
    expect(v.errors).toMatchObject([{ field: 'addr', code: 'address' }]);
    expect(v.routes.length).toBeGreaterThan(5);
    expect(routeLookup(fresh(), routeDefaults({ host: 'nope' })).errors).toMatchObject([{ field: 'host', code: 'choice' }]);
  });

  it('finds the routes containing an address in the model\'s tables, in the form ip route show prints', () => {
    const s = fresh();
    const ns = s.world.netns('node-a')!;
    const shown = s.runCommand('ip -4 route show table all', { netns: 'node-a' }).stdout.split('\n').map((l) => l.trimEnd());
    const c = routesContaining(ns, parseIpv4('10.186.153.12'));
    expect([...c].every((l) => shown.includes(l))).toBe(true);
    expect([...c]).toEqual(expect.arrayContaining(['default via 10.186.153.254 dev biz', '10.186.153.0/24 dev biz proto kernel scope link src 10.186.153.11']));
  });
});
