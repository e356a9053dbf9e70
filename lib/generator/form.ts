// The parameter form as data: which fields there are (each bound to a path in the
// parameters), how a field's text becomes a value and back, adding and removing nodes,
// VLANs, planes and services, and which field an error belongs to. No DOM: the page's client
// code draws it (src/components/generator/), the tests drive it directly.
import { formatIpv4, maskOf, tryParseIpv4 } from '../net/ipv4.ts';
import { BOND_MODES, HASH_POLICIES, PROTOS, type ClusterParams, type NodeParams, type PodParams, type UnderlayPodParams } from './params.ts';

export type FieldKind = 'text' | 'int' | 'bool' | 'select' | 'list' | 'pods' | 'upods';

export interface Field {
  /** Where the value lives in the parameters, e.g. `nodes[1].podSubnet`. */
  path: string;
  kind: FieldKind;
  /** Label key (see the page's strings): the last name of the path, or a special one. */
  label: string;
  options?: readonly string[];
  /** Empty means "leave it out" (the default applies); the placeholder says what that is. */
  optional?: boolean;
  placeholder?: string;
}

export type GroupKind = 'nodes' | 'vlans' | 'planes' | 'services';

export interface Group {
  kind: GroupKind;
  index: number;
  path: string;
  fields: Field[];
}

export interface Section {
  id: 'nodes' | 'underlay' | 'fabric' | 'overlay' | 'vlans' | 'planes' | 'services';
  fields: Field[];
  groups?: { kind: GroupKind; items: Group[]; min: number; max: number };
}

export const GROUP_LIMITS: Record<GroupKind, [number, number]> = { nodes: [2, 16], vlans: [0, 8], planes: [0, 4], services: [0, 16] };

// --- paths ----------------------------------------------------------------------------------

type Key = string | number;

export function parsePath(path: string): Key[] {
  const out: Key[] = [];
  for (const m of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) out.push(m[2] !== undefined ? Number(m[2]) : m[1]!);
  return out;
}

export function getAt(obj: unknown, path: string): unknown {
  let v: unknown = obj;
  for (const k of parsePath(path)) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<Key, unknown>)[k];
  }
  return v;
}

/** A copy of `obj` with the value at `path` set (undefined: removed), creating objects on the way. */
export function setAt<T>(obj: T, path: string, value: unknown): T {
  const root = structuredClone(obj) as Record<Key, unknown>;
  if (value === undefined && getAt(obj, path) === undefined) return root as T;
  const keys = parsePath(path);
  let v = root;
  keys.slice(0, -1).forEach((k, i) => {
    if (v[k] === null || typeof v[k] !== 'object') v[k] = typeof keys[i + 1] === 'number' ? [] : {};
    v = v[k] as Record<Key, unknown>;
  });
  const last = keys[keys.length - 1]!;
  if (value === undefined) {
    if (Array.isArray(v) && typeof last === 'number') v.splice(last, 1);
    else delete v[last];
  } else v[last] = value;
  return root as T;
}

// --- the fields -----------------------------------------------------------------------------

const text = (path: string, label: string, opts: Partial<Field> = {}): Field => ({ path, kind: 'text', label, ...opts });

