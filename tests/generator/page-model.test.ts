// The pure parts of the "Your cluster" page: the form model, the parameters in the URL and
// the ZIP archive.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { crc32, zip } from '../../lib/generator/archive.ts';
import { checkParams } from '../../lib/generator/check-params.ts';
import { addItem, allFields, fieldOfError, fieldValue, removeItem, setField, type Field } from '../../lib/generator/form.ts';
import type { ClusterParams } from '../../lib/generator/params.ts';
import { apply, diff, readPatch, writePatch } from '../../lib/generator/patch.ts';
import { REFERENCE_PARAMS } from '../../lib/generator/reference.ts';
import { randomParams } from './random-params.ts';

const field = (p: ClusterParams, path: string): Field => allFields(p).find((f) => f.path === path)!;

describe('the form model', () => {
  it('shows every field of the reference parameters, and setting each to what it shows changes nothing', () => {
    for (const p of [REFERENCE_PARAMS, ...[1, 2, 3, 4, 5].map((s) => randomParams(s))]) {
      let q = p;
      for (const f of allFields(p)) q = setField(q, f, fieldValue(q, f));
      // An empty optional list is left out: the same parameters.
      const noEmpty = (x: unknown) => JSON.parse(JSON.stringify(x, (_k, v: unknown) => (Array.isArray(v) && v.length === 0 ? undefined : v))) as unknown;
      expect(noEmpty(q)).toEqual(noEmpty(p));
    }
  });

  it('keeps what the form does not show (names, MACs) for pods whose address stays', () => {
    const f = field(REFERENCE_PARAMS, 'nodes[0].pods');
    expect(fieldValue(REFERENCE_PARAMS, f)).toBe('10.20.9.41, 10.20.9.60, 10.20.9.72, 10.20.9.73, 10.20.9.74');
    const q = setField(REFERENCE_PARAMS, f, '10.20.9.60, 10.20.9.99, auto');
    expect(q.nodes[0]!.pods).toEqual([REFERENCE_PARAMS.nodes[0]!.pods![1], { ip: '10.20.9.99' }, {}]);
    expect(checkParams(q).errors).toEqual([]);
  });

  it('leaves out empty optional fields, keeps a bad number as typed for the validation to name', () => {
    const mtu = field(REFERENCE_PARAMS, 'underlay.mtu');
    expect(setField(REFERENCE_PARAMS, mtu, '9000').underlay.mtu).toBe(9000);
    expect(setField(setField(REFERENCE_PARAMS, mtu, '9000'), mtu, '').underlay).toEqual(REFERENCE_PARAMS.underlay);
    const bad = setField(REFERENCE_PARAMS, field(REFERENCE_PARAMS, 'overlay.vni'), 'two');
    expect(checkParams(bad).errors).toContainEqual(expect.objectContaining({ path: 'overlay.vni', code: 'integer' }));
    const upods = setField(REFERENCE_PARAMS, field(REFERENCE_PARAMS, 'nodes[1].underlayPods'), '101:10.186.101.31, 102');
    expect(upods.nodes[1]!.underlayPods).toEqual([{ vlan: 101, name: 'upod-101-31', ip: '10.186.101.31' }, { vlan: 102 }]);
    expect(checkParams(upods).errors).toEqual([]);
  });

  it('adds a node with the next address and pod subnet, which is valid at once; removes it again', () => {
    const q = addItem(REFERENCE_PARAMS, 'nodes');
    expect(q.nodes[2]).toEqual({ name: 'node-c', address: '10.186.153.13', podSubnet: '10.20.0.0/24', pods: [{}] });
    expect(checkParams(q).errors).toEqual([]);
    expect(removeItem(q, 'nodes', 2)).toEqual(REFERENCE_PARAMS);
    const v = addItem(REFERENCE_PARAMS, 'vlans');
    expect(v.vlans![2]).toEqual({ id: 103, subnet: '', gateway: '' });
    const s = addItem(REFERENCE_PARAMS, 'services');
    expect(s.services!.list).toHaveLength(3);
  });

  it('puts each error next to its field, or nowhere when the form has no such field', () => {
    const paths = allFields(REFERENCE_PARAMS).map((f) => f.path);
    expect(fieldOfError('nodes[0].pods[2].ip', paths)).toBe('nodes[0].pods');
    expect(fieldOfError('fabric.nics[1]', paths)).toBe('fabric.nics');
    expect(fieldOfError('overlay.podMtu', paths)).toBe('overlay.podMtu');
    expect(fieldOfError('nodes[0].macs.vtep', paths)).toBeUndefined();
    expect(fieldOfError('nodes[1].name', paths)).toBe('nodes[1].name');
  });
});

