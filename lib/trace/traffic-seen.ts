// What a traffic command (ping, socat) leaves behind that the model does not compute:
// neighbour entries and learned MACs in every namespace its packets crossed (World.trafficSeen).
import type { World } from '../model/world.ts';
import type { Trace } from './types.ts';

/** Records the namespaces the traces' packets crossed. */
export function noteTraffic(world: World, ...traces: (Trace | undefined)[]): void {
  for (const t of traces) for (const s of t?.steps ?? []) world.trafficSeen.add(s.ns);
}

/** The refusal of a tool that lists what traffic learns, in a namespace traffic crossed; undefined elsewhere. */
export function learnedStateRefusal(world: World, ns: string, what: string): string | undefined {
  if (!world.trafficSeen.has(ns)) return undefined;
  return `${what} after traffic is not modelled: a packet sent by ping or socat crossed ${ns || 'the initial namespace'}, and what it leaves there (ARP entries, learned MACs, frame counters) is not computed by the model; show it before sending traffic, or on the reference kernel (npx netatlas kernel run)`;
}
