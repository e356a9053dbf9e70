// What every widget's mount() starts from, and the one way its form reports edits.
import type { SessionPool } from '../../../lib/views/session-pool.ts';
import { readState, type WidgetState } from '../../../lib/views/url-state.ts';
import { langOf, strings, type Strings } from './i18n.ts';
import { getPool } from './model.ts';

export interface WidgetStart<S> {
  /** The page language's strings. */
  s: Strings;
  /** Prefix of this widget's keys in the URL (data-nw-id, else its kind). */
  id: string;
  /** The widget's defaults with the page's data-nw-defaults over them. */
  defaults: S;
  /** The defaults with the URL's keys over them (a shared link). */
  state: S;
  pool: SessionPool;
}

/** `base` gives the widget's own defaults (some read the reference cluster from the pool). */
export function startWidget<S extends WidgetState<S>>(root: HTMLElement, kind: string, base: (pool: SessionPool) => S): WidgetStart<S> {
  const s = strings(langOf(document.documentElement.lang));
  const id = root.dataset.nwId ?? kind;
  const pool = getPool();
  const defaults: S = { ...base(pool), ...(JSON.parse(root.dataset.nwDefaults ?? '{}') as Partial<S>) };
  return { s, id, defaults, state: readState(location.search, id, defaults), pool };
}

/** Calls `change` with the data-field name and value of a control the reader edits (a radio only when checked). */
export function onFieldInput(form: HTMLElement, change: (field: string, value: string) => void): void {
  form.addEventListener('input', (e) => {
    const el = e.target as HTMLInputElement | HTMLSelectElement;
    const field = el.dataset.field;
    if (!field) return;
    if (el instanceof HTMLInputElement && el.type === 'radio' && !el.checked) return;
    change(field, el.value);
  });
}
