// Parameters that arrive as a whole (a shared link, the page's JSON box) are taken only when
// `netatlas generate` accepts them, and every refusal says where, in the form's words.
import { describe, expect, it } from 'vitest';
import { checkParams } from '../../lib/generator/check-params.ts';
import { paramsFromJson, paramsFromLink } from '../../lib/generator/incoming.ts';
import { REFERENCE_PARAMS } from '../../lib/generator/reference.ts';
import { visible } from '../../lib/views/visible.ts';
import { placeOf } from '../../src/components/generator/places.ts';
import { strings } from '../../src/components/generator/i18n.ts';

const link = (v: string) => paramsFromLink('?' + new URLSearchParams({ cluster: v }).toString(), 'cluster', REFERENCE_PARAMS);

describe('paramsFromLink', () => {
  it('takes nothing when the key is absent', () => expect(paramsFromLink('?x=1', 'cluster', REFERENCE_PARAMS)).toEqual({ kind: 'none' }));
  it('reports text that is not JSON', () => expect(link('garbage').kind).toBe('syntax'));
  for (const v of ['null', '5', '"x"', '[]']) {
    it(`refuses ${v}: a patch that is not an object`, () => {
      const r = link(v);
      expect(r.kind).toBe('invalid');
      if (r.kind === 'invalid') expect(r.errors[0]!.path).toBe('');
    });
  }
  it('refuses {"nodes":5} with the error netatlas generate gives', () => {
    const r = link('{"nodes":5}');
    expect(r.kind).toBe('invalid');
    const cli = checkParams({ ...REFERENCE_PARAMS, nodes: 5 });
    if (r.kind === 'invalid') expect(r.errors).toEqual(cli.errors);
  });
  it('takes a valid change', () => {
    const r = link('{"overlay":{"vni":42}}');
    expect(r.kind).toBe('ok');
    if (r.kind === 'ok') expect(r.params.overlay.vni).toBe(42);
  });
});

describe('paramsFromJson', () => {
  for (const text of ['{}', '{"nodes":[]}', 'null', '[]', '7']) {
    it(`refuses ${text} as a whole`, () => expect(paramsFromJson(text).kind).toBe('invalid'));
  }
  it('reports broken JSON', () => expect(paramsFromJson('{').kind).toBe('syntax'));
  it('takes the reference set', () => expect(paramsFromJson(JSON.stringify(REFERENCE_PARAMS)).kind).toBe('ok'));
});

describe('placeOf', () => {
  const en = strings('en');
  const zh = strings('zh-CN');
  it('names form fields by their labels', () => {
    expect(placeOf(en, 'nodes[1].podSubnet')).toBe('Node 2 › Pod subnet');
    expect(placeOf(en, 'overlay.vni')).toBe('Overlay (VXLAN) › VNI');
    expect(placeOf(en, 'nodes')).toBe('Nodes');
    expect(placeOf(en, '')).toBe('The parameters as a whole');
    expect(placeOf(en, 'nodes[0].pods[2].ip')).toBe('Node 1 › Example pods (addresses, or auto) › [2].ip');
    expect(placeOf(en, 'services.list[3].port')).toBe('Service 4 › Port');
    expect(placeOf(zh, 'nodes[1].podSubnet')).toBe('节点 2 › Pod 子网');
  });
  it('names fields the form does not show by section and name', () => {
    expect(placeOf(en, 'nodes[0].macs.vtep')).toBe('Node 1 › macs.vtep');
    expect(placeOf(en, 'simulation.outside.mac')).toBe('Simulation › outside.mac');
  });
});

describe('visible', () => {
  it('shows bidi controls as marks', () => {
    expect(visible('10.20.4.5\u202E1')).toBe('10.20.4.5⟦U+202E⟧1');
    expect(visible('plain')).toBe('plain');
  });
});
