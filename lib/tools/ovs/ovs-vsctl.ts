// `ovs-vsctl [OPTIONS] COMMAND [ARG...] [-- [OPTIONS] COMMAND [ARG...]]...` over the
// namespace's OVS database (utilities/ovs-vsctl.c, lib/db-ctl-base.c). All commands of one
// invocation form one transaction: `add-port BR P -- set interface P type=internal` creates
// P as an internal port directly. Model only: the lab kernel has no Open vSwitch.
import { addBridge, addPort, delBridge, delPort, findBridge, OvsError, setInterfaceType, setPort, type AddResult, type PortSettings } from '../../model/ovs/config.ts';
import { ovsDb } from '../../model/ovs/db.ts';
import type { Netns } from '../../model/netns.ts';
import { registerTool } from '../registry.ts';
import { eprint, print, UnsupportedError, type ToolContext } from '../tool.ts';
import { vsctlShow } from './vsctl-show.ts';

interface Command {
  name: string;
  args: string[];
  options: Set<string>;
}

/** name: [min args, max args, allowed options]. */
const SYNTAX: Record<string, [number, number, string[]]> = {
  'add-br': [1, 3, ['--may-exist']],
  'del-br': [1, 1, ['--if-exists']],
  'list-br': [0, 0, ['--real', '--fake']],
  'br-exists': [1, 1, []],
  'add-port': [2, Infinity, ['--may-exist']],
  'add-bond': [4, Infinity, ['--may-exist', '--fake-iface']],
  'del-port': [1, 2, ['--if-exists', '--with-iface']],
  'list-ports': [1, 1, []],
  'list-ifaces': [1, 1, []],
  'port-to-br': [1, 1, []],
  'iface-to-br': [1, 1, []],
  show: [0, 0, []],
  set: [3, Infinity, ['--if-exists']],
};

const GLOBAL_WITH_VALUE = new Set(['--timeout', '-t', '--db', '--format', '-f']);
const GLOBAL_FLAGS = new Set(['--no-wait', '--oneline', '--dry-run', '-v', '--verbose', '--no-syslog', '--retry', '--bare']);

function splitCommands(args: string[]): Command[] {
  let i = 0;
  // Global options come first (getopt stops at the first word that is not an option).
  while (i < args.length && args[i]!.startsWith('-') && args[i] !== '--') {
    const a = args[i]!;
    const name = a.includes('=') ? a.slice(0, a.indexOf('=')) : a;
    if (GLOBAL_WITH_VALUE.has(name)) i += a.includes('=') ? 1 : 2;
    else if (GLOBAL_FLAGS.has(name)) i++;
    else if (name === '--may-exist' || name === '--if-exists' || name === '--real' || name === '--fake' || name === '--with-iface' || name === '--fake-iface') break;
    else throw new UnsupportedError(`ovs-vsctl: option ${a} is not modelled`, a);
  }
  const commands: Command[] = [];
  let cur: string[] = [];
  const flush = () => {
    const options = new Set<string>();
    let k = 0;
    while (k < cur.length && cur[k]!.startsWith('--')) options.add(cur[k++]!.split('=')[0]!);
    if (k < cur.length) commands.push({ name: cur[k]!, args: cur.slice(k + 1), options });
    else if (options.size > 0) throw new OvsError('missing command name (use --help for help)');
    cur = [];
  };
  for (; i < args.length; i++) {
    if (args[i] === '--') flush();
    else cur.push(args[i]!);
  }
  flush();
  if (commands.length === 0) throw new OvsError('missing command name (use --help for help)');
  return commands;
}

function checkSyntax(c: Command): void {
  const s = SYNTAX[c.name];
  if (!s) {
    const known = ['get', 'list', 'find', 'add', 'remove', 'clear', 'create', 'destroy', 'wait-until', 'set-controller', 'set-fail-mode', 'br-set-external-id', 'emer-reset', 'init', 'set-manager'];
    if (known.includes(c.name)) throw new UnsupportedError(`ovs-vsctl: the ${c.name} command is not modelled`, c.name);
    throw new OvsError(`unknown command '${c.name}'; use --help for help`);
  }
  const [min, max, opts] = s;
  if (c.args.length < min) throw new OvsError(`'${c.name}' command requires at least ${min} arguments`);
  if (c.args.length > max) throw new OvsError(`'${c.name}' command takes at most ${max} arguments`);
  for (const o of c.options) if (!opts.includes(o)) throw new OvsError(`'${c.name}' command has no '${o}' option`);
}

