// DOM helpers of the widgets' client code. The element builder (text always as text nodes)
// is shared with the generator form in ../dom.ts.
import { errorText, type Strings } from './i18n.ts';
import type { FieldError } from '../../../lib/views/inputs.ts';
import { append, h, type Child } from '../dom.ts';

export { append, h, type Child };

export function replace(el: Element, ...children: Child[]): void {
  el.replaceChildren();
  append(el, children);
}

let counter = 0;
/** A page-unique id for label/aria wiring. */
export function uid(prefix: string): string {
  counter += 1;
  return `${prefix}-${counter}`;
}

export const reducedMotion = (): boolean => typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;

/**
 * A labelled text field with an inline error slot. Returns the wrapper, the input and a
 * setter for the error (undefined clears it).
 */
export function field(
  label: string,
  name: string,
  value: string,
  opts: { placeholder?: string; inputmode?: string; size?: number; list?: string } = {},
): { wrap: HTMLElement; input: HTMLInputElement; setError: (e?: FieldError, s?: Strings) => void } {
  const id = uid(`nw-${name}`);
  const errId = `${id}-err`;
  const input = h('input', {
    id,
    name,
    type: 'text',
    value,
    autocomplete: 'off',
    spellcheck: 'false',
    placeholder: opts.placeholder,
    inputmode: opts.inputmode,
    size: opts.size,
    list: opts.list,
    'data-field': name,
  });
  const err = h('span', { id: errId, class: 'nw-error', role: 'alert', hidden: true });
  const wrap = h('div', { class: 'nw-field' }, h('label', { for: id }, label), input, err);
  return {
    wrap,
    input,
    setError(e, s) {
      if (e && s) {
        err.textContent = errorText(s, e);
        err.hidden = false;
        input.setAttribute('aria-invalid', 'true');
        input.setAttribute('aria-describedby', errId);
      } else {
        err.textContent = '';
        err.hidden = true;
        input.removeAttribute('aria-invalid');
        input.removeAttribute('aria-describedby');
      }
    },
  };
}

/** A labelled <select>. */
export function select(label: string, name: string, value: string, options: (string | { group: string; options: string[] })[]): { wrap: HTMLElement; select: HTMLSelectElement } {
  const id = uid(`nw-${name}`);
  const opt = (o: string) => h('option', { value: o, selected: o === value }, o);
  const sel = h(
    'select',
    { id, name, 'data-field': name },
    options.map((o) => (typeof o === 'string' ? opt(o) : h('optgroup', { label: o.group }, o.options.map(opt)))),
  );
  // A value from a shared link that is not an option stays visible (and is reported).
  if (!options.some((o) => (typeof o === 'string' ? o === value : o.options.includes(value)))) {
    sel.prepend(h('option', { value, selected: true }, value));
  }
  return { wrap: h('div', { class: 'nw-field' }, h('label', { for: id }, label), sel), select: sel };
}

/** Pre-formatted command output with optional per-line classes. */
export function pre(lines: { text: string; cls?: string; title?: string }[], label?: string): HTMLElement {
  return h(
    'pre',
    { class: 'nw-pre', tabindex: 0, 'aria-label': label },
    h(
      'code',
      null,
      lines.map((l) => h('span', { class: `nw-line${l.cls ? ' ' + l.cls : ''}`, title: l.title }, l.text === '' ? ' ' : l.text, '\n')),
    ),
  );
}

/** Writes the widget's state into the URL without adding a history entry. */
export function replaceUrl(search: string): void {
  const url = location.pathname + search + location.hash;
  if (url !== location.pathname + location.search + location.hash) history.replaceState(history.state, '', url);
}

/** Shows each error next to its field (text inputs) or its select; clears the others. */
export function showErrors(
  fields: Record<string, { setError: (e?: FieldError, s?: Strings) => void }>,
  selects: Record<string, HTMLElement>,
  errors: readonly FieldError[],
  s: Strings,
): void {
  for (const [k, fl] of Object.entries(fields)) fl.setError(errors.find((e) => e.field === k), s);
  for (const [k, el] of Object.entries(selects)) {
    const e = errors.find((x) => x.field === k);
    el.textContent = e ? errorText(s, e) : '';
    el.hidden = !e;
  }
}
