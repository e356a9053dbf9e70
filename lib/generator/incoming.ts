// Parameters that arrive as a whole — a shared link (`?cluster=` merge patch against the
// reference) or the JSON pasted into the page — are checked as a whole with exactly the
// validation `netatlas generate` applies (./check-params.ts), and taken only when they pass.
// Pure: no DOM, no `location`. The page shows the errors field by field; nothing half-applies.
import { checkParams } from './check-params.ts';
import { paramError, type ParamError } from './errors.ts';
import type { ClusterParams } from './params.ts';
import { apply, MAX_PATCH_LENGTH } from './patch.ts';

export type Incoming =
  /** Nothing was given (no key in the link). */
  | { kind: 'none' }
  | { kind: 'ok'; params: ClusterParams }
  /** Not JSON at all: the parser's message. */
  | { kind: 'syntax'; message: string }
  /** JSON, but not a parameter set `netatlas generate` accepts. */
  | { kind: 'invalid'; errors: ParamError[] };

function parse(text: string): { value?: unknown; message?: string } {
  try {
    return { value: JSON.parse(text) as unknown };
  } catch (e) {
    return { message: (e as Error).message };
  }
}

function checked(json: unknown): Incoming {
  const r = checkParams(json);
  return r.cluster ? { kind: 'ok', params: structuredClone(json) as ClusterParams } : { kind: 'invalid', errors: r.errors };
}

/** The JSON typed or pasted into the page: a whole parameter set. */
export function paramsFromJson(text: string): Incoming {
  const p = parse(text);
  if (p.message !== undefined) return { kind: 'syntax', message: p.message };
  return checked(p.value);
}

/** The parameters in a link: the merge patch under `key` applied to `base` (the reference). */
export function paramsFromLink(search: string, key: string, base: ClusterParams): Incoming {
  const v = new URLSearchParams(search).get(key);
  if (v === null) return { kind: 'none' };
  if (v.length > MAX_PATCH_LENGTH) return { kind: 'invalid', errors: [paramError('', 'type', `the link's parameters are longer than ${MAX_PATCH_LENGTH} characters`, { message: `> ${MAX_PATCH_LENGTH}` })] };
  const p = parse(v);
  if (p.message !== undefined) return { kind: 'syntax', message: p.message };
  // A merge patch that is not an object replaces the whole document (RFC 7386): `null`,
  // `5` or `"x"` would stand for the parameters themselves. That is never a shared form.
  if (typeof p.value !== 'object' || p.value === null || Array.isArray(p.value)) {
    return { kind: 'invalid', errors: [paramError('', 'type', 'must be an object ({...})')] };
  }
  return checked(apply(base, p.value));
}
