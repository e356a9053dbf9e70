// Parsing and validating what a reader types into a widget. Every failure is a FieldError
// with a code and the offending text; the widget turns it into a message in the page's
// language (and shows the text as text, never as markup).
import { tryParseIpv4 } from '../net/ipv4.ts';
import { parseMac } from '../net/mac.ts';

export type ErrorCode =
  /** Empty where a value is needed. */
  | 'required'
  /** Not a dotted-quad IPv4 address. */
  | 'address'
  /** Not a whole number. */
  | 'integer'
  /** A number outside [min, max]. */
  | 'range'
  /** Not one of the allowed choices (`choices`). */
  | 'choice'
  /** Not a MAC address. */
  | 'mac'
  /** The model refused the question (its own message in `message`). */
  | 'model';

export interface FieldError {
  field: string;
  code: ErrorCode;
  /** The text as typed (shown back to the reader as text). */
  value: string;
  min?: number;
  max?: number;
  choices?: string[];
  message?: string;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: FieldError };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const fail = <T>(error: FieldError): Parsed<T> => ({ ok: false, error });

/** A dotted-quad IPv4 address (surrounding spaces ignored). */
export function parseAddress(field: string, text: string): Parsed<string> {
  const t = text.trim();
  if (t === '') return fail({ field, code: 'required', value: text });
  if (tryParseIpv4(t) === undefined) return fail({ field, code: 'address', value: text });
  return ok(t);
}

/** A whole number in [min, max]; `optional` turns '' into undefined (the model's default). */
export function parseInteger(field: string, text: string, min: number, max: number, optional = false): Parsed<number | undefined> {
  const t = text.trim();
  if (t === '') return optional ? ok(undefined) : fail({ field, code: 'required', value: text });
  // Any run of digits is a whole number; one too large for the field is out of its range.
  if (!/^\d+$/.test(t)) return fail({ field, code: 'integer', value: text });
  const n = Number(t);
  if (n < min || n > max) return fail({ field, code: 'range', value: text, min, max });
  return ok(n);
}

/** One of a fixed list of choices (exact match). */
export function parseChoice<T extends string>(field: string, text: string, choices: readonly T[]): Parsed<T> {
  const t = text.trim();
  if (t === '') return fail({ field, code: 'required', value: text, choices: [...choices] });
  if (!(choices as readonly string[]).includes(t)) return fail({ field, code: 'choice', value: text, choices: [...choices] });
  return ok(t as T);
}

/** A MAC address, aa:bb:cc:dd:ee:ff (case-insensitive). */
export function parseMacInput(field: string, text: string): Parsed<string> {
  const t = text.trim().toLowerCase();
  if (t === '') return fail({ field, code: 'required', value: text });
  const m = parseMac(t);
  if (m === undefined) return fail({ field, code: 'mac', value: text });
  return ok(m);
}

/** Collects the errors of several parses; `values` holds the successful ones by field. */
export function collect(results: Parsed<unknown>[]): FieldError[] {
  return results.filter((r): r is { ok: false; error: FieldError } => !r.ok).map((r) => r.error);
}
