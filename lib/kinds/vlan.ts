// 802.1Q sub-interfaces (net/8021q, iproute2 iplink_vlan.c): `link DEV type vlan id N`.
// Sending pushes the tag onto the lower device; a tagged frame received on the lower
// device goes to the sub-interface of its VLAN.
import { hasCarrier, kindFlags } from '../model/device.ts';
import { IFF } from '../model/flags.ts';
import { MRP_GROUP, mcAdd, mcDel } from '../model/mc-list.ts';
import { KernelError } from '../model/errno.ts';
import { kindOps } from './registry.ts';
import { cUnsigned, invalidArg, matches, notModelled } from '../tools/iproute2/args.ts';
import { setVlan, vlanOf } from '../trace/frame.ts';
import { ETHER_FLAGS, TSO_LEGACY_MAX_SIZE, tsoMaxSizeOf, uppersOf } from './common.ts';
import type { KindOps } from './types.ts';

const ETH_P_8021Q = 0x8100;
const ETH_P_8021AD = 0x88a8;

/** What `type vlan ...` carried (IFLA_INFO_DATA present, IFLA_VLAN_PROTOCOL, IFLA_VLAN_ID). */
interface VlanData {
  given: boolean;
  proto?: number;
  id?: number;
}

/** lib/ll_proto.c llproto_names (a few of them, matched case-insensitively), else get_be16. */
const LL_PROTO: Record<string, number> = { ip: 0x0800, arp: 0x0806, rarp: 0x8035, ipv6: 0x86dd, all: 0x0003, '802.1q': ETH_P_8021Q, '802.1ad': ETH_P_8021AD, mpls_uc: 0x8847, mpls_mc: 0x8848, teb: 0x6558, lldp: 0x88cc };
function llProto(v: string): number | undefined {
  const named = LL_PROTO[v.toLowerCase()];
  if (named !== undefined) return named;
  return cUnsigned(v, 0xffff);
}

/** get_u16(..., 0). */
function parseU16(v: string, what: string): number {
  const n = cUnsigned(v, 0xffff);
  if (n === undefined) throw invalidArg(what, v);
  return n;
}

