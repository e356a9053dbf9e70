// One conntrack entry as `conntrack -L` prints it (conntrack-tools 1.4.7 through
// libnetfilter_conntrack's __snprintf_conntrack_default): protocol, timeout, TCP state,
// original tuple, [UNREPLIED], reply tuple, [ASSURED], mark, use.
import { formatIpv4 } from '../../net/ipv4.ts';
import type { ConntrackEntry } from '../../model/netfilter/conntrack.ts';
import type { Tuple } from '../../model/netfilter/packet.ts';

/** __proto2str. */
const PROTO_NAMES: Record<number, string> = { 6: 'tcp', 17: 'udp', 136: 'udplite', 1: 'icmp', 58: 'icmpv6', 132: 'sctp', 47: 'gre', 33: 'dccp' };

function tupleText(t: Tuple): string {
  let s = `src=${formatIpv4(t.src)} dst=${formatIpv4(t.dst)} `;
  if (t.proto === 1) s += `type=${t.icmpType ?? 0} code=${t.icmpCode ?? 0} id=${t.sport} `;
  else if (t.proto === 6 || t.proto === 17 || t.proto === 136 || t.proto === 132 || t.proto === 33) s += `sport=${t.sport} dport=${t.dport} `;
  return s;
}

export function conntrackLine(e: ConntrackEntry): string {
  const proto = e.orig.proto;
  let s = `${(PROTO_NAMES[proto] ?? 'unknown').padEnd(8)} ${proto} `;
  s += `${e.timeout} `;
  if (e.tcpState !== undefined) s += `${e.tcpState} `;
  s += tupleText(e.orig);
  if (!e.seenReply) s += '[UNREPLIED] ';
  s += tupleText(e.reply);
  if (e.assured) s += '[ASSURED] ';
  s += `mark=${e.mark} `;
  s += 'use=1 ';
  return s.slice(0, -1);
}