/** ovsdb integer parsing and the VLAN columns' constraint (0-4095). */
function vlanValue(text: string): number {
  if (!/^-?\d+$/.test(text)) throw new OvsError(`"${text}" is not a valid integer or range`);
  const n = Number(text);
  if (n < 0 || n > 4095) throw new OvsError(`constraint violation: ${n} is not in the valid range 0 to 4095 (inclusive)`);
  return n;
}

/** A set column: `1,2`, `[1,2]`, `"1,2"` or `[]`. */
function vlanSet(text: string): number[] {
  const inner = text.replace(/^\[|\]$/g, '').replace(/^"|"$/g, '').trim();
  if (inner === '') return [];
  return inner.split(/\s*,\s*/).map(vlanValue);
}

interface ColumnSet {
  tag?: number | null;
  trunks?: number[];
  bondMode?: PortSettings['bondMode'];
  lacp?: PortSettings['lacp'];
  type?: '' | 'internal';
}

function parseColumns(table: 'Port' | 'Interface', assignments: string[]): ColumnSet {
  const out: ColumnSet = {};
  for (const a of assignments) {
    const eq = a.indexOf('=');
    if (eq < 0) throw new OvsError(`${a}: missing value`);
    const col = a.slice(0, eq);
    const value = a.slice(eq + 1);
    if (table === 'Port' && col === 'tag') out.tag = value === '[]' ? null : vlanValue(value);
    else if (table === 'Port' && col === 'trunks') out.trunks = vlanSet(value);
    else if (table === 'Port' && col === 'bond_mode' && ['active-backup', 'balance-slb', 'balance-tcp'].includes(value)) out.bondMode = value as ColumnSet['bondMode'];
    else if (table === 'Port' && col === 'lacp' && ['off', 'active', 'passive'].includes(value)) out.lacp = value as ColumnSet['lacp'];
    else if (table === 'Interface' && col === 'type' && (value === 'internal' || value === 'system' || value === '""')) out.type = value === 'internal' ? 'internal' : '';
    else throw new UnsupportedError(`ovs-vsctl: ${table} column ${a} is not modelled (the model has Port tag, trunks, bond_mode, lacp and Interface type)`, a);
  }
  return out;
}

function tableName(t: string): 'Port' | 'Interface' | undefined {
  const l = t.toLowerCase();
  if (l === 'port') return 'Port';
  if (l === 'interface' || l === 'iface') return 'Interface';
  return undefined;
}

/** `set interface NAME type=...` anywhere in the transaction, for ports it creates. */
function pendingTypes(commands: Command[]): Map<string, '' | 'internal'> {
  const m = new Map<string, '' | 'internal'>();
  for (const c of commands) {
    if (c.name !== 'set' || tableName(c.args[0] ?? '') !== 'Interface') continue;
    for (const a of c.args.slice(2)) {
      if (a === 'type=internal') m.set(c.args[1]!, 'internal');
      else if (a === 'type=system' || a === 'type=""') m.set(c.args[1]!, '');
    }
  }
  return m;
}

const sorted = (xs: string[]) => [...xs].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

