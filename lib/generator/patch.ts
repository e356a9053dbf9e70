// Parameters in a URL: a JSON merge patch (RFC 7386) against the reference parameters, so
// that a link carries only what the reader changed. Lists are replaced as a whole, as RFC
// 7386 says. Pure string and object handling: no DOM, no `location`. The query string is
// read and written by the widgets' codec (lib/views/url-state.ts): one codec for the site.
import { readQueryValue, writeQueryValue } from '../views/url-state.ts';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const isObject = (v: unknown): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The merge patch that turns `base` into `target` (undefined when they are equal). */
export function diff(base: unknown, target: unknown): Json | undefined {
  if (isObject(base) && isObject(target)) {
    const out: Record<string, Json> = {};
    for (const k of Object.keys(base)) if (!(k in target)) out[k] = null;
    for (const [k, v] of Object.entries(target)) {
      const d = diff(base[k], v);
      if (d !== undefined) out[k] = d;
    }
    return Object.keys(out).length > 0 ? out : undefined;
  }
  return JSON.stringify(base) === JSON.stringify(target) ? undefined : (target as Json);
}

/** RFC 7386 MergePatch(target, patch). */
export function apply(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return patch;
  const out: Record<string, unknown> = isObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = apply(out[k], v);
  }
  return out;
}

/** Longest query value read back (a URL is untrusted input). */
export const MAX_PATCH_LENGTH = 20000;

/** The query string with `key` set to the patch (or removed when there is none). */
export function writePatch(search: string, key: string, patch: Json | undefined): string {
  return writeQueryValue(search, key, patch === undefined ? undefined : JSON.stringify(patch));
}

/** The patch in the query string: undefined when absent, an error when it is not JSON. */
export function readPatch(search: string, key: string): { patch?: unknown; error?: string } {
  const v = readQueryValue(search, key);
  if (v === undefined) return {};
  if (v.length > MAX_PATCH_LENGTH) return { error: `longer than ${MAX_PATCH_LENGTH} characters` };
  try {
    return { patch: JSON.parse(v) as unknown };
  } catch (e) {
    return { error: (e as Error).message };
  }
}