export function formSections(p: ClusterParams): Section[] {
  const nodes = p.nodes.map((_, i): Group => {
    const at = `nodes[${i}]`;
    return {
      kind: 'nodes',
      index: i,
      path: at,
      fields: [
        text(`${at}.name`, 'nodeName'),
        text(`${at}.address`, 'nodeAddress'),
        text(`${at}.podSubnet`, 'podSubnet'),
        { path: `${at}.pods`, kind: 'pods', label: 'pods', optional: true, placeholder: 'auto, auto' },
        { path: `${at}.underlayPods`, kind: 'upods', label: 'underlayPods', optional: true, placeholder: '101:10.186.101.21' },
      ],
    };
  });
  const vlans = (p.vlans ?? []).map((_, i): Group => ({
    kind: 'vlans',
    index: i,
    path: `vlans[${i}]`,
    fields: [{ path: `vlans[${i}].id`, kind: 'int', label: 'vlanId' }, text(`vlans[${i}].subnet`, 'subnet'), text(`vlans[${i}].gateway`, 'gateway')],
  }));
  const planes = (p.planes ?? []).map((_, i): Group => ({
    kind: 'planes',
    index: i,
    path: `planes[${i}]`,
    fields: [text(`planes[${i}].name`, 'planeName'), { path: `planes[${i}].vlan`, kind: 'int', label: 'vlanId' }, text(`planes[${i}].subnet`, 'subnet'), text(`planes[${i}].gateway`, 'gateway')],
  }));
  const services = (p.services?.list ?? []).map((_, i): Group => {
    const at = `services.list[${i}]`;
    return {
      kind: 'services',
      index: i,
      path: at,
      fields: [
        text(`${at}.ip`, 'clusterIp'),
        { path: `${at}.proto`, kind: 'select', label: 'proto', options: PROTOS },
        { path: `${at}.port`, kind: 'int', label: 'port' },
        { path: `${at}.endpoints`, kind: 'list', label: 'endpoints', placeholder: '10.20.9.72:53' },
      ],
    };
  });
  return [
    { id: 'nodes', fields: [], groups: { kind: 'nodes', items: nodes, min: GROUP_LIMITS.nodes[0], max: GROUP_LIMITS.nodes[1] } },
    {
      id: 'underlay',
      fields: [
        text('underlay.subnet', 'subnet'),
        text('underlay.gateway', 'gateway'),
        { path: 'underlay.mtu', kind: 'int', label: 'mtu', optional: true, placeholder: '1500' },
        text('underlay.device', 'underlayDevice', { optional: true, placeholder: 'biz' }),
      ],
    },
    {
      id: 'fabric',
      fields: [
        { path: 'fabric.nics', kind: 'list', label: 'nics', placeholder: 'ens5f0np0, ens7f0np0' },
        { path: 'fabric.bond.mode', kind: 'select', label: 'bondMode', options: BOND_MODES },
        { path: 'fabric.bond.xmitHashPolicy', kind: 'select', label: 'hashPolicy', options: HASH_POLICIES },
        { path: 'fabric.bond.lacpRate', kind: 'select', label: 'lacpRate', options: ['', 'fast', 'slow'], optional: true },
        text('fabric.bridge', 'bridge', { optional: true, placeholder: 'br-bond0' }),
      ],
    },
    {
      id: 'overlay',
      fields: [
        text('overlay.podCidr', 'podCidr'),
        { path: 'overlay.vni', kind: 'int', label: 'vni' },
        { path: 'overlay.port', kind: 'int', label: 'vxlanPort', optional: true, placeholder: '4789' },
        { path: 'overlay.podMtu', kind: 'int', label: 'podMtu', optional: true, placeholder: 'MTU − 50' },
        text('overlay.device', 'vxlanDevice', { optional: true, placeholder: `vxlan.${p.overlay.vni}` }),
        { path: 'overlay.snat', kind: 'bool', label: 'snat' },
      ],
    },
    { id: 'vlans', fields: [], groups: { kind: 'vlans', items: vlans, min: GROUP_LIMITS.vlans[0], max: GROUP_LIMITS.vlans[1] } },
    { id: 'planes', fields: [], groups: { kind: 'planes', items: planes, min: GROUP_LIMITS.planes[0], max: GROUP_LIMITS.planes[1] } },
    {
      id: 'services',
      fields: [text('services.cidr', 'serviceCidr', { optional: true, placeholder: '10.96.0.0/12' })],
      groups: { kind: 'services', items: services, min: GROUP_LIMITS.services[0], max: GROUP_LIMITS.services[1] },
    },
  ];
}

export function allFields(p: ClusterParams): Field[] {
  return formSections(p).flatMap((s) => [...s.fields, ...(s.groups?.items.flatMap((g) => g.fields) ?? [])]);
}

// --- values ---------------------------------------------------------------------------------

const tokens = (s: string) => s.split(/[\s,]+/).filter((t) => t !== '');

/** The text (or checkbox state) a field shows for the parameters. */
export function fieldValue(p: ClusterParams, f: Field): string | boolean {
  const v = getAt(p, f.path);
  switch (f.kind) {
    case 'bool':
      return v === true;
    case 'list':
      return Array.isArray(v) ? v.join(', ') : '';
    case 'pods':
      return Array.isArray(v) ? (v as PodParams[]).map((x) => x.ip ?? 'auto').join(', ') : '';
    case 'upods':
      return Array.isArray(v) ? (v as UnderlayPodParams[]).map((x) => (x.ip ? `${x.vlan}:${x.ip}` : String(x.vlan))).join(', ') : '';
    default:
      return v === undefined || v === null ? '' : String(v);
  }
}

/** Takes the item of `old` that `match` accepts out of it (so each is used once). */
function takeFrom<T>(old: T[], match: (x: T) => boolean): T | undefined {
  const i = old.findIndex(match);
  return i < 0 ? undefined : old.splice(i, 1)[0];
}

/**
 * The parameters with the field set from what the reader typed. A value that does not
 * parse is kept as typed (a string where a number belongs, say), so that the validation
 * names it; an empty optional field is left out.
 */
