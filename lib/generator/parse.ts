// Parsing the parameters: unknown JSON → ClusterParams. Checks the shape (objects, arrays,
// types, required and unknown fields) and every single value's format (addresses, prefixes,
// MACs, names, ranges, choices). Relations between fields are ./validate.ts's job.
import { at, paramError, type ParamError } from './errors.ts';
import { checkCidr, checkIfname, checkIpv4, checkMac, checkNsname, isError } from './formats.ts';
import {
  BOND_MODES,
  HASH_POLICIES,
  PROTOS,
  SCHEDULERS,
  type BondParams,
  type ClusterParams,
  type FabricParams,
  type NodeMacs,
  type NodeParams,
  type OutsideParams,
  type OverlayParams,
  type PlaneParams,
  type PodParams,
  type ServiceParams,
  type ServicesParams,
  type SimulationParams,
  type UnderlayParams,
  type UnderlayPodParams,
  type VlanParams,
} from './params.ts';

type Obj = Record<string, unknown>;

export const LIMITS = {
  nodes: [2, 16],
  nics: [1, 4],
  podsPerNode: [0, 32],
  underlayPodsPerNode: [0, 16],
  planes: [0, 4],
  vlans: [0, 8],
  services: [0, 16],
  endpoints: [1, 16],
  vni: [1, 16777215],
  port: [1, 65535],
  mtu: [1280, 9216],
  vlan: [1, 4094],
  miimon: [0, 10000],
  ifindex: [2, 65535],
} as const;

class Reader {
  readonly errors: ParamError[] = [];

  err(e: ParamError): undefined {
    this.errors.push(e);
    return undefined;
  }

  object(path: string, v: unknown, keys: readonly string[]): Obj | undefined {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return this.err(paramError(path, 'type', 'must be an object ({...})'));
    for (const k of Object.keys(v)) {
      if (!keys.includes(k)) this.err(paramError(at(path, k), 'unknown-field', `unknown field "${k}" (known: ${keys.join(', ')})`, { field: k }));
    }
    return v as Obj;
  }

  array(path: string, v: unknown, [min, max]: readonly [number, number]): unknown[] | undefined {
    if (!Array.isArray(v)) return this.err(paramError(path, 'type', 'must be a list ([...])'));
    if (v.length < min || v.length > max) {
      return this.err(paramError(path, 'count', `has ${v.length} ${v.length === 1 ? 'entry' : 'entries'}; give ${min === max ? min : `${min} to ${max}`}`, { count: v.length, min, max }));
    }
    return v;
  }

  present(o: Obj, path: string, key: string, required: boolean): unknown {
    const v = o[key];
    if (v === undefined || v === null) {
      if (required) this.err(paramError(at(path, key), 'required', 'is required'));
      return undefined;
    }
    return v;
  }

  str(o: Obj, path: string, key: string, required = true): string | undefined {
    const v = this.present(o, path, key, required);
    if (v === undefined) return undefined;
    if (typeof v !== 'string') return this.err(paramError(at(path, key), 'type', 'must be a string'));
    if (v === '' && required) return this.err(paramError(at(path, key), 'required', 'is required'));
    return v === '' ? undefined : v;
  }

  int(o: Obj, path: string, key: string, [min, max]: readonly [number, number], required = true): number | undefined {
    const v = this.present(o, path, key, required);
    if (v === undefined) return undefined;
    const p = at(path, key);
    if (typeof v !== 'number' || !Number.isInteger(v)) return this.err(paramError(p, 'integer', `"${String(v)}" is not a whole number`, { value: String(v) }));
    if (v < min || v > max) return this.err(paramError(p, 'range', `${v} is outside ${min}–${max}`, { value: v, min, max }));
    return v;
  }

  bool(o: Obj, path: string, key: string, required = true): boolean | undefined {
    const v = this.present(o, path, key, required);
    if (v === undefined) return undefined;
    if (typeof v !== 'boolean') return this.err(paramError(at(path, key), 'type', 'must be true or false'));
    return v;
  }

