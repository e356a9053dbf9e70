// dummy (drivers/net/dummy.c): NOARP, no multicast, no MTU limits; whatever it sends is
// discarded.
import { IFF } from '../model/flags.ts';
import type { KindOps } from './types.ts';

export const dummy: KindOps<'dummy'> = {
  kind: 'dummy',
  typeName: 'dummy',
  defaults: () => ({ mtu: 1500, minMtu: 0, maxMtu: 0, txqlen: 1000 }),
  // dummy_setup clears IFF_MULTICAST and sets IFF_NOARP.
  setup(dev) {
    dev.noarp = true;
  },
  rawCarrier: () => true,
  operUp: () => 'UNKNOWN',
  flags: IFF.BROADCAST,
  linkType: 'ether',
  details: () => 'dummy ',
  l3Transmit(w, ns, dev, _nexthop, stack) {
    const why = `${dev.name} is a dummy device: whatever it transmits is discarded`;
    w.step(ns, 'drop', 'DROPPED', `dropped: ${why}`, stack, { dev, why: [why] });
    throw w.stop('NO_ROUTE', { ns: ns.name, device: dev.name }, why);
  },
  view: {},
};
