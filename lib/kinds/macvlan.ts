// macvlan (drivers/net/macvlan.c, iproute2 iplink_macvlan.c): devices with their own MAC
// on one lower device, `ip link add NAME link DEV type macvlan mode M`. The lower device's
// rx_handler hands a frame to the macvlan whose MAC it is for, a broadcast to all of them.
// What one macvlan sends to another on the same lower device depends on the sender's mode:
// bridge: delivered directly to a bridge-mode sibling; private and vepa: out through the
// lower device (a VEPA switch may send it back, hairpin; the model's wires do not).
// passthru: the only macvlan of its lower device, with the lower device's MAC.
// Checked against kernel 6.18: tests/model/kernel-captures/macvlan.sh (ip output),
// tests/trace/captures/macvlan-traffic.sh (which pings get through).
import { hasCarrier, type Device } from '../model/device.ts';
import { KernelError } from '../model/errno.ts';
import { BROADCAST_MAC } from '../net/mac.ts';
import { IpUsageError, notModelled } from '../tools/iproute2/args.ts';
import { eth } from '../trace/frame.ts';
import { ETHER_DEFAULTS, ETHER_FLAGS, label, uppersOf, tsoMaxSizeOf, TSO_LEGACY_MAX_SIZE } from './common.ts';
import type { KindOps } from './types.ts';

export type MacvlanMode = 'private' | 'vepa' | 'bridge' | 'passthru';
const MODES = ['private', 'vepa', 'bridge', 'passthru', 'source'];

/** The mode of each macvlan device (macvlan_dev->mode). */
const modes = new WeakMap<Device, MacvlanMode>();

export function macvlanMode(dev: Device): MacvlanMode | undefined {
  return modes.get(dev);
}

const siblings = (dev: Device) => (dev.lower ? uppersOf(dev.lower, 'macvlan').filter((s) => s !== dev) : []);

