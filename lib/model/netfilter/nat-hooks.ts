// The four NAT hooks as the packet tracer calls them, in the kernel's order:
//   received:          natPrerouting -> (route) -> natInput (local) | natPostrouting (forward)
//   locally generated: natOutput -> (route) -> natPostrouting
// Each hook looks the packet up in conntrack (the first hook creates the entry), runs the
// nat chain for the connection's first packet, and applies the connection's translation
// (nf_nat_inet_fn / nf_nat_packet). INPUT and POSTROUTING confirm a new entry.
import { Scope, type Device } from '../device.ts';
import type { Netns } from '../netns.ts';
import { selectSourceAddress } from '../src-select.ts';
import { inetAddrType } from '../route-config.ts';
import type { Ipv4Addr } from '../../net/ipv4.ts';
import { conntrackTable, updateState, type ConntrackEntry } from './conntrack.ts';
import { walkChain, type ChainWalk, type RuleHit } from './nat-eval.ts';
import { chooseTuple, type Manip } from './nat-select.ts';
import { natTable, type Hook } from './nat-table.ts';
import { IPPROTO_ICMP, hasPorts, invertTuple, tupleEquals, tupleOf, type CtDir, type NfPacket } from './packet.ts';

export interface Endpoint {
  addr: Ipv4Addr;
  port: number;
}

export interface Rewrite {
  field: 'src' | 'dst';
  from: Endpoint;
  to: Endpoint;
  /** 'rule': set up now by the NAT rule; 'conntrack': an existing connection's mapping
   *  (for a reply, the reverse of the original translation). */
  via: 'rule' | 'conntrack';
  /** The translation's origin: SNAT, MASQUERADE, DNAT or IPVS. */
  by: 'SNAT' | 'MASQUERADE' | 'DNAT' | 'IPVS';
}

export interface NatStep {
  hook: Hook;
  /** The packet leaving the hook (with `ct` set). */
  packet: NfPacket;
  verdict: 'accept' | 'drop';
  /** Why the packet was dropped. */
  dropReason?: string;
  rewrite?: Rewrite;
  /** The nat chain walk (only for a connection's first packet). */
  walk?: ChainWalk;
  /** The NAT rule that set up the translation, as `iptables -S` prints it. */
  rule?: RuleHit;
  conntrack?: { entry: ConntrackEntry; dir: CtDir; created: boolean };
  /** Where a real kernel's choice is random and the model's deterministic. */
  notes: string[];
}

/** Conntrack runs in a namespace once something needs it: a nat table or IPVS with conntrack=1. */
export function conntrackActive(ns: Netns): boolean {
  return ns.ext.nat?.registered === true || (ns.ext.ipvs !== undefined && ns.sysctl.vsConntrack !== 0);
}

function manipOf(hook: Hook): Manip {
  return hook === 'PREROUTING' || hook === 'OUTPUT' ? 'dst' : 'src';
}

function endpoint(p: NfPacket, field: 'src' | 'dst'): Endpoint {
  const port = p.proto === IPPROTO_ICMP ? p.sport : field === 'src' ? p.sport : p.dport;
  return { addr: field === 'src' ? p.src : p.dst, port };
}

/** nf_nat_manip_pkt: rewrite the packet toward the other direction's tuple, inverted. */
function applyManip(p: NfPacket, e: ConntrackEntry, dir: CtDir, manip: Manip): void {
  const target = invertTuple(dir === 'original' ? e.reply : e.orig);
  if (manip === 'dst') {
    p.dst = target.dst;
    if (hasPorts(p.proto)) p.dport = target.dport;
  } else {
    p.src = target.src;
    if (hasPorts(p.proto)) p.sport = target.sport;
  }
  if (p.proto === IPPROTO_ICMP) p.sport = target.sport;
}

interface HookEnv {
  in?: Device | string | undefined;
  out?: Device | string | undefined;
  /** POSTROUTING: the next hop MASQUERADE selects the source for (gateway or destination). */
  nexthop?: number | undefined;
}

function devName(d: Device | string | undefined): string | undefined {
  return d === undefined ? undefined : typeof d === 'string' ? d : d.name;
}

