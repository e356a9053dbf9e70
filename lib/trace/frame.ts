// Reading and rewriting the tracer's header stack: the IP header, the transport header,
// the Ethernet header and its 802.1Q tag.
import type { Header } from './headers.ts';

export type Ipv4H = Extract<Header, { kind: 'ipv4' }>;
export type EthH = Extract<Header, { kind: 'eth' }>;

export function clone(stack: readonly Header[]): Header[] {
  return stack.map((h) => ({ ...h }));
}

/** The first IPv4 header after the link layer: the packet an IP stack sees. */
export function ip(stack: Header[]): Ipv4H {
  const h = stack.find((x) => x.kind === 'ipv4');
  if (!h || h.kind !== 'ipv4') throw new Error('no IPv4 header in the stack');
  return h;
}

export function l4(stack: Header[]): Header | undefined {
  const i = stack.findIndex((x) => x.kind === 'ipv4');
  return stack[i + 1];
}

export function eth(stack: Header[]): EthH {
  const h = stack[0];
  if (!h || h.kind !== 'eth') throw new Error('no Ethernet header at the top of the frame');
  return h;
}

/** Drops the link layer (Ethernet and any 802.1Q tag) down to the IP packet. */
export function l3Of(frame: Header[]): Header[] {
  return frame.slice(frame.findIndex((h) => h.kind === 'ipv4'));
}

export function vlanOf(frame: Header[]): number | undefined {
  const v = frame[1];
  return v?.kind === 'vlan' ? v.vid : undefined;
}

export function setVlan(frame: Header[], vid: number | undefined): Header[] {
  const rest = frame[1]?.kind === 'vlan' ? frame.slice(2) : frame.slice(1);
  return vid === undefined || vid === 0 ? [frame[0]!, ...rest] : [frame[0]!, { kind: 'vlan', vid }, ...rest];
}
