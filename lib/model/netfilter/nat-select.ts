// Choosing the translated tuple of a connection (nf_nat_core.c get_unique_tuple and
// nf_nat_l4proto_unique_tuple), made deterministic:
// - an address range maps to its first address (the kernel hashes the tuple over the range);
// - a port is kept when it is in range and no other connection would get the same reply
//   tuple; otherwise the next free port above it in the range is taken, wrapping around
//   (the kernel starts its search at a hashed or random offset);
// - --random / --random-fully make the kernel pick a random port even when the original is
//   free; the model still keeps it and says so in the result.
import type { Ipv4Addr } from '../../net/ipv4.ts';
import type { ConntrackEntry, ConntrackTable } from './conntrack.ts';
import { IPPROTO_ICMP, hasPorts, invertTuple, type Tuple } from './packet.ts';
import type { NatFlags, NatRange } from './rule.ts';

export type Manip = 'src' | 'dst';

export interface NatChoice {
  /** The connection's new original-direction tuple. */
  tuple: Tuple;
  /** The port (or ICMP id) had to move off the original one. */
  portMoved: boolean;
  /** A real kernel would choose randomly here (random port, hashed address in a range). */
  kernelRandom: string[];
}

function portKey(t: Tuple, manip: Manip): 'sport' | 'dport' | undefined {
  if (t.proto === IPPROTO_ICMP) return manip === 'src' ? 'sport' : undefined;
  if (!hasPorts(t.proto)) return undefined;
  return manip === 'src' ? 'sport' : 'dport';
}

/** nf_nat_used_tuple: would another connection see the same reply? */
function used(table: ConntrackTable, t: Tuple, self: ConntrackEntry): boolean {
  return table.tupleTaken(invertTuple(t), self);
}

export function chooseTuple(
  table: ConntrackTable,
  entry: ConntrackEntry,
  manip: Manip,
  addr: Ipv4Addr | undefined,
  range: NatRange,
  flags: NatFlags,
): NatChoice {
  const curr = invertTuple(entry.reply);
  const t: Tuple = { ...curr };
  const kernelRandom: string[] = [];
  if (addr !== undefined) {
    if (manip === 'src') t.src = addr;
    else t.dst = addr;
  }
  if (range.minAddr !== undefined && range.maxAddr !== undefined && range.maxAddr !== range.minAddr) {
    kernelRandom.push('the kernel picks the address in the range by a hash of the tuple; the model takes the first');
  }
  const key = portKey(t, manip);
  if (key === undefined) return { tuple: t, portMoved: false, kernelRandom };
  const orig = t[key];
  const specified = range.minPort !== undefined;
  let min: number;
  let max: number;
  if (specified) {
    min = Math.min(range.minPort!, range.maxPort ?? range.minPort!);
    max = Math.max(range.minPort!, range.maxPort ?? range.minPort!);
  } else if (t.proto === IPPROTO_ICMP) {
    min = 0;
    max = 65535;
  } else if (orig < 1024) {
    [min, max] = orig < 512 ? [1, 511] : [600, 1023];
  } else {
    [min, max] = [1024, 65535];
  }
  const randomAll = flags.random || flags.randomFully;
  if (randomAll && manip === 'src') {
    kernelRandom.push(`--random${flags.randomFully ? '-fully' : ''}: the kernel picks a random ${key === 'sport' && t.proto === IPPROTO_ICMP ? 'id' : 'port'}; the model keeps the original when it is free`);
  }
  const inRange = orig >= min && orig <= max;
  if (specified) {
    if (inRange && (min === max || !used(table, t, entry))) return { tuple: t, portMoved: false, kernelRandom };
  } else {
    if (manip === 'dst') return { tuple: t, portMoved: false, kernelRandom };
    if (!used(table, t, entry)) return { tuple: t, portMoved: false, kernelRandom };
  }
  const size = max - min + 1;
  const start = inRange ? orig - min + 1 : 0;
  for (let i = 0; i < size; i++) {
    const port = min + ((start + i) % size);
    const cand: Tuple = { ...t, [key]: port };
    if (!used(table, cand, entry)) return { tuple: cand, portMoved: port !== orig, kernelRandom };
  }
  // Every port is taken: the kernel gives up the search and uses the last candidate.
  return { tuple: { ...t, [key]: min + ((start + size - 1) % size) }, portMoved: true, kernelRandom };
}
