// Header representations for the tracer's stack, one per wire format (smoltcp's `wire`
// split): a typed record per header, its size on the wire, and a one-line rendering.
import { formatIpv4 } from '../net/ipv4.ts';
import type { Mac } from '../net/mac.ts';

export type Header =
  | { kind: 'eth'; src: Mac; dst: Mac; ethertype: number }
  | { kind: 'vlan'; vid: number }
  | { kind: 'ipv4'; src: number; dst: number; ttl: number; proto: number; totalLength: number; df: boolean }
  | { kind: 'udp'; sport: number; dport: number; length: number }
  | { kind: 'tcp'; sport: number; dport: number; flags: string }
  | { kind: 'icmp'; type: number; code: number; id: number; seq: number }
  | { kind: 'vxlan'; vni: number }
  | { kind: 'payload'; length: number };

export const ETH_P_IP = 0x0800;
export const ETH_P_8021Q = 0x8100;

export function headerSize(h: Header): number {
  switch (h.kind) {
    case 'eth':
      return 14;
    case 'vlan':
      return 4;
    case 'ipv4':
      return 20;
    case 'udp':
      return 8;
    case 'tcp':
      return 20;
    case 'icmp':
      return 8;
    case 'vxlan':
      return 8;
    case 'payload':
      return h.length;
  }
}

export function stackSize(stack: readonly Header[]): number {
  return stack.reduce((n, h) => n + headerSize(h), 0);
}

const PROTO: Record<number, string> = { 1: 'ICMP', 6: 'TCP', 17: 'UDP' };

export function describeHeader(h: Header): string {
  switch (h.kind) {
    case 'eth':
      return `Ethernet ${h.src} > ${h.dst}`;
    case 'vlan':
      return `802.1Q VLAN ${h.vid}`;
    case 'ipv4':
      return `IPv4 ${formatIpv4(h.src)} > ${formatIpv4(h.dst)} ttl ${h.ttl} ${PROTO[h.proto] ?? h.proto} len ${h.totalLength}${h.df ? ' DF' : ''}`;
    case 'udp':
      return `UDP ${h.sport} > ${h.dport}`;
    case 'tcp':
      return `TCP ${h.sport} > ${h.dport} [${h.flags}]`;
    case 'icmp':
      return `ICMP ${h.type === 8 ? 'echo request' : h.type === 0 ? 'echo reply' : `type ${h.type} code ${h.code}`} id ${h.id} seq ${h.seq}`;
    case 'vxlan':
      return `VXLAN flags 0x08 vni ${h.vni}`;
    case 'payload':
      return `payload ${h.length} bytes`;
  }
}
