// Which member of a balance-xor / 802.3ad bond sends a frame: the kernel's bond_xmit_hash
// (drivers/net/bonding/bond_main.c: __bond_xmit_hash, bond_eth_hash, bond_flow_dissect,
// bond_ip_hash, bond_vlan_srcmac_hash) and bond_xmit_3ad_xor_slave_get
// (slaves->arr[hash % count]), with every intermediate value kept for display.
//
// The kernel reads addresses and the ports word straight from the packet, i.e. big-endian
// bytes loaded as a host u32: on x86 (little-endian) the value is byte-swapped. The model
// computes what an x86 kernel computes. The ethertype goes through be16_to_cpu (not swapped).
// Current kernels (5.x/6.x): layer2+3 has no final shift; layer3+4 and encap3+4 drop the
// lowest bit (`hash >> 1`). IP fragments keep the address hash with ports 0; only non-IP
// frames fall back to the layer2 hash.
import { macBytes, type Mac } from '../net/mac.ts';
import { formatIpv4 } from '../net/ipv4.ts';
import { hasCarrier, slavesOf, type Device, type XmitHashPolicy } from './device.ts';

export interface BondFrame {
  srcMac: Mac;
  dstMac: Mac;
  /** Ethertype of the frame (0x0800 IPv4, 0x0806 ARP...); IPv4 when `ip` is given. */
  ethertype?: number;
  /** The VLAN tag in skb metadata (vlan+srcmac policy). */
  vlan?: number;
  ip?: {
    src: number;
    dst: number;
    proto: number;
    /** A fragment (MF set or offset non-zero): no ports are read. */
    fragment?: boolean;
    sport?: number;
    dport?: number;
    icmpType?: number;
    icmpCode?: number;
    icmpId?: number;
  };
  /** skb->hash when the stack set an L4 hash (l4_hash): encap3+4 uses it as is. */
  l4Hash?: number;
}

export interface HashStep {
  label: string;
  /** The value after this step (u32). */
  value: number;
  /** How it was computed, in C-like notation with hex values. */
  detail: string;
}

export interface BondHash {
  policy: XmitHashPolicy;
  hash: number;
  steps: HashStep[];
  /** True when the kernel's value cannot be reproduced (a random skb->hash). */
  notes: string[];
}

const u32 = (n: number) => n >>> 0;
const hex = (n: number) => `0x${u32(n).toString(16).padStart(8, '0')}`;
const hex16 = (n: number) => `0x${(n & 0xffff).toString(16).padStart(4, '0')}`;

/** A big-endian u32 in memory read as a little-endian host u32. */
export function bswap32(n: number): number {
  return u32(((n & 0xff) << 24) | ((n & 0xff00) << 8) | ((n >>> 8) & 0xff00) | ((n >>> 24) & 0xff));
}

/** icmp_has_id: echo, timestamp, information and address mask messages carry an id. */
function icmpHasId(type: number): boolean {
  return [0, 8, 13, 14, 15, 16, 17, 18].includes(type);
}

function ethHash(f: BondFrame, steps: HashStep[]): number {
  const d = macBytes(f.dstMac)[5]!;
  const s = macBytes(f.srcMac)[5]!;
  const proto = (f.ethertype ?? (f.ip ? 0x0800 : 0)) & 0xffff;
  const h = u32(d ^ s ^ proto);
  steps.push({
    label: 'bond_eth_hash',
    value: h,
    detail: `h_dest[5] ^ h_source[5] ^ be16_to_cpu(h_proto) = 0x${d.toString(16).padStart(2, '0')} ^ 0x${s.toString(16).padStart(2, '0')} ^ ${hex16(proto)} = ${hex(h)}`,
  });
  return h;
}

/** bond_ip_hash: xor in both addresses (as loaded from memory), fold, maybe drop bit 0. */
function ipHash(hash: number, f: BondFrame, l34: boolean, steps: HashStep[]): number {
  const ip = f.ip!;
  const s = bswap32(ip.src);
  const d = bswap32(ip.dst);
  let h = u32(hash ^ d ^ s);
  steps.push({
    label: 'addresses',
    value: h,
    detail: `hash ^= daddr ^ saddr: ${formatIpv4(ip.dst)} and ${formatIpv4(ip.src)} read from memory as ${hex(d)} and ${hex(s)} (x86 byte order): ${hex(hash)} ^ ${hex(d)} ^ ${hex(s)} = ${hex(h)}`,
  });
  const h16 = u32(h ^ (h >>> 16));
  steps.push({ label: 'fold 16', value: h16, detail: `hash ^= hash >> 16: ${hex(h)} ^ ${hex(h >>> 16)} = ${hex(h16)}` });
  h = u32(h16 ^ (h16 >>> 8));
  steps.push({ label: 'fold 8', value: h, detail: `hash ^= hash >> 8: ${hex(h16)} ^ ${hex(h16 >>> 8)} = ${hex(h)}` });
  if (l34) {
    const h1 = h >>> 1;
    steps.push({ label: 'drop bit 0', value: h1, detail: `hash >> 1 (the common even-ports pattern): ${hex(h)} >> 1 = ${hex(h1)}` });
    h = h1;
  }
  return h;
}

