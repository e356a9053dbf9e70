// `netatlas generate`: writes the files of lib/generator (scripts executable), refuses bad
// parameters with their field paths and exit status 2, and prints the reference parameters.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generate } from '../../lib/generator/generate.ts';
import { REFERENCE_PARAMS } from '../../lib/generator/reference.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'nagen-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cli = (...args: string[]) => spawnSync(process.execPath, [join(ROOT, 'lib', 'cli', 'main.ts'), ...args], { encoding: 'utf8' });

describe('netatlas generate', () => {
  it('writes every file of the generator, scripts executable', () => {
    const out = join(dir, 'ref');
    const r = cli('generate', join(ROOT, 'content', 'scripts', 'reference.params.json'), '--out', out);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^netatlas generate: wrote \d+ files to .* \(nodes node-a, node-b\)/);
    const g = generate(REFERENCE_PARAMS);
    if (!g.ok) throw new Error('reference does not generate');
    for (const f of g.value.files) {
      const p = join(out, ...f.path.split('/'));
      if (f.path !== 'params.json') expect(readFileSync(p, 'utf8'), f.path).toBe(f.text);
      expect(statSync(p).mode & 0o777, f.path).toBe(f.executable ? 0o755 : 0o644);
    }
    for (const s of ['00-hosts', '10-fabric', '30-overlay', '60-snat']) {
      expect(readFileSync(join(out, 'simulation', `${s}.sh`), 'utf8')).toBe(readFileSync(join(ROOT, 'content', 'scripts', `${s}.sh`), 'utf8'));
    }
  });

  it('refuses bad parameters: every problem with its field, exit status 2', () => {
    const p = structuredClone(REFERENCE_PARAMS);
    p.nodes[1]!.podSubnet = '10.30.4.0/24';
    p.nodes[1]!.pods = [{}];
    p.overlay.podMtu = 1480;
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify(p));
    const r = cli('generate', file, '--out', join(dir, 'bad'));
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`netatlas generate: ${file}: 2 problems with the parameters:\n`);
    expect(r.stderr).toContain('  nodes[1].podSubnet: 10.30.4.0/24 is outside overlay.podCidr 10.20.0.0/16\n');
    expect(r.stderr).toContain('  overlay.podMtu: 1480 does not fit the underlay');
  });

  it('says what is wrong with the command line or the file', () => {
    expect(cli('generate').status).toBe(2);
    expect(cli('generate', 'x.json').stderr).toContain('--out DIR');
    writeFileSync(join(dir, 'notjson.json'), '{ nodes: ');
    const r = cli('generate', join(dir, 'notjson.json'), '--out', join(dir, 'x'));
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('is not valid JSON');
    expect(cli('generate', '--help').stdout).toContain('Usage: netatlas generate PARAMS.json --out DIR');
    expect(cli('help').stdout).toContain('generate PARAMS.json --out DIR');
  });

  it('prints the reference parameters as an example', () => {
    const r = cli('generate', '--example');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(REFERENCE_PARAMS);
  });
});
