// Runs modelled tools directly against a World, the way the shell interpreter dispatches them.
import { World } from '../../lib/model/world.ts';
import type { Netns } from '../../lib/model/netns.ts';
import { findTool } from '../../lib/tools/registry.ts';
import type { Output, ToolContext } from '../../lib/tools/tool.ts';
import '../../lib/tools/all.ts';

export interface ToolRun {
  stdout: string;
  stderr: string;
  status: number;
}

export function runTool(ns: Netns, argv: string[]): ToolRun {
  const out: Output[] = [];
  const tool = findTool(argv[0]!);
  if (!tool) throw new Error(`no tool ${argv[0]}`);
  const ctx: ToolContext = {
    world: ns.world,
    ns,
    where: 'test',
    out,
    exec: (nested, nestedNs) => findTool(nested[0]!)!(nested, { ...ctx, ns: nestedNs }),
  };
  const status = tool(argv, ctx);
  let stdout = '';
  let stderr = '';
  for (const o of out) {
    if (o.stream === 'stdout') stdout += o.text;
    else stderr += o.text;
  }
  return { stdout, stderr, status };
}

export function freshNs(name = 'nfcap-a'): Netns {
  return new World().addNetns(name);
}

/** A capture made by tests/model/fixtures/netfilter/capture.py on a real kernel. */
export interface Capture {
  captured: Record<string, string>;
  steps: { ns: string; argv: string[]; stdout: string; stderr: string; status: number }[];
}
