// Encapsulation and MTU: the reader's MTUs, VLAN tag and packet size become a script run on
// a fresh reference session; the tracer's ping says what fits and where it is dropped.
import { mtuDefaults, mtuQuestion, mtuScript, mtuView, type MtuState } from '../../../lib/views/mtu-view.ts';
import { writeState } from '../../../lib/views/url-state.ts';
import { field, h, pre, replace, replaceUrl } from './dom.ts';
import { onFieldInput, startWidget } from './start.ts';

export function mount(root: HTMLElement): void {
  const start = startWidget<MtuState>(root, 'mtu', () => mtuDefaults());
  const { s, id, defaults, pool } = start;
  let state = start.state;

  const fields = {
    underlay: field(s.mtu.underlay, 'underlay', state.underlay, { inputmode: 'numeric', size: 6 }),
    vlan: field(s.mtu.vlan, 'vlan', state.vlan, { inputmode: 'numeric', size: 6 }),
    pod: field(s.mtu.pod, 'pod', state.pod, { inputmode: 'numeric', size: 6 }),
    size: field(s.mtu.size, 'size', state.size, { inputmode: 'numeric', size: 6 }),
  };
  const form = h('form', { class: 'nw-form', onsubmit: (e: Event) => e.preventDefault() }, Object.values(fields).map((f) => f.wrap));
  const out = h('div', { class: 'nw-results', 'data-nw-mtu': '' });
  const live = h('p', { class: 'nw-sr', 'aria-live': 'polite', 'aria-atomic': 'true' });
  root.querySelector('[data-nw-static]')?.remove();
  root.querySelector('.nw-title')!.after(h('div', { class: 'nw-ui nw-mtu' }, h('p', { class: 'nw-hint' }, s.mtu.flow), form, live, out));

  function render(): void {
    const q = mtuQuestion(state);
    for (const [k, f] of Object.entries(fields)) f.setError(q.errors.find((e) => e.field === k), s);
    replaceUrl(writeState(location.search, id, state, defaults));
    if (!q.settings) {
      out.classList.add('is-stale');
      return;
    }
    const script = mtuScript(q.settings);
    const built = pool.take(script.text ? [script] : []);
    const r = mtuView(built.session, q.settings);
    if (r.error) {
      fields.size.setError(r.error, s);
      out.classList.add('is-stale');
      return;
    }
    out.classList.remove('is-stale');
    const v = r.view!;
    const t = v.trace;
    const ok = t.disposition === 'DELIVERED';
    const w = v.wire;
    const scale = (n: number) => `flex-grow:${Math.max(10, Math.min(n, 120))}`;
    replace(
      out,
      h(
        'p',
        { class: `nw-outcome ${ok ? 'is-ok' : 'is-bad'}`, 'data-disposition': t.disposition },
        h('strong', null, t.disposition),
        ` ${s.tracer.at} `,
        h('code', null, t.at.device ? `${t.at.ns}:${t.at.device}` : t.at.ns),
        ': ',
        t.reason,
      ),
      built.failures.length ? h('p', { class: 'nw-error' }, built.failures.map((f) => f.output).join('\n')) : '',
      h('p', { class: 'nw-subhead' }, s.mtu.frame(w.n, w.where), ' · ', s.tracer.frameBytes(w.total)),
      w.tunnelled ? '' : h('p', { class: 'nw-hint' }, s.mtu.notTunnelled),
      h(
        'div',
        { class: 'nw-bar', 'aria-hidden': 'true' },
        w.layers.map((l) => h('div', { class: `nw-seg nw-seg-${l.kind}${l.role ? ' is-' + l.role : ''}`, style: scale(l.bytes) }, h('span', null, l.title), h('span', { class: 'nw-sub' }, s.bytes(l.bytes)))),
      ),
      h(
        'table',
        { class: 'nw-table', 'data-nw-frame': '' },
        h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'header'), h('th', { scope: 'col' }, s.mtu.offset), h('th', { scope: 'col' }, 'bytes'))),
        h(
          'tbody',
          null,
          w.layers.map((l) => h('tr', { class: l.role ? `is-${l.role}` : undefined }, h('td', null, l.title, l.role ? ` (${l.role === 'outer' ? s.tracer.outer : s.tracer.inner})` : ''), h('td', null, String(l.offset)), h('td', null, String(l.bytes)))),
          h('tr', { class: 'nw-total' }, h('td', null, s.tracer.total), h('td', null, ''), h('td', null, String(w.total))),
        ),
      ),
      h('p', { class: 'nw-hint' }, s.mtu.noFcs, q.settings.vlan !== undefined ? ' ' + s.mtu.vlanNote : ''),
      h('p', { class: 'nw-subhead' }, s.mtu.path),
      h(
        'table',
        { class: 'nw-table', 'data-nw-path': '' },
        h('thead', null, h('tr', null, [s.mtu.colDevice, s.mtu.colMtu, s.mtu.colLen, s.mtu.colFits].map((c) => h('th', { scope: 'col' }, c)))),
        h(
          'tbody',
          null,
          v.path.map((p) => h('tr', { class: p.fits ? undefined : 'is-bad' }, h('td', null, h('code', null, p.where)), h('td', null, String(p.mtu)), h('td', null, String(p.ipLength)), h('td', null, p.fits ? s.mtu.yes : p.fragmented ? s.mtu.fragmented : s.mtu.no))),
        ),
      ),
      h('p', { class: 'nw-subhead' }, s.mtu.script),
      script.text ? pre(script.text.replace(/\n$/, '').split('\n').map((text) => ({ text }))) : h('p', { class: 'nw-hint' }, s.mtu.noScript),
    );
    live.textContent = `${t.disposition} ${s.tracer.at} ${t.at.ns}${t.at.device ? ':' + t.at.device : ''}. ${s.tracer.frameBytes(w.total)}`;
  }

  onFieldInput(form, (field, value) => {
    state = { ...state, [field]: value };
    render();
  });
  render();
}
