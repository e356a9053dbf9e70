// iptables' command line (xshared.c do_parse, iptables 1.8.9): getopt_long with in-order
// non-options, one command, the ip header options, match and target extensions, and the
// checks that run after the options (mandatory extension options, option/command table,
// interface direction).
import { UnsupportedError } from '../tool.ts';
import type { AddrSpec, IfaceSpec, Match, ProtoSpec, Rule, Target } from '../../model/netfilter/rule.ts';
import { badArgument, paramError } from './errors.ts';
import { parseAddrSpec } from './iptables-addr.ts';
import {
  commentMatch,
  icmpMatch,
  markMatch,
  addrtypeMatch,
  markTarget,
  masqueradeTarget,
  natTarget,
  portsMatch,
  rejectTarget,
  UnsupportedOption,
  type Extension,
  type ExtOption,
  type MatchExt,
  type RuleProto,
  type TargetExt,
} from './iptables-ext.ts';
import { KNOWN_MATCHES, KNOWN_TARGETS, parseProtocol } from './names.ts';

export interface ListFormat {
  numeric: boolean;
  verbose: boolean;
  exact: boolean;
  lineNumbers: boolean;
}

export type IptCommand =
  | { op: 'append' | 'check' | 'delete'; chain: string; rule: Rule }
  | { op: 'insert'; chain: string; index: number; rule: Rule }
  | { op: 'delete-num'; chain: string; index: number }
  | { op: 'list'; chain?: string; rulenum?: number; fmt: ListFormat }
  | { op: 'list-rules'; chain?: string; rulenum?: number }
  | { op: 'flush'; chain?: string }
  | { op: 'new-chain'; chain: string }
  | { op: 'delete-chain'; chain?: string }
  | { op: 'policy'; chain: string; policy: string }
  | { op: 'version' };

export interface IptInvocation {
  table: string;
  command: IptCommand;
}

type Cmd = 'A' | 'C' | 'D' | 'Dn' | 'I' | 'L' | 'S' | 'F' | 'N' | 'X' | 'P';

/** The bits of options_v_commands, in the order generic_opt_check reports them. */
const OPTS = ['n', 's', 'd', 'p', 'j', 'v', 'x', 'i', 'o', '0', 'c', 'f'] as const;
type Opt = (typeof OPTS)[number];
const IDRAC: readonly Cmd[] = ['I', 'D', 'A', 'C'];
const ALLOWED: Record<Opt, readonly Cmd[] | 'all'> = {
  n: ['L'],
  s: IDRAC,
  d: IDRAC,
  p: IDRAC,
  j: IDRAC,
  v: 'all',
  x: ['L'],
  i: IDRAC,
  o: IDRAC,
  '0': ['L'],
  c: ['I', 'A', 'P'],
  f: IDRAC,
};

const LONG: Record<string, string> = {
  append: 'A', check: 'C', delete: 'D', insert: 'I', list: 'L', 'list-rules': 'S', flush: 'F',
  'new-chain': 'N', new: 'N', 'delete-chain': 'X', policy: 'P', version: 'V', table: 't',
  source: 's', src: 's', destination: 'd', dst: 'd', protocol: 'p', 'in-interface': 'i',
  'out-interface': 'o', jump: 'j', match: 'm', numeric: 'n', verbose: 'v', exact: 'x',
  'line-numbers': '0', wait: 'w', 'wait-interval': 'W', fragment: 'f', goto: 'g', replace: 'R',
  zero: 'Z', 'rename-chain': 'E', help: 'h', ipv4: '4', ipv6: '6', 'set-counters': 'c',
};
/** Short options taking an argument; L S F X Z w W h take one only when attached or following. */
const NEEDS_ARG = new Set(['A', 'C', 'D', 'R', 'I', 'N', 'P', 'E', 't', 's', 'd', 'p', 'i', 'o', 'j', 'm', 'g', 'c', 'M']);
const OPTIONAL_ARG = new Set(['L', 'S', 'F', 'Z', 'X', 'w', 'W', 'h']);

const CMD_CHAR: Record<Cmd, string> = { A: 'A', C: 'C', D: 'D', Dn: 'D', I: 'I', L: 'L', S: 'S', F: 'F', N: 'N', X: 'X', P: 'P' };

