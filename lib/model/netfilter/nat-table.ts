// An iptables table of one namespace (nat or filter): the built-in chains, user chains and
// their rules, with the checks the kernel (nf_tables, as iptables-nft 1.8.9 drives it)
// applies to changes.
import type { Netns } from '../netns.ts';
import { ruleSpecText } from './rule-save.ts';
import type { Rule } from './rule.ts';

export const BUILTIN_CHAINS = ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'] as const;
/** The filter table's built-in chains, in listing order. */
export const FILTER_CHAINS = ['INPUT', 'FORWARD', 'OUTPUT'] as const;
export type Hook = (typeof BUILTIN_CHAINS)[number];
export type FilterHook = (typeof FILTER_CHAINS)[number];
export type TableName = 'nat' | 'filter';

export interface Chain {
  name: string;
  builtin: boolean;
  /** Built-in chains only; the nat table allows nothing but ACCEPT. */
  policy?: 'ACCEPT' | 'DROP';
  rules: Rule[];
  /** Creation order (the order `-X` without a name walks the chains in). */
  serial: number;
}

export type NatErrorCode =
  | 'no-chain'
  | 'chain-exists'
  | 'chain-busy'
  | 'no-rule'
  | 'delete-index'
  | 'insert-index'
  | 'invalid-hook'
  | 'loop'
  | 'jump-to-base'
  | 'no-target-chain'
  | 'not-builtin'
  | 'not-empty';

/** A refused change; `chain` names the chain the kernel's message mentions. */
export class NatTableError extends Error {
  readonly code: NatErrorCode;
  readonly chain: string;
  constructor(code: NatErrorCode, chain: string) {
    super(`${code}: ${chain}`);
    this.name = 'NatTableError';
    this.code = code;
    this.chain = chain;
  }
}

/**
 * Which hooks each target may run in (the xt targets' hook masks); NAT targets also require
 * the nat table (xt_check_target: `.table = "nat"`), so in the filter table no hook takes them.
 */
const ALLOWED_HOOKS: Record<TableName, Record<string, readonly string[]>> = {
  // REJECT in a nat chain: EINVAL (seen with `-t nat -A INPUT -j REJECT`).
  nat: { DNAT: ['PREROUTING', 'OUTPUT'], SNAT: ['POSTROUTING', 'INPUT'], MASQUERADE: ['POSTROUTING'], REJECT: [] },
  filter: { DNAT: [], SNAT: [], MASQUERADE: [] },
};

export class NatTable {
  private readonly chains = new Map<string, Chain>();
  private serial = 0;
  readonly table: TableName;
  /** The built-in chains in listing order. */
  readonly builtins: readonly string[];
  /** True once a change was committed: the table (and conntrack) is live in the namespace. */
  registered = false;
  /**
   * Built-in chains that exist in the kernel: iptables-nft makes one when a command adds to it
   * (-A, -I, -P), not when listing or flushing; `-X` of an empty one deletes it again. A
   * command naming a built-in chain the kernel lacks fails with ENOENT.
   */
  private readonly live = new Set<string>();

  private requireLive(name: string): void {
    const c = this.chains.get(name);
    if (c?.builtin && !this.live.has(name)) throw new NatTableError('no-chain', name);
  }

  constructor(table: TableName = 'nat') {
    this.table = table;
    this.builtins = table === 'nat' ? BUILTIN_CHAINS : FILTER_CHAINS;
    for (const name of this.builtins) {
      this.chains.set(name, { name, builtin: true, policy: 'ACCEPT', rules: [], serial: this.serial++ });
    }
  }

  chain(name: string): Chain | undefined {
    return this.chains.get(name);
  }

  private must(name: string): Chain {
    const c = this.chains.get(name);
    if (!c) throw new NatTableError('no-chain', name);
    return c;
  }

  /** Built-in chains in hook order, then user chains sorted by name (the listing order). */
  chainsInListOrder(): Chain[] {
    const builtin = this.builtins.map((n) => this.chains.get(n)!);
    const user = [...this.chains.values()].filter((c) => !c.builtin).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return [...builtin, ...user];
  }

  /** How many rules jump to `name` (the "N references" of `iptables -L`). */
  references(name: string): number {
    let n = 0;
    for (const c of this.chains.values()) for (const r of c.rules) if (r.target.kind === 'jump' && r.target.chain === name) n++;
    return n;
  }

  newChain(name: string): Chain {
    if (this.chains.has(name)) throw new NatTableError('chain-exists', name);
    const c: Chain = { name, builtin: false, rules: [], serial: this.serial++ };
    this.chains.set(name, c);
    this.registered = true;
    return c;
  }

  /** `-A`: appends after checking the jump target and the hooks the chain is reachable from. */
  append(chain: string, rule: Rule): void {
    const c = this.must(chain);
    this.checkTarget(rule);
    this.checkHooks(c, rule);
    c.rules.push(rule);
    this.registered = true;
    if (c.builtin) this.live.add(chain);
  }

  /** `-I CHAIN [N]`: N is 1-based; N may be one past the end. */
  insert(chain: string, index: number, rule: Rule): void {
    const c = this.must(chain);
    if (index < 1 || index > c.rules.length + 1) throw new NatTableError('insert-index', chain);
    this.checkTarget(rule);
    this.checkHooks(c, rule);
    c.rules.splice(index - 1, 0, rule);
    this.registered = true;
    if (c.builtin) this.live.add(chain);
  }