  choice<T extends string>(o: Obj, path: string, key: string, choices: readonly T[], required = true): T | undefined {
    const v = this.str(o, path, key, required);
    if (v === undefined) return undefined;
    if (!(choices as readonly string[]).includes(v)) {
      return this.err(paramError(at(path, key), 'choice', `"${v}" is not one of ${choices.join(', ')}`, { value: v, choices: choices.join(', ') }));
    }
    return v as T;
  }

  /** A string checked by one of ./formats.ts's checkers. */
  fmt<T>(o: Obj, path: string, key: string, check: (p: string, v: string) => T | ParamError, required = true): T | undefined {
    const v = this.str(o, path, key, required);
    if (v === undefined) return undefined;
    const r = check(at(path, key), v);
    if (isError(r)) return this.err(r);
    return r;
  }

  ip(o: Obj, path: string, key: string, required = true): string | undefined {
    return this.fmt(o, path, key, (p, v) => {
      const r = checkIpv4(p, v);
      return typeof r === 'number' ? v : r;
    }, required);
  }

  cidr(o: Obj, path: string, key: string, required = true): string | undefined {
    return this.fmt(o, path, key, (p, v) => {
      const r = checkCidr(p, v);
      return isError(r) ? r : r.text;
    }, required);
  }

  mac(o: Obj, path: string, key: string, required = false): string | undefined {
    return this.fmt(o, path, key, checkMac, required);
  }

  ifname(o: Obj, path: string, key: string, required = false): string | undefined {
    return this.fmt(o, path, key, checkIfname, required);
  }

  nsname(o: Obj, path: string, key: string, required = false): string | undefined {
    return this.fmt(o, path, key, checkNsname, required);
  }

  /** A map from names to strings checked by `check`. */
  map(o: Obj, path: string, key: string, check: (p: string, v: string) => string | ParamError): Record<string, string> | undefined {
    const v = this.present(o, path, key, false);
    if (v === undefined) return undefined;
    const p = at(path, key);
    const m = this.object(p, v, Object.keys(v as Obj));
    if (!m) return undefined;
    const out: Record<string, string> = {};
    for (const k of Object.keys(m)) {
      const r = this.fmt(m, p, k, check);
      if (r !== undefined) out[k] = r;
    }
    return out;
  }

  /** A bare string (a list item) checked by `check`. */
  bare<T>(path: string, v: unknown, check: (p: string, v: string) => T | ParamError): T | undefined {
    if (typeof v !== 'string') return this.err(paramError(path, 'type', 'must be a string'));
    const r = check(path, v);
    if (isError(r)) return this.err(r);
    return r;
  }

  list<T>(o: Obj, path: string, key: string, limits: readonly [number, number], item: (v: unknown, p: string) => T | undefined, required = true): T[] | undefined {
    const v = this.present(o, path, key, required);
    if (v === undefined) return undefined;
    const p = at(path, key);
    const a = this.array(p, v, limits);
    if (!a) return undefined;
    const out: T[] = [];
    a.forEach((x, i) => {
      const r = item(x, at(p, i));
      if (r !== undefined) out.push(r);
    });
    return out.length === a.length ? out : undefined;
  }
}

const ipOnly = (p: string, v: string): string | ParamError => {
  const r = checkIpv4(p, v);
  return typeof r === 'number' ? v : r;
};

function strip<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
  return o;
}

function pod(r: Reader, v: unknown, p: string): PodParams | undefined {
  const o = r.object(p, v, ['name', 'ip', 'mac', 'hostVeth', 'hostMac', 'index', 'hostIndex']);
  if (!o) return undefined;
  return strip({
    name: r.nsname(o, p, 'name'),
    ip: r.ip(o, p, 'ip', false),
    mac: r.mac(o, p, 'mac'),
    hostVeth: r.ifname(o, p, 'hostVeth'),
    hostMac: r.mac(o, p, 'hostMac'),
    index: r.int(o, p, 'index', LIMITS.ifindex, false),
    hostIndex: r.int(o, p, 'hostIndex', LIMITS.ifindex, false),
  });
}

function underlayPod(r: Reader, v: unknown, p: string): UnderlayPodParams | undefined {
  const o = r.object(p, v, ['vlan', 'name', 'ip']);
  if (!o) return undefined;
  const vlan = r.int(o, p, 'vlan', LIMITS.vlan);
  if (vlan === undefined) return undefined;
  return strip({ vlan, name: r.nsname(o, p, 'name'), ip: r.ip(o, p, 'ip', false) });
}

