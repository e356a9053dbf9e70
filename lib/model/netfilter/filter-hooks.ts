// The filter table's hooks as the packet tracer calls them (priority 0, NF_IP_PRI_FILTER):
// INPUT for a packet delivered locally (before IPVS and nat INPUT), FORWARD for a routed one
// (after ip_forward decremented the TTL), OUTPUT for a locally generated one (after nat
// OUTPUT). The chain walk is the nat table's (nat-eval.ts): rules in order, jumps, RETURN;
// ACCEPT, DROP or REJECT ends it; falling off the built-in chain applies its policy.
import type { Netns } from '../netns.ts';
import { inetAddrType } from '../route-config.ts';
import { walkChain, type ChainWalk, type RuleHit } from './nat-eval.ts';
import type { FilterHook } from './nat-table.ts';
import type { NfPacket } from './packet.ts';

export interface FilterStep {
  hook: FilterHook;
  verdict: 'accept' | 'drop' | 'reject';
  /** The rule that decided, or undefined when the chain's policy did. */
  rule?: RuleHit;
  policy?: 'ACCEPT' | 'DROP';
  /** REJECT's `--reject-with` type. */
  rejectWith?: string;
  walk: ChainWalk;
}

/**
 * The filter verdict for a packet at `hook`, or undefined when the namespace's filter table
 * was never changed (nothing registered: every packet passes, and the tracer shows no step).
 */
export function filterHook(ns: Netns, hook: FilterHook, pkt: NfPacket, dev: { in?: string; out?: string }): FilterStep | undefined {
  const t = ns.ext.filter;
  if (!t?.registered) return undefined;
  const walk = walkChain(t, hook, pkt, { ...dev, addrType: (a) => inetAddrType(ns, a) });
  if (walk.end === 'policy') {
    const policy = t.chain(hook)?.policy ?? 'ACCEPT';
    return { hook, verdict: policy === 'DROP' ? 'drop' : 'accept', policy, walk };
  }
  const rule = walk.verdictHit;
  const verdict = walk.end === 'drop' ? 'drop' : walk.end === 'reject' ? 'reject' : 'accept';
  const step: FilterStep = { hook, verdict, walk, ...(rule ? { rule } : {}) };
  if (rule?.rule.target.kind === 'REJECT') step.rejectWith = rule.rule.target.with;
  return step;
}
