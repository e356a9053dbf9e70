// The 802.3ad (LACP) state of a bond's members in steady state, as bond_3ad.c leaves it
// after negotiation, for /proc/net/bonding/<bond>.
//
// Derived, not negotiated step by step: every member with carrier joins aggregator 1 (the
// first member's), is collecting and distributing, and its actor values follow bond_3ad.c:
//   port key   = (AD_LINK_SPEED_* << 1) | full duplex (user key 0)
//   port state = LACP_ACTIVITY 1 | TIMEOUT 2 (lacp_rate fast) | AGGREGATION 4 |
//                SYNCHRONIZATION 8 | COLLECTING 16 | DISTRIBUTING 32
//   system priority 65535, system MAC = the bond's MAC, port priority 255,
//   port numbers 1, 2, ... in enslave order, aggregator ids 1, 2, ... likewise.
// The partner is the device at the other end of the member's link: when that is a member
// of a modelled 802.3ad bond (the reference cluster's switch), its actor values are the
// partner values. Otherwise the member has the kernel's default partner (see DEFAULT_PARTNER).
import type { Mac } from '../net/mac.ts';
import { bondSlaves } from './bond-hash.ts';
import { hasCarrier, type Device } from './device.ts';
import { kindOps } from '../kinds/registry.ts';

/** veth_get_link_ksettings: 10000 Mb/s, full duplex (the model's NICs are veth pairs). */
export function linkSpeed(dev: Device): { speed: number | undefined; full: boolean } {
  return kindOps(dev).speed ?? { speed: undefined, full: false };
}

const AD_SPEEDS: Record<number, number> = {
  1: 1, 10: 2, 100: 3, 1000: 4, 2500: 5, 5000: 6, 10000: 7, 14000: 8, 20000: 9, 25000: 10,
  40000: 11, 50000: 12, 56000: 13, 100000: 14, 200000: 15, 400000: 16, 800000: 17,
};

export const LACP_STATE = { activity: 1, timeout: 2, aggregation: 4, sync: 8, collecting: 16, distributing: 32, defaulted: 64, expired: 128 } as const;

export interface LacpActor {
  systemPriority: number;
  systemMac: Mac;
  portKey: number;
  portPriority: number;
  portNumber: number;
  portState: number;
}

export interface LacpMember {
  dev: Device;
  up: boolean;
  aggregatorId: number;
  actor: LacpActor;
  partner: LacpActor;
  /** True when the partner values come from a modelled bond at the other end. */
  partnerModelled: boolean;
}

/**
 * A member that never heard an LACPDU (its far end is no modelled 802.3ad bond): the rx
 * machine records the default partner (__record_default: priority 65535, null system,
 * key 1, port priority 255, port 1, state 0) and the actor is DEFAULTED, not in sync
 * (vm-captures/bond-lacp-defaulted.sh: state 69 slow, 71 fast, on dummy members).
 */
const DEFAULT_PARTNER = { systemPriority: 65535, systemMac: '00:00:00:00:00:00' as Mac, portKey: 1, portPriority: 255, portNumber: 1, portState: 0 };

function actorOf(bond: Device, dev: Device, portNumber: number, defaulted = false): LacpActor {
  const { speed, full } = linkSpeed(dev);
  const up = hasCarrier(dev);
  const ad = up && speed !== undefined ? (AD_SPEEDS[speed] ?? 0) : 0;
  const fast = bond.bond?.lacpRate === 'fast';
  let state = LACP_STATE.activity | LACP_STATE.aggregation;
  if (fast) state |= LACP_STATE.timeout;
  if (defaulted) state |= LACP_STATE.defaulted;
  // Without a partner in sync nothing is collected or distributed. The state is the one
  // of the first 2 s after the bond comes up (what vm-captures/bond-lacp-defaulted.sh and
  // the fuzzer see): once the mux machine's wait_while timer runs out the kernel adds
  // in_sync (77 slow, seen by vm-fuzz on a loaded machine), not modelled. A member that can
  // aggregate (full duplex) is given sync at once: MODEL-CHOSEN for veth members, not
  // captured (their rx machine also times out, after 3 s).
  else if (up) state |= LACP_STATE.sync | LACP_STATE.collecting | LACP_STATE.distributing;
  if (defaulted && up && full && speed !== undefined) state |= LACP_STATE.sync;
  return {
    systemPriority: 65535,
    systemMac: bond.mac,
    portKey: (ad << 1) | (up && full ? 1 : 0),
    portPriority: 255,
    portNumber,
    portState: state,
  };
}

export function lacpMembers(bond: Device): LacpMember[] {
  const slaves = bondSlaves(bond);
  return slaves.map((dev, i) => {
    const far = dev.peer;
    const farBond = far?.master;
    const hasPartner = !!(far && farBond && farBond.bond?.mode === '802.3ad');
    const actor = actorOf(bond, dev, i + 1, !hasPartner);
    // A member that is not full duplex with a known speed is individual (is_individual):
    // an aggregator of its own, numbered like the member (6.1: dummy members get 1, 2, ...).
    const { speed, full } = linkSpeed(dev);
    const individual = !(full && speed !== undefined);
    let partner: LacpActor;
    let partnerModelled = false;
    if (far && farBond && farBond.bond?.mode === '802.3ad') {
      const farIndex = bondSlaves(farBond).indexOf(far);
      partner = actorOf(farBond, far, farIndex + 1);
      partnerModelled = true;
    } else {
      partner = { ...DEFAULT_PARTNER };
    }
    return { dev, up: hasCarrier(dev), aggregatorId: individual ? i + 1 : 1, actor, partner, partnerModelled };
  });
}

/**
 * The active aggregator's id: the first member's with carrier, chosen by the 802.3ad state
 * machine, which runs while the bond is up (undefined before: "no active aggregator").
 */
export function activeAggregator(bond: Device): number | undefined {
  if (!bond.adminUp) return undefined;
  return lacpMembers(bond).find((m) => m.up)?.aggregatorId;
}
