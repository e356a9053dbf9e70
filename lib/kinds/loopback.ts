// lo (drivers/net/loopback.c): IFF_LOOPBACK, 64 KiB MTU, link/loopback; cannot be moved
// or deleted. It is created with each namespace, never by `ip link add`.
import { IFF } from '../model/flags.ts';
import { GSO_MAX_SIZE } from './common.ts';
import type { KindOps } from './types.ts';

export const loopback: KindOps<'loopback'> = {
  kind: 'loopback',
  defaults: () => ({ mtu: 65536, minMtu: 0, maxMtu: 0, txqlen: 1000 }),
  rawCarrier: () => true,
  operUp: () => 'UNKNOWN',
  flags: IFF.LOOPBACK,
  tsoMaxSize: () => GSO_MAX_SIZE,
  linkType: 'loopback',
  fixed: true,
  noAddrList: true,
  linkinfoJson: () => null,
  view: { hidden: true },
};
