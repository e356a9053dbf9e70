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
  {
    pattern: /("info_kind":"veth"[^\n]*?)"num_tx_queues":2,"num_rx_queues":2\b/g,
    replacement: '$1"num_tx_queues":1,"num_rx_queues":1',
    reason: 'the same as `ip -j -d link` prints it (veth: one queue per possible CPU; the host has 2, the reference VM one)',
  },
  {
    // Each entry a Linux bridge holds for vid 0 has a twin for the default PVID 1, added
    // right after it (so listed just before it): the pairs are made and removed together.
    pattern: /^([0-9a-f:]{17} (?:dev \S+ )?)(master \S+ [a-z]*)$/gm,
    replacement: '$1vlan 1 $2\n$1$2',
    reason:
      'not the version but the build: the host kernel has no CONFIG_BRIDGE_VLAN_FILTERING, Debian 6.1 has it, so every bridge FDB entry also exists in the default PVID 1 (`bridge fdb show`; the VM capture bridge-fdb shows them)',
  },
  {
    pattern: /\{"mac":"([0-9a-f:]{17})",((?:"ifname":"[^"]*",)?)("flags":\[\],"master":"[^"]*","state":"[a-z]*")\}/g,
    replacement: '{"mac":"$1",$2"vlan":1,$3},{"mac":"$1",$2$3}',
    reason: 'the same in `bridge -j fdb show`',
  },
];

/** Host-kernel (6.18) output as the reference kernel (6.1) prints it. */
export function asReferenceKernel(text: string): string {
  let s = text;
  for (const d of KERNEL_DIFFERENCES) s = s.replace(d.pattern, d.replacement);
  return s;
}

/**
 * Where 6.18 gives up information 6.1 still reports, the host's text cannot be rewritten by a
 * pattern alone: `ip route get ... iif DEV` refused by the reverse-path filter is EXDEV
 * ("Invalid cross-device link") on 6.1 (fib_validate_source's e_rpf, returned as is by
 * ip_route_input_slow) and EINVAL on 6.18 (every drop reason becomes EINVAL). Given the
 * host's and the model's results for one command, the host's as 6.1 would print it.
 */
export function reconcileWithModel<T extends { stdout: string; stderr: string; status: number }>(command: string, host: T, model: { stderr: string; status: number }): T {
  const einval = 'RTNETLINK answers: Invalid argument\n';
  const exdev = 'RTNETLINK answers: Invalid cross-device link\n';
  if (/\broute get\b/.test(command) && /\biif\b/.test(command) && host.stderr === einval && model.stderr === exdev && host.status === model.status) {
    return { ...host, stderr: exdev };
  }
  return host;
}
