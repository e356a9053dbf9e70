// `ip addr show` (iproute2 ipaddress.c print_addrinfo) and `ip -br addr`.
import { Scope, type Device } from '../../model/device.ts';
import { reportedOperState } from '../../model/link-ops.ts';
import { formatIpv4 } from '../../net/ipv4.ts';
import { formatIpv6 } from '../../net/ipv6.ts';
import { scopeName } from './names.ts';
import { linkName, printLinkHeader } from './print-link.ts';

/** `ip addr show` address selectors: primary/secondary, label PATTERN (print_selected_addrinfo). */
export interface AddrSelect {
  secondary?: boolean;
  label?: string;
}

/** fnmatch(3) without flags: `*`, `?` and bracket expressions. */
export function fnmatch(pattern: string, text: string): boolean {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end < 0) re += '\\[';
      else {
        let body = pattern.slice(i + 1, end);
        if (body.startsWith('!')) body = '^' + body.slice(1);
        re += `[${body.replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else re += c.replace(/[.+^${}()|\\/]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 's').test(text);
}

function selected(sel: AddrSelect | undefined, secondary: boolean, label: string): boolean {
  if (!sel) return true;
  if (sel.secondary !== undefined && sel.secondary !== secondary) return false;
  if (sel.label !== undefined && !fnmatch(sel.label, label)) return false;
  return true;
}

/** Whether `dev` has an address the selectors keep (ipaddr_filter drops links without one). */
export function hasSelectedAddress(dev: Device, family: 0 | 4 | 6, sel: AddrSelect): boolean {
  return addressLines(dev, family, sel).length > 0;
}

/** Each address as print_addrinfo prints it: its line and its lifetime line, without newlines. */
function addressLines(dev: Device, family: 0 | 4 | 6, sel?: AddrSelect): [string, string][] {
  const out: [string, string][] = [];
  const lft = '       valid_lft forever preferred_lft forever';
  if (family !== 6) {
    for (const a of dev.ipv4) {
      if (!selected(sel, a.secondary, a.label)) continue;
      let s = `    inet ${formatIpv4(a.local)}`;
      if (a.peer !== undefined) s += ` peer ${formatIpv4(a.peer)}/${a.len} `;
      else s += `/${a.len} `;
      if (a.metric) s += `metric ${a.metric} `;
      if (a.broadcast !== undefined) s += `brd ${formatIpv4(a.broadcast)} `;
      s += `scope ${scopeName(a.scope)} `;
      if (a.secondary) s += 'secondary ';
      if (a.noprefixroute) s += 'noprefixroute ';
      out.push([s + a.label, lft]);
    }
  }
  if (family !== 4) {
    // IPv6 addresses have no label: the device name stands in; they are never secondary.
    for (const a of dev.ipv6) if (selected(sel, false, dev.name)) out.push([`    inet6 ${formatIpv6(a.addr)}/${a.len} scope ${scopeName(a.scope === Scope.host ? Scope.host : a.scope)} `, lft]);
  }
  return out;
}

export function printAddrStanza(dev: Device, family: 0 | 4 | 6, details: boolean, sel?: AddrSelect): string {
  // With `label`, iproute2 prints the matching addresses without their link line.
  let s = sel?.label !== undefined ? '' : printLinkHeader(dev, { showMode: false, familyFiltered: family !== 0, details });
  for (const [line, lft] of addressLines(dev, family, sel)) s += `${line}\n${lft}\n`;
  return s;
}

/**
 * `ip -o addr`: no link stanza, one line per address prefixed with the index and the bare
 * name (no @peer); the line break inside an address becomes a backslash (iproute2's _SL_).
 */
export function printAddrOneline(dev: Device, family: 0 | 4 | 6, sel?: AddrSelect): string {
  return addressLines(dev, family, sel)
    .map(([line, lft]) => `${dev.ifindex}: ${dev.name}${line}\\${lft}\n`)
    .join('');
}

export function printAddrBrief(dev: Device, family: 0 | 4 | 6): string {
  let s = `${linkName(dev).text.padEnd(16)} ${reportedOperState(dev).padEnd(14)} `;
  // print_addrinfo's brief form keeps the metric after the prefix.
  if (family !== 6) for (const a of dev.ipv4) s += `${formatIpv4(a.local)}/${a.len} ${a.metric ? `metric ${a.metric} ` : ''}`;
  if (family !== 4) for (const a of dev.ipv6) s += `${formatIpv6(a.addr)}/${a.len} `;
  return s + '\n';
}