function macs(r: Reader, v: unknown, p: string): NodeMacs | undefined {
  const o = r.object(p, v, ['underlay', 'vtep', 'services', 'planes']);
  if (!o) return undefined;
  return strip({
    underlay: r.mac(o, p, 'underlay'),
    vtep: r.mac(o, p, 'vtep'),
    services: r.mac(o, p, 'services'),
    planes: r.map(o, p, 'planes', checkMac),
  });
}

function macList(r: Reader, o: Obj, p: string, key: string): string[] | undefined {
  return r.list(o, p, key, LIMITS.nics, (v, ip) => r.bare(ip, v, checkMac), false);
}

function node(r: Reader, v: unknown, p: string): NodeParams | undefined {
  const o = r.object(p, v, ['name', 'tag', 'address', 'podSubnet', 'planes', 'macs', 'nicMacs', 'switchPortMacs', 'labPortMac', 'pods', 'underlayPods']);
  if (!o) return undefined;
  const name = r.nsname(o, p, 'name', true);
  const tag = r.fmt(o, p, 'tag', checkNsname, false);
  const address = r.ip(o, p, 'address');
  const podSubnet = r.cidr(o, p, 'podSubnet');
  const planes = r.map(o, p, 'planes', ipOnly);
  const m = o.macs === undefined ? undefined : macs(r, o.macs, at(p, 'macs'));
  const nicMacs = macList(r, o, p, 'nicMacs');
  const switchPortMacs = macList(r, o, p, 'switchPortMacs');
  const labPortMac = r.mac(o, p, 'labPortMac');
  const pods = r.list(o, p, 'pods', LIMITS.podsPerNode, (x, ip) => pod(r, x, ip), false);
  const underlayPods = r.list(o, p, 'underlayPods', LIMITS.underlayPodsPerNode, (x, ip) => underlayPod(r, x, ip), false);
  if (name === undefined || address === undefined || podSubnet === undefined) return undefined;
  return strip({ name, tag, address, podSubnet, planes, macs: m, nicMacs, switchPortMacs, labPortMac, pods, underlayPods });
}

function underlay(r: Reader, v: unknown, p: string): UnderlayParams | undefined {
  const o = r.object(p, v, ['subnet', 'gateway', 'mtu', 'device', 'gatewayMac']);
  if (!o) return undefined;
  const subnet = r.cidr(o, p, 'subnet');
  const gateway = r.ip(o, p, 'gateway');
  const mtu = r.int(o, p, 'mtu', LIMITS.mtu, false);
  const device = r.ifname(o, p, 'device');
  const gatewayMac = r.mac(o, p, 'gatewayMac');
  if (subnet === undefined || gateway === undefined) return undefined;
  return strip({ subnet, gateway, mtu, device, gatewayMac });
}

function bond(r: Reader, v: unknown, p: string): BondParams | undefined {
  const o = r.object(p, v, ['name', 'mode', 'xmitHashPolicy', 'miimon', 'lacpRate']);
  if (!o) return undefined;
  const name = r.ifname(o, p, 'name');
  const mode = r.choice(o, p, 'mode', BOND_MODES);
  const xmitHashPolicy = r.choice(o, p, 'xmitHashPolicy', HASH_POLICIES);
  const miimon = r.int(o, p, 'miimon', LIMITS.miimon, false);
  const lacpRate = r.choice(o, p, 'lacpRate', ['fast', 'slow'] as const, false);
  if (mode === undefined || xmitHashPolicy === undefined) return undefined;
  if (lacpRate !== undefined && mode !== '802.3ad') {
    // The kernel refuses it: lacp_rate is an 802.3ad option (bond_options.c, BOND_OPT_LACP_RATE).
    return r.err(paramError(at(p, 'lacpRate'), 'mode-option', `lacp_rate is an 802.3ad option; mode ${mode} does not take it`, { mode }));
  }
  return strip({ name, mode, xmitHashPolicy, miimon, lacpRate });
}

