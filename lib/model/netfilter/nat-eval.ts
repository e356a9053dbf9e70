// Running a packet through a nat chain (ipt_do_table / nft_do_chain): rules in order, jumps
// into user chains, RETURN back, MARK changing the packet's mark on the way, and the first
// NAT target (or ACCEPT) ending the walk. Falling off a built-in chain applies its policy.
import { type HookDevices, ruleMatches } from './match.ts';
import type { Hook, NatTable } from './nat-table.ts';
import type { NfPacket } from './packet.ts';
import { ruleSaveLine } from './rule-save.ts';
import type { Rule, Target } from './rule.ts';

export type NatTarget = Extract<Target, { kind: 'SNAT' | 'DNAT' | 'MASQUERADE' }>;

export interface RuleHit {
  chain: string;
  /** 1-based position, as `--line-numbers` shows it. */
  index: number;
  rule: Rule;
  /** The rule as `iptables -S` prints it. */
  text: string;
}

export interface ChainWalk {
  /** Every rule that matched, in the order the packet met them (jumps, MARKs, RETURNs...). */
  hits: RuleHit[];
  /** The NAT rule that decided, if any. */
  nat?: { hit: RuleHit; target: NatTarget };
  /** The packet's mark after the walk (MARK targets). */
  mark: number;
  /** How the walk ended: a NAT target, ACCEPT, DROP, REJECT (filter table), or the built-in chain's policy. */
  end: 'nat' | 'accept' | 'drop' | 'reject' | 'policy';
  /** The rule that ended the walk with ACCEPT, DROP or REJECT. */
  verdictHit?: RuleHit;
}

export function walkChain(table: NatTable, hook: Hook | string, pkt: NfPacket, dev: HookDevices): ChainWalk {
  const hits: RuleHit[] = [];
  const p: NfPacket = { ...pkt };
  const stack: { chain: string; pos: number }[] = [{ chain: hook, pos: 0 }];
  while (stack.length > 0) {
    const frame = stack[stack.length - 1]!;
    const chain = table.chain(frame.chain);
    if (!chain || frame.pos >= chain.rules.length) {
      stack.pop();
      continue;
    }
    const rule = chain.rules[frame.pos]!;
    const index = ++frame.pos;
    if (!ruleMatches(rule, p, dev)) continue;
    const hit: RuleHit = { chain: chain.name, index, rule, text: ruleSaveLine(chain.name, rule) };
    hits.push(hit);
    const t = rule.target;
    switch (t.kind) {
      case 'none':
        break;
      case 'MARK':
        p.mark = (((p.mark & ~t.mask) ^ t.value) >>> 0);
        break;
      case 'jump':
        stack.push({ chain: t.chain, pos: 0 });
        break;
      case 'RETURN':
        stack.pop();
        break;
      case 'ACCEPT':
        return { hits, mark: p.mark, end: 'accept', verdictHit: hit };
      case 'DROP':
        return { hits, mark: p.mark, end: 'drop', verdictHit: hit };
      case 'REJECT':
        return { hits, mark: p.mark, end: 'reject', verdictHit: hit };
      case 'SNAT':
      case 'DNAT':
      case 'MASQUERADE':
        return { hits, nat: { hit, target: t }, mark: p.mark, end: 'nat' };
    }
  }
  return { hits, mark: p.mark, end: 'policy' };
}
