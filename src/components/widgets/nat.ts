// NAT and conntrack: a pod's flow out of the cluster (MASQUERADE) or to a ClusterIP (IPVS),
// the node's conntrack table after the request and after the reply, the reply un-NATed.
import { natDefaults, natView, NAT_PRESETS, type NatEvent, type NatState } from '../../../lib/views/nat-view.ts';
import { PROTOS } from '../../../lib/views/trace-view.ts';
import { writeState } from '../../../lib/views/url-state.ts';
import { field, h, pre, replace, replaceUrl, select, showErrors } from './dom.ts';
import { errorText, natEventSummary } from './i18n.ts';
import { namespaceOptions } from './model.ts';
import { onFieldInput, startWidget } from './start.ts';

export function mount(root: HTMLElement): void {
  const start = startWidget<NatState>(root, 'nat', () => natDefaults());
  const { s, id, defaults, pool } = start;
  let state = start.state;
  const names = pool.take().session.world.namespaces().map((n) => n.name);

  const from = select(s.nat.from, 'from', state.from, namespaceOptions(names, s.tracer.groups));
  const proto = select(s.nat.proto, 'proto', state.proto, [...PROTOS]);
  const selErr = { from: h('span', { class: 'nw-error', role: 'alert', hidden: true }), proto: h('span', { class: 'nw-error', role: 'alert', hidden: true }) };
  from.wrap.append(selErr.from);
  proto.wrap.append(selErr.proto);
  const f = {
    to: field(s.nat.to, 'to', state.to, { inputmode: 'decimal', size: 15 }),
    sport: field(s.nat.sport, 'sport', state.sport, { inputmode: 'numeric', size: 6, placeholder: s.defaultValue }),
    dport: field(s.nat.dport, 'dport', state.dport, { inputmode: 'numeric', size: 6, placeholder: s.defaultValue }),
  };
  const presets = h(
    'div',
    { class: 'nw-presets', role: 'group' },
    (Object.keys(NAT_PRESETS) as (keyof typeof NAT_PRESETS)[]).map((k) =>
      h('button', { type: 'button', class: 'nw-btn nw-small', 'data-preset': k, onclick: () => preset(k) }, s.nat[k]),
    ),
  );
  const form = h('form', { class: 'nw-form', onsubmit: (e: Event) => e.preventDefault() }, from.wrap, f.to.wrap, proto.wrap, f.sport.wrap, f.dport.wrap);
  const out = h('div', { class: 'nw-results', 'data-nw-nat': '' });
  const live = h('p', { class: 'nw-sr', 'aria-live': 'polite', 'aria-atomic': 'true' });
  root.querySelector('[data-nw-static]')?.remove();
  root.querySelector('.nw-title')!.after(h('div', { class: 'nw-ui nw-nat' }, presets, form, live, out));

  // On the reply no NAT rule runs: conntrack finds the entry by the reply tuple and undoes
  // the request's translation (the kernel's nf_nat_packet with the reply direction).
  const eventBlock = (e: NatEvent, reply = false) =>
    h(
      'li',
      { class: 'nw-natevent', 'data-type': e.type, 'data-nw-reverse': reply && e.type === 'netfilter' && !e.rule ? '' : undefined },
      h('p', null, h('span', { class: 'nw-sub' }, `#${e.n} `), h('code', null, e.where), ' — ', natEventSummary(s, e, reply)),
      e.rule ? h('p', null, h('span', { class: 'nw-sub' }, `${s.nat.rule}: `), h('code', null, e.rule)) : '',
      e.conntrack ? h('p', null, h('span', { class: 'nw-sub' }, `${s.nat.entry}: `), h('code', { 'data-nw-entry': '' }, e.conntrack)) : '',
    );
  const lines = (text: string) => text.replace(/\n$/, '').split('\n').map((t) => ({ text: t }));

  function render(): void {
    const r = natView(pool.take().session, state);
    showErrors(f, selErr, r.errors, s);
    replaceUrl(writeState(location.search, id, state, defaults));
    const other = r.errors.find((e) => !(e.field in f) && !(e.field in selErr));
    if (!r.view) {
      out.classList.add('is-stale');
      if (other) replace(out, h('p', { class: 'nw-error', role: 'alert' }, errorText(s, other)));
      return;
    }
    out.classList.remove('is-stale');
    const v = r.view;
    const outcome = (label: string, vd: typeof v.requestVerdict) =>
      h('p', { class: `nw-outcome ${vd.delivered ? 'is-ok' : 'is-bad'}`, 'data-disposition': vd.disposition, 'data-nw-outcome': label }, h('strong', null, vd.disposition), ` ${s.tracer.at} `, h('code', null, vd.where), vd.delivered ? '' : `: ${vd.reason}`);
    replace(
      out,
      h('p', { class: 'nw-subhead' }, s.nat.request),
      outcome(s.nat.request, v.requestVerdict),
      v.forward.length ? h('ol', { class: 'nw-natlist', 'data-nw-forward': '' }, v.forward.map((e) => eventBlock(e))) : h('p', { class: 'nw-hint', 'data-nw-forward': '' }, s.nat.none),
      v.seenBy ? h('p', null, s.nat.seen(v.seenBy.requestSource)) : '',
      v.ipvsadm && v.node ? [h('p', { class: 'nw-cmd' }, h('code', null, `${v.node}$ ipvsadm -Ln`)), pre(lines(v.ipvsadm), s.nat.ipvsadm(v.node))] : '',
      v.conntrackAfterRequest !== undefined && v.node
        ? [h('p', { class: 'nw-cmd' }, h('code', null, `${v.node}$ conntrack -L`), ' ', h('span', { class: 'nw-sub' }, s.nat.afterRequest)), h('div', { 'data-nw-ct1': '' }, pre(lines(v.conntrackAfterRequest)))]
        : '',
      h('p', { class: 'nw-subhead' }, s.nat.reply),
      v.replyVerdict ? outcome(s.nat.reply, v.replyVerdict) : h('p', { class: 'nw-hint' }, s.tracer.noReply, v.replyError ?? ''),
      v.backward.length ? h('ol', { class: 'nw-natlist', 'data-nw-backward': '' }, v.backward.map((e) => eventBlock(e, true))) : '',
      v.seenBy?.replySource ? h('p', null, s.nat.replySeen(v.seenBy.replySource)) : '',
      v.conntrackAfterReply !== undefined && v.node
        ? [h('p', { class: 'nw-cmd' }, h('code', null, `${v.node}$ conntrack -L`), ' ', h('span', { class: 'nw-sub' }, s.nat.afterReply)), h('div', { 'data-nw-ct2': '' }, pre(lines(v.conntrackAfterReply)))]
        : '',
    );
    live.textContent = `${v.requestVerdict.disposition}; ${v.forward.map((e) => e.summary).join('; ') || s.nat.none}`;
  }

  function preset(k: keyof typeof NAT_PRESETS): void {
    state = { ...state, ...NAT_PRESETS[k] };
    from.select.value = state.from;
    proto.select.value = state.proto;
    for (const [key, fl] of Object.entries(f)) fl.input.value = (state as unknown as Record<string, string>)[key] ?? '';
    render();
  }

  onFieldInput(form, (field, value) => {
    state = { ...state, [field]: value };
    render();
  });
  render();
}
