// `ipvsadm -L` and `ipvsadm -S` as ipvsadm 1.31 prints them (list_all, print_title,
// print_service_entry, with libipvs's ipvs_cmp_services / ipvs_cmp_dests sorting, which
// compares with a wrapping int subtraction of the host-order addresses).
import { formatIpv4 } from '../../net/ipv4.ts';
import { serviceName } from '../../net/services.ts';
import type { IpvsDest, IpvsService, IpvsState } from '../../model/ipvs.ts';
import type { IpvsadmFormat } from './parse.ts';
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
const TUN_FLAG_TEXT = ['-c', '+c', 'r+c'];
const TUN_FLAG_OPT = ['--tun-nocsum', '--tun-csum', '--tun-remcsum'];

const pad = (s: string, n: number) => s.padEnd(n);
const padL = (s: string, n: number) => s.padStart(n);

/** print_largenum: `%9llu` (or K/M/G/T above 100 million); exact: at least 9 wide. Counters are 0: the model counts nothing. */
function largenum(n: number, f: IpvsadmFormat): string {
  const t = String(n);
  if (f.exact) return padL(t, t.length <= 8 ? 9 : t.length + 1);
  return padL(t, 9);
}

/** fwd_tun_info: the tunnel's type, port and checksum flags (tunnel servers only; else n/a). */
function tunInfo(d: IpvsDest): string {
  if (d.forward !== 'tunnel') return 'n/a';
  const type = d.tunType ?? 'ipip';
  const flags = TUN_FLAG_TEXT[d.tunFlags ?? 0]!;
  const s = type === 'gue' ? `${type}:${d.tunPort ?? 0}:${flags}` : type === 'gre' ? `${type}:${flags}` : type;
  return s.slice(0, 15);
}

function title(f: IpvsadmFormat): string {
  const P = pad('Prot LocalAddress:Port', 33);
  if (f.stats) return `${P} ${['Conns', 'InPkts', 'OutPkts', 'InBytes', 'OutBytes'].map((x) => padL(x, 8)).join(' ')}\n  -> RemoteAddress:Port\n`;
  if (f.rate) return `${P} ${['CPS', 'InPPS', 'OutPPS', 'InBPS', 'OutBPS'].map((x) => padL(x, 8)).join(' ')}\n  -> RemoteAddress:Port\n`;
  if (f.thresholds) return `${P} ${['Uthreshold', 'Lthreshold', 'ActiveConn', 'InActConn'].map((x) => pad(x, 10)).join(' ')}\n  -> RemoteAddress:Port\n`;
  if (f.persistentConn) return `${P} ${pad('Weight', 9)} ${pad('PersistConn', 11)} ${pad('ActiveConn', 10)} ${pad('InActConn', 10)}\n  -> RemoteAddress:Port\n`;
  if (f.tunInfo) return 'Prot LocalAddress:Port Scheduler Flags\n  -> RemoteAddress:Port           Forward TunnelInfo    Weight ActiveConn InActConn\n';
  return TITLE;
}

function serviceEntry(s: IpvsService, f: IpvsadmFormat): string {
  const numeric = f.numeric;
  const vname = addrPort(s.vip, s.vport, s.proto, numeric);
  const svcName = `${s.proto === 'tcp' ? 'TCP' : 'UDP'}  ${vname}`.slice(0, 33);
  let out: string;
  if (f.stats || f.rate) out = pad(svcName, 33) + [0, 0, 0, 0, 0].map((n) => largenum(n, f)).join('');
  else {
    out = `${svcName} ${s.scheduler}`;
    if (s.persistent !== undefined) out += ` persistent ${s.persistent}`;
  }
  out += '\n';
  const dests = f.nosort ? [...s.dests] : [...s.dests].sort(cmpDests);
  for (const d of dests) {
    const dname = addrPort(d.addr, d.port, s.proto, numeric).slice(0, 28);
    const dn = pad(dname, 28);
    if (f.stats) out += `  -> ${dn}${[0, 0, 0, 0, 0].map((n) => largenum(n, f)).join('')}\n`;
    else if (f.rate) out += `  -> ${dn} ${padL('0', 8)} ${padL('0', 8)} ${padL('0', 8)}${largenum(0, f)}${largenum(0, f)}\n`;
    else if (f.thresholds) out += `  -> ${dn} ${pad(String(d.uThreshold ?? 0), 10)} ${pad(String(d.lThreshold ?? 0), 10)} ${pad(String(d.activeConns), 10)} ${pad(String(d.inactConns), 10)}\n`;
    else if (f.persistentConn) out += `  -> ${dn} ${pad(String(d.weight), 9)} ${pad('0', 11)} ${pad(String(d.activeConns), 10)} ${pad(String(d.inactConns), 10)}\n`;
    else if (f.tunInfo) out += `  -> ${dn} ${pad(FWD_NAME[d.forward], 7)} ${pad(tunInfo(d), 13)} ${pad(String(d.weight), 6)} ${pad(String(d.activeConns), 10)} ${pad(String(d.inactConns), 10)}\n`;
    else out += `  -> ${dn} ${pad(FWD_NAME[d.forward], 7)} ${pad(String(d.weight), 6)} ${pad(String(d.activeConns), 10)} ${pad(String(d.inactConns), 10)}\n`;
  }
  return out;
}

/** A format with only `numeric` set (the plain listing). */
export function plainFormat(numeric: boolean): IpvsadmFormat {
  return { numeric, stats: false, rate: false, thresholds: false, persistentConn: false, nosort: false, exact: false, tunInfo: false };
}

/** `ipvsadm -L [-n] [--stats|--rate|--thresholds|--persistent-conn|--tun-info] [--exact] [--nosort]`. */
export function listAll(st: IpvsState | undefined, f: IpvsadmFormat | boolean): string {
  const fmt = typeof f === 'boolean' ? plainFormat(f) : f;
  const all = [...(st?.services ?? [])];
  const services = fmt.nosort ? all : all.sort(cmpServices);
  return IPVS_BANNER + title(fmt) + services.map((s) => serviceEntry(s, fmt)).join('');
}

/** `ipvsadm -L [-n] -t|-u VIP:PORT`: no banner. */
export function listService(s: IpvsService, f: IpvsadmFormat | boolean): string {
  const fmt = typeof f === 'boolean' ? plainFormat(f) : f;
  return title(fmt) + serviceEntry(s, fmt);
}

/** `ipvsadm -S [-n]`: tunnel servers carry their tunnel type (print_tunnel_rule). */
export function saveAll(st: IpvsState | undefined, numeric: boolean): string {
  let out = '';
  for (const s of [...(st?.services ?? [])].sort(cmpServices)) {
    const svcName = `${s.proto === 'tcp' ? '-t' : '-u'} ${addrPort(s.vip, s.vport, s.proto, numeric)}`;
    out += `-A ${svcName} -s ${s.scheduler}${s.persistent !== undefined ? ` -p ${s.persistent}` : ''}\n`;
    for (const d of [...s.dests].sort(cmpDests)) {
      let line = `-a ${svcName} -r ${addrPort(d.addr, d.port, s.proto, numeric)} ${FWD_SWITCH[d.forward]} -w ${d.weight}`;
      if (d.forward === 'tunnel') {
        const type = d.tunType ?? 'ipip';
        const flags = TUN_FLAG_OPT[d.tunFlags ?? 0]!;
        line += type === 'gre' ? ` --tun-type gre ${flags}` : type === 'gue' ? ` --tun-type gue --tun-port ${d.tunPort ?? 0} ${flags}` : ' --tun-type ipip';
      }
      out += `${line}\n`;
    }
  }
  return out;
}
