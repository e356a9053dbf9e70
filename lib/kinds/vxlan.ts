// VXLAN (drivers/net/vxlan, iproute2 iplink_vxlan.c): an Ethernet device whose frames go
// out inside UDP to the VTEP its FDB names. MTU is the lower device's less 50 bytes.
import { formatIpv4, parseIpv4 } from '../net/ipv4.ts';
import { KernelError } from '../model/errno.ts';
import type { VxlanInfo } from '../model/device.ts';
import { IpUsageError, notModelled, parseU32 } from '../tools/iproute2/args.ts';
import { requireDevice } from '../tools/iproute2/context.ts';
import { ETHER_DEFAULTS, ETHER_FLAGS } from './common.ts';
import type { KindOps, KindParse } from './types.ts';

export const VXLAN_HEADROOM = 50;

function parseVxlan({ ctx, args: a }: KindParse): VxlanInfo {
  let vni: number | undefined;
  let dstport: number | undefined;
  let lowerIfindex: number | undefined;
  let local: number | undefined;
  let group: number | undefined;
  let learning = true;
  let ttl = 0;
  while (!a.done) {
    const tok = a.next();
    if (tok === 'id' || tok === 'vni') vni = parseU32(a.value(), 'invalid id');
    else if (tok === 'dstport') dstport = parseU32(a.value(), 'dstport');
    else if (tok === 'dev') lowerIfindex = requireDevice(ctx, a.value()).ifindex;
    else if (tok === 'local') local = parseIpv4(a.value());
    else if (tok === 'remote' || tok === 'group') group = parseIpv4(a.value());
    else if (tok === 'nolearning') learning = false;
    else if (tok === 'learning') learning = true;
    else if (tok === 'ttl' || tok === 'hoplimit') {
      const v = a.value();
      ttl = v === 'auto' || v === 'inherit' ? 0 : parseU32(v, 'invalid TTL');
    } else throw notModelled(tok, 'ip link add type vxlan');
  }
  if (vni === undefined) throw new IpUsageError('vxlan: missing virtual network identifier');
  if (dstport === undefined) {
    ctx.err(
      'vxlan: destination port not specified\nWill use Linux kernel default (non-standard value)\n' +
        "Use 'dstport 4789' to get the IANA assigned value\nUse 'dstport 0' to get default and quiet this message\n",
    );
    dstport = 8472;
  } else if (dstport === 0) dstport = 8472;
  return {
    vni,
    dstport,
    learning,
    ttl,
    srcPortMin: 0,
    srcPortMax: 0,
    ...(lowerIfindex !== undefined ? { lowerIfindex } : {}),
    ...(local !== undefined ? { local: local as never } : {}),
    ...(group !== undefined ? { group: group as never } : {}),
  };
}

export const vxlan: KindOps<'vxlan'> = {
  kind: 'vxlan',
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
    if (v.group !== undefined) s += `remote ${formatIpv4(v.group)} `;
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
