// The example flows the "Your cluster" page traces, on the reference parameters. Expected
// values come from the kernel (kernel-facts.md: a pod-to-pod ping across nodes arrives with
// ttl 62; overlay egress leaves SNATed to the node's address), not from the tracer.
import { describe, expect, it } from 'vitest';
import { exampleFlows, traceFlow } from '../../lib/generator/flows.ts';
import { generate } from '../../lib/generator/generate.ts';
import { REFERENCE_PARAMS } from '../../lib/generator/reference.ts';

describe('example flows on a generated cluster', () => {
  const r = generate(REFERENCE_PARAMS);
  if (!r.ok) throw new Error('the reference parameters do not generate');
  const g = r.value;
  const flows = exampleFlows(g.cluster);

  it('are pod to pod, pod to outside, outside to an underlay pod', () => {
    expect(flows.map((f) => f.kind)).toEqual(['pod', 'outside', 'underlay']);
    expect(flows[1]!.query).toMatchObject({ proto: 'tcp', dport: 80 });
  });

  it('pod to pod across nodes: delivered with ttl 62', () => {
    const o = traceFlow(g.session.world, flows[0]!);
    expect(o.delivered).toBe(true);
    expect(o.ttl).toBe(62);
  });

  it('pod to the outside host: delivered, seen from node-a\'s address (SNAT)', () => {
    const o = traceFlow(g.session.world, flows[1]!);
    expect(o.delivered).toBe(true);
    expect(o.seenSource).toBe('10.186.153.11');
  });
});
