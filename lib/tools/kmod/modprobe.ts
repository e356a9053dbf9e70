// `modprobe [-q] NAME` / `modprobe -r NAME` (kmod 30): kernel modules are loaded once per
// machine (World.modules), whichever namespace asks. Only what loading changes in the
// model is modelled: ip_vs brings the net.ipv4.vs.* sysctls into every namespace. Messages
// and statuses as kmod prints them on the reference kernel (Debian 6.1, the VM).
import { KERNEL_RELEASE } from '../../model/kernel.ts';
import { registerTool } from '../registry.ts';
import { eprint, UnsupportedError, type ToolContext } from '../tool.ts';

/**
 * Modules of the reference kernel the model knows by name (each found there with
 * `modprobe -n`): the ones this network uses or a reader is likely to load beside them.
 */
export const KNOWN_MODULES: ReadonlySet<string> = new Set([
  'ip_vs', 'ip_vs_rr', 'ip_vs_wrr', 'ip_vs_sh', 'ip_vs_lc', '8021q', 'bonding', 'openvswitch', 'ipvlan', 'macvlan', 'dummy',
  'vxlan', 'geneve', 'veth', 'bridge', 'br_netfilter', 'nf_conntrack', 'nf_nat', 'nf_conntrack_netlink', 'iptable_nat',
  'iptable_filter', 'ip_tables', 'x_tables', 'xt_MASQUERADE', 'xt_conntrack',
]);

/** kmod treats '-' and '_' in module names alike. */
function normalise(name: string): string {
  return name.replace(/-/g, '_');
}

function modprobe(argv: string[], ctx: ToolContext): number {
  let quiet = false;
  let remove = false;
  const names: string[] = [];
  for (const a of argv.slice(1)) {
    if (a === '-q' || a === '--quiet') quiet = true;
    else if (a === '-r' || a === '--remove') remove = true;
    else if (a.startsWith('-')) throw new UnsupportedError(`modprobe: option "${a}" is not modelled (only -q and -r)`, a);
    else names.push(a);
  }
  if (names.length === 0) {
    eprint(ctx, 'modprobe: ERROR: missing parameters. See -h.\n');
    return 1;
  }
  if (!remove && names.length > 1) throw new UnsupportedError(`modprobe: module parameters ("${names[1]}") are not modelled`, names[1]!);
  for (const raw of names) {
    const name = normalise(raw);
    if (!KNOWN_MODULES.has(name)) {
      if (!quiet) eprint(ctx, remove ? `modprobe: FATAL: Module ${raw} not found.\n` : `modprobe: FATAL: Module ${raw} not found in directory /lib/modules/${KERNEL_RELEASE}\n`);
      return 1;
    }
    if (remove) {
      if (name === 'ip_vs' && ctx.world.namespaces().concat(ctx.world.root).some((ns) => (ns.ext.ipvs?.services.length ?? 0) > 0)) {
        throw new UnsupportedError('modprobe -r ip_vs while IPVS services exist is not modelled', raw);
      }
      // Unloading ip_vs tears down its per-namespace state: its sysctls start at their
      // defaults when it is loaded again.
      if (name === 'ip_vs' && ctx.world.modules.has(name)) for (const ns of [ctx.world.root, ...ctx.world.namespaces()]) ns.sysctl.vsConntrack = 0;
      ctx.world.modules.delete(name);
    } else ctx.world.modules.add(name);
  }
  return 0;
}

registerTool('modprobe', modprobe);