function runHook(ns: Netns, hook: Hook, pkt: NfPacket, env: HookEnv): NatStep {
  const notes: string[] = [];
  if (!conntrackActive(ns) || pkt.untracked) return { hook, packet: { ...pkt }, verdict: 'accept', notes };
  const table = conntrackTable(ns);
  const manip = manipOf(hook);
  let created = false;
  let ct = pkt.ct;
  if (!ct) {
    const found = table.lookup(tupleOf(pkt));
    if (found) {
      updateState(found.entry, found.dir, pkt);
      ct = found;
    } else {
      ct = { entry: table.create(pkt), dir: 'original' };
      created = true;
    }
  }
  const { entry, dir } = ct;
  const packet: NfPacket = { ...pkt, ct };
  const step: NatStep = { hook, packet, verdict: 'accept', conntrack: { entry, dir, created }, notes };

  if (!entry.natDone[manip]) {
    const walk = walkChain(natTable(ns), hook, packet, { in: devName(env.in), out: devName(env.out), addrType: (a) => inetAddrType(ns, a) });
    step.walk = walk;
    packet.mark = walk.mark;
    if (walk.nat) {
      const { hit, target } = walk.nat;
      step.rule = hit;
      let addr: Ipv4Addr | undefined = target.range.minAddr;
      if (target.kind === 'MASQUERADE') {
        const out = typeof env.out === 'string' ? ns.device(env.out) : env.out;
        addr = out ? selectSourceAddress(out, env.nexthop ?? packet.dst, Scope.universe) : undefined;
        if (addr === undefined) {
          step.verdict = 'drop';
          step.dropReason = `MASQUERADE: no IPv4 address to use on ${out?.name ?? 'the output device'}`;
          return step;
        }
      }
      const choice = chooseTuple(table, entry, manip, addr, target.range, target);
      notes.push(...choice.kernelRandom);
      if (!tupleEquals(choice.tuple, invertTuple(entry.reply))) {
        entry.reply = invertTuple(choice.tuple);
        if (manip === 'src') entry.srcNat = true;
        else entry.dstNat = true;
      }
      entry.natBy ??= {};
      if (manip === 'src') entry.natBy.src = target.kind === 'DNAT' ? 'SNAT' : target.kind;
      else entry.natBy.dst = 'DNAT';
    } else if (manip === 'src') {
      // nf_nat_alloc_null_binding: no rule, but the source port still moves when another
      // connection already owns the reply tuple (the kernel starts its search at random).
      const choice = chooseTuple(table, entry, 'src', undefined, {}, { random: false, randomFully: false, persistent: false });
      if (choice.portMoved) {
        notes.push('the source port clashed with another connection: the kernel picks the new port at random; the model takes the next free one');
        entry.reply = invertTuple(choice.tuple);
        entry.srcNat = true;
        entry.natBy ??= {};
        entry.natBy.src = 'SNAT';
      }
    }
    entry.natDone[manip] = true;
  }

  const bit = manip === 'src' ? (dir === 'original' ? entry.srcNat : entry.dstNat) : dir === 'original' ? entry.dstNat : entry.srcNat;
  if (bit) {
    const field = manip;
    const from = endpoint(packet, field);
    applyManip(packet, entry, dir, manip);
    const to = endpoint(packet, field);
    const by = dir === 'original' ? (manip === 'src' ? entry.natBy?.src : entry.natBy?.dst) : manip === 'src' ? entry.natBy?.dst : entry.natBy?.src;
    if (from.addr !== to.addr || from.port !== to.port) {
      step.rewrite = { field, from, to, via: step.rule ? 'rule' : 'conntrack', by: by ?? (manip === 'src' ? 'SNAT' : 'DNAT') };
    }
  }
  if (hook === 'INPUT' || hook === 'POSTROUTING') table.confirm(entry);
  return step;
}

/** nat PREROUTING (destination NAT) for a packet received on `iif`. */
export function natPrerouting(ns: Netns, pkt: NfPacket, iif: Device | string): NatStep {
  return runHook(ns, 'PREROUTING', pkt, { in: iif });
}

/** nat OUTPUT (destination NAT) for a locally generated packet routed out of `oif`. */
export function natOutput(ns: Netns, pkt: NfPacket, oif?: Device | string): NatStep {
  return runHook(ns, 'OUTPUT', pkt, { out: oif });
}

/** nat INPUT (source NAT) for a packet delivered locally; confirms a new connection. */
export function natInput(ns: Netns, pkt: NfPacket, iif: Device | string): NatStep {
  return runHook(ns, 'INPUT', pkt, { in: iif });
}

/**
 * nat POSTROUTING (source NAT) for a packet leaving through `outDev`; confirms a new
 * connection. `nexthop` is the route's gateway, or the destination when on-link: MASQUERADE
 * takes inet_select_addr(outDev, nexthop, RT_SCOPE_UNIVERSE) and ignores the route's `src`.
 */
export function natPostrouting(ns: Netns, pkt: NfPacket, outDev: Device | string, nexthop?: number): NatStep {
  return runHook(ns, 'POSTROUTING', pkt, { out: outDev, nexthop });
}
