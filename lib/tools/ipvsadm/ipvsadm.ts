// `ipvsadm`: IPVS virtual services of the namespace the command runs in. The host kernel has
// no IPVS: the formats follow ipvsadm 1.31's source (print.ts) and are judged by the
// reference VM (tests/model/vm-captures/ipvsadm-options.sh, the device fuzzer's ipvs class).
import { formatIpv4, type Ipv4Addr } from '../../net/ipv4.ts';
import {
  addDest,
  addService,
  clearServices,
  deleteDest,
  deleteService,
  editDest,
  editService,
  findService,
  IpvsError,
  ipvsState,
  type IpvsErrno,
} from '../../model/ipvs.ts';
import { registerTool } from '../registry.ts';
import { eprint, print, UnsupportedError, type ToolContext } from '../tool.ts';
import { IpvsadmExit, parseIpvsadm, type IpvsadmCommand } from './parse.ts';
import { listAll, listService, saveAll } from './print.ts';

/** ipvs_strerror, per operation. */
function message(op: string, errno: IpvsErrno): string {
  if (errno === 'EINVAL') return 'Invalid operation.  Possibly wrong module version, address not unicast, ...';
  if (errno === 'ERANGE') return 'Numerical result out of range';
  if (errno === 'EEXIST') return op === 'add-service' ? 'Service already exists' : 'Destination already exists';
  if (errno === 'ENOENT') return op === 'add-service' || op === 'edit-service' ? 'Scheduler or persistence engine not found' : 'No such destination';
  return op === 'add-server' || op === 'edit-server' || op === 'delete-server' ? 'Service not defined' : 'No such service';
}

function run(ctx: ToolContext, c: IpvsadmCommand): number {
  const ns = ctx.ns;
  const svc = c.service;
  const op = { A: 'add-service', E: 'edit-service', D: 'delete-service', a: 'add-server', e: 'edit-server', d: 'delete-server' }[c.cmd as 'A'] ?? '';
  try {
    switch (c.cmd) {
      case 'A':
        addService(ns, svc!.proto, svc!.addr as Ipv4Addr, svc!.port, c.scheduler!, c.persistent);
        return 0;
      case 'E':
        editService(ns, svc!.proto, svc!.addr, svc!.port, c.scheduler!, c.persistent);
        return 0;
      case 'D':
        deleteService(ns, svc!.proto, svc!.addr, svc!.port);
        return 0;
      case 'C':
        clearServices(ns);
        return 0;
      case 'Z':
        // ip_vs_zero_all / ip_vs_zero_service: the model keeps no packet counters (every
        // --stats figure is 0), so zeroing changes nothing; a named service must exist (ESRCH).
        if (svc && !findService(ipvsState(ns), svc.proto, svc.addr, svc.port)) throw new IpvsError('ESRCH');
        return 0;
      case 'a':
      case 'e': {
        const spec = { proto: svc!.proto, vip: svc!.addr, vport: svc!.port };
        const d = {
          addr: c.server!.addr as Ipv4Addr,
          port: c.server!.port,
          forward: c.forward,
          weight: c.weight,
          uThreshold: c.uThreshold,
          lThreshold: c.lThreshold,
          tunType: c.tunType,
          tunPort: c.tunPort,
          tunFlags: c.tunFlags,
        };
        if (c.cmd === 'a') addDest(ns, spec, d);
        else editDest(ns, spec, d);
        return 0;
      }
      case 'd':
        deleteDest(ns, { proto: svc!.proto, vip: svc!.addr, vport: svc!.port }, c.server!.addr, c.server!.port);
        return 0;
      case 'S':
        print(ctx, saveAll(ns.ext.ipvs, c.numeric));
        return 0;
      default: {
        if (c.listWhat === 'timeout') {
          // ip_vs_genl_get_cmd IPVS_CMD_GET_TIMEOUT: the protocols' default timeouts.
          print(ctx, 'Timeout (tcp tcpfin udp): 900 120 300\n');
          return 0;
        }
        if (c.listWhat === 'daemon') return 0; // no sync daemon runs
        if (c.listWhat === 'connections') {
          // print_conn: "%-3s %-6s %-11s %-18s %-18s %s" per entry of /proc/net/ip_vs_conn.
          // The model follows UDP connections only (a TCP one's state would need the
          // handshake IPVS sees); a fresh connection's expire is its full timeout (UDP 300 s),
          // where the kernel's counts down (masked in the reference kernel comparison). The
          // kernel lists them in hash order, the model oldest first.
          const conns = ipvsState(ns).conns;
          if (conns.some((x) => x.state !== 'UDP')) throw new UnsupportedError('ipvsadm -c: listing TCP connections of IPVS is not modelled', '-c');
          if (!c.numeric && conns.length > 0) throw new UnsupportedError('ipvsadm -c without -n: the model resolves no names', '-c');
          let text = 'IPVS connection entries\npro expire state       source             virtual            destination\n';
          for (const x of conns) {
            const ep = (a: number, p: number) => `${formatIpv4(a)}:${p}`.padEnd(18);
            text += `${'UDP'.padEnd(3)} ${'05:00'.padEnd(6)} ${'UDP'.padEnd(11)} ${ep(x.caddr, x.cport)} ${ep(x.vaddr, x.vport)} ${formatIpv4(x.dest.addr)}:${x.dest.port}\n`;
          }
          print(ctx, text);
          return 0;
        }
        if (svc) {
          const s = findService(ipvsState(ns), svc.proto, svc.addr, svc.port);
          if (!s) {
            eprint(ctx, 'No such service\n');
            return 1;
          }
          print(ctx, listService(s, c.fmt));
          return 0;
        }
        print(ctx, listAll(ns.ext.ipvs, c.fmt));
        return 0;
      }
    }
  } catch (e) {
    if (e instanceof IpvsError) {
      eprint(ctx, `${message(op, e.errno)}\n`);
      return 255;
    }
    throw e;
  }
}

export function ipvsadm(argv: string[], ctx: ToolContext): number {
  // ipvsadm loads ip_vs when its netlink family is missing (modprobe_ipvs).
  ctx.world.modules.add('ip_vs');
  try {
    if (argv.length === 1) {
      print(ctx, listAll(ctx.ns.ext.ipvs, false));
      return 0;
    }
    const c = parseIpvsadm(argv.slice(1));
    if (c === 'version' || c === 'help') {
      throw new UnsupportedError(`ipvsadm: --${c} is not modelled`, argv[1] ?? '');
    }
    return run(ctx, c);
  } catch (e) {
    if (e instanceof IpvsadmExit) {
      eprint(ctx, e.text);
      return e.status;
    }
    throw e;
  }
}

registerTool('ipvsadm', ipvsadm);
