// dummy (drivers/net/dummy.c): NOARP, no multicast, no MTU limits; whatever it sends is
// discarded.
import { IFF } from '../model/flags.ts';
import type { KindOps } from './types.ts';

export const dummy: KindOps<'dummy'> = {
  kind: 'dummy',
  typeName: 'dummy',
  // iproute2 has no iplink_dummy.c: what follows `type dummy` goes into an empty
  // IFLA_INFO_DATA unread, and the driver takes no data (`type dummy mode l2` creates one, 6.1).
  parse: ({ args }) => {
    args.rest();
    return {};
  },
  defaults: () => ({ mtu: 1500, minMtu: 0, maxMtu: 0, txqlen: 1000 }),
  // dummy_setup clears IFF_MULTICAST and sets IFF_NOARP.
  setup(dev) {
    dev.noarp = true;
  },
  rawCarrier: () => true,
  noUnicastFilter: true,
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
