// ipvsadm's command line (ipvsadm.c 1.31 parse_options / process_options, popt): the first
// option must be a command; generic_opt_check applies commands_v_options.
import { servicePort } from '../../net/services.ts';
import type { IpvsForward, IpvsProto, IpvsTunType } from '../../model/ipvs.ts';
import { UnsupportedError } from '../tool.ts';

export class IpvsadmExit extends Error {
  readonly text: string;
  readonly status: number;
  constructor(text: string, status: number) {
    super(text);
    this.text = text;
    this.status = status;
  }
}

/**
 * The largest `-w` the reference VM's ipvsadm (Debian 1:1.31-1) takes: INT_MAX. Upstream's
 * 1.31 source says 65535, but the VM accepted 65536 ... 2147483647 and refused 2147483648
 * (`illegal weight specified`), and lists the weight as given.
 */
export const WEIGHT_MAX = 0x7fffffff;

/** fail(2, msg): the message and a newline on stderr, status 2. */
const fail = (msg: string) => new IpvsadmExit(`${msg}\n`, 2);
/** tryhelp_exit(argv[0], -1). */
const tryHelp = () => new IpvsadmExit("Try `ipvsadm -h' or 'ipvsadm --help' for more information.\n", 255);

const CMDS = ['A', 'E', 'D', 'C', 'L', 'a', 'd', 'e', 'set', 'startd', 'stopd', 'R', 'S', 'Z'] as const;
type Cmd = (typeof CMDS)[number];
const CMD_NAMES = ['add-service', 'edit-service', 'delete-service', 'flush', 'list', 'add-server', 'delete-server', 'edit-server', 'set', 'start-daemon', 'stop-daemon', 'restore', 'save', 'zero'];
/** Command rows in the order of commands_v_options (ADD EDIT DEL FLUSH LIST ADDSRV DELSRV EDITSRV ...). */
const CMD_ROW: Record<Cmd, number> = { A: 0, E: 1, D: 2, C: 3, L: 4, a: 5, d: 6, e: 7, set: 8, startd: 9, stopd: 10, R: 11, S: 12, Z: 13 };

const OPT_NAMES = ['numeric', 'connection', 'service-address', 'scheduler', 'persistent', 'netmask', 'real-server', 'forwarding-method', 'weight', 'u-threshold', 'l-threshold', 'mcast-interface', 'timeout', 'daemon', 'stats', 'rate', 'thresholds', 'persistent-conn', 'nosort', 'syncid', 'exact', 'ops', 'pe', 'sched-flags', 'mcast-group', 'mcast-port', 'mcast-ttl', 'sync-maxlen', 'tun-info', 'tun-type', 'tun-port', 'tun-nocsum', 'tun-csum', 'tun-remcsum'];
const O = Object.fromEntries(OPT_NAMES.map((n, i) => [n, i])) as Record<string, number>;

/** commands_v_options of ipvsadm 1.31 (34 options). */
const TABLE = [
  'xx+   xxxxxxxxxxxxxxx   xxxxxxxxxx',
  'xx+   xxxxxxxxxxxxxxx   xxxxxxxxxx',
  'xx+xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
  'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
  ' 11xxxxxxxxx11       xxxxxxx xxxxx',
  'xx+xxx+    xxxxxxxxxxxxxxxxxx     ',
  'xx+xxx+xxxxxxxxxxxxxxxxxxxxxxxxxxx',
  'xx+xxx+    xxxxxxxxxxxxxxxxxx     ',
  'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
  'xxxxxxxxxxx xxxxxxx xxxx    xxxxxx',
  'xxxxxxxxxxxxxxxxxxx xxxxxxxxxxxxxx',
  'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
  ' xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
  'xx xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
];

/** tunnel_types_v_options: tun-port, tun-nocsum, tun-csum, tun-remcsum per type. */
const TUN_TYPES = ['ipip', 'gue', 'gre'] as const;
const TUN_TABLE: Record<IpvsTunType, string> = { ipip: 'xxxx', gue: '+111', gre: 'x11x' };
const TUN_OPTS = ['tun-port', 'tun-nocsum', 'tun-csum', 'tun-remcsum'];

