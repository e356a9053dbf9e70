// `ipvsadm -L` and `ipvsadm -S` as ipvsadm 1.31 prints them (list_all, print_title,
// print_service_entry, with libipvs's ipvs_cmp_services / ipvs_cmp_dests sorting, which
// compares with a wrapping int subtraction of the host-order addresses).
import { formatIpv4 } from '../../net/ipv4.ts';
import { serviceName } from '../../net/services.ts';
import type { IpvsDest, IpvsService, IpvsState } from '../../model/ipvs.ts';
import { hostName } from '../netfilter/names.ts';

/** IP_VS_VERSION_CODE 0x010201 and the connection table size (1 << 12). */
export const IPVS_BANNER = 'IP Virtual Server version 1.2.1 (size=4096)\n';

const TITLE = 'Prot LocalAddress:Port Scheduler Flags\n  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n';

/** `r = ntohl(a) - ntohl(b)` stored in an int. */
const diff = (a: number, b: number) => (a - b) | 0;

function cmpServices(a: IpvsService, b: IpvsService): number {
  const pa = a.proto === 'tcp' ? 6 : 17;
  const pb = b.proto === 'tcp' ? 6 : 17;
  return pa - pb || diff(a.vip, b.vip) || a.vport - b.vport;
}

function cmpDests(a: IpvsDest, b: IpvsDest): number {
  return diff(a.addr, b.addr) || a.port - b.port;
}

/** addrport_to_anyname: gethostbyaddr (hosts only, no /etc/networks) and getservbyport. */
function addrPort(addr: number, port: number, proto: 'tcp' | 'udp', numeric: boolean): string {
  if (numeric) return `${formatIpv4(addr)}:${port}`;
  return `${hostName(addr)}:${serviceName(port, proto) ?? String(port)}`;
}

const FWD_NAME = { masq: 'Masq', route: 'Route', tunnel: 'Tunnel' } as const;
const FWD_SWITCH = { masq: '-m', route: '-g', tunnel: '-i' } as const;

function serviceEntry(s: IpvsService, numeric: boolean): string {
  const vname = addrPort(s.vip, s.vport, s.proto, numeric);
  const svcName = `${s.proto === 'tcp' ? 'TCP' : 'UDP'}  ${vname}`.slice(0, 33);
  let out = `${svcName} ${s.scheduler}`;
  if (s.persistent !== undefined) out += ` persistent ${s.persistent}`;
  out += '\n';
  for (const d of [...s.dests].sort(cmpDests)) {
    const dname = addrPort(d.addr, d.port, s.proto, numeric).slice(0, 28);
    out += `  -> ${dname.padEnd(28)} ${FWD_NAME[d.forward].padEnd(7)} ${String(d.weight).padEnd(6)} ${String(d.activeConns).padEnd(10)} ${String(d.inactConns).padEnd(10)}\n`;
  }
  return out;
}

/** `ipvsadm -L [-n]`. */
export function listAll(st: IpvsState | undefined, numeric: boolean): string {
  const services = [...(st?.services ?? [])].sort(cmpServices);
  return IPVS_BANNER + TITLE + services.map((s) => serviceEntry(s, numeric)).join('');
}

/** `ipvsadm -L [-n] -t|-u VIP:PORT`: no banner. */
export function listService(s: IpvsService, numeric: boolean): string {
  return TITLE + serviceEntry(s, numeric);
}

/** `ipvsadm -S [-n]`. */
export function saveAll(st: IpvsState | undefined, numeric: boolean): string {
  let out = '';
  for (const s of [...(st?.services ?? [])].sort(cmpServices)) {
    const svcName = `${s.proto === 'tcp' ? '-t' : '-u'} ${addrPort(s.vip, s.vport, s.proto, numeric)}`;
    out += `-A ${svcName} -s ${s.scheduler}${s.persistent !== undefined ? ` -p ${s.persistent}` : ''}\n`;
    for (const d of [...s.dests].sort(cmpDests)) {
      out += `-a ${svcName} -r ${addrPort(d.addr, d.port, s.proto, numeric)} ${FWD_SWITCH[d.forward]} -w ${d.weight}\n`;
    }
  }
  return out;
}
