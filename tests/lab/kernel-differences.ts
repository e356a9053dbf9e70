// Where the host kernel (6.18, tests/lab and tests/model/kernel-captures) prints differently
// from the reference kernel (Debian's 6.1 in the VM, lib/vm), which is the one the model
// follows. Each entry rewrites host output into what 6.1 prints, before it is compared with
// the model; each was seen on both kernels.
export interface KernelDifference {
  /** Matches the 6.18 text (global). */
  pattern: RegExp;
  /** What 6.1 prints there. */
  replacement: string;
  reason: string;
}

export const KERNEL_DIFFERENCES: readonly KernelDifference[] = [
  {
    pattern: /(\bvxlan id [^\n]*?)\btso_max_size 524280\b/g,
    replacement: '$1tso_max_size 65536',
    reason:
      'vxlan keeps TSO_LEGACY_MAX_SIZE (65536) as tso_max_size on 6.1; 6.18 raises it to GSO_MAX_SIZE (524280) (`ip -d link`, IFLA_TSO_MAX_SIZE)',
  },
  {
    pattern: /(\bveth [^\n]*?)\bnumtxqueues 2 numrxqueues 2\b/g,
    replacement: '$1numtxqueues 1 numrxqueues 1',
    reason:
      'not the kernel version but the machine: veth gets one queue per possible CPU; the host has 2 CPUs, the reference VM one (`ip -d link`)',
  },
];

/** Host-kernel (6.18) output as the reference kernel (6.1) prints it. */
export function asReferenceKernel(text: string): string {
  let s = text;
  for (const d of KERNEL_DIFFERENCES) s = s.replace(d.pattern, d.replacement);
  return s;
}
