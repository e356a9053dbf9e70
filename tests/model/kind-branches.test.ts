// Device kinds live in lib/kinds/ (one module each, one table): outside it, at most three
// files may compare a device kind by name (issue 18). scripts/kind-branches.ts measures it
// with the type checker: a comparison counts when the other side can hold a device kind.
import { describe, expect, it } from 'vitest';
import { kindBranches } from '../../scripts/kind-branches.ts';

describe('device-kind branches outside lib/kinds/', () => {
  it('are in at most 3 files', () => {
    const sites = kindBranches();
    const files = [...new Set(sites.map((s) => s.file))];
    expect(files.length, sites.map((s) => `${s.file}:${s.line}: ${s.text}`).join('\n')).toBeLessThanOrEqual(3);
  }, 120_000);

  it('are found where they exist (the counter is not blind)', () => {
    // lib/kinds/ itself is excluded; the OVS database compares its Interface type column
    // ('internal'), which the counter reports.
    expect(kindBranches().some((s) => s.file === 'lib/model/ovs/db.ts')).toBe(true);
  }, 120_000);
});
