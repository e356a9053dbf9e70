import { devValidName } from '../model/ifname.ts';
// veth (drivers/net/veth.c, iproute2 link_veth.c): a pair of devices, a wire between them,
// possibly across namespaces. Carrier needs both ends up; operstate is what linkwatch
// computed when the carrier last changed.
import { hasCarrier, operState, type Device, type OperState } from '../model/device.ts';
import { KernelError } from '../model/errno.ts';
import { notModelled } from '../tools/iproute2/args.ts';
import { ip } from '../trace/frame.ts';
import { ETHER_DEFAULTS, ETHER_FLAGS, label, GSO_MAX_SIZE } from './common.ts';
import { kindOps } from './registry.ts';
import type { KindOps } from './types.ts';

/**
 * dev->operstate of a veth as linkwatch last computed it (rfc2863_policy). It is computed
 * when the device's carrier changes (and after creation), not when it is shown: a veth
 * whose carrier is off reports, per default_operstate(), DOWN when its iflink (the peer's
 * ifindex) equals its own ifindex or names no device *in its own namespace*, DOWN when that
 * device has carrier, LOWERLAYERDOWN otherwise — the lookup ignores the namespace the peer
 * really lives in. Shown state is the settled one, as seen by someone typing the commands
 * one by one (the kernel handles the event within a second, or as soon as the device is
 * asked for by name).
 */
const operstates = new WeakMap<Device, OperState>();

/** netif_carrier_ok: a veth has carrier while both ends are up. */
function carrierOk(dev: Device): boolean {
  return dev.adminUp && dev.peer !== undefined && dev.peer.adminUp;
}

function rawCarrierOf(dev: Device): boolean {
  return dev.kind === 'veth' ? carrierOk(dev) : hasCarrier(dev);
}

function linkwatch(dev: Device): void {
  let state: OperState = 'UP';
  if (!carrierOk(dev)) {
    const iflink = dev.peer?.ifindex ?? 0;
    const there = iflink === dev.ifindex ? undefined : dev.ns.deviceByIndex(iflink);
    state = there && !rawCarrierOf(there) ? 'LOWERLAYERDOWN' : 'DOWN';
  }
  operstates.set(dev, state);
}

export const veth: KindOps<'veth'> = {
  kind: 'veth',
  typeName: 'veth',
  parse({ args, ns, linkAttrs }) {
    if (args.done) return { peer: { ns } };
    const tok = args.next();
    if (tok !== 'peer') throw notModelled(tok, 'ip link add type veth');
    return { peer: linkAttrs() };
  },
  defaults: () => ETHER_DEFAULTS,
  create(spec, name, h) {
    const asked = spec.peer ?? { ns: spec.ns };
    // veth_newlink: `if (ifmp && (dev->ifindex != 0)) peer->ifindex = ifmp->ifi_index;` —
    // the peer's `index` counts only when the device itself was given one.
    const { index: peerIndex, ...rest } = asked;
    const p: typeof asked = spec.index !== undefined && peerIndex !== undefined ? { ...rest, index: peerIndex } : rest;
    const peerName = p.name ?? h.autoName(p.ns, 'veth');
    h.checkName(p.ns, peerName);
    h.checkIndex(p.ns, p.index);
    if (!devValidName(name)) {
      // The peer was registered (and took the next ifindex) before the device's own
      // register_netdevice refused the name; the peer goes again.
      if (p.index === undefined) p.ns.allocIfindex();
      throw new KernelError('EINVAL');
    }
    if (p.ns === spec.ns && peerName === name) throw new KernelError('EEXIST');
    const peer = h.register({ ...p, kind: 'veth' }, peerName);
    let dev: Device;
    try {
      dev = h.register(spec, name);
    } catch (e) {
      h.detach(peer);
      throw e;
    }
    dev.peer = peer;
    peer.peer = dev;
    // veth_newlink turns carrier off on both ends after registering them: one linkwatch
    // event each, handled once the pair is linked.
    linkwatch(peer);
    linkwatch(dev);
    // rtnl_configure_link's RTM_NEWLINK for the device (the peer is linked by then):
    // rtnl_fill_link_netnsid gives the device's namespace an id for the peer's.
    if (peer.ns !== dev.ns) dev.ns.peerId(peer.ns);
    return dev;
  },
  carrier: (dev) => dev.peer !== undefined && dev.peer.adminUp,
  rawCarrier: carrierOk,
  iflink: (dev) => dev.peer,
  reportedOperState: (dev) => operstates.get(dev) ?? operState(dev),
  linkwatch,
  flags: ETHER_FLAGS,
  // No IFF_UNICAST_FLT: an address on its unicast list makes it promiscuous.
  noUnicastFilter: true,
  linkType: 'ether',
  // veth_get_link_ksettings: 10000 Mb/s, full duplex (the model's NICs are veth pairs).
  speed: { speed: 10000, full: true },
  details: () => 'veth ',
  linkinfoJson: () => ({ info_kind: 'veth' }),
  // One queue per CPU (2 on these machines).
  // One queue per possible CPU: the reference VM has one (the 6.18 host's two are rewritten,
  // tests/lab/kernel-differences.ts); tso_max_size GSO_MAX_SIZE.
  queues: 1,
  tsoMaxSize: () => GSO_MAX_SIZE,
  transmit(w, dev, frame) {
    const ns = dev.ns;
    const peer = dev.peer;
    if (!peer || !peer.adminUp) throw w.dropAt(dev, frame, `the peer of ${dev.name} is down`);
    const len = ip(frame).totalLength;
    if (len > peer.mtu) throw w.dropAt(peer, frame, `${len}-byte packet is larger than ${peer.name}'s MTU ${peer.mtu}: veth drops it (is_skb_forwardable)`, 'MTU_EXCEEDED');
    w.step(ns, 'veth', 'TRANSMITTED', `veth ${dev.name} → ${peer.name}${peer.ns !== ns ? ` in ${peer.ns.name}` : ''}`, frame, {
      dev,
      why: ['a veth pair is a wire: what one end sends, the other end receives', ...(peer.ns !== ns ? [`crossing from namespace ${ns.name} to ${peer.ns.name}`] : [])],
      detail: { peer: label(peer) },
    });
    return w.l2Receive(peer, frame);
  },
  floodTx(dev, vlan, push) {
    if (dev.peer && hasCarrier(dev)) push(dev.peer, 'rx', vlan);
  },
  view: {
    tier: (d) => ((d.peer && d.peer.ns !== d.ns) || (d.master && kindOps(d.master).view.masterLink === 'member') ? 'nic' : undefined),
    wire: 'veth',
    participant: 'veth',
  },
};
