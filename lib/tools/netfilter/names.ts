// Name tables iptables consults: /etc/protocols (getprotobyname/-number), the ICMP type
// names of libxtables (xtables.c icmp codes, the table `iptables -p icmp -h` prints),
// /etc/hosts and /etc/networks for `-L` without `-n`, and the extension names installed
// with Debian's iptables 1.8.9 package.
import { formatIpv4 } from '../../net/ipv4.ts';

/** /etc/protocols (netbase 6.4), the protocols a nat rule is likely to name. */
const PROTOCOLS: ReadonlyArray<[string, number]> = [
  ['ip', 0],
  ['icmp', 1],
  ['igmp', 2],
  ['tcp', 6],
  ['udp', 17],
  ['gre', 47],
  ['esp', 50],
  ['ah', 51],
  ['ipv6-icmp', 58],
  ['sctp', 132],
  ['udplite', 136],
];

/** `-p NAME|NUMBER`: 'all' is 0; names are case-insensitive (xtables_parse_protocol). */
export function parseProtocol(text: string): number | undefined {
  const lower = text.toLowerCase();
  if (lower === 'all') return 0;
  if (/^\d+$/.test(text)) {
    const n = Number(text);
    return n <= 255 ? n : undefined;
  }
  return PROTOCOLS.find(([name]) => name === lower)?.[1];
}

/** getprotobynumber()->p_name for `iptables -L` without `-n` ("all" for 0). */
export function protocolName(num: number): string | undefined {
  if (num === 0) return 'all';
  return PROTOCOLS.find(([, n]) => n === num && num !== 0)?.[0];
}

export interface IcmpName {
  name: string;
  type: number;
  codeMin: number;
  codeMax: number;
}

/** xtables.c: xtables_icmp_codes (aliases ping/pong/ttl-exceeded parse but do not print). */
export const ICMP_NAMES: readonly IcmpName[] = [
  { name: 'any', type: 0xff, codeMin: 0, codeMax: 0xff },
  { name: 'echo-reply', type: 0, codeMin: 0, codeMax: 0xff },
  { name: 'destination-unreachable', type: 3, codeMin: 0, codeMax: 0xff },
  { name: 'network-unreachable', type: 3, codeMin: 0, codeMax: 0 },
  { name: 'host-unreachable', type: 3, codeMin: 1, codeMax: 1 },
  { name: 'protocol-unreachable', type: 3, codeMin: 2, codeMax: 2 },
  { name: 'port-unreachable', type: 3, codeMin: 3, codeMax: 3 },
  { name: 'fragmentation-needed', type: 3, codeMin: 4, codeMax: 4 },
  { name: 'source-route-failed', type: 3, codeMin: 5, codeMax: 5 },
  { name: 'network-unknown', type: 3, codeMin: 6, codeMax: 6 },
  { name: 'host-unknown', type: 3, codeMin: 7, codeMax: 7 },
  { name: 'network-prohibited', type: 3, codeMin: 9, codeMax: 9 },
  { name: 'host-prohibited', type: 3, codeMin: 10, codeMax: 10 },
  { name: 'TOS-network-unreachable', type: 3, codeMin: 11, codeMax: 11 },
  { name: 'TOS-host-unreachable', type: 3, codeMin: 12, codeMax: 12 },
  { name: 'communication-prohibited', type: 3, codeMin: 13, codeMax: 13 },
  { name: 'host-precedence-violation', type: 3, codeMin: 14, codeMax: 14 },
  { name: 'precedence-cutoff', type: 3, codeMin: 15, codeMax: 15 },
  { name: 'source-quench', type: 4, codeMin: 0, codeMax: 0xff },
  { name: 'redirect', type: 5, codeMin: 0, codeMax: 0xff },
  { name: 'network-redirect', type: 5, codeMin: 0, codeMax: 0 },
  { name: 'host-redirect', type: 5, codeMin: 1, codeMax: 1 },
  { name: 'TOS-network-redirect', type: 5, codeMin: 2, codeMax: 2 },
  { name: 'TOS-host-redirect', type: 5, codeMin: 3, codeMax: 3 },
  { name: 'echo-request', type: 8, codeMin: 0, codeMax: 0xff },
  { name: 'router-advertisement', type: 9, codeMin: 0, codeMax: 0xff },
  { name: 'router-solicitation', type: 10, codeMin: 0, codeMax: 0xff },
  { name: 'time-exceeded', type: 11, codeMin: 0, codeMax: 0xff },
  { name: 'ttl-zero-during-transit', type: 11, codeMin: 0, codeMax: 0 },
  { name: 'ttl-zero-during-reassembly', type: 11, codeMin: 1, codeMax: 1 },
  { name: 'parameter-problem', type: 12, codeMin: 0, codeMax: 0xff },
  { name: 'ip-header-bad', type: 12, codeMin: 0, codeMax: 0 },
  { name: 'required-option-missing', type: 12, codeMin: 1, codeMax: 1 },
  { name: 'timestamp-request', type: 13, codeMin: 0, codeMax: 0xff },
  { name: 'timestamp-reply', type: 14, codeMin: 0, codeMax: 0xff },
  { name: 'address-mask-request', type: 17, codeMin: 0, codeMax: 0xff },
  { name: 'address-mask-reply', type: 18, codeMin: 0, codeMax: 0xff },
];

