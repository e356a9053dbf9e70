// A problem with one field of the parameters. `path` names the field the way the form and
// the CLI show it (`nodes[1].podSubnet`, `overlay.podMtu`); `code` and `args` let the page
// translate the message; `message` is the English text.

export interface ParamError {
  path: string;
  code: ErrorCode;
  message: string;
  args?: Record<string, string | number>;
}

export type ErrorCode =
  | 'required'
  | 'type'
  | 'unknown-field'
  | 'ipv4'
  | 'not-canonical'
  | 'cidr'
  | 'host-bits'
  | 'mac'
  | 'mac-multicast'
  | 'integer'
  | 'range'
  | 'choice'
  | 'ifname'
  | 'ifname-length'
  | 'nsname'
  | 'count'
  | 'overlap'
  | 'outside'
  | 'network-or-broadcast'
  | 'duplicate'
  | 'mtu'
  | 'mode-option'
  | 'unknown-plane'
  | 'unknown-vlan'
  | 'special-address'
  | 'endpoint'
  | 'exhausted';

export function paramError(path: string, code: ErrorCode, message: string, args?: Record<string, string | number>): ParamError {
  return args ? { path, code, message, args } : { path, code, message };
}

/** `path: message`, one per line: what the CLI prints. */
export function formatErrors(errors: readonly ParamError[]): string {
  return errors.map((e) => `${e.path || '(top level)'}: ${e.message}\n`).join('');
}

/** Joins a path and a key: `nodes` + 1 → `nodes[1]`, `nodes[1]` + `name` → `nodes[1].name`. */
export function at(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) return `${path}[${JSON.stringify(key)}]`;
  return path === '' ? key : `${path}.${key}`;
}
