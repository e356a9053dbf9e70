// VXLAN (drivers/net/vxlan, iproute2 iplink_vxlan.c): an Ethernet device whose frames go
// out inside UDP to the VTEP its FDB names. MTU is the lower device's less 50 bytes.
import { formatIpv4, isMulticast, parseIproute2Ipv4 } from '../net/ipv4.ts';
import { KernelError } from '../model/errno.ts';
import type { VxlanInfo } from '../model/device.ts';
import { cUnsigned, duplicateOrGarbage, invalidArg, IpUsageError, matches, notModelled } from '../tools/iproute2/args.ts';
import { ETHER_DEFAULTS, ETHER_FLAGS } from './common.ts';
import type { KindOps, KindParse } from './types.ts';

export const VXLAN_HEADROOM = 50;

/** iplink_vxlan.c's vxlan_print_usage(), printed for a keyword it does not know (status 1). */
const VXLAN_USAGE = `Usage: ... vxlan id VNI
\t\t[ { group | remote } IP_ADDRESS ]
\t\t[ local ADDR ]
\t\t[ ttl TTL ]
\t\t[ tos TOS ]
\t\t[ df DF ]
\t\t[ flowlabel LABEL ]
\t\t[ dev PHYS_DEV ]
\t\t[ dstport PORT ]
\t\t[ srcport MIN MAX ]
\t\t[ [no]learning ]
\t\t[ [no]proxy ]
\t\t[ [no]rsc ]
\t\t[ [no]l2miss ]
\t\t[ [no]l3miss ]
\t\t[ ageing SECONDS ]
\t\t[ maxaddress NUMBER ]
\t\t[ [no]udpcsum ]
\t\t[ [no]udp6zerocsumtx ]
\t\t[ [no]udp6zerocsumrx ]
\t\t[ [no]remcsumtx ] [ [no]remcsumrx ]
\t\t[ [no]external ] [ gbp ] [ gpe ]
\t\t[ [no]vnifilter ]

Where:\tVNI\t:= 0-16777215
\tADDR\t:= { IP_ADDRESS | any }
\tTOS\t:= { NUMBER | inherit }
\tTTL\t:= { 1..255 | auto | inherit }
\tDF\t:= { unset | set | inherit }
\tLABEL := 0-1048575
`;

/** Keywords iplink_vxlan.c knows that the model does not act on: refused as not modelled. */
const KNOWN_UNMODELLED = new Set([
  'tos', 'dsfield', 'df', 'flowlabel', 'srcport', 'port', 'proxy', 'noproxy', 'rsc', 'norsc', 'l2miss', 'nol2miss',
  'l3miss', 'nol3miss', 'ageing', 'maxaddress', 'udpcsum', 'noudpcsum', 'udp6zerocsumtx', 'noudp6zerocsumtx',
  'udp6zerocsumrx', 'noudp6zerocsumrx', 'remcsumtx', 'noremcsumtx', 'remcsumrx', 'noremcsumrx', 'external',
  'noexternal', 'gbp', 'gpe', 'vnifilter', 'novnifilter', 'ttl', 'hoplimit', 'localbypass', 'nolocalbypass',
]);

/**
 * get_addr(&addr, token, AF_UNSPEC) for the vxlan addresses: an IPv4 address as iproute2
 * reads one (`0x0a.1.1.1`, `1.2.3`), or `any` (0.0.0.0); anything else ends the command
 * ("any valid address is expected", status 1). IPv6 underlays are not modelled.
 */
function vxlanAddr(token: string): number {
  if (token === 'any' || token === 'all') return 0;
  const v = parseIproute2Ipv4(token);
  if (v !== undefined) return v;
  if (token.includes(':')) throw notModelled(token, 'ip link add type vxlan (IPv6 underlay)');
  throw new IpUsageError(`Error: any valid address is expected rather than "${token}".`, 1);
}

