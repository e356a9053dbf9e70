// The kernel's checks on an interface name (net/core/dev.c dev_valid_name, and the netlink
// policy on IFLA_IFNAME): what `ip link add`/`set ... name` run into after iproute2's own
// checks (lib/tools/iproute2/link-args.ts) let a name through.
import { KernelError } from './errno.ts';

/** IFNAMSIZ: 16 bytes with the terminating NUL. */
export const IFNAMSIZ = 16;

export function ifnameBytes(name: string): number {
  return new TextEncoder().encode(name).length;
}

/** dev_valid_name: non-empty, under IFNAMSIZ bytes, not `.` or `..`, no `/`, `:` or white space. */
export function devValidName(name: string): boolean {
  if (name === '' || ifnameBytes(name) >= IFNAMSIZ) return false;
  if (name === '.' || name === '..') return false;
  return !/[/:\s]/.test(name);
}

/**
 * A name in IFLA_IFNAME: the attribute policy (NLA_STRING of at most IFNAMSIZ-1 bytes) fails
 * first with its extack; then register_netdevice / dev_change_name refuse an invalid name
 * with a bare EINVAL.
 */
export function checkIfname(name: string): void {
  if (ifnameBytes(name) >= IFNAMSIZ) throw new KernelError('EINVAL', 'Attribute failed policy validation');
  if (!devValidName(name)) throw new KernelError('EINVAL');
}