const ICMP_ALIASES: Record<string, string> = { ping: 'echo-request', pong: 'echo-reply', 'ttl-exceeded': 'time-exceeded' };

export function icmpByName(name: string): IcmpName | undefined {
  const canonical = ICMP_ALIASES[name] ?? name;
  return ICMP_NAMES.find((n) => n.name === canonical);
}

export function icmpName(type: number, codeMin: number, codeMax: number): string | undefined {
  return ICMP_NAMES.find((n) => n.type === type && n.codeMin === codeMin && n.codeMax === codeMax)?.name;
}

/** gethostbyaddr without DNS: /etc/hosts has 127.0.0.1 localhost; anything else is numeric. */
export function hostName(addr: number): string {
  return addr === 0x7f000001 ? 'localhost' : formatIpv4(addr);
}

/**
 * xtables_ipaddr_to_anyname without DNS: /etc/hosts has 127.0.0.1 localhost, and Debian's
 * /etc/networks names 0.0.0.0 default, 127.0.0.0 loopback and 169.254.0.0 link-local. Any
 * other address prints numerically (a name a real resolver knows is not modelled).
 */
export function addressName(addr: number): string {
  if (addr === 0x7f000001) return 'localhost';
  if (addr === 0) return 'default';
  if (addr === 0x7f000000) return 'loopback';
  if (addr === 0xa9fe0000) return 'link-local';
  return formatIpv4(addr);
}

/** Targets the iptables package installs (a chain may not be named like one). */
export const KNOWN_TARGETS = new Set([
  'ACCEPT', 'DROP', 'QUEUE', 'RETURN', 'AUDIT', 'CHECKSUM', 'CLASSIFY', 'CLUSTERIP', 'CONNMARK',
  'CONNSECMARK', 'CT', 'DNAT', 'DNPT', 'DSCP', 'ECN', 'HL', 'HMARK', 'IDLETIMER', 'LED', 'LOG',
  'MARK', 'MASQUERADE', 'NETMAP', 'NFLOG', 'NFQUEUE', 'NOTRACK', 'RATEEST', 'REDIRECT', 'REJECT',
  'SECMARK', 'SET', 'SNAT', 'SNPT', 'SYNPROXY', 'TCPMSS', 'TCPOPTSTRIP', 'TEE', 'TOS', 'TPROXY',
  'TRACE', 'TTL', 'ULOG',
]);

/** Matches the iptables package installs. */
export const KNOWN_MATCHES = new Set([
  'addrtype', 'ah', 'bpf', 'cgroup', 'cluster', 'comment', 'connbytes', 'connlabel', 'connlimit',
  'connmark', 'conntrack', 'cpu', 'dccp', 'devgroup', 'dscp', 'dst', 'ecn', 'esp', 'frag',
  'hashlimit', 'hbh', 'helper', 'hl', 'icmp', 'icmp6', 'iprange', 'ipv6header', 'ipvs', 'length',
  'limit', 'mac', 'mark', 'mh', 'multiport', 'nfacct', 'osf', 'owner', 'physdev', 'pkttype',
  'policy', 'quota', 'rateest', 'realm', 'recent', 'rpfilter', 'rt', 'sctp', 'set', 'socket',
  'state', 'statistic', 'string', 'tcp', 'tcpmss', 'time', 'tos', 'ttl', 'u32', 'udp',
]);