/** The layer-4 word: ICMP type/code/id when the message has an id, else the ports. */
function l4Word(f: BondFrame, steps: HashStep[]): number {
  const ip = f.ip!;
  if (!ip.fragment && ip.proto === 1) {
    const type = ip.icmpType ?? 8;
    const code = ip.icmpCode ?? 0;
    if (icmpHasId(type)) {
      const id = ip.icmpId ? ip.icmpId & 0xffff : 1;
      const w = u32(type | (code << 8) | (id << 16));
      steps.push({
        label: 'icmp',
        value: w,
        detail: `flow.icmp {type ${type}, code ${code}, id ${id}${ip.icmpId ? '' : ' (0 is stored as 1)'}} read as a u32: ${hex(w)}`,
      });
      return w;
    }
  }
  const ported = !ip.fragment && (ip.proto === 6 || ip.proto === 17 || ip.proto === 132 || ip.proto === 33 || ip.proto === 136);
  const sp = ported ? (ip.sport ?? 0) & 0xffff : 0;
  const dp = ported ? (ip.dport ?? 0) & 0xffff : 0;
  // struct { __be16 src, dst } loaded as a little-endian u32.
  const w = u32(((sp >>> 8) | ((sp & 0xff) << 8)) | (((dp >>> 8) | ((dp & 0xff) << 8)) << 16));
  steps.push({
    label: 'ports',
    value: w,
    detail: ported
      ? `flow.ports.ports (sport ${sp}, dport ${dp} big-endian) read as a u32: ${hex(w)}`
      : `no ports${ip.fragment ? ' (fragment)' : ''}: 0`,
  });
  return w;
}

export function bondXmitHash(policy: XmitHashPolicy, f: BondFrame): BondHash {
  const steps: HashStep[] = [];
  const notes: string[] = [];
  if (policy === 'vlan+srcmac') {
    const b = macBytes(f.srcMac);
    const vendor = (b[0]! << 16) | (b[1]! << 8) | b[2]!;
    const dev = (b[3]! << 16) | (b[4]! << 8) | b[5]!;
    const vlan = f.vlan ?? 0;
    const h = u32(vlan ^ vendor ^ dev);
    steps.push({ label: 'bond_vlan_srcmac_hash', value: h, detail: `vlan ^ srcmac_vendor ^ srcmac_dev = ${vlan} ^ 0x${vendor.toString(16)} ^ 0x${dev.toString(16)} = ${hex(h)}` });
    return { policy, hash: h, steps, notes };
  }
  if (policy === 'encap3+4' && f.l4Hash !== undefined) {
    notes.push('encap3+4 uses skb->hash when the stack computed an L4 hash; it is random per socket');
    steps.push({ label: 'skb->hash', value: u32(f.l4Hash), detail: `skb->l4_hash set: hash = skb->hash = ${hex(f.l4Hash)}` });
    return { policy, hash: u32(f.l4Hash), steps, notes };
  }
  const isIp = f.ip !== undefined && (f.ethertype === undefined || f.ethertype === 0x0800);
  if (policy === 'layer2' || !isIp) {
    if (policy !== 'layer2') steps.push({ label: 'not IP', value: 0, detail: 'bond_flow_dissect fails for a non-IP frame: layer2 hash' });
    return { policy, hash: ethHash(f, steps), steps, notes };
  }
  if (policy === 'encap2+3' || policy === 'encap3+4') {
    notes.push('encap policies dissect inner headers of IP-in-IP/GRE; VXLAN is UDP and is not dissected, so the outer headers count');
  }
  const l34 = policy === 'layer3+4' || policy === 'encap3+4';
  const start = l34 ? l4Word(f, steps) : ethHash(f, steps);
  return { policy, hash: ipHash(start, f, l34, steps), steps, notes };
}

/** The bond's members in enslave order (the model's registration order of the slaves). */
export function bondSlaves(bond: Device): Device[] {
  const order = (bond.bond?.order ?? []).filter((d) => d.master === bond);
  return [...order, ...slavesOf(bond).filter((d) => !order.includes(d))];
}

export interface BondChoice extends BondHash {
  /** The usable members (slaves->arr): up, with carrier. */
  usable: Device[];
  index: number;
  slave: Device;
}

/**
 * bond_xmit_3ad_xor_slave_get: hash % count over the usable members. Undefined when no
 * member can send. For 802.3ad the model takes every member with carrier as part of the
 * active aggregator.
 */
export function bondSelectSlave(bond: Device, f: BondFrame): BondChoice | undefined {
  const info = bond.bond;
  if (!info) return undefined;
  const usable = bondSlaves(bond).filter((d) => hasCarrier(d));
  if (usable.length === 0) return undefined;
  const h = bondXmitHash(info.xmitHashPolicy, f);
  const index = h.hash % usable.length;
  h.steps.push({ label: 'member', value: index, detail: `slaves->arr[hash % count] = arr[${h.hash} % ${usable.length}] = arr[${index}] = ${usable[index]!.name}` });
  return { ...h, usable, index, slave: usable[index]! };
}
