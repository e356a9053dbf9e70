// `sysctl [-w] [-q] key[=value] ...` for the networking keys the model honours.
import type { DeviceConf } from '../../model/device.ts';
import type { Netns } from '../../model/netns.ts';
import { devconfIsSet, devconfMarkSet } from '../../model/addr-ops.ts';
import { registerTool } from '../registry.ts';
import { eprint, print, UnsupportedError, type ToolContext } from '../tool.ts';

const CONF_KEYS: (keyof DeviceConf)[] = ['forwarding', 'proxy_arp', 'rp_filter', 'accept_local', 'route_localnet', 'arp_ignore', 'arp_announce', 'proxy_delay'];

interface Knob {
  get(): number | string;
  set(v: string): void;
}

/** The kernel refused the value (proc_dointvec: EINVAL); sysctl reports it and goes on. */
class InvalidValue extends Error {}

/**
 * proc_dointvec's parse (kernel/sysctl.c proc_get_long + do_proc_dointvec_conv): up to `n`
 * integers separated by blanks, each an optional `-` then a C number (0x hex, 0 octal), ended
 * by a blank or the end, within a C int; text after the n-th is ignored. Too few is fine (the
 * rest keep their values); none, garbage or overflow is EINVAL.
 */
function intVector(v: string, n: number): number[] {
  const out: number[] = [];
  let i = 0;
  const space = (c: string | undefined): boolean => c !== undefined && ' \t\n\v\f\r'.includes(c);
  while (out.length < n) {
    while (space(v[i])) i++;
    if (i >= v.length) break;
    const neg = v[i] === '-';
    if (neg) i++;
    const m = /^(?:0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)/.exec(v.slice(i, i + 64));
    if (!m) throw new InvalidValue();
    i += m[0].length;
    if (i < v.length && !' \t\n'.includes(v[i]!)) throw new InvalidValue();
    const body = m[0];
    const mag = /^0[xX]/.test(body) ? parseInt(body, 16) : body.length > 1 && body[0] === '0' ? parseInt(body, 8) : Number(body);
    if (neg ? mag > 0x80000000 : mag > 0x7fffffff) throw new InvalidValue();
    out.push(neg ? -mag : mag);
  }
  if (out.length === 0) throw new InvalidValue();
  return out;
}

function intValue(v: string): number {
  return intVector(v, 1)[0]!;
}

