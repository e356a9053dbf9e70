// Per-namespace state of the subsystems beyond routing (netfilter, conntrack, IPVS, OVS).
// Each subsystem module adds its own optional field by declaration merging
// (`declare module '../model/extensions.ts' { interface NsExtensions { nat?: NatState } }`),
// so a namespace stays one object without the core knowing every subsystem.

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface NsExtensions {}

export function newExtensions(): NsExtensions {
  return {};
}