function fabric(r: Reader, v: unknown, p: string): FabricParams | undefined {
  const o = r.object(p, v, ['nics', 'bond', 'bridge']);
  if (!o) return undefined;
  const nics = r.list(o, p, 'nics', LIMITS.nics, (x, ip) => r.bare(ip, x, checkIfname));
  const b = o.bond === undefined ? r.err(paramError(at(p, 'bond'), 'required', 'is required')) : bond(r, o.bond, at(p, 'bond'));
  const bridge = r.ifname(o, p, 'bridge');
  if (nics === undefined || b === undefined) return undefined;
  return strip({ nics, bond: b, bridge });
}

function overlay(r: Reader, v: unknown, p: string): OverlayParams | undefined {
  const o = r.object(p, v, ['podCidr', 'vni', 'port', 'device', 'podMtu', 'snat', 'vethPrefix']);
  if (!o) return undefined;
  const podCidr = r.cidr(o, p, 'podCidr');
  const vni = r.int(o, p, 'vni', LIMITS.vni);
  const port = r.int(o, p, 'port', LIMITS.port, false);
  const device = r.ifname(o, p, 'device');
  const podMtu = r.int(o, p, 'podMtu', LIMITS.mtu, false);
  const snat = r.bool(o, p, 'snat');
  let vethPrefix = r.ifname(o, p, 'vethPrefix');
  if (vethPrefix !== undefined && vethPrefix.length > 11) {
    vethPrefix = r.err(paramError(at(p, 'vethPrefix'), 'ifname-length', `"${vethPrefix}" leaves fewer than 4 characters of the 15 for the hash part; use at most 11`, { value: vethPrefix, length: vethPrefix.length }));
  }
  if (podCidr === undefined || vni === undefined || snat === undefined) return undefined;
  return strip({ podCidr, vni, port, device, podMtu, snat, vethPrefix });
}

function plane(r: Reader, v: unknown, p: string): PlaneParams | undefined {
  const o = r.object(p, v, ['name', 'description', 'vlan', 'subnet', 'gateway', 'gatewayMac']);
  if (!o) return undefined;
  const name = r.ifname(o, p, 'name', true);
  const description = r.str(o, p, 'description', false);
  if (description !== undefined && !/^[A-Za-z][A-Za-z -]{0,30}$/.test(description)) {
    r.err(paramError(at(p, 'description'), 'type', 'a word or two of letters, for the comments (like control)'));
  }
  const vlan = r.int(o, p, 'vlan', LIMITS.vlan);
  const subnet = r.cidr(o, p, 'subnet');
  const gateway = r.ip(o, p, 'gateway');
  const gatewayMac = r.mac(o, p, 'gatewayMac');
  if (name === undefined || vlan === undefined || subnet === undefined || gateway === undefined) return undefined;
  return strip({ name, description, vlan, subnet, gateway, gatewayMac });
}

function vlan(r: Reader, v: unknown, p: string): VlanParams | undefined {
  const o = r.object(p, v, ['id', 'subnet', 'gateway', 'gatewayMac']);
  if (!o) return undefined;
  const id = r.int(o, p, 'id', LIMITS.vlan);
  const subnet = r.cidr(o, p, 'subnet');
  const gateway = r.ip(o, p, 'gateway');
  const gatewayMac = r.mac(o, p, 'gatewayMac');
  if (id === undefined || subnet === undefined || gateway === undefined) return undefined;
  return strip({ id, subnet, gateway, gatewayMac });
}

function endpoint(r: Reader, v: unknown, p: string): string | undefined {
  if (typeof v !== 'string') return r.err(paramError(p, 'type', 'must be a string'));
  const m = /^([^:]+):(\d{1,5})$/.exec(v);
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 65535) return r.err(paramError(p, 'endpoint', `"${v}" is not ADDRESS:PORT (like 10.186.20.11:6443)`, { value: v }));
  const a = checkIpv4(p, m[1]!);
  if (typeof a !== 'number') return r.err(a);
  return v;
}