class Parser {
  private i = 0;
  private readonly args: string[];
  private invert = false;
  private cmd: Cmd | undefined;
  private chain: string | undefined;
  private rulenum: number | undefined;
  private policy: string | undefined;
  private table = 'filter';
  private readonly options = new Set<Opt>();
  private srcText: { text: string; invert: boolean } | undefined;
  private dstText: { text: string; invert: boolean } | undefined;
  private iif: IfaceSpec | undefined;
  private oif: IfaceSpec | undefined;
  private proto: ProtoSpec | undefined;
  private readonly matches: MatchExt[] = [];
  /** x6 option ids each extension instance has seen. */
  private readonly x6Seen = new Map<Extension, Set<string>>();
  private protoLoaded = false;
  private target: TargetExt | undefined;
  private jumpTo: string | undefined;
  private readonly fmt: ListFormat = { numeric: false, verbose: false, exact: false, lineNumbers: false };

  constructor(args: string[]) {
    this.args = args;
  }

  /** xs_has_arg: a following word that is not an option or `!`. */
  private hasArg(): boolean {
    const a = this.args[this.i];
    return a !== undefined && !a.startsWith('-') && !a.startsWith('!');
  }

  private setCommand(c: Cmd): void {
    if (this.invert) throw paramError("unexpected '!' flag");
    if (this.cmd !== undefined) throw paramError(`Cannot use -${CMD_CHAR[c]} with -${CMD_CHAR[this.cmd]}`);
    this.cmd = c;
  }

  private setOption(o: Opt): boolean {
    if (this.options.has(o)) throw paramError(`multiple -${o} flags not allowed`);
    this.options.add(o);
    const inv = this.invert;
    this.invert = false;
    if (inv && (o === 'n' || o === 'j' || o === 'v' || o === 'x' || o === '0' || o === 'c')) {
      throw paramError(`cannot have ! before -${o}`);
    }
    return inv;
  }