export const vlan: KindOps<'vlan'> = {
  kind: 'vlan',
  typeName: 'vlan',
  // vlan_parse_opt: iproute2 checks the syntax only; the 8021q module judges the rest.
  parse({ args, lower }) {
    const d: VlanData = { given: !args.done };
    while (!args.done) {
      const tok = args.next();
      if (matches(tok, 'protocol')) {
        const v = args.value();
        const p = llProto(v);
        if (p === undefined) throw invalidArg('protocol is invalid', v);
        d.proto = p;
      } else if (matches(tok, 'id')) d.id = parseU16(args.value(), 'id is invalid');
      else throw notModelled(tok, 'ip link add type vlan');
    }
    return { ...(lower ? { lower } : {}), ...(d.id !== undefined ? { vlanId: d.id } : {}), kindData: d };
  },
  // vlan_validate, then vlan_newlink's checks, in their order; extack texts carry the
  // module's name (NL_SET_ERR_MSG_MOD).
  rtnlValidate(spec) {
    // rtnl_link_ops_get found no "vlan": request_module("rtnl-link-vlan") loads 8021q
    // whatever becomes of the request.
    spec.ns.world.modules.add('8021q');
    const d = (spec.kindData as VlanData | undefined) ?? { given: false };
    if (!d.given) throw new KernelError('EINVAL', '8021q: VLAN properties not specified');
    if (d.proto !== undefined && d.proto !== ETH_P_8021Q && d.proto !== ETH_P_8021AD) throw new KernelError('EPROTONOSUPPORT', '8021q: Invalid VLAN protocol');
    if (d.id !== undefined && d.id >= 4095) throw new KernelError('ERANGE', '8021q: Invalid VLAN id');
  },
  validate(spec) {
    const d = spec.kindData as VlanData;
    if (d.id === undefined) throw new KernelError('EINVAL', '8021q: VLAN id not specified');
    if (!spec.lower) throw new KernelError('EINVAL', '8021q: link not specified');
    const ad = d.proto === ETH_P_8021AD;
    // vlan_check_real_dev: NETIF_F_VLAN_CHALLENGED first (ipvlan), then a duplicate.
    if (kindOps(spec.lower).vlanChallenged) throw new KernelError('EOPNOTSUPP', '8021q: VLANs not supported on device');
    if (uppersOf(spec.lower, 'vlan').some((u) => u.vlanId === d.id && (u.vlanProto === '802.1ad') === ad)) throw new KernelError('EEXIST', '8021q: VLAN device already exists');
  },
  // vlan_setup leaves min_mtu 0 (`minmtu 0` on 6.1).
  defaults: (spec) => ({ mtu: spec.lower!.mtu, minMtu: 0, maxMtu: spec.lower!.maxMtu || 65535, txqlen: 1000 }),
  inheritsLowerMac: true,
  // vlan_dev_init / ipvlan_init: netif_inherit_tso_max from the lower device.
  tsoMaxSize: (dev) => (dev.lower ? tsoMaxSizeOf(dev.lower) : TSO_LEGACY_MAX_SIZE),
  setup(dev, spec) {
    const lower = spec.lower!;
    // register_vlan_dev: the first 802.1Q upper starts the GVRP and MVRP applicants, which
    // join 01:80:c2:00:00:21 on the lower device.
    if (!uppersOf(lower, 'vlan').some((u) => u !== dev)) mcAdd(lower, MRP_GROUP);
    if (spec.vlanId !== undefined) dev.vlanId = spec.vlanId;
    if ((spec.kindData as VlanData | undefined)?.proto === ETH_P_8021AD) dev.vlanProto = '802.1ad';
    dev.ns.world.modules.add('8021q'); // rtnl-link-vlan autoload
    if (lower.noarp) dev.noarp = true; // vlan_dev_init copies the flags
  },
  unlinkLower(_dev, lower) {
    if (!uppersOf(lower, 'vlan').length) mcDel(lower, MRP_GROUP);
  },
  carrier: (dev) => dev.lower !== undefined && hasCarrier(dev.lower),
  iflink: (dev) => dev.lower,
  flags: ETHER_FLAGS,
  // vlan_dev_init starts from the lower device's flags: on a dummy, <BROADCAST,NOARP> (6.1).
  flagsOf: (dev) => (dev.lower ? IFF.BROADCAST | (kindFlags(dev.lower) & IFF.MULTICAST) : ETHER_FLAGS),
  linkType: 'ether',
  checkMtu(dev, mtu) {
    if (dev.lower && mtu > dev.lower.mtu) throw new KernelError('ERANGE');
  },
  // vlan_dev_open: a MAC other than the lower device's goes on its unicast list (dev_uc_add).
  onLowerUcList: (dev, lower) => dev.adminUp && dev.mac !== lower.mac,
  downWithLower: true,
  upWithLower: true,
  details: (dev) => `vlan protocol ${dev.vlanProto ?? '802.1Q'} id ${dev.vlanId} <REORDER_HDR> `,
  // vlan_dev_open: a VLAN device comes up only on a lower device that is up (no loose_binding).
  checkOpen(dev) {
    if (dev.lower && !dev.lower.adminUp) throw new KernelError('ENETDOWN');
  },
  transmit(w, dev, frame) {
    const tagged = setVlan(frame, dev.vlanId);
    w.step(dev.ns, 'vlan', 'TAGGED', `${dev.name} pushes an 802.1Q tag, VLAN ${dev.vlanId} (+4 bytes), onto ${dev.lower!.name}`, tagged, { dev, changed: ['vlan'] });
    return w.l2Transmit(dev.lower!, tagged);
  },
  receiveUpper(w, lower, frame) {
    const vid = vlanOf(frame);
    if (vid === undefined || vid === 0) return false;
    const up = uppersOf(lower, 'vlan').find((u) => u.vlanId === vid);
    if (!up) throw w.dropAt(lower, frame, `tagged VLAN ${vid}, but ${lower.name} has no VLAN ${vid} sub-interface`);
    const untagged = setVlan(frame, undefined);
    w.step(lower.ns, 'vlan', 'UNTAGGED', `${lower.name} → ${up.name}: 802.1Q tag VLAN ${vid} removed`, untagged, { dev: up, changed: ['vlan'] });
    w.l2Receive(up, untagged);
    return true;
  },
  floodLowerRx(lower, vlan, push) {
    if (vlan === undefined || vlan === 0) return false;
    const up = uppersOf(lower, 'vlan').find((u) => u.vlanId === vlan);
    if (up) push(up, 'rx', undefined);
    return true;
  },
  floodTx(dev, _vlan, push) {
    if (dev.lower) push(dev.lower, 'tx', dev.vlanId);
  },
  view: { tier: () => 'attach', wire: 'lower', drawnLower: (d) => d.lower },
};
