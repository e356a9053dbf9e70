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
// partner values. Otherwise the model uses a fixed, MODEL-CHOSEN partner (marked below).
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
 * MODEL-CHOSEN partner for a link whose far end is not a modelled bond: a switch with
 * LACP system priority 32768 (the common switch default), a MAC from the documentation
 * range 00:00:5e:00:53:xx (RFC 7042), key 1, port priority 32768, ports numbered like ours,
 * slow LACP (state 61).
 */
const CHOSEN_PARTNER = { systemPriority: 32768, systemMac: '00:00:5e:00:53:01' as Mac, portKey: 1, portPriority: 32768, slowState: 61 };

function actorOf(bond: Device, dev: Device, portNumber: number): LacpActor {
  const { speed, full } = linkSpeed(dev);
  const up = hasCarrier(dev);
  const ad = up && speed !== undefined ? (AD_SPEEDS[speed] ?? 0) : 0;
  const fast = bond.bond?.lacpRate === 'fast';
  let state = LACP_STATE.activity | LACP_STATE.aggregation;
  if (fast) state |= LACP_STATE.timeout;
  if (up) state |= LACP_STATE.sync | LACP_STATE.collecting | LACP_STATE.distributing;
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
    const actor = actorOf(bond, dev, i + 1);
    const far = dev.peer;
    const farBond = far?.master;
    let partner: LacpActor;
    let partnerModelled = false;
    if (far && farBond && farBond.bond?.mode === '802.3ad') {
      const farIndex = bondSlaves(farBond).indexOf(far);
      partner = actorOf(farBond, far, farIndex + 1);
      partnerModelled = true;
    } else {
      partner = {
        systemPriority: CHOSEN_PARTNER.systemPriority,
        systemMac: CHOSEN_PARTNER.systemMac,
        portKey: CHOSEN_PARTNER.portKey,
        portPriority: CHOSEN_PARTNER.portPriority,
        portNumber: i + 1,
        portState: CHOSEN_PARTNER.slowState,
      };
    }
    return { dev, up: hasCarrier(dev), aggregatorId: 1, actor, partner, partnerModelled };
  });
}