function execute(ns: Netns, c: Command, types: Map<string, '' | 'internal'>, failed: AddResult['failed'], out: string[]): number {
  const db = ovsDb(ns);
  switch (c.name) {
    case 'add-br':
      if (c.args.length !== 1) {
        if (c.args.length === 3) throw new UnsupportedError('ovs-vsctl: fake (VLAN) bridges are not modelled', c.args.join(' '));
        throw new OvsError(`'add-br' command takes exactly 1 or 3 arguments`);
      }
      addBridge(ns, c.args[0]!, c.options.has('--may-exist'));
      return 0;
    case 'del-br':
      delBridge(ns, c.args[0]!, c.options.has('--if-exists'));
      return 0;
    case 'list-br':
      out.push(...sorted(db.bridges.map((b) => b.name)).map((n) => `${n}\n`));
      return 0;
    case 'br-exists':
      return db.bridge(c.args[0]!) ? 0 : 2;
    case 'add-port':
    case 'add-bond': {
      const [br, port, ...rest] = c.args as [string, string, ...string[]];
      const ifaces = c.name === 'add-bond' ? rest.filter((a) => !a.includes('=')) : [port];
      const cols = parseColumns('Port', rest.filter((a) => a.includes('=')));
      if (c.name === 'add-bond' && ifaces.length < 2) {
        throw new OvsError(`add-bond requires at least 2 interfaces, but only ${ifaces.length} were specified`);
      }
      const s: PortSettings = { ifaceTypes: types };
      if (cols.tag !== undefined && cols.tag !== null) s.tag = cols.tag;
      if (cols.trunks) s.trunks = cols.trunks;
      if (cols.bondMode) s.bondMode = cols.bondMode;
      if (cols.lacp) s.lacp = cols.lacp;
      failed.push(...addPort(ns, br, port, ifaces, s, c.options.has('--may-exist')).failed);
      return 0;
    }
    case 'del-port':
      if (c.args.length === 2) delPort(ns, c.args[0]!, c.args[1]!, c.options.has('--if-exists'));
      else delPort(ns, undefined, c.args[0]!, c.options.has('--if-exists'));
      return 0;
    case 'list-ports': {
      const b = findBridge(db, c.args[0]!);
      out.push(...sorted(b.ports.filter((p) => p.name !== b.name).map((p) => p.name)).map((n) => `${n}\n`));
      return 0;
    }
    case 'list-ifaces': {
      const b = findBridge(db, c.args[0]!);
      const names = b.ports.filter((p) => p.name !== b.name).flatMap((p) => p.interfaces.map((i) => i.name));
      out.push(...sorted(names).map((n) => `${n}\n`));
      return 0;
    }
    case 'port-to-br': {
      const p = db.port(c.args[0]!);
      if (!p) throw new OvsError(`no port named ${c.args[0]}`);
      out.push(`${p.bridge.name}\n`);
      return 0;
    }
    case 'iface-to-br': {
      const i = db.iface(c.args[0]!);
      if (!i || i.iface.name === i.bridge.name) throw new OvsError(`no interface named ${c.args[0]}`);
      out.push(`${i.bridge.name}\n`);
      return 0;
    }
    case 'show':
      out.push(vsctlShow(db));
      return 0;
    case 'set': {
      const table = tableName(c.args[0]!);
      if (!table) throw new UnsupportedError(`ovs-vsctl: set ${c.args[0]} is not modelled (only Port and Interface)`, c.args[0]!);
      const cols = parseColumns(table, c.args.slice(2));
      if (table === 'Port') {
        const s: { tag?: number | null; trunks?: number[] } = {};
        if (cols.tag !== undefined) s.tag = cols.tag;
        if (cols.trunks !== undefined) s.trunks = cols.trunks;
        if (cols.bondMode || cols.lacp) throw new UnsupportedError('ovs-vsctl: changing bond_mode/lacp of an existing port is not modelled', c.args.join(' '));
        setPort(ns, c.args[1]!, s);
      } else if (cols.type !== undefined) {
        failed.push(...setInterfaceType(ns, c.args[1]!, cols.type).failed);
      }
      return 0;
    }
  }
  return 0;
}

export function ovsVsctl(argv: string[], ctx: ToolContext): number {
  const out: string[] = [];
  try {
    const commands = splitCommands(argv.slice(1));
    for (const c of commands) checkSyntax(c);
    const types = pendingTypes(commands);
    const failed: AddResult['failed'] = [];
    let status = 0;
    for (const c of commands) status = execute(ctx.ns, c, types, failed, out) || status;
    print(ctx, out.join(''));
    if (failed.length > 0) {
      // post_db_reload_do_checks: vswitchd could not set these interfaces up.
      for (const i of failed) eprint(ctx, `ovs-vsctl: Error detected while setting up '${i.name}': ${i.error}.  See ovs-vswitchd log for details.\n`);
      eprint(ctx, 'ovs-vsctl: The default log directory is "/var/log/openvswitch".\n');
    }
    return status;
  } catch (e) {
    if (e instanceof OvsError) {
      eprint(ctx, `ovs-vsctl: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}

registerTool('ovs-vsctl', ovsVsctl);
