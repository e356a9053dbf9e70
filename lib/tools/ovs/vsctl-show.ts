// `ovs-vsctl show` (lib/db-ctl-base.c cmd_show_row with ovs-vsctl.c's cmd_show_tables):
// the Open_vSwitch row's UUID, then each Bridge, Port and Interface indented by 4 per
// level; set members in UUID order (ovsdb keeps sets sorted); a column only when it is not
// its default. Strings are bare unless lib/ovsdb-data.c string_needs_quotes says otherwise.
import { OVS_VERSION, type OvsBridge, type OvsDb, type OvsInterface, type OvsPort } from '../../model/ovs/db.ts';

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** string_needs_quotes (OVS 3.x: letters, digits, _ - . after a leading letter or _). */
export function ovsdbString(s: string): string {
  const bare = /^[A-Za-z_][A-Za-z0-9_.-]*$/.test(s) && s !== 'true' && s !== 'false' && !UUID_RE.test(s);
  return bare ? s : JSON.stringify(s);
}

const byUuid = <T extends { uuid: string }>(xs: readonly T[]): T[] => [...xs].sort((a, b) => (a.uuid < b.uuid ? -1 : a.uuid > b.uuid ? 1 : 0));
const pad = (level: number) => ' '.repeat(level * 4);

function showIface(i: OvsInterface, level: number): string {
  let s = `${pad(level)}Interface ${ovsdbString(i.name)}\n`;
  if (i.type !== '') s += `${pad(level + 1)}type: ${ovsdbString(i.type)}\n`;
  if (i.error !== undefined) s += `${pad(level + 1)}error: ${ovsdbString(i.error)}\n`;
  return s;
}

function showPort(p: OvsPort, level: number): string {
  let s = `${pad(level)}Port ${ovsdbString(p.name)}\n`;
  if (p.tag !== undefined) s += `${pad(level + 1)}tag: ${p.tag}\n`;
  if (p.trunks.length > 0) s += `${pad(level + 1)}trunks: [${[...p.trunks].sort((a, b) => a - b).join(', ')}]\n`;
  for (const i of byUuid(p.interfaces)) s += showIface(i, level + 1);
  return s;
}

function showBridge(b: OvsBridge, level: number): string {
  let s = `${pad(level)}Bridge ${ovsdbString(b.name)}\n`;
  for (const p of byUuid(b.ports)) s += showPort(p, level + 1);
  return s;
}

export function vsctlShow(db: OvsDb): string {
  let s = `${db.uuid}\n`;
  for (const b of byUuid(db.bridges)) s += showBridge(b, 1);
  s += `${pad(1)}ovs_version: ${ovsdbString(OVS_VERSION)}\n`;
  return s;
}