function parseVxlan({ ctx, args: a }: KindParse): VxlanInfo {
  let vni: number | undefined;
  let dstport: number | undefined;
  let lowerIfindex: number | undefined;
  let local: number | undefined;
  let remote: number | undefined;
  let group: number | undefined;
  let learning = true;
  let ttl = 0;
  const seen = new Set<string>();
  // check_duplicate_parameter(): a second `id`, `dstport`, ... is "duplicate, or garbage".
  const once = (key: string, value: string): string => {
    if (seen.has(key)) throw duplicateOrGarbage(key, value);
    seen.add(key);
    return value;
  };
  while (!a.done) {
    const tok = a.next();
    if (matches(tok, 'id') || matches(tok, 'vni')) {
      const v = once('id', a.value());
      const n = cUnsigned(v);
      if (n === undefined || n >= 1 << 24) throw invalidArg('invalid id', v);
      vni = n;
    } else if (matches(tok, 'group') || matches(tok, 'remote')) {
      const key = matches(tok, 'group') ? 'group' : 'remote';
      const v = once(key, a.value());
      if (remote !== undefined || group !== undefined) {
        throw new IpUsageError('vxlan: both group and remote cannot be specified', 1);
      }
      const addr = vxlanAddr(v);
      const multicast = isMulticast(addr);
      // is_addrtype_inet_multi / is_addrtype_inet_not_multi (0.0.0.0 counts as not multicast)
      if (key === 'group' && !multicast) throw invalidArg('invalid group address', v);
      if (key === 'remote' && multicast) throw invalidArg('invalid remote address', v);
      if (key === 'group') group = addr;
      else remote = addr;
    } else if (matches(tok, 'local')) {
      const v = once('local', a.value());
      const addr = vxlanAddr(v);
      if (isMulticast(addr)) throw invalidArg('invalid local address', v);
      local = addr;
    } else if (matches(tok, 'dev')) {
      const v = once('dev', a.value());
      // ll_name_to_index() failing: exit(nodev(name)), status 255.
      const lower = ctx.ns.device(v);
      if (!lower) throw new IpUsageError(`Cannot find device "${v}"`, 255);
      lowerIfindex = lower.ifindex;
    } else if (matches(tok, 'dstport')) {
      const v = once('dstport', a.value());
      const n = cUnsigned(v, 0xffff);
      if (n === undefined) throw invalidArg('dst port', v);
      dstport = n;
    } else if (tok === 'nolearning') learning = false;
    else if (tok === 'learning') learning = true;
    else if (matches(tok, 'ttl') || matches(tok, 'hoplimit')) {
      const v = once('ttl', a.value());
      if (v === 'auto' || v === 'inherit') {
        if (v === 'inherit') throw notModelled('ttl inherit', 'ip link add type vxlan');
        ttl = 0;
      } else {
        const n = cUnsigned(v);
        if (n === undefined) throw invalidArg('invalid TTL', v);
        if (n > 255) throw invalidArg('TTL must be <= 255', v);
        ttl = n;
      }
    } else if (KNOWN_UNMODELLED.has(tok)) throw notModelled(tok, 'ip link add type vxlan');
    else {
      throw new IpUsageError(`vxlan: unknown command "${tok}"?\n${VXLAN_USAGE.slice(0, -1)}`, 1);
    }
  }
  if (vni === undefined) throw new IpUsageError('vxlan: missing virtual network identifier', 1);
  if (group !== undefined && lowerIfindex === undefined) {
    throw new IpUsageError("vxlan: 'group' requires 'dev' to be specified", 1);
  }
  if (dstport === undefined) {
    ctx.err(
      'vxlan: destination port not specified\nWill use Linux kernel default (non-standard value)\n' +
        "Use 'dstport 4789' to get the IANA assigned value\nUse 'dstport 0' to get default and quiet this message\n",
    );
    dstport = 8472;
  } else if (dstport === 0) dstport = 8472;
  // The kernel keeps no remote or local of 0.0.0.0 (vxlan_nla_get_addr, "any").
  const dst = group ?? remote;
  return {
    vni,
    dstport,
    learning,
    ttl,
    srcPortMin: 0,
    srcPortMax: 0,
    ...(lowerIfindex !== undefined ? { lowerIfindex } : {}),
    ...(local !== undefined && local !== 0 ? { local: local as never } : {}),
    ...(dst !== undefined && dst !== 0 ? { group: dst as never } : {}),
  };
}

export const vxlan: KindOps<'vxlan'> = {
  kind: 'vxlan',
  xmitDstRelease: () => false,
  typeName: 'vxlan',
  parse: (p) => ({ vxlan: parseVxlan(p) }),
  validate(spec) {
    const v = spec.vxlan;
    if (!v) return;
    for (const other of spec.ns.devicesInOrder()) {
      if (other.vxlan && other.vxlan.vni === v.vni && other.vxlan.dstport === v.dstport) {
        throw new KernelError('EEXIST', 'A VXLAN device with the specified VNI already exists');
      }
    }
  },
  defaults(spec) {
    const lower = spec.vxlan?.lowerIfindex !== undefined ? spec.ns.deviceByIndex(spec.vxlan.lowerIfindex) : undefined;
    return { ...ETHER_DEFAULTS, mtu: lower ? lower.mtu - VXLAN_HEADROOM : 1500 };
  },
  setup(dev, spec) {
    if (spec.vxlan) dev.vxlan = spec.vxlan;
  },
  rawCarrier: () => true,
  operUp: () => 'UNKNOWN',
  flags: ETHER_FLAGS,
  linkType: 'ether',
  checkMtu(dev, mtu) {
    if (dev.vxlan?.lowerIfindex === undefined) return;
    // vxlan_change_mtu: with a lower device the limit is its MTU less the 50-byte headroom,
    // refused with a bare EINVAL (no extack message).
    const lower = dev.ns.deviceByIndex(dev.vxlan.lowerIfindex);
    if (lower && mtu > lower.mtu - VXLAN_HEADROOM) throw new KernelError('EINVAL');
  },
  noAddrList: true,
  fdbSelf: true,
  details(dev) {
    const v = dev.vxlan!;
    let s = `vxlan id ${v.vni} `;
    if (v.group !== undefined) s += `${isMulticast(v.group) ? 'group' : 'remote'} ${formatIpv4(v.group)} `;
    if (v.local !== undefined) s += `local ${formatIpv4(v.local)} `;
    const lower = v.lowerIfindex !== undefined ? dev.ns.deviceByIndex(v.lowerIfindex) : undefined;
    if (lower) s += `dev ${lower.name} `;
    s += `srcport 0 0 dstport ${v.dstport} `;
    if (!v.learning) s += 'nolearning ';
    s += `ttl ${v.ttl === 0 ? 'auto' : v.ttl} ageing 300 udpcsum noudp6zerocsumtx noudp6zerocsumrx `;
    return s;
  },
  l3Transmit: (w, ns, dev, nexthop, stack) => w.vxlanEncap(ns, dev, nexthop, stack),
  view: {
    drawnLower: (d) => (d.vxlan?.lowerIfindex !== undefined ? d.ns.deviceByIndex(d.vxlan.lowerIfindex) : undefined),
  },
};
