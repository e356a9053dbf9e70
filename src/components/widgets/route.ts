// Route lookup: a host's `ip rule` and IPv4 routes as the tools print them; type an address
// and the entry the kernel uses is highlighted, with `ip route get` and the reasons.
import { routeDefaults, routeLookup, type OutputLine, type RouteState } from '../../../lib/views/route-view.ts';
import { writeState } from '../../../lib/views/url-state.ts';
import { field, h, pre, replace, replaceUrl, select } from './dom.ts';
import { errorText } from './i18n.ts';
import { namespaceOptions } from './model.ts';
import { onFieldInput, startWidget } from './start.ts';

export function mount(root: HTMLElement): void {
  const start = startWidget<RouteState>(root, 'route', () => routeDefaults());
  const { s, id, defaults, pool } = start;
  let state = start.state;
  const names = pool.take().session.world.namespaces().map((n) => n.name);

  const host = select(s.route.host, 'host', state.host, namespaceOptions(names, s.tracer.groups));
  const hostErr = h('span', { class: 'nw-error', role: 'alert', hidden: true });
  host.wrap.append(hostErr);
  const addr = field(s.route.addr, 'addr', state.addr, { inputmode: 'decimal', size: 15 });
  const form = h('form', { class: 'nw-form', onsubmit: (e: Event) => e.preventDefault() }, host.wrap, addr.wrap);
  const out = h('div', { class: 'nw-results', 'data-nw-route': '' });
  const live = h('p', { class: 'nw-sr', 'aria-live': 'polite', 'aria-atomic': 'true' });
  root.querySelector('[data-nw-static]')?.remove();
  root.querySelector('.nw-title')!.after(h('div', { class: 'nw-ui nw-route' }, form, live, out));

  const marked = (lines: OutputLine[]) =>
    lines.map((l) => ({
      text: l.text,
      ...(l.mark ? { cls: `is-${l.mark}`, title: l.mark === 'chosen' ? s.route.chosen : l.mark === 'candidate' ? s.route.candidate : s.route.inEffect } : {}),
    }));

  function render(): void {
    const v = routeLookup(pool.take().session, state);
    const hostE = v.errors.find((e) => e.field === 'host');
    hostErr.textContent = hostE ? errorText(s, hostE) : '';
    hostErr.hidden = !hostE;
    addr.setError(v.errors.find((e) => e.field === 'addr'), s);
    replaceUrl(writeState(location.search, id, state, defaults));
    if (hostE) {
      out.classList.add('is-stale');
      return;
    }
    out.classList.remove('is-stale');
    const prompt = `${v.host}$ `;
    replace(
      out,
      h('p', { class: 'nw-hint' }, s.route.legend),
      h('p', { class: 'nw-cmd' }, h('code', null, prompt + 'ip rule')),
      pre(marked(v.rules), 'ip rule'),
      h('p', { class: 'nw-cmd' }, h('code', null, prompt + 'ip -4 route show table all')),
      pre(marked(v.routes), 'ip -4 route show table all'),
      v.getCommand ? [h('p', { class: 'nw-cmd' }, h('code', null, prompt + v.getCommand)), h('div', { 'data-nw-get': '' }, pre((v.getOutput ?? '').replace(/\n$/, '').split('\n').map((text) => ({ text }))))] : '',
      v.why.length ? [h('p', { class: 'nw-subhead' }, s.route.why), h('ul', { class: 'nw-why', 'data-nw-why': '' }, v.why.map((w) => h('li', null, w)))] : '',
    );
    const chosen = v.routes.find((l) => l.mark === 'chosen');
    live.textContent = chosen ? `${s.route.chosen}: ${chosen.text.trim()}` : (v.why[0] ?? '');
  }

  onFieldInput(form, (field, value) => {
    state = { ...state, [field]: value };
    render();
  });
  render();
}
