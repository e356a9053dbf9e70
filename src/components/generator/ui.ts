// The generator's page furniture for parameters that come as a whole, and copy buttons.
import type { Incoming } from '../../../lib/generator/incoming.ts';
import { visible } from '../../../lib/views/visible.ts';
import { h } from './dom.ts';
import type { Strings } from './i18n.ts';
import { describeError } from './places.ts';

/**
 * Shows what became of parameters that came as a whole (a link or the JSON box) in `box`:
 * nothing when they were taken or absent, else why not, each problem with its place.
 */
export function showIncoming(s: Strings, box: HTMLElement, r: Incoming, from: 'link' | 'json'): void {
  box.hidden = r.kind === 'ok' || r.kind === 'none';
  if (r.kind === 'syntax') box.replaceChildren(h('p', null, from === 'link' ? s.linkSyntax(visible(r.message)) : s.jsonSyntax(visible(r.message))));
  else if (r.kind === 'invalid') {
    box.replaceChildren(
      h('p', null, from === 'link' ? s.linkInvalid(r.errors.length) : s.jsonInvalid(r.errors.length)),
      h('ul', null, r.errors.slice(0, 30).map((e) => h('li', { 'data-cg-problem': e.path }, describeError(s, e)))),
    );
  } else box.replaceChildren();
}

/** A button that copies `text()` and says so for a moment. */
export function copyButton(s: Strings, text: () => string | undefined): HTMLButtonElement {
  const b = h('button', { type: 'button', 'data-cg-copy': '' }, s.copy) as HTMLButtonElement;
  b.addEventListener('click', () => {
    const t = text();
    if (t === undefined) return;
    navigator.clipboard.writeText(t).then(
      () => {
        b.textContent = s.copied;
        setTimeout(() => (b.textContent = s.copy), 1500);
      },
      () => {
        b.textContent = s.copyFailed;
      },
    );
  });
  return b;
}
