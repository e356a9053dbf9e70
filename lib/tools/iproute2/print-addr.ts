// `ip addr show` (iproute2 ipaddress.c print_addrinfo) and `ip -br addr`.
import { Scope, type Device } from '../../model/device.ts';
import { reportedOperState } from '../../model/link-ops.ts';
import { formatIpv4 } from '../../net/ipv4.ts';
import { formatIpv6 } from '../../net/ipv6.ts';
import { scopeName } from './names.ts';
import { linkName, printLinkHeader } from './print-link.ts';

export function printAddrStanza(dev: Device, family: 0 | 4 | 6, details: boolean): string {
  let s = printLinkHeader(dev, { showMode: false, familyFiltered: family !== 0, details });
  if (family !== 6) {
    for (const a of dev.ipv4) {
      s += `    inet ${formatIpv4(a.local)}`;
      if (a.peer !== undefined) s += ` peer ${formatIpv4(a.peer)}/${a.len} `;
      else s += `/${a.len} `;
      if (a.metric) s += `metric ${a.metric} `;
      if (a.broadcast !== undefined) s += `brd ${formatIpv4(a.broadcast)} `;
      s += `scope ${scopeName(a.scope)} `;
      if (a.secondary) s += 'secondary ';
      if (a.noprefixroute) s += 'noprefixroute ';
      s += `${a.label}\n       valid_lft forever preferred_lft forever\n`;
    }
  }
  if (family !== 4) {
    for (const a of dev.ipv6) {
      s += `    inet6 ${formatIpv6(a.addr)}/${a.len} scope ${scopeName(a.scope === Scope.host ? Scope.host : a.scope)} \n`;
      s += '       valid_lft forever preferred_lft forever\n';
    }
  }
  return s;
}

export function printAddrBrief(dev: Device, family: 0 | 4 | 6): string {
  let s = `${linkName(dev).text.padEnd(16)} ${reportedOperState(dev).padEnd(14)} `;
  if (family !== 6) for (const a of dev.ipv4) s += `${formatIpv4(a.local)}/${a.len} `;
  if (family !== 4) for (const a of dev.ipv6) s += `${formatIpv6(a.addr)}/${a.len} `;
  return s + '\n';
}