  private ruleNumber(text: string): number {
    if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > 0x7fffffff) throw paramError(`Invalid rule number \`${text}'`);
    return Number(text);
  }

  parse(): IptInvocation {
    while (this.i < this.args.length) {
      const tok = this.args[this.i++]!;
      if (tok === '!') {
        if (this.invert) throw paramError('multiple consecutive ! not allowed');
        this.invert = true;
        continue;
      }
      if (tok.startsWith('--') && tok.length > 2) {
        this.longOption(tok);
        continue;
      }
      if (tok.startsWith('-') && tok.length > 1) {
        this.shortCluster(tok);
        continue;
      }
      throw badArgument(tok);
    }
    return this.finish();
  }

  private longOption(tok: string): void {
    const eq = tok.indexOf('=');
    const name = eq < 0 ? tok.slice(2) : tok.slice(2, eq);
    const inline = eq < 0 ? undefined : tok.slice(eq + 1);
    const short = LONG[name];
    if (short !== undefined) {
      let value = inline;
      if (value === undefined && NEEDS_ARG.has(short)) {
        value = this.args[this.i++];
        if (value === undefined) throw paramError(`option "--${name}" requires an argument`);
      }
      this.option(short, value, `--${name}`);
      return;
    }
    this.extensionOption(name, inline, tok);
  }

  private shortCluster(tok: string): void {
    for (let k = 1; k < tok.length; k++) {
      const c = tok[k]!;
      const rest = tok.slice(k + 1);
      if (NEEDS_ARG.has(c)) {
        let value = rest;
        if (value === '') {
          const next = this.args[this.i++];
          if (next === undefined) throw paramError(`option "-${c}" requires an argument`);
          value = next;
        }
        this.option(c, value, `-${c}`);
        return;
      }
      if (OPTIONAL_ARG.has(c)) {
        this.option(c, rest === '' ? undefined : rest, `-${c}`);
        return;
      }
      if ('nvx46fV'.includes(c)) {
        this.option(c, undefined, `-${c}`);
        continue;
      }
      throw paramError(`unknown option "${tok}"`);
    }
  }

  private option(c: string, value: string | undefined, spelled: string): void {
    switch (c) {
      case 'A':
      case 'C':
        this.setCommand(c);
        this.chain = value!;
        return;
      case 'D':
        this.setCommand('D');
        this.chain = value!;
        if (this.hasArg()) {
          this.rulenum = this.ruleNumber(this.args[this.i++]!);
          this.cmd = 'Dn';
        }
        return;
      case 'I':
        this.setCommand('I');
        this.chain = value!;
        this.rulenum = this.hasArg() ? this.ruleNumber(this.args[this.i++]!) : 1;
        return;
      case 'L':
      case 'S':
        this.setCommand(c);
        if (value !== undefined) this.chain = value;
        else if (this.hasArg()) this.chain = this.args[this.i++]!;
        if (this.hasArg()) this.rulenum = this.ruleNumber(this.args[this.i++]!);
        return;
      case 'F':
      case 'X':
        this.setCommand(c);
        if (value !== undefined) this.chain = value;
        else if (this.hasArg()) this.chain = this.args[this.i++]!;
        return;
      case 'N':
        this.setCommand('N');
        this.chain = value!;
        return;
      case 'P':
        this.setCommand('P');
        this.chain = value!;
        if (!this.hasArg()) throw paramError('-P requires a chain and a policy');
        this.policy = this.args[this.i++]!;
        return;
      case 'V':
        throw new VersionRequest();
      case 't':
        if (this.invert) throw paramError('unexpected ! flag before --table');
        this.table = value!;
        return;
      case 's':
        this.srcText = { text: value!, invert: this.setOption('s') };
        return;
      case 'd':
        this.dstText = { text: value!, invert: this.setOption('d') };
        return;
      case 'p': {
        const inv = this.setOption('p');
        const num = parseProtocol(value!);
        if (num === undefined) throw paramError(`unknown protocol "${value}" specified`);
        if (num === 0 && inv) throw paramError('rule would never match protocol');
        this.proto = { num, invert: inv };
        return;
      }
      case 'i':
      case 'o': {
        const inv = this.setOption(c);
        if (value!.length >= 16) throw paramError(`interface name \`${value}' must be shorter than IFNAMSIZ (15)`);
        if (c === 'i') this.iif = { name: value!, invert: inv };
        else this.oif = { name: value!, invert: inv };
        return;
      }
      case 'j':
        this.setOption('j');
        this.jump(value!);
        return;
      case 'm':
        if (this.invert) throw paramError('unexpected ! flag before --match');
        this.loadMatch(value!);
        return;
      case 'n':
        this.setOption('n');
        this.fmt.numeric = true;
        return;
      case 'v':
        if (!this.options.has('v')) this.options.add('v');
        this.fmt.verbose = true;
        return;
      case 'x':
        this.setOption('x');
        this.fmt.exact = true;
        return;
      case '0':
        this.setOption('0');
        this.fmt.lineNumbers = true;
        return;
      case 'w':
        if (value === undefined && this.hasArg()) {
          const v = this.args[this.i++]!;
          if (!/^\d+$/.test(v)) throw paramError('wait seconds not numeric');
        }
        return;
      case 'W':
        if (value === undefined && this.hasArg()) this.i++;
        return;
      case '4':
        return;
      default:
        throw new UnsupportedError(`iptables: option ${spelled} is not modelled (the model has the nat and filter tables' -A -I -D -C -L -S -F -N -X -P)`, spelled);
    }
  }

  private jump(name: string): void {
    if (this.invert) throw paramError('cannot have ! before -j');
    this.jumpTo = name;
    const proto: RuleProto = { invert: this.proto?.invert ?? false };
    if (this.proto) proto.num = this.proto.num;
    switch (name) {
      case 'SNAT':
      case 'DNAT':
        this.target = natTarget(name, proto);
        return;
      case 'MASQUERADE':
        this.target = masqueradeTarget(proto);
        return;
      case 'MARK':
        this.target = markTarget();
        return;
      case 'REJECT':
        this.target = rejectTarget();
        return;
      case 'ACCEPT':
      case 'RETURN':
      case 'DROP':
        return;
      default:
        if (KNOWN_TARGETS.has(name)) {
          throw new UnsupportedError(`iptables: target ${name} is not modelled (the model has SNAT, DNAT, MASQUERADE, MARK, REJECT, ACCEPT, DROP, RETURN and jumps)`, name);
        }
    }
  }

  private newMatch(name: string): MatchExt {
    switch (name) {
      case 'tcp':
      case 'udp':
        return portsMatch(name);
      case 'icmp':
        return icmpMatch();
      case 'comment':
        return commentMatch();
      case 'mark':
        return markMatch();
      case 'addrtype':
        return addrtypeMatch();
      default:
        if (KNOWN_MATCHES.has(name)) {
          throw new UnsupportedError(`iptables: match -m ${name} is not modelled (the model has tcp, udp, icmp, comment, mark, addrtype)`, name);
        }
        throw paramError(`Couldn't load match \`${name}':No such file or directory\n`);
    }
  }

  private loadMatch(name: string): void {
    const m = this.newMatch(name);
    this.matches.push(m);
    if (this.proto && (name === 'tcp' || name === 'udp' || name === 'icmp')) this.protoLoaded = true;
  }

  private extensionOption(name: string, inline: string | undefined, tok: string): void {
    const exts: Extension[] = [];
    if (this.target) exts.push(this.target);
    exts.push(...[...this.matches].reverse());
    for (const e of exts) {
      const o = e.options.find((x) => x.name === name);
      if (!o) continue;
      this.runExtOption(e, o, inline);
      return;
    }
    // load_proto: an unknown option with -p given loads that protocol's match once.
    if (this.proto && !this.protoLoaded && !this.proto.invert) {
      this.protoLoaded = true;
      const pname = this.proto.num === 6 ? 'tcp' : this.proto.num === 17 ? 'udp' : this.proto.num === 1 ? 'icmp' : undefined;
      if (pname) {
        const m = this.newMatch(pname);
        this.matches.push(m);
        const o = m.options.find((x) => x.name === name);
        if (o) {
          this.runExtOption(m, o, inline);
          return;
        }
      }
    }
    throw paramError(`unknown option "${tok}"`);
  }

  private runExtOption(e: Extension, o: ExtOption, inline: string | undefined): void {
    const name = o.name;
    let value = inline;
    if (o.hasArg && value === undefined) {
      value = this.args[this.i++];
      if (value === undefined) throw paramError(`option "--${name}" requires an argument`);
    }
    const inv = this.invert;
    this.invert = false;
    if (e.x6) {
      // xtables_option_parse: each option id once, and `!` only before an invertible one.
      const id = o.id ?? o.name;
      let seen = this.x6Seen.get(e);
      if (!seen) this.x6Seen.set(e, (seen = new Set()));
      if (seen.has(id)) throw paramError(`${e.name}: option "--${id}" can only be used once.\n`);
      if (inv && !o.invert) throw paramError(`${e.name}: option "--${id}" cannot be inverted.\n`);
      seen.add(id);
    }
    try {
      e.parse(name, value, inv);
    } catch (err) {
      if (err instanceof UnsupportedOption) throw new UnsupportedError(`iptables: ${e.name} ${err.option} is not modelled`, err.option);
      throw err;
    }
  }

  private finish(): IptInvocation {
    if (this.table === 'nat' && (this.policy === 'DROP' || this.jumpTo === 'DROP')) {
      throw paramError('\nThe "nat" table is not intended for filtering, the use of DROP is therefore inhibited.\n\n');
    }
    for (const m of this.matches) m.finish();
    this.target?.finish();
    if (this.cmd === undefined) throw paramError('no command specified');
    if (this.invert) throw paramError('nothing appropriate following !');
    const ruleCmd = this.cmd === 'A' || this.cmd === 'I' || this.cmd === 'D' || this.cmd === 'C';
    let src: AddrSpec | undefined;
    let dst: AddrSpec | undefined;
    if (ruleCmd) {
      src = this.srcText ? parseAddrSpec(this.srcText.text, this.srcText.invert) : undefined;
      dst = this.dstText ? parseAddrSpec(this.dstText.text, this.dstText.invert) : undefined;
    }
    for (const o of OPTS) {
      if (!this.options.has(o)) continue;
      const allowed = ALLOWED[o];
      if (allowed !== 'all' && !allowed.includes(this.cmd)) throw paramError(`Illegal option \`-${o}' with this command`);
    }
    if (this.chain !== undefined && this.chain.length >= 29) {
      throw paramError(`chain name \`${this.chain}' too long (must be under 29 chars)`);
    }
    if (ruleCmd) {
      const c = this.chain!;
      if ((c === 'PREROUTING' || c === 'INPUT') && this.oif) throw paramError(`Can't use -o with ${c}\n`);
      if ((c === 'POSTROUTING' || c === 'OUTPUT') && this.iif) throw paramError(`Can't use -i with ${c}\n`);
      for (const m of this.matches) this.checkProtoMatch(m.name);
    }
    return { table: this.table, command: this.command(src, dst) };
  }

  /** libxt_tcp/udp check: the match needs the rule's protocol. */
  private checkProtoMatch(name: string): void {
    const need = name === 'tcp' ? 6 : name === 'udp' ? 17 : name === 'icmp' ? 1 : undefined;
    if (need === undefined) return;
    if (!this.proto || this.proto.num !== need || this.proto.invert) {
      throw paramError(`${name.toUpperCase()} match requires '-p ${name}'`);
    }
  }

  private rule(src: AddrSpec | undefined, dst: AddrSpec | undefined): Rule {
    const matches: Match[] = this.matches.map((m) => m.result());
    let target: Target;
    if (this.target) target = this.target.result();
    else if (this.jumpTo === undefined) target = { kind: 'none' };
    else if (this.jumpTo === 'ACCEPT' || this.jumpTo === 'RETURN' || this.jumpTo === 'DROP') target = { kind: this.jumpTo };
    else target = { kind: 'jump', chain: this.jumpTo };
    const r: Rule = { matches, target };
    if (src && !(src.mask === 0 && src.addr === 0 && !src.invert)) r.src = src;
    if (dst && !(dst.mask === 0 && dst.addr === 0 && !dst.invert)) r.dst = dst;
    if (this.iif) r.iif = this.iif;
    if (this.oif) r.oif = this.oif;
    if (this.proto && this.proto.num !== 0) r.proto = this.proto;
    return r;
  }

  private command(src: AddrSpec | undefined, dst: AddrSpec | undefined): IptCommand {
    const chain = this.chain;
    switch (this.cmd!) {
      case 'A':
        return { op: 'append', chain: chain!, rule: this.rule(src, dst) };
      case 'C':
        return { op: 'check', chain: chain!, rule: this.rule(src, dst) };
      case 'D':
        return { op: 'delete', chain: chain!, rule: this.rule(src, dst) };
      case 'Dn':
        return { op: 'delete-num', chain: chain!, index: this.rulenum! };
      case 'I':
        return { op: 'insert', chain: chain!, index: this.rulenum!, rule: this.rule(src, dst) };
      case 'L':
        return { op: 'list', ...(chain !== undefined ? { chain } : {}), ...(this.rulenum !== undefined ? { rulenum: this.rulenum } : {}), fmt: this.fmt };
      case 'S':
        return { op: 'list-rules', ...(chain !== undefined ? { chain } : {}), ...(this.rulenum !== undefined ? { rulenum: this.rulenum } : {}) };
      case 'F':
        return { op: 'flush', ...(chain !== undefined ? { chain } : {}) };
      case 'N':
        return { op: 'new-chain', chain: chain! };
      case 'X':
        return { op: 'delete-chain', ...(chain !== undefined ? { chain } : {}) };
      case 'P':
        return { op: 'policy', chain: chain!, policy: this.policy! };
    }
  }
}

class VersionRequest extends Error {}

/** Parses `iptables ARGS...` (argv without the program name). */
export function parseIptables(args: string[]): IptInvocation {
  try {
    return new Parser(args).parse();
  } catch (e) {
    if (e instanceof VersionRequest) return { table: 'filter', command: { op: 'version' } };
    throw e;
  }
}

/** assert_valid_chain_name for `-N`. */
export function checkChainName(name: string): void {
  if (name.length >= 29) throw paramError(`chain name \`${name}' too long (must be under 29 chars)`);
  if (name.startsWith('-') || name.startsWith('!')) throw paramError(`chain name not allowed to start with \`${name[0]}'`);
  if (KNOWN_TARGETS.has(name)) throw paramError('chain name may not clash with target name');
  if (/\s/.test(name)) throw paramError(`Invalid chain name \`${name}'`);
}