function service(r: Reader, v: unknown, p: string): ServiceParams | undefined {
  const o = r.object(p, v, ['ip', 'proto', 'port', 'scheduler', 'endpoints']);
  if (!o) return undefined;
  const ip = r.ip(o, p, 'ip');
  const proto = r.choice(o, p, 'proto', PROTOS);
  const port = r.int(o, p, 'port', LIMITS.port);
  const scheduler = r.choice(o, p, 'scheduler', SCHEDULERS, false);
  const endpoints = r.list(o, p, 'endpoints', LIMITS.endpoints, (x, ip2) => endpoint(r, x, ip2));
  if (ip === undefined || proto === undefined || port === undefined || endpoints === undefined) return undefined;
  return strip({ ip, proto, port, scheduler, endpoints });
}

function services(r: Reader, v: unknown, p: string): ServicesParams | undefined {
  const o = r.object(p, v, ['cidr', 'device', 'list']);
  if (!o) return undefined;
  const cidr = r.cidr(o, p, 'cidr');
  const device = r.ifname(o, p, 'device');
  const list = r.list(o, p, 'list', LIMITS.services, (x, ip) => service(r, x, ip));
  if (cidr === undefined || list === undefined) return undefined;
  return strip({ cidr, device, list });
}

function outside(r: Reader, v: unknown, p: string): OutsideParams | undefined {
  const o = r.object(p, v, ['name', 'address', 'gateway', 'mac', 'gatewayMac']);
  if (!o) return undefined;
  return strip({
    name: r.nsname(o, p, 'name'),
    address: r.fmt(o, p, 'address', (pp, x) => {
      const m = /^([^/]+)\/(\d{1,2})$/.exec(x);
      if (!m || Number(m[2]) < 8 || Number(m[2]) > 30) return paramError(pp, 'cidr', `"${x}" is not ADDRESS/LEN with LEN 8–30 (like 203.0.113.10/24)`, { value: x });
      const a = checkIpv4(pp, m[1]!);
      return typeof a === 'number' ? x : a;
    }, false),
    gateway: r.ip(o, p, 'gateway', false),
    mac: r.mac(o, p, 'mac'),
    gatewayMac: r.mac(o, p, 'gatewayMac'),
  });
}

function simulation(r: Reader, v: unknown, p: string): SimulationParams | undefined {
  const o = r.object(p, v, ['switch', 'switchBridge', 'outside']);
  if (!o) return undefined;
  return strip({
    switch: r.nsname(o, p, 'switch'),
    switchBridge: r.ifname(o, p, 'switchBridge'),
    outside: o.outside === undefined ? undefined : outside(r, o.outside, at(p, 'outside')),
  });
}

export interface Parsed {
  params?: ClusterParams;
  errors: ParamError[];
}

/** Checks the JSON's shape and each value's format. `params` only when there is no error. */
export function parseParams(json: unknown): Parsed {
  const r = new Reader();
  const o = r.object('', json, ['nodes', 'underlay', 'fabric', 'overlay', 'planes', 'vlans', 'services', 'simulation']);
  if (!o) return { errors: r.errors };
  const req = (key: string, f: (v: unknown, p: string) => unknown) => (o[key] === undefined ? r.err(paramError(key, 'required', 'is required')) : f(o[key], key));
  const nodes = r.list(o, '', 'nodes', LIMITS.nodes, (v, p) => node(r, v, p));
  const u = req('underlay', (v, p) => underlay(r, v, p)) as UnderlayParams | undefined;
  const f = req('fabric', (v, p) => fabric(r, v, p)) as FabricParams | undefined;
  const ov = req('overlay', (v, p) => overlay(r, v, p)) as OverlayParams | undefined;
  const planes = r.list(o, '', 'planes', LIMITS.planes, (v, p) => plane(r, v, p), false);
  const vlans = r.list(o, '', 'vlans', LIMITS.vlans, (v, p) => vlan(r, v, p), false);
  const svc = o.services === undefined ? undefined : services(r, o.services, 'services');
  const sim = o.simulation === undefined ? undefined : simulation(r, o.simulation, 'simulation');
  if (r.errors.length > 0 || !nodes || !u || !f || !ov) return { errors: r.errors };
  return { params: strip({ nodes, underlay: u, fabric: f, overlay: ov, planes, vlans, services: svc, simulation: sim }), errors: [] };
}
