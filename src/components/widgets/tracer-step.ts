// The packet tracer's step view parts: the entries a step used, the header stack as byte
// fields, and the current place on the topology diagram. Built from lib/views/ data; used
// by ./tracer.ts.
import type { Trace } from '../../../lib/trace/index.ts';
import type { StackView } from '../../../lib/views/headers-view.ts';
import { pathKeys, stepKey, type Fact } from '../../../lib/views/trace-view.ts';
import { h, reducedMotion } from './dom.ts';
import type { Strings } from './i18n.ts';

/** The entries of `facts` as a definition list (with the step that used each when `withWhere`). */
export function factList(s: Strings, facts: Fact[], withWhere: boolean): HTMLElement {
  return h(
    'dl',
    { class: 'nw-facts' },
    facts.map((f) => [
      h('dt', null, s.tracer.facts[f.kind] ?? f.kind, withWhere ? h('span', { class: 'nw-sub' }, ` #${f.n} ${f.where}`) : ''),
      h('dd', null, h('code', null, f.text)),
    ]),
  );
}

/** The frame after a step: a proportional bar and each header's fields, rewritten ones marked. */
export function stackBlock(s: Strings, v: StackView): HTMLElement {
  const bar = h(
    'div',
    { class: 'nw-bar', 'aria-hidden': 'true' },
    v.layers.map((l) =>
      h(
        'div',
        { class: `nw-seg nw-seg-${l.kind}${l.added ? ' is-added' : ''}${l.role ? ' is-' + l.role : ''}`, style: `flex-grow:${Math.max(8, Math.min(l.bytes, 64))}` },
        h('span', null, l.title),
        h('span', { class: 'nw-sub' }, s.bytes(l.bytes)),
      ),
    ),
  );
  const layers = v.layers.map((l) =>
    h(
      'li',
      { class: `nw-layer${l.added ? ' is-added' : ''}`, 'data-layer': l.kind },
      h(
        'p',
        { class: 'nw-layerhead' },
        h('strong', null, l.title),
        l.role ? ` (${l.role === 'outer' ? s.tracer.outer : s.tracer.inner})` : '',
        ` · ${s.bytes(l.bytes)}`,
        l.added ? h('span', { class: 'nw-badge' }, s.tracer.added) : '',
      ),
      h(
        'ul',
        { class: 'nw-fields' },
        l.fields.map((f) =>
          h(
            'li',
            { class: `nw-cell${f.changed ? ' is-changed' : ''}${f.modelled ? '' : ' is-untracked'}`, title: f.modelled ? undefined : s.tracer.notTracked },
            h('span', { class: 'nw-name' }, f.name),
            f.value ? h('span', { class: 'nw-val' }, f.value) : '',
            h('span', { class: 'nw-sub' }, s.bytes(f.bytes)),
            f.changed ? h('span', { class: 'nw-badge' }, s.tracer.rewritten) : '',
          ),
        ),
      ),
    ),
  );
  return h(
    'div',
    { class: 'nw-stack', 'data-nw-stack': '' },
    h('p', { class: 'nw-subhead' }, s.tracer.stack, ' · ', s.tracer.frameBytes(v.total)),
    bar,
    h('ol', { class: 'nw-layers' }, layers),
    v.removed.length ? h('p', { class: 'nw-removed' }, `${s.tracer.removed}: `, v.removed.map((r) => `${r.title}${r.role ? ` (${r.role === 'outer' ? s.tracer.outer : s.tracer.inner})` : ''} ${s.bytes(r.bytes)}`).join(', ')) : '',
  );
}

/** Marks the path so far and the current place on the topology, and scrolls it into view. */
export function highlightStep(svg: SVGSVGElement | null, diagram: HTMLElement, t: Trace, step: number): void {
  if (!svg) return;
  const st = t.steps[step - 1]!;
  const keys = new Set(pathKeys(t, step));
  const cur = stepKey(st);
  for (const el of svg.querySelectorAll<SVGGElement>('[data-key]')) {
    const k = el.dataset.key!;
    const ns = el.dataset.ns;
    const onPath = keys.has(k) || (ns !== undefined && keys.has(ns));
    const isCur = k === cur || (ns !== undefined && ns === cur) || (!st.device && k === st.ns);
    el.classList.toggle('is-path', onPath);
    el.classList.toggle('is-current', isCur);
    el.classList.toggle('is-drop', isCur && st.type === 'drop');
    if (isCur) el.setAttribute('aria-current', 'step');
    else el.removeAttribute('aria-current');
  }
  // The namespace box of the current place, when the device itself is not drawn (lo).
  const box = svg.querySelector<SVGGElement>(`g.nw-ns[data-key="${CSS.escape(st.ns)}"]`);
  box?.classList.toggle('is-current-ns', !svg.querySelector(`[data-key="${CSS.escape(cur)}"]`));
  for (const l of svg.querySelectorAll<SVGLineElement>('line[data-a]')) l.classList.toggle('is-path-both', keys.has(l.dataset.a!) && keys.has(l.dataset.b!));
  const target = svg.querySelector<SVGGElement>(`[data-key="${CSS.escape(cur)}"]`) ?? svg.querySelector<SVGGElement>(`[data-ns="${CSS.escape(st.ns)}"]`) ?? box;
  if (target) {
    const b = target.getBBox();
    const scale = svg.clientWidth / svg.viewBox.baseVal.width || 1;
    const top = b.y * scale - diagram.clientHeight / 2 + (b.height * scale) / 2;
    const left = b.x * scale - diagram.clientWidth / 2 + (b.width * scale) / 2;
    diagram.scrollTo({ top, left, behavior: reducedMotion() ? 'auto' : 'smooth' });
  }
}