/** Printing format flags (FMT_*). */
export interface IpvsadmFormat {
  numeric: boolean;
  stats: boolean;
  rate: boolean;
  thresholds: boolean;
  persistentConn: boolean;
  nosort: boolean;
  exact: boolean;
  tunInfo: boolean;
}

export interface ServiceSpec {
  proto: IpvsProto;
  addr: number;
  port: number;
}

export interface IpvsadmCommand {
  cmd: Cmd;
  service?: ServiceSpec;
  scheduler?: string;
  persistent?: number;
  server?: { addr: number; port: number };
  forward: IpvsForward;
  weight: number;
  uThreshold: number;
  lThreshold: number;
  tunType: IpvsTunType;
  tunPort: number;
  tunFlags: number;
  numeric: boolean;
  fmt: IpvsadmFormat;
  /** -L: what to list (list_conn, list_timeout, list_daemon, else services). */
  listWhat: 'services' | 'connections' | 'timeout' | 'daemon';
}

/** inet_aton (ipvsadm parses with it: `10.1` is 10.0.0.1); names only `localhost`. */
function inetAton(text: string): number | undefined {
  if (text === 'localhost') return 0x7f000001;
  if (!/^[0-9.]+$/.test(text) || text.endsWith('.') || text.startsWith('.') || text.includes('..')) return undefined;
  const parts = text.split('.').map(Number);
  if (parts.some((p) => !Number.isInteger(p))) return undefined;
  const last = parts.length - 1;
  let v = 0;
  for (let i = 0; i < last; i++) {
    if (parts[i]! > 255) return undefined;
    v = v * 256 + parts[i]!;
  }
  const room = 4 - last;
  const max = 2 ** (8 * room) - 1;
  if (parts[last]! > max) return undefined;
  return v * 2 ** (8 * room) + parts[last]!;
}

function stringToNumber(s: string, min: number, max: number): number | undefined {
  if (!/^[+-]?\d+$/.test(s)) return undefined;
  const n = Number(s);
  return n >= min && n <= max ? n : undefined;
}

/** parse_service: `addr[:port]`; returns the parts found (SERVICE_ADDR, SERVICE_PORT). */
function parseService(buf: string, proto: IpvsProto): { addr?: number; port?: number } {
  if (/^\d+$/.test(buf) || buf.startsWith('[')) return {};
  const colon = buf.lastIndexOf(':');
  const host = colon < 0 ? buf : buf.slice(0, colon);
  const addr = inetAton(host);
  if (addr === undefined) return {};
  if (colon < 0) return { addr };
  const p = buf.slice(colon + 1);
  const port = stringToNumber(p, 0, 65535) ?? servicePort(p, proto);
  if (port === undefined) return {};
  return { addr, port };
}

interface OptDef {
  tag: string;
  hasArg: boolean | 'optional';
}