/** Resolves a dotted or slashed key to a knob, or undefined when /proc/sys has no such file. */
function knob(ns: Netns, key: string): Knob | undefined {
  const k = key.replace(/\//g, '.');
  if (k === 'net.ipv4.ip_forward' || k === 'net.ipv4.conf.all.forwarding') {
    return {
      get: () => ns.sysctl.ipForward,
      set: (v) => {
        // devinet_sysctl_forward: writing ip_forward sets all, default and every device, to
        // the integer written (7 stays 7; any non-zero value forwards).
        const n = intValue(v);
        // devinet_sysctl_forward acts only when the value changes: writing the current
        // value leaves per-device forwarding (and default) alone.
        if (n === ns.sysctl.ipForward) return;
        ns.sysctl.ipForward = n;
        ns.sysctl.all.forwarding = n;
        ns.sysctl.dflt.forwarding = n;
        for (const d of ns.devicesInOrder()) {
          d.conf.forwarding = n;
          devconfMarkSet(d.conf, 'forwarding'); // IN_DEV_CONF_SET marks it set
        }
      },
    };
  }
  if (k === 'net.ipv4.ip_local_port_range') {
    return {
      get: () => `${ns.sysctl.localPortMin}\t${ns.sysctl.localPortMax}`,
      set: (v) => {
        // ipv4_local_port_range: proc_dointvec_minmax over [min, max] (each 1..65535, an
        // element not written keeps its value), then max >= min >= ip_unprivileged_port_start.
        const parts = intVector(v, 2);
        const lo = parts[0]!;
        const hi = parts[1] ?? ns.sysctl.localPortMax;
        if ([lo, hi].some((p) => p < 1 || p > 65535)) throw new InvalidValue();
        if (hi < lo || lo < 1024) throw new InvalidValue();
        ns.sysctl.localPortMin = lo;
        ns.sysctl.localPortMax = hi;
      },
    };
  }
  if (k === 'net.ipv4.vs.conntrack') {
    // /proc/sys/net/ipv4/vs exists only once ip_vs is loaded (6.1: "cannot stat" before).
    if (!ns.world.modules.has('ip_vs')) return undefined;
    return { get: () => ns.sysctl.vsConntrack, set: (v) => (ns.sysctl.vsConntrack = intValue(v)) };
  }
  if (k === 'net.ipv4.route.mtu_expires') {
    // proc_dointvec_jiffies: whole seconds; a path MTU exception made afterwards lives that long.
    return { get: () => ns.sysctl.routeMtuExpires, set: (v) => (ns.sysctl.routeMtuExpires = intValue(v)) };
  }
  const m = /^net\.ipv4\.conf\.([^.]+)\.([a-z_]+)$/.exec(k);
  if (m) {
    const [, devName, field] = m;
    if (!CONF_KEYS.includes(field as keyof DeviceConf)) throw new UnsupportedError(`sysctl: "${key}" is not modelled (net.ipv4.conf.*: ${CONF_KEYS.join(', ')})`, key);
    const f = field as keyof DeviceConf;
    const conf = devName === 'all' ? ns.sysctl.all : devName === 'default' ? ns.sysctl.dflt : ns.device(devName!)?.conf;
    if (!conf) return undefined;
    return {
      get: () => conf[f] ?? 0,
      set: (v) => {
        const n = intValue(v);
        conf[f] = n;
        // devinet_conf_proc: a write marks the value set; a new default reaches every device
        // whose value is not set (devinet_copy_dflt_conf). route_localnet (a "flushing"
        // entry) and forwarding (its own handler) never propagate.
        if (devName === 'default' && ['rp_filter', 'accept_local', 'proxy_arp', 'arp_ignore', 'arp_announce'].includes(f)) {
          devconfMarkSet(conf, f);
          for (const d of ns.devicesInOrder()) if (!devconfIsSet(d.conf, f)) d.conf[f] = n;
        } else if (devName !== 'all') devconfMarkSet(conf, f);
      },
    };
  }
  const m6 = /^net\.ipv6\.conf\.([^.]+)\.accept_dad$/.exec(k);
  if (m6) {
    const devName = m6[1]!;
    const conf = devName === 'all' ? ns.sysctl.all6 : devName === 'default' ? ns.sysctl.dflt6 : ns.device(devName)?.conf6;
    if (!conf) return undefined;
    // Not propagated: addrconf reads all's value beside the device's when it starts DAD.
    return { get: () => conf.accept_dad, set: (v) => (conf.accept_dad = intValue(v)) };
  }
  return undefined;
}

function runSysctl(argv: string[], ctx: ToolContext): number {
  let write = false;
  let quiet = false;
  let status = 0;
  const items: string[] = [];
  for (const a of argv.slice(1)) {
    if (a.startsWith('-') && items.length === 0) {
      for (const f of a.slice(1)) {
        if (f === 'w') write = true;
        else if (f === 'q') quiet = true;
        else if (f === 'n' || f === 'e') continue;
        else throw new UnsupportedError(`sysctl: option "-${f}" is not supported by the model`, a);
      }
    } else items.push(a);
  }
  for (const item of items) {
    const eq = item.indexOf('=');
    const key = eq < 0 ? item : item.slice(0, eq);
    // procps-ng 4.0 (Debian 12): every failure below prints and goes on, exit status 1.
    if (write && eq < 0) {
      eprint(ctx, 'sysctl: command line(0): invalid syntax, continuing...\n');
      status = 1;
      continue;
    }
    const kb = knob(ctx.ns, key);
    if (!kb) {
      const path = `/proc/sys/${key.replace(/\./g, '/')}`;
      // Only a per-device key of a device that does not exist is known to be missing;
      // any other key the model does not know may well exist on a real host.
      const dotted = key.replace(/\//g, '.');
      const perDevice = /^net\.ipv4\.conf\.[^.]+\.[a-z_]+$/.test(dotted) || /^net\.ipv6\.conf\.[^.]+\.accept_dad$/.test(dotted);
      // net.ipv4.vs.* is known to be missing while ip_vs is not loaded.
      const ipvsAbsent = dotted === 'net.ipv4.vs.conntrack' && !ctx.world.modules.has('ip_vs');
      if (!perDevice && !ipvsAbsent) throw new UnsupportedError(`sysctl: "${key}" is not modelled`, key);
      eprint(ctx, `sysctl: cannot stat ${path}: No such file or directory\n`);
      status = 1;
      continue;
    }
    if (eq >= 0) {
      try {
        kb.set(item.slice(eq + 1));
      } catch (e) {
        if (!(e instanceof InvalidValue)) throw e;
        eprint(ctx, `sysctl: setting key "${key}": Invalid argument\n`);
        status = 1;
        continue;
      }
    }
    // A write echoes the value as given (procps: `= 0x2`, `= 3 4`), leading blanks dropped.
    if (!quiet) print(ctx, `${key} = ${eq >= 0 ? item.slice(eq + 1).replace(/^[ \t]+/, '') : kb.get()}\n`);
  }
  return status;
}

registerTool('sysctl', runSysctl);
