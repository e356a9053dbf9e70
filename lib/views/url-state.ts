// Widget state in the page URL, so a reader can share exactly what they see. Each widget
// owns the query keys `<prefix>.<key>` (e.g. `trace.from`); keys of other widgets and of
// the page are kept as they are. Values equal to the widget's defaults are left out, so
// the URL of an untouched page stays clean. Pure string handling: no DOM, no `location`.
import { visible } from './visible.ts';

/** A widget's state: named text values (as typed, or as read from a URL). */
export type WidgetState<T = Record<string, string>> = { [K in keyof T]: string };

/** Longest value read back from a URL; longer ones are cut (a URL is untrusted input). */
export const MAX_VALUE_LENGTH = 200;

function decode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}

// encodeURIComponent, but keeping a few characters that are safe in a query value and
// make shared links readable (`a:b`, `x,y`, `/`).
function encode(s: string): string {
  return encodeURIComponent(s).replace(/%3A/gi, ':').replace(/%2C/gi, ',').replace(/%2F/gi, '/');
}

/** The pairs of a query string (`?a=1&b=2` or `a=1&b=2`), decoded, in order. */
export function parseQuery(search: string): [string, string][] {
  const s = search.startsWith('?') ? search.slice(1) : search;
  if (s === '') return [];
  const out: [string, string][] = [];
  for (const part of s.split('&')) {
    if (part === '') continue;
    const i = part.indexOf('=');
    out.push(i < 0 ? [decode(part), ''] : [decode(part.slice(0, i)), decode(part.slice(i + 1))]);
  }
  return out;
}

/**
 * The widget's state from a query string: every key of `defaults`, from `<prefix>.<key>`
 * when present (the last occurrence wins), else the default. Unknown keys are ignored.
 */
export function readState<T extends WidgetState<T>>(search: string, prefix: string, defaults: T): T {
  const out: Record<string, string> = { ...defaults };
  for (const [k, v] of parseQuery(search)) {
    if (!k.startsWith(prefix + '.')) continue;
    const key = k.slice(prefix.length + 1);
    // Control and bidi characters are shown as visible marks: a value from a link must not
    // be able to look like another value (the field then refuses it, saying what it holds).
    if (Object.hasOwn(defaults, key)) out[key] = visible(v.slice(0, MAX_VALUE_LENGTH));
  }
  return out as T;
}

/**
 * The query string with the widget's state written in: its keys replaced (in the order of
 * `defaults`, after the other keys), values equal to the default dropped. Returns '' for
 * an empty query, else a string starting with '?'.
 */
export function writeState<T extends WidgetState<T>>(search: string, prefix: string, state: T, defaults: T): string {
  const kept = parseQuery(search).filter(([k]) => !k.startsWith(prefix + '.'));
  const own: [string, string][] = [];
  const st = state as Record<string, string>;
  const df = defaults as Record<string, string>;
  for (const key of Object.keys(defaults)) {
    const v = st[key];
    if (v === undefined || v === df[key]) continue;
    own.push([`${prefix}.${key}`, v]);
  }
  const all = [...kept, ...own];
  if (all.length === 0) return '';
  return '?' + all.map(([k, v]) => `${encode(k)}=${encode(v)}`).join('&');
}

/** One query value (the last occurrence of `key`), decoded; undefined when absent. */
export function readQueryValue(search: string, key: string): string | undefined {
  let out: string | undefined;
  for (const [k, v] of parseQuery(search)) if (k === key) out = v;
  return out;
}

/** The query string with `key` set to `value` (after the other keys), or removed when undefined. */
export function writeQueryValue(search: string, key: string, value: string | undefined): string {
  const all = parseQuery(search).filter(([k]) => k !== key);
  if (value !== undefined) all.push([key, value]);
  if (all.length === 0) return '';
  return '?' + all.map(([k, v]) => `${encode(k)}=${encode(v)}`).join('&');
}