const LONG: Record<string, OptDef> = {
  'add-service': { tag: 'A', hasArg: false }, 'edit-service': { tag: 'E', hasArg: false }, 'delete-service': { tag: 'D', hasArg: false },
  clear: { tag: 'C', hasArg: false }, list: { tag: 'L', hasArg: false }, zero: { tag: 'Z', hasArg: false },
  'add-server': { tag: 'a', hasArg: false }, 'edit-server': { tag: 'e', hasArg: false }, 'delete-server': { tag: 'd', hasArg: false },
  set: { tag: 'set', hasArg: false }, help: { tag: 'h', hasArg: false }, version: { tag: 'v', hasArg: false },
  restore: { tag: 'R', hasArg: false }, save: { tag: 'S', hasArg: false }, 'tcp-service': { tag: 't', hasArg: true },
  'udp-service': { tag: 'u', hasArg: true }, 'fwmark-service': { tag: 'f', hasArg: true }, scheduler: { tag: 's', hasArg: true },
  persistent: { tag: 'p', hasArg: 'optional' }, netmask: { tag: 'M', hasArg: true }, 'real-server': { tag: 'r', hasArg: true },
  masquerading: { tag: 'm', hasArg: false }, ipip: { tag: 'i', hasArg: false }, gatewaying: { tag: 'g', hasArg: false },
  weight: { tag: 'w', hasArg: true }, 'u-threshold': { tag: 'x', hasArg: true }, 'l-threshold': { tag: 'y', hasArg: true },
  numeric: { tag: 'n', hasArg: false }, connection: { tag: 'c', hasArg: false }, exact: { tag: 'X', hasArg: false },
  stats: { tag: 'stats', hasArg: false }, rate: { tag: 'rate', hasArg: false }, thresholds: { tag: 'thresholds', hasArg: false },
  'persistent-conn': { tag: 'persistent-conn', hasArg: false }, nosort: { tag: 'nosort', hasArg: false }, sort: { tag: 'sort', hasArg: false },
  timeout: { tag: 'timeout', hasArg: false }, daemon: { tag: 'daemon', hasArg: false }, ops: { tag: 'o', hasArg: false },
  'sched-flags': { tag: 'b', hasArg: true }, pe: { tag: 'pe', hasArg: true }, ipv6: { tag: '6', hasArg: false },
  'start-daemon': { tag: 'startd', hasArg: true }, 'stop-daemon': { tag: 'stopd', hasArg: true }, 'sctp-service': { tag: 'sctp', hasArg: true },
  'mcast-interface': { tag: 'mcast-interface', hasArg: true }, syncid: { tag: 'I', hasArg: true }, 'mcast-group': { tag: 'mcast-group', hasArg: true },
  'mcast-port': { tag: 'mcast-port', hasArg: true }, 'mcast-ttl': { tag: 'mcast-ttl', hasArg: true }, 'sync-maxlen': { tag: 'sync-maxlen', hasArg: true },
  'tun-info': { tag: 'tun-info', hasArg: false }, 'tun-type': { tag: 'tun-type', hasArg: true }, 'tun-port': { tag: 'tun-port', hasArg: true },
  'tun-nocsum': { tag: 'tun-nocsum', hasArg: false }, 'tun-csum': { tag: 'tun-csum', hasArg: false }, 'tun-remcsum': { tag: 'tun-remcsum', hasArg: false },
};
const SHORT: Record<string, OptDef> = Object.fromEntries(
  Object.values(LONG)
    .filter((d) => d.tag.length === 1)
    .map((d) => [d.tag, d]),
);
SHORT.l = { tag: 'L', hasArg: false };

/** popt: `-Ln`, `--opt=value`, `-tVIP`, `-t VIP`. */
function* tokens(args: string[]): Generator<{ tag: string; value?: string; spelled: string }> {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq < 0 ? a.slice(2) : a.slice(2, eq);
      const d = LONG[name];
      if (!d) throw new IpvsadmExit(`${a}: unknown option\n`, 255);
      let value = eq < 0 ? undefined : a.slice(eq + 1);
      if (d.hasArg === true && value === undefined) {
        value = args[++i];
        if (value === undefined) throw new IpvsadmExit(`${a}: missing argument\n`, 255);
      }
      if (d.hasArg === 'optional' && value === undefined && args[i + 1] !== undefined && !args[i + 1]!.startsWith('-')) value = args[++i];
      yield { tag: d.tag, ...(value !== undefined ? { value } : {}), spelled: a };
      continue;
    }
    if (a.startsWith('-') && a.length > 1) {
      for (let k = 1; k < a.length; k++) {
        const d = SHORT[a[k]!];
        if (!d) throw new IpvsadmExit(`-${a[k]}: unknown option\n`, 255);
        if (d.hasArg) {
          let value: string | undefined = a.slice(k + 1);
          if (value === '') {
            value = undefined;
            if (d.hasArg === true || (args[i + 1] !== undefined && !args[i + 1]!.startsWith('-'))) value = args[++i];
          }
          if (d.hasArg === true && value === undefined) throw new IpvsadmExit(`-${a[k]}: missing argument\n`, 255);
          yield { tag: d.tag, ...(value !== undefined ? { value } : {}), spelled: `-${a[k]}` };
          break;
        }
        yield { tag: d.tag, spelled: `-${a[k]}` };
      }
      continue;
    }
    // A leftover word: "unexpected argument" after the options.
    throw fail(`unexpected argument ${a}`);
  }
}

