// Bond hash: a flow and an xmit_hash_policy; the model's bond_xmit_hash arithmetic picks a
// member of node-a's bond0, every intermediate value shown.
import { bondDefaults, bondView, POLICIES, type BondState } from '../../../lib/views/bond-view.ts';
import { writeState } from '../../../lib/views/url-state.ts';
import { field, h, replace, replaceUrl, select, showErrors } from './dom.ts';
import { onFieldInput, startWidget } from './start.ts';

export function mount(root: HTMLElement): void {
  const start = startWidget<BondState>(root, 'bond', (pool) => bondDefaults(pool.take().session));
  const { s, id, defaults, pool } = start;
  let state = start.state;

  const policy = select(s.bond.policy, 'policy', state.policy, [...POLICIES]);
  const proto = select(s.bond.proto, 'proto', state.proto, ['udp', 'tcp', 'icmp']);
  const selErr = { policy: h('span', { class: 'nw-error', role: 'alert', hidden: true }), proto: h('span', { class: 'nw-error', role: 'alert', hidden: true }) };
  policy.wrap.append(selErr.policy);
  proto.wrap.append(selErr.proto);
  const f = {
    src: field(s.bond.src, 'src', state.src, { inputmode: 'decimal', size: 15 }),
    dst: field(s.bond.dst, 'dst', state.dst, { inputmode: 'decimal', size: 15 }),
    sport: field(s.bond.sport, 'sport', state.sport, { inputmode: 'numeric', size: 6 }),
    dport: field(s.bond.dport, 'dport', state.dport, { inputmode: 'numeric', size: 6 }),
    smac: field(s.bond.smac, 'smac', state.smac, { size: 17 }),
    dmac: field(s.bond.dmac, 'dmac', state.dmac, { size: 17 }),
    vlan: field(s.bond.vlan, 'vlan', state.vlan, { inputmode: 'numeric', size: 5 }),
  };
  const form = h('form', { class: 'nw-form', onsubmit: (e: Event) => e.preventDefault() }, policy.wrap, f.src.wrap, f.dst.wrap, proto.wrap, f.sport.wrap, f.dport.wrap, f.smac.wrap, f.dmac.wrap, f.vlan.wrap);
  const out = h('div', { class: 'nw-results', 'data-nw-bond': '' });
  const live = h('p', { class: 'nw-sr', 'aria-live': 'polite', 'aria-atomic': 'true' });
  root.querySelector('[data-nw-static]')?.remove();
  root.querySelector('.nw-title')!.after(h('div', { class: 'nw-ui nw-bond' }, form, live, out));

  function render(): void {
    const r = bondView(pool.take().session, state);
    showErrors(f, selErr, r.errors, s);
    replaceUrl(writeState(location.search, id, state, defaults));
    if (!r.view) {
      out.classList.add('is-stale');
      return;
    }
    out.classList.remove('is-stale');
    const v = r.view;
    replace(
      out,
      h('p', { class: 'nw-outcome is-ok', 'data-nw-member': v.member }, h('strong', null, s.bond.result(v.member, v.hash, v.members.length, v.index))),
      h('p', { class: 'nw-hint' }, s.bond.configured(`${v.ns}:${v.bond}`, v.configured), ' ', `${s.bond.members}: ${v.members.join(', ')}`),
      h('p', { class: 'nw-subhead' }, s.bond.arithmetic),
      h(
        'table',
        { class: 'nw-table nw-arith' },
        h('thead', null, h('tr', null, h('th', { scope: 'col' }, s.bond.colStep), h('th', { scope: 'col' }, s.bond.colValue), h('th', { scope: 'col' }, s.bond.colHow))),
        h(
          'tbody',
          null,
          v.steps.map((st) => h('tr', null, h('td', null, st.label), h('td', null, h('code', null, st.label === 'member' ? String(st.value) : `0x${st.value.toString(16).padStart(8, '0')}`)), h('td', null, h('code', null, st.detail)))),
        ),
      ),
      v.notes.length ? h('ul', { class: 'nw-why' }, v.notes.map((n) => h('li', null, n))) : '',
    );
    live.textContent = s.bond.result(v.member, v.hash, v.members.length, v.index);
  }

  onFieldInput(form, (field, value) => {
    state = { ...state, [field]: value };
    render();
  });
  render();
}