export const macvlan: KindOps<'macvlan'> = {
  kind: 'macvlan',
  // macvlan_common_setup: netif_keep_dst (not captured).
  xmitDstRelease: () => false,
  typeName: 'macvlan',
  parse({ args, lower }) {
    let mode: MacvlanMode = 'vepa'; // macvlan_newlink: MACVLAN_MODE_VEPA unless told
    while (!args.done) {
      const tok = args.next();
      if (tok === 'mode') {
        const m = args.value();
        if (!MODES.includes(m)) throw new IpUsageError(`Error: argument of "mode" must be "private", "vepa", "bridge", "passthru" or "source", not "${m}"`);
        if (m === 'source') throw notModelled(m, 'ip link add type macvlan mode');
        mode = m as MacvlanMode;
      } else throw notModelled(tok, 'ip link add type macvlan');
    }
    return { ...(lower ? { lower } : {}), kindData: mode };
  },
  validate(spec) {
    // macvlan_common_newlink: no lower device, or a passthru one that is not alone: EINVAL.
    if (!spec.lower) throw new KernelError('EINVAL');
    const mode = (spec.kindData as MacvlanMode | undefined) ?? 'vepa';
    const others = uppersOf(spec.lower, 'macvlan');
    if (others.length > 0 && (mode === 'passthru' || others.some((o) => modes.get(o) === 'passthru'))) throw new KernelError('EINVAL');
  },
  defaults: (spec) => ({ ...ETHER_DEFAULTS, mtu: spec.lower!.mtu }),
  setup(dev, spec) {
    const mode = (spec.kindData as MacvlanMode | undefined) ?? 'vepa';
    modes.set(dev, mode);
    // passthru takes the lower device's address, whatever was asked.
    if (mode === 'passthru') dev.mac = spec.lower!.mac;
  },
  carrier: (dev) => dev.lower !== undefined && hasCarrier(dev.lower),
  iflink: (dev) => dev.lower,
  flags: ETHER_FLAGS,
  // netif_inherit_tso_max: the lower device's.
  tsoMaxSize: (dev) => (dev.lower ? tsoMaxSizeOf(dev.lower) : TSO_LEGACY_MAX_SIZE),
  linkType: 'ether',
  checkMtu(dev, mtu) {
    // macvlan_change_mtu: larger than the lower device's MTU is EINVAL.
    if (dev.lower && mtu > dev.lower.mtu) throw new KernelError('EINVAL');
  },
  details: (dev) => `macvlan mode ${modes.get(dev)} bcqueuelen 1000 usedbcqueuelen 1000 `,
  linkinfoJson: (dev) => ({ info_kind: 'macvlan', info_data: { mode: modes.get(dev), bcqueuelen: 1000, usedbcqueuelen: 1000 } }),
  transmit(w, dev, frame) {
    const lower = dev.lower!;
    const mode = modes.get(dev);
    const e = eth(frame);
    // macvlan_queue_xmit: in bridge mode, a frame for a bridge-mode sibling never leaves.
    if (mode === 'bridge') {
      const dest = siblings(dev).find((s) => s.mac === e.dst && modes.get(s) === 'bridge');
      if (dest) {
        w.step(dev.ns, 'macvlan', 'SWITCHED', `macvlan bridge mode: ${e.dst} is ${label(dest)} on the same lower device ${lower.name}: delivered directly`, frame, {
          dev,
          why: ['macvlan_queue_xmit: in bridge mode a frame for another bridge-mode macvlan of the same lower device is handed to it (macvlan_hash_lookup)'],
          detail: { mode, lower: label(lower), to: label(dest) },
        });
        return w.l2Receive(dest, frame);
      }
    }
    w.step(dev.ns, 'macvlan', 'TRANSMITTED', `macvlan ${dev.name} (${mode}) sends through ${lower.name}${lower.ns !== dev.ns ? ` (${lower.ns.name})` : ''} with its own MAC ${dev.mac}`, frame, {
      dev,
      why: [
        mode === 'bridge'
          ? 'bridge mode: the destination is not a bridge-mode macvlan of this lower device, so the frame leaves through it'
          : `${mode} mode: every frame leaves through the lower device${mode === 'vepa' ? ' (an 802.1Qbg switch may send it back: hairpin)' : ''}`,
      ],
      detail: { mode, lower: label(lower) },
    });
    return w.l2Transmit(lower, frame);
  },
  receiveUpper(w, lower, frame) {
    const e = eth(frame);
    if (e.dst === BROADCAST_MAC) return false;
    const all = uppersOf(lower, 'macvlan');
    const dest = all.find((m) => modes.get(m) === 'passthru') ?? all.find((m) => m.mac === e.dst);
    if (!dest) return false;
    w.step(lower.ns, 'macvlan', 'SWITCHED', `macvlan on ${lower.name}: ${e.dst} is ${label(dest)} (${modes.get(dest)})`, frame, {
      dev: lower,
      why: ['the lower device\'s rx_handler (macvlan_handle_frame) hands a unicast frame to the macvlan with that destination MAC'],
      detail: { mode: modes.get(dest), lower: label(lower), to: label(dest) },
    });
    w.l2Receive(dest, frame);
    return true;
  },
  floodTx(dev, vlan, push) {
    // macvlan_broadcast(MACVLAN_MODE_BRIDGE) from a bridge-mode sender, then out the lower device.
    if (modes.get(dev) === 'bridge') for (const s of siblings(dev)) if (modes.get(s) === 'bridge') push(s, 'rx', undefined);
    if (dev.lower) push(dev.lower, 'tx', vlan);
  },
  floodLowerRx(lower, vlan, push) {
    // A broadcast from outside reaches every macvlan (MACVLAN_MODE_ALL).
    if (vlan !== undefined && vlan !== 0) return false;
    for (const m of uppersOf(lower, 'macvlan')) push(m, 'rx', undefined);
    return false;
  },
  hasUppers: (lower) => uppersOf(lower, 'macvlan').length > 0,
  view: { wire: 'lower' },
};