  /**
   * The 0-based position of the first rule with the same specification, or -1 (also when the
   * chain does not exist: `-D`/`-C` then say "Bad rule", seen on iptables-nft 1.8.9). A jump
   * to a missing chain is refused first, as when adding.
   */
  find(chain: string, rule: Rule): number {
    this.checkTarget(rule);
    const c = this.chains.get(chain);
    if (!c || (c.builtin && !this.live.has(chain))) return -1;
    const want = ruleSpecText(rule);
    return c.rules.findIndex((r) => ruleSpecText(r) === want);
  }

  /** `-D CHAIN rule-spec`. */
  deleteRule(chain: string, rule: Rule): void {
    const i = this.find(chain, rule);
    if (i < 0) throw new NatTableError('no-rule', chain);
    this.must(chain).rules.splice(i, 1);
  }

  /** `-D CHAIN N`. */
  deleteAt(chain: string, index: number): void {
    this.requireLive(chain);
    const c = this.must(chain);
    if (index < 1 || index > c.rules.length) throw new NatTableError('delete-index', chain);
    c.rules.splice(index - 1, 1);
  }

  /** `-F [CHAIN]`. */
  flush(chain?: string): void {
    if (chain !== undefined) {
      this.must(chain).rules = [];
      return;
    }
    for (const c of this.chains.values()) c.rules = [];
  }

  /**
   * `-X [CHAIN]`: a chain that still has rules or is jumped to is busy. Without a name all
   * user chains go in one transaction, walked in creation order; the first busy one fails it.
   */
  deleteChain(name?: string): void {
    if (name !== undefined) {
      this.requireLive(name);
      const c = this.must(name);
      // A built-in chain whose policy is not ACCEPT is not deleted (ENOTEMPTY), rules or not.
      if (c.builtin && c.policy !== 'ACCEPT') throw new NatTableError('not-empty', name);
      if (c.rules.length > 0 || this.references(name) > 0) throw new NatTableError('chain-busy', name);
      if (!c.builtin) this.chains.delete(name);
      else this.live.delete(name);
      return;
    }
    const user = [...this.chains.values()].filter((c) => !c.builtin).sort((a, b) => a.serial - b.serial);
    for (const c of user) {
      if (c.rules.length > 0 || this.references(c.name) > 0) throw new NatTableError('chain-busy', c.name);
    }
    for (const c of user) this.chains.delete(c.name);
  }

  /** `-P CHAIN ACCEPT|DROP` (the nat table takes only ACCEPT: the parser refuses DROP there). */
  setPolicy(chain: string, policy: 'ACCEPT' | 'DROP' = 'ACCEPT'): void {
    const c = this.chains.get(chain);
    if (!c || !c.builtin) throw new NatTableError('not-builtin', chain);
    c.policy = policy;
    this.registered = true;
    this.live.add(chain);
  }

  private checkTarget(rule: Rule): void {
    if (rule.target.kind === 'jump' && !this.chains.has(rule.target.chain)) {
      throw new NatTableError('no-target-chain', rule.target.chain);
    }
  }

  /**
   * nf_tables validates a change against every base chain it becomes reachable from: a NAT
   * target in a hook it does not support, or a jump loop reachable from a base chain, fails
   * the whole commit. A jump rule is also walked from its target over the rules already
   * there: a loop found there fails even from a chain no base chain reaches. Both loop
   * failures are EMLINK (the jump stack of 16 overflows); loops among chains no base chain
   * reaches, made by the rule that closes them, are accepted (6.1, vm-captures/iptables-loops.sh).
   */
  private checkHooks(into: Chain, rule: Rule): void {
    // xt_REJECT's reject_tg_check: tcp-reset only in a rule matching TCP (EINVAL, as a bad hook).
    const t = rule.target;
    if (t.kind === 'REJECT' && t.with === 'tcp-reset' && (rule.proto?.num !== 6 || rule.proto.invert)) throw new NatTableError('invalid-hook', into.name);
    // nft_verdict_init: no jump or goto to a base chain (EOPNOTSUPP).
    if (t.kind === 'jump' && this.builtins.includes(t.chain)) throw new NatTableError('jump-to-base', into.name);
    if (t.kind === 'jump') this.walk(undefined, t.chain, [], undefined, into.name);
    const extra = { chain: into.name, rule };
    for (const hook of this.builtins) {
      this.walk(hook, hook, [], extra, into.name);
    }
  }

  /** NFT_JUMP_STACK_SIZE: a chain this many jumps below a base chain is one too deep. */
  private static readonly JUMP_STACK = 16;

  /** Walks the jumps from `name`; with a hook, checks each target against it; with `extra`, includes the rule being added. */
  private walk(hook: string | undefined, name: string, stack: string[], extra: { chain: string; rule: Rule } | undefined, failAt: string): void {
    if (stack.includes(name) || stack.length >= NatTable.JUMP_STACK) throw new NatTableError('loop', failAt);
    const c = this.chains.get(name);
    if (!c) return;
    const rules = name === extra?.chain ? [...c.rules, extra.rule] : c.rules;
    for (const r of rules) {
      const allowed = hook === undefined ? undefined : ALLOWED_HOOKS[this.table][r.target.kind];
      if (allowed && !allowed.includes(hook!)) throw new NatTableError('invalid-hook', failAt);
      if (r.target.kind === 'jump') this.walk(hook, r.target.chain, [...stack, name], extra, failAt);
    }
  }
}

declare module '../extensions.ts' {
  interface NsExtensions {
    nat?: NatTable;
    filter?: NatTable;
  }
}

/** The namespace's filter table, created on first use. */
export function filterTable(ns: Netns): NatTable {
  ns.ext.filter ??= new NatTable('filter');
  return ns.ext.filter;
}

/** The namespace's nat table, created on first use. */
export function natTable(ns: Netns): NatTable {
  ns.ext.nat ??= new NatTable();
  return ns.ext.nat;
}