export function setField(p: ClusterParams, f: Field, input: string | boolean): ClusterParams {
  if (f.kind === 'bool') return setAt(p, f.path, input === true);
  const s = String(input).trim();
  if (s === '' && f.optional) {
    const next = setAt(p, f.path, undefined);
    return f.path === 'services.cidr' && (next.services?.list?.length ?? 0) === 0 ? setAt(next, 'services', undefined) : next;
  }
  switch (f.kind) {
    case 'int':
      return setAt(p, f.path, /^-?\d+$/.test(s) ? Number(s) : s);
    case 'list':
      return setAt(p, f.path, tokens(s));
    case 'pods': {
      const old = [...((getAt(p, f.path) as PodParams[] | undefined) ?? [])];
      const pods = tokens(s).map((t) => (t === 'auto' ? (takeFrom(old, (x) => x.ip === undefined) ?? {}) : (takeFrom(old, (x) => x.ip === t) ?? { ip: t })));
      return setAt(p, f.path, pods);
    }
    case 'upods': {
      const old = [...((getAt(p, f.path) as UnderlayPodParams[] | undefined) ?? [])];
      const pods = tokens(s).map((t): UnderlayPodParams => {
        const [vlanText, ip] = t.split(':');
        const vlan = /^\d+$/.test(vlanText ?? '') ? Number(vlanText) : (vlanText as unknown as number);
        return takeFrom(old, (x) => x.vlan === vlan && x.ip === ip) ?? (ip ? { vlan, ip } : { vlan });
      });
      return setAt(p, f.path, pods);
    }
    default:
      return setAt(p, f.path, s);
  }
}

// --- adding and removing --------------------------------------------------------------------

/** A free host address of `cidr`: after the highest of `after`, else the first free one. */
function nextHost(cidr: string, after: readonly string[], taken: readonly string[]): string {
  const [a, l] = cidr.split('/');
  const net = tryParseIpv4(a ?? '');
  const len = Number(l);
  if (net === undefined || !(len >= 0 && len <= 30)) return '';
  const used = new Set<number>([...after, ...taken].flatMap((x) => tryParseIpv4(x) ?? []));
  const last = (net | ~maskOf(len)) >>> 0;
  const inside = after.flatMap((x) => tryParseIpv4(x) ?? []).filter((x) => x > net && x < last);
  const start = inside.length ? Math.max(...inside) + 1 : net + 1;
  for (const [from, to] of [[start, last], [net + 1, start]] as const) {
    for (let x = from; x < to; x++) if (!used.has(x)) return formatIpv4(x);
  }
  return '';
}

function nextSubnet(cidr: string, siblings: readonly string[]): string {
  const [a, l] = cidr.split('/');
  const outer = tryParseIpv4(a ?? '');
  const outerLen = Number(l);
  const first = siblings[0]?.split('/');
  const len = first ? Number(first[1]) : 24;
  if (outer === undefined || !(len > outerLen && len <= 30)) return '';
  const size = 2 ** (32 - len);
  const used = new Set<number>(siblings.flatMap((s) => tryParseIpv4(s.split('/')[0] ?? '') ?? []));
  for (let x: number = outer; x < outer + 2 ** (32 - outerLen); x += size) if (!used.has(x)) return `${formatIpv4(x)}/${len}`;
  return '';
}

function nodeName(p: ClusterParams): string {
  const names = new Set(p.nodes.map((n) => n.name));
  for (let i = 0; ; i++) {
    const n = i < 26 ? `node-${String.fromCharCode(97 + i)}` : `node-${i + 1}`;
    if (!names.has(n)) return n;
  }
}

/** The parameters with one more node, VLAN, plane or service, filled in where it can be guessed. */
export function addItem(p: ClusterParams, kind: GroupKind): ClusterParams {
  switch (kind) {
    case 'nodes': {
      const node: NodeParams = {
        name: nodeName(p),
        address: nextHost(p.underlay.subnet, p.nodes.map((n) => n.address), [p.underlay.gateway]),
        podSubnet: nextSubnet(p.overlay.podCidr, p.nodes.map((n) => n.podSubnet)),
        pods: [{}],
      };
      return setAt(p, `nodes[${p.nodes.length}]`, node);
    }
    case 'vlans': {
      const ids = (p.vlans ?? []).map((v) => v.id);
      return setAt(p, 'vlans', [...(p.vlans ?? []), { id: ids.length ? Math.max(...ids) + 1 : 100, subnet: '', gateway: '' }]);
    }
    case 'planes':
      return setAt(p, 'planes', [...(p.planes ?? []), { name: `plane${(p.planes ?? []).length + 1}`, vlan: 30, subnet: '', gateway: '' }]);
    case 'services': {
      const s = p.services ?? { cidr: '10.96.0.0/12', list: [] };
      return setAt(p, 'services', { ...s, list: [...s.list, { ip: '', proto: 'tcp', port: 80, endpoints: [] }] });
    }
  }
}

export function removeItem(p: ClusterParams, kind: GroupKind, index: number): ClusterParams {
  const path = kind === 'services' ? 'services.list' : kind;
  return setAt(p, `${path}[${index}]`, undefined);
}

// --- errors ---------------------------------------------------------------------------------

/**
 * The field an error belongs to: the field whose path is the longest prefix of the error's
 * (`nodes[0].pods[2].ip` → `nodes[0].pods`). Undefined when no field of the form has it
 * (a MAC, a name of the simulation: those are in the JSON).
 */
export function fieldOfError(errorPath: string, fieldPaths: readonly string[]): string | undefined {
  let best: string | undefined;
  for (const f of fieldPaths) {
    const hit = errorPath === f || errorPath.startsWith(f + '.') || errorPath.startsWith(f + '[');
    if (hit && (best === undefined || f.length > best.length)) best = f;
  }
  return best;
}