describe('parameters in the URL', () => {
  it('carry only what changed, and give back the same parameters', () => {
    expect(diff(REFERENCE_PARAMS, REFERENCE_PARAMS)).toBeUndefined();
    expect(writePatch('', 'cluster', undefined)).toBe('');
    const q = setField(REFERENCE_PARAMS, field(REFERENCE_PARAMS, 'overlay.vni'), '7');
    const patch = diff(REFERENCE_PARAMS, q);
    expect(patch).toEqual({ overlay: { vni: 7 } });
    const search = writePatch('?other=1', 'cluster', patch);
    // The widgets' codec (lib/views/url-state.ts) leaves ':' ',' '/' readable.
    expect(search).toBe('?other=1&cluster=%7B%22overlay%22:%7B%22vni%22:7%7D%7D');
    expect(apply(REFERENCE_PARAMS, readPatch(search, 'cluster').patch)).toEqual(q);
    // Links written before (URLSearchParams, ':' as %3A) read the same.
    expect(readPatch('?other=1&cluster=%7B%22overlay%22%3A%7B%22vni%22%3A7%7D%7D', 'cluster').patch).toEqual(patch);
    const gone = structuredClone(REFERENCE_PARAMS);
    delete gone.underlay.gatewayMac;
    expect(diff(REFERENCE_PARAMS, gone)).toEqual({ underlay: { gatewayMac: null } });
    expect(apply(REFERENCE_PARAMS, diff(REFERENCE_PARAMS, gone))).toEqual(gone);
    for (const s of [11, 12, 13]) {
      const r = randomParams(s);
      expect(apply(REFERENCE_PARAMS, JSON.parse(JSON.stringify(diff(REFERENCE_PARAMS, r))))).toEqual(r);
    }
  });

  it('reports a patch that is not JSON', () => {
    expect(readPatch('?cluster=%7Bnope', 'cluster').error).toBeDefined();
    expect(readPatch('?x=1', 'cluster')).toEqual({});
  });
});

describe('the ZIP archive', () => {
  it('computes CRC-32 as zlib does', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array())).toBe(0);
  });

  it('is read back by Python\'s zipfile: names, contents and Unix modes', () => {
    const enc = new TextEncoder();
    const data = zip([
      { path: 'cluster/README.md', data: enc.encode('# hello\n'), mode: 0o644 },
      { path: 'cluster/nodes/node-a/setup-node-a.sh', data: enc.encode('#!/bin/bash\nip link\n'), mode: 0o755 },
      { path: 'cluster/empty.txt', data: new Uint8Array(), mode: 0o644 },
    ]);
    const dir = mkdtempSync(join(tmpdir(), 'nagen-zip-'));
    try {
      const file = join(dir, 'a.zip');
      writeFileSync(file, data);
      const py = `import zipfile,sys
z=zipfile.ZipFile(sys.argv[1])
assert z.testzip() is None
for i in z.infolist(): print(i.filename, oct(i.external_attr>>16), repr(z.read(i).decode()))`;
      const r = spawnSync('python3', ['-c', py, file], { encoding: 'utf8' });
      expect(r.stderr).toBe('');
      expect(r.stdout).toBe(
        "cluster/README.md 0o100644 '# hello\\n'\ncluster/nodes/node-a/setup-node-a.sh 0o100755 '#!/bin/bash\\nip link\\n'\ncluster/empty.txt 0o100644 ''\n",
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
