// The reference cluster is one parameter set: generating from content/scripts/reference.params.json
// reproduces content/scripts/*.sh byte for byte.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkParams } from '../../lib/generator/check-params.ts';
import { REFERENCE_PARAMS } from '../../lib/generator/reference.ts';
import { REFERENCE_STAGES, simulationScripts } from '../../lib/generator/simulation.ts';

const ROOT = join(import.meta.dirname, '..', '..');

describe('the reference parameters', () => {
  const checked = checkParams(REFERENCE_PARAMS);

  it('are valid', () => {
    expect(checked.errors).toEqual([]);
  });

  const scripts = checked.cluster ? simulationScripts(checked.cluster, 'production') : [];
  for (const id of REFERENCE_STAGES) {
    it(`reproduce content/scripts/${id}.sh byte for byte`, () => {
      const expected = readFileSync(join(ROOT, 'content', 'scripts', `${id}.sh`), 'utf8');
      expect(scripts.find((s) => s.name === `${id}.sh`)?.text).toBe(expected);
    });
  }

  it('are all content/scripts holds: the production cluster, no stand-in fabric', () => {
    const top = readdirSync(join(ROOT, 'content', 'scripts')).filter((f) => f.endsWith('.sh')).sort();
    expect(top).toEqual(REFERENCE_STAGES.map((id) => `${id}.sh`).sort());
    expect(top).not.toContain('10-fabric-lab.sh');
  });
});
