// Printing the plan: the simulation scripts (every machine a namespace) and each node's own
// script (its commands without the namespace wrapper, in one file with a section per stage).
import type { Node } from './cluster.ts';
import type { Cmd, Item, Stage } from './plan.ts';
import { wrapComment } from './text.ts';

/** A command as run in the simulation: wrapped into its namespace unless it runs in the root. */
export function simCommand(c: Cmd): string {
  if (c.ns === null) return `${c.tool} ${c.args}`;
  if (c.tool === 'ip' || c.tool === 'bridge') return `${c.tool} -n ${c.ns} ${c.args}`;
  return `ip netns exec ${c.ns} ${c.tool} ${c.args}`;
}

/** A command as run on real node `node`: plain on the node itself, wrapped into a pod's namespace. */
export function nodeCommand(c: Cmd, node: string): string {
  if (c.ns === null || c.ns === node) return `${c.tool} ${c.args}`;
  return simCommand(c);
}

const comment = (text: string) => (text === '' ? '#' : `# ${text}`);

/** The stage as a simulation script: its header, `set -e`, and every item the simulation has. */
export function renderSimulation(stage: Stage): string {
  const lines = [...stage.header.map(comment), 'set -e'];
  for (const it of stage.items) {
    if (it.kind === 'blank') lines.push('');
    else if (it.kind === 'comment') {
      if (it.sim) lines.push(comment(it.text));
    } else if (!it.realOnly) lines.push(simCommand(it));
  }
  return lines.join('\n') + '\n';
}

/** The node's part of a stage: its commands and comments; blank lines collapsed and trimmed. */
export function nodeLines(stage: Stage, node: string): string[] {
  const out: string[] = [];
  const keep = (it: Item): boolean => (it.kind === 'blank' ? true : it.kind === 'comment' ? it.node === node : it.node === node);
  for (const it of stage.items) {
    if (!keep(it)) continue;
    if (it.kind === 'blank') {
      if (out.length > 0 && out[out.length - 1] !== '') out.push('');
    } else if (it.kind === 'comment') out.push(...wrapComment(it.text).map(comment));
    else out.push(nodeCommand(it, node));
  }
  while (out.length > 0 && out[out.length - 1] === '') out.pop();
  return out;
}

/** Does the node's script have anything for this stage (commands, not only comments)? */
export function stageHasNode(stage: Stage, node: string): boolean {
  return stage.items.some((it) => it.kind === 'cmd' && it.node === node);
}

export function renderNodeScript(n: Node, stages: readonly Stage[], header: readonly string[]): string {
  const lines = ['#!/bin/bash', ...header.map(comment), 'set -e'];
  for (const st of stages) {
    if (st.title === undefined || !stageHasNode(st, n.name)) continue;
    lines.push('', comment(`---- ${st.id}: ${st.title}`), ...nodeLines(st, n.name));
  }
  return lines.join('\n') + '\n';
}