export function parseIpvsadm(args: string[]): IpvsadmCommand | 'version' | 'help' {
  const fmt: IpvsadmFormat = { numeric: false, stats: false, rate: false, thresholds: false, persistentConn: false, nosort: false, exact: false, tunInfo: false };
  const ce: IpvsadmCommand = { cmd: 'L', forward: 'route', weight: 1, uThreshold: 0, lThreshold: 0, tunType: 'ipip', tunPort: 0, tunFlags: 0, numeric: false, fmt, listWhat: 'services' };
  let cmd: Cmd | undefined;
  const options = new Set<number>();
  const setOption = (o: number) => {
    if (options.has(o)) throw fail(`multiple '${OPT_NAMES[o]}' options specified`);
    options.add(o);
  };
  let first = true;
  let serverText: string | undefined;
  for (const t of tokens(args)) {
    if (first) {
      first = false;
      if (t.tag === 'h') return 'help';
      if (t.tag === 'v') return 'version';
      if (!(CMDS as readonly string[]).includes(t.tag)) throw tryHelp();
      cmd = t.tag as Cmd;
      continue;
    }
    switch (t.tag) {
      case 't':
      case 'u': {
        setOption(O['service-address']!);
        const proto: IpvsProto = t.tag === 't' ? 'tcp' : 'udp';
        const p = parseService(t.value!, proto);
        if (p.addr === undefined) throw fail('illegal virtual server address[:port] specified');
        ce.service = { proto, addr: p.addr, port: p.port ?? 0 };
        break;
      }
      case 's':
        setOption(O.scheduler!);
        ce.scheduler = t.value!;
        break;
      case 'p': {
        setOption(O.persistent!);
        const v = t.value === undefined ? 300 : stringToNumber(t.value, 1, 86400 * 31);
        if (v === undefined) throw fail(`invalid timeout value \`${t.value}' specified`);
        ce.persistent = v;
        break;
      }
      case 'r':
        setOption(O['real-server']!);
        serverText = t.value!;
        break;
      case 'm':
      case 'g':
      case 'i':
        setOption(O['forwarding-method']!);
        ce.forward = t.tag === 'm' ? 'masq' : t.tag === 'g' ? 'route' : 'tunnel';
        break;
      case 'w': {
        setOption(O.weight!);
        const w = stringToNumber(t.value!, 0, WEIGHT_MAX);
        if (w === undefined) throw fail('illegal weight specified');
        ce.weight = w;
        break;
      }
      case 'x':
      case 'y': {
        setOption(O[t.tag === 'x' ? 'u-threshold' : 'l-threshold']!);
        const v = stringToNumber(t.value!, 0, 0x7fffffff);
        if (v === undefined) throw fail(`illegal ${t.tag === 'x' ? 'u' : 'l'}_threshold specified`);
        if (t.tag === 'x') ce.uThreshold = v;
        else ce.lThreshold = v;
        break;
      }
      case 'n':
        setOption(O.numeric!);
        ce.numeric = true;
        fmt.numeric = true;
        break;
      case 'c':
        setOption(O.connection!);
        break;
      case 'timeout':
        setOption(O.timeout!);
        break;
      case 'daemon':
        setOption(O.daemon!);
        break;
      case 'stats':
      case 'rate':
      case 'thresholds':
      case 'persistent-conn':
      case 'nosort':
      case 'tun-info': {
        setOption(O[t.tag]!);
        const key = { stats: 'stats', rate: 'rate', thresholds: 'thresholds', 'persistent-conn': 'persistentConn', nosort: 'nosort', 'tun-info': 'tunInfo' }[t.tag] as keyof IpvsadmFormat;
        fmt[key] = true;
        break;
      }
      case 'X':
        setOption(O.exact!);
        fmt.exact = true;
        break;
      case 'tun-type': {
        setOption(O['tun-type']!);
        const i = (TUN_TYPES as readonly string[]).indexOf(t.value!);
        if (i < 0) throw fail('illegal tunnel type specified');
        ce.tunType = TUN_TYPES[i]!;
        break;
      }
      case 'tun-port': {
        setOption(O['tun-port']!);
        const v = stringToNumber(t.value!, 1, 65535);
        if (v === undefined) throw fail('illegal tunnel port specified');
        ce.tunPort = v;
        break;
      }
      case 'tun-nocsum':
      case 'tun-csum':
      case 'tun-remcsum':
        setOption(O[t.tag]!);
        ce.tunFlags |= t.tag === 'tun-nocsum' ? 0 : t.tag === 'tun-csum' ? 1 : 2;
        break;
      case 'sort':
        break;
      default:
        throw new UnsupportedError(`ipvsadm: option ${t.spelled} is not modelled (the model has -A -E -D -C -a -e -d -L -S with -t -u -s -p -r -m -g -i -w -x -y -n -c --stats --rate --thresholds --persistent-conn --nosort --exact --tun-*)`, t.spelled);
    }
  }
  if (cmd === undefined) throw tryHelp();
  if (serverText !== undefined) {
    const proto = ce.service?.proto ?? 'tcp';
    const p = parseService(serverText, proto);
    if (p.addr === undefined) throw fail('illegal real server address[:port] specified');
    ce.server = { addr: p.addr, port: p.port ?? ce.service?.port ?? 0 };
  }
  // generic_opt_check
  const row = TABLE[CMD_ROW[cmd]]!;
  let last = -1;
  for (let j = 0; j < OPT_NAMES.length; j++) {
    const c = row[j];
    if (!options.has(j)) {
      if (c === '+') throw fail(`You need to supply the '${OPT_NAMES[j]}' option for the '${CMD_NAMES[CMD_ROW[cmd]]}' command`);
    } else {
      if (c === 'x') throw fail(`Illegal '${OPT_NAMES[j]}' option with the '${CMD_NAMES[CMD_ROW[cmd]]}' command`);
      if (c === '1') {
        if (last >= 0) throw fail(`The option '${OPT_NAMES[j]}' conflicts with the '${OPT_NAMES[last]}' option in the '${CMD_NAMES[CMD_ROW[cmd]]}' command`);
        last = j;
      }
    }
  }
  if ((cmd === 'A' || cmd === 'E') && ce.service && ce.service.port === 0 && ce.persistent === undefined) {
    throw fail('Zero port specified for non-persistent service');
  }
  if ((cmd === 'A' || cmd === 'E') && ce.scheduler === undefined) ce.scheduler = 'wlc';
  if ((cmd === 'a' || cmd === 'e') && ce.server && ce.service && (ce.forward === 'route' || ce.forward === 'tunnel')) {
    ce.server.port = ce.service.port;
  }
  if (cmd === 'a' || cmd === 'e') {
    const tunOpts = ['tun-type', ...TUN_OPTS].some((n) => options.has(O[n]!));
    if (tunOpts && ce.forward !== 'tunnel') throw fail('Tunnel options conflict with forward method');
    // tunnel_opt_check
    const trow = TUN_TABLE[ce.tunType];
    let tlast = -1;
    for (let j = 0; j < TUN_OPTS.length; j++) {
      const k = O[TUN_OPTS[j]!]!;
      const c = trow[j];
      if (!options.has(k)) {
        if (c === '+') throw fail(`You need to supply the '${OPT_NAMES[k]}' option for the '${ce.tunType}' tunnel type`);
      } else {
        if (c === 'x') throw fail(`Illegal '${OPT_NAMES[k]}' option with the '${ce.tunType}' tunnel type`);
        if (c === '1') {
          if (tlast >= 0) throw fail(`The option '${OPT_NAMES[k]}' conflicts with the '${OPT_NAMES[tlast]}' option in the '${ce.tunType}' tunnel type`);
          tlast = k;
        }
      }
    }
  }
  if (cmd === 'L') {
    const has = (n: string) => options.has(O[n]!);
    if (((has('connection') || has('timeout') || has('daemon')) && (has('stats') || has('rate') || has('thresholds'))) || ((has('timeout') || has('daemon')) && has('persistent-conn'))) {
      throw fail('options conflicts in the list command');
    }
    ce.listWhat = has('connection') ? 'connections' : has('service-address') ? 'services' : has('timeout') ? 'timeout' : has('daemon') ? 'daemon' : 'services';
  }
  if (cmd === 'set' || cmd === 'startd' || cmd === 'stopd' || cmd === 'R') {
    throw new UnsupportedError(`ipvsadm: this command is not modelled (the model has -A -E -D -C -a -e -d -L -S -Z)`, args[0] ?? '');
  }
  ce.cmd = cmd;
  return ce;
}
