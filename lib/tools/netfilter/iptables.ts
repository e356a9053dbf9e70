// `iptables [-w] [-t nat|filter] ...`: the nat and filter tables of the namespace the command
// runs in; the other tables are refused as unsupported. `iptables-save` prints the tables
// that exist in the kernel.
import { filterTable, natTable, NatTableError, type NatTable } from '../../model/netfilter/nat-table.ts';
import { registerTool } from '../registry.ts';
import { eprint, print, UnsupportedError, type ToolContext } from '../tool.ts';
import { IPT_VERSION, IptError, nftError, paramError, plainError } from './errors.ts';
import { checkChainName, parseIptables, type IptCommand } from './iptables-parse.ts';
import { listAll, listOne, listRulesAll, listRulesChain } from './iptables-print.ts';

const TABLES = new Set(['filter', 'nat', 'mangle', 'raw', 'security']);

function tableError(e: NatTableError, op: 'append' | 'insert'): IptError {
  switch (e.code) {
    case 'no-chain':
      return plainError('No chain/target/match by that name.');
    case 'chain-exists':
      return plainError('Chain already exists.');
    case 'chain-busy':
      return nftError(` CHAIN_DEL failed (Device or resource busy): chain ${e.chain}`, 4);
    case 'no-rule':
      return plainError('Bad rule (does a matching rule exist in that chain?).');
    case 'delete-index':
      return plainError('Index of deletion too big.');
    case 'insert-index':
      return plainError('Index of insertion too big.');
    case 'invalid-hook':
      return nftError(` RULE_${op.toUpperCase()} failed (Invalid argument): rule in chain ${e.chain}`, 4);
    case 'loop':
      // nft_chain_validate: the jump stack overflows (EMLINK), for a loop as for depth.
      return nftError(` RULE_${op.toUpperCase()} failed (Too many links): rule in chain ${e.chain}`, 4);
    case 'jump-to-base':
      return nftError(` RULE_${op.toUpperCase()} failed (Operation not supported): rule in chain ${e.chain}`, 4);
    case 'no-target-chain':
      return paramError(`Chain '${e.chain}' does not exist`);
    case 'not-builtin':
      return plainError('Bad built-in chain name.');
    case 'not-empty':
      return plainError('Directory not empty.');
  }
}

function incompatible(t: NatTable, chain: string): IptError {
  return nftError(`chain \`${chain}' in table \`${t.table}' is incompatible, use 'nft' tool.`, 1);
}

function run(t: NatTable, cmd: IptCommand, ctx: ToolContext): number {
  switch (cmd.op) {
    case 'version':
      print(ctx, `${IPT_VERSION}\n`);
      return 0;
    case 'append':
      t.append(cmd.chain, cmd.rule);
      return 0;
    case 'insert':
      t.insert(cmd.chain, cmd.index, cmd.rule);
      return 0;
    case 'check':
      if (t.find(cmd.chain, cmd.rule) < 0) throw plainError('Bad rule (does a matching rule exist in that chain?).');
      return 0;
    case 'delete':
      t.deleteRule(cmd.chain, cmd.rule);
      return 0;
    case 'delete-num':
      t.deleteAt(cmd.chain, cmd.index);
      return 0;
    case 'flush':
      t.flush(cmd.chain);
      return 0;
    case 'new-chain':
      checkChainName(cmd.chain);
      t.newChain(cmd.chain);
      return 0;
    case 'delete-chain':
      t.deleteChain(cmd.chain);
      return 0;
    case 'policy':
      // nft_chain_set knows ACCEPT and DROP only (DROP on nat was refused while parsing); any
      // other word fails before the chain is looked up (seen with `-P NOCHAIN FOO`, `-P X RETURN`).
      if (cmd.policy !== 'ACCEPT' && cmd.policy !== 'DROP') throw plainError("Bad policy name. Run `dmesg' for more information.");
      t.setPolicy(cmd.chain, cmd.policy);
      return 0;
    case 'list-rules': {
      if (cmd.chain === undefined) {
        print(ctx, listRulesAll(t));
        return 0;
      }
      const c = t.chain(cmd.chain);
      if (!c) throw incompatible(t, cmd.chain);
      print(ctx, listRulesChain(c, cmd.rulenum));
      return 0;
    }
    case 'list': {
      if (cmd.chain === undefined) {
        print(ctx, listAll(t, cmd.fmt));
        return 0;
      }
      const c = t.chain(cmd.chain);
      if (!c) throw incompatible(t, cmd.chain);
      print(ctx, listOne(t, c, cmd.fmt, cmd.rulenum));
      return 0;
    }
  }
}

export function iptables(argv: string[], ctx: ToolContext): number {
  try {
    const inv = parseIptables(argv.slice(1));
    if (inv.command.op === 'version') return run(natTable(ctx.ns), inv.command, ctx);
    if (!TABLES.has(inv.table)) {
      throw nftError(`table '${inv.table}' does not exist\nPerhaps iptables or your kernel needs to be upgraded.`, 3);
    }
    if (inv.table !== 'nat' && inv.table !== 'filter') {
      throw new UnsupportedError(`iptables: the ${inv.table} table is not modelled (only nat and filter are)`, inv.table);
    }
    const t = inv.table === 'nat' ? natTable(ctx.ns) : filterTable(ctx.ns);
    try {
      return run(t, inv.command, ctx);
    } catch (e) {
      if (e instanceof NatTableError) throw tableError(e, inv.command.op === 'insert' ? 'insert' : 'append');
      throw e;
    }
  } catch (e) {
    if (e instanceof IptError) {
      eprint(ctx, e.text);
      return e.status;
    }
    throw e;
  }
}

registerTool('iptables', iptables);
registerTool('iptables-nft', iptables);
