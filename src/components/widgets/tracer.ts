// The packet tracer (and, with data-nw-faults="1", the break-it widget): choose a source and
// a destination, step through the trace, see the current place on the topology, the entries
// used, TTL and MTU, and the header stack as byte fields. Loaded when the widget scrolls
// into view (./loader.ts). View logic lives in lib/views/; this file only builds the DOM.
import { demoState, FAULTS, faultScripts, formatFaults, parseFaults } from '../../../lib/views/faults.ts';
import type { FieldError } from '../../../lib/views/inputs.ts';
import {
  clampStep,
  contextFacts,
  PROTOS,
  DIRECTIONS,
  queryLine,
  runTrace,
  stepFacts,
  stepMetrics,
  stepStack,
  stepWhere,
  tracerDefaults,
  tracerQuestion,
  verdict,
  type TraceRun,
  type TracerState,
} from '../../../lib/views/trace-view.ts';
import { writeState } from '../../../lib/views/url-state.ts';
import { field, h, replace, replaceUrl, select, uid } from './dom.ts';
import { errorText, langOf, strings, type Strings } from './i18n.ts';
import { FAULT_TEXTS, getPool, namespaceOptions } from './model.ts';
import { onFieldInput, startWidget } from './start.ts';
import { factList, highlightStep, stackBlock } from './tracer-step.ts';

type TextField = ReturnType<typeof field>;

export function mount(root: HTMLElement): void {
  const start = startWidget<TracerState>(root, 'trace', () => tracerDefaults());
  const { s, id, defaults, pool } = start;
  const breakMode = root.dataset.nwFaults === '1';
  const first = pool.take();
  const names = first.session.world.namespaces().map((n) => n.name);
  let spare: typeof first | undefined = first;
  let state = (DIRECTIONS as readonly string[]).includes(start.state.dir) ? start.state : { ...start.state, dir: defaults.dir }; // ?trace.dir=sideways
  let run: TraceRun | undefined;
  let healthy: TraceRun | undefined;
  let step = 1;

  // ---- controls ------------------------------------------------------------------------
  const groups = namespaceOptions(names, s.tracer.groups);
  const from = select(s.tracer.from, 'from', state.from, groups);
  const to = field(s.tracer.to, 'to', state.to, { inputmode: 'decimal', size: 15, list: `${id}-addresses` });
  const proto = select(s.tracer.proto, 'proto', state.proto, [...PROTOS]);
  const sport = field(s.tracer.sport, 'sport', state.sport, { inputmode: 'numeric', size: 6, placeholder: s.defaultValue });
  const dport = field(s.tracer.dport, 'dport', state.dport, { inputmode: 'numeric', size: 6, placeholder: s.defaultValue });
  const size = field(s.tracer.size, 'size', state.size, { inputmode: 'numeric', size: 6, placeholder: s.defaultValue });
  const texts: Record<string, TextField> = { to, sport, dport, size };
  const selects: Record<string, HTMLSelectElement> = { from: from.select, proto: proto.select };
  const selectErrors: Record<string, HTMLElement> = {};
  for (const [k, sel] of Object.entries(selects)) {
    const err = h('span', { class: 'nw-error', role: 'alert', hidden: true, id: uid(`nw-${k}-err`) });
    sel.parentElement!.append(err);
    selectErrors[k] = err;
  }
  const addresses = h(
    'datalist',
    { id: `${id}-addresses` },
    ['10.20.4.5', '10.20.9.60', '10.20.9.41', '203.0.113.10', '10.96.0.10', '10.96.0.1', '10.186.101.21', '10.186.101.31', '10.186.102.22', '10.186.153.12', '10.186.20.11'].map((a) => h('option', { value: a })),
  );
  const dirName = uid('nw-dir');
  const dirRadios = (['request', 'reply'] as const).map((d) =>
    h('input', { type: 'radio', name: dirName, value: d, checked: state.dir === d, 'data-field': 'dir' }),
  );
  const direction = h(
    'fieldset',
    { class: 'nw-field nw-dir' },
    h('legend', null, s.tracer.direction),
    dirRadios.map((r, i) => h('label', null, r, ' ', i === 0 ? s.tracer.request : s.tracer.reply)),
  );
  const form = h('form', { class: 'nw-form', onsubmit: (e: Event) => e.preventDefault() }, from.wrap, to.wrap, proto.wrap, sport.wrap, dport.wrap, size.wrap, direction, addresses);

  // Faults (break-it mode).
  const faultBoxes = new Map<string, HTMLInputElement>();
  const faultList = breakMode
    ? h(
        'fieldset',
        { class: 'nw-faults' },
        h('legend', null, s.faults.legend),
        h(
          'ul',
          null,
          FAULTS.map((f) => {
            const cb = h('input', { type: 'checkbox', value: f.id, id: uid(`nw-fault-${f.id}`), checked: parseFaults(state.faults).ids.includes(f.id), 'data-fault': f.id });
            faultBoxes.set(f.id, cb);
            const noteId = uid('nw-fault-note');
            cb.setAttribute('aria-describedby', noteId);
            return h(
              'li',
              null,
              h('label', { for: cb.id }, cb, ' ', s.faults.names[f.id] ?? f.id),
              ' ',
              h('button', { type: 'button', class: 'nw-btn nw-small', 'data-demo': f.id, onclick: () => showFault(f.id) }, s.faults.show),
              h('span', { class: 'nw-hint', id: noteId }, s.faults.notes[f.id] ?? ''),
            );
          }),
        ),
      )
    : null;

  const formError = h('p', { class: 'nw-error nw-formerror', role: 'alert', hidden: true });
  const verdictBox = h('div', { class: 'nw-verdict', 'data-nw-verdict': '' });

  // Step navigation.
  const btn = (label: string, text: string, go: () => number) =>
    h('button', { type: 'button', class: 'nw-btn', 'aria-label': label, title: label, onclick: () => setStep(go()) }, text);
  const firstBtn = btn(s.tracer.first, '«', () => 1);
  const prevBtn = btn(s.tracer.prev, '‹', () => step - 1);
  const nextBtn = btn(s.tracer.next, '›', () => step + 1);
  const lastBtn = btn(s.tracer.last, '»', () => total());
  const rangeId = uid('nw-range');
  const range = h('input', { type: 'range', id: rangeId, min: 1, max: 1, value: 1, 'aria-label': s.tracer.scrubber, oninput: () => setStep(Number(range.value)) });
  const counter = h('span', { class: 'nw-counter', 'data-nw-counter': '' });
  const nav = h('div', { class: 'nw-nav', role: 'group', 'aria-label': s.tracer.scrubber }, firstBtn, prevBtn, range, nextBtn, lastBtn, counter);
  const keysHint = h('p', { class: 'nw-hint' }, s.tracer.keys);
  const live = h('p', { class: 'nw-sr', 'aria-live': 'polite', 'aria-atomic': 'true', 'data-nw-live': '' });

  // Diagram (the SVG rendered at build time) and step detail.
  const svg = root.querySelector<SVGSVGElement>('svg.nw-topo');
  const diagram = h('div', { class: 'nw-diagram', tabindex: 0, role: 'group', 'aria-label': s.tracer.diagram });
  if (svg) diagram.append(svg);
  const detail = h('div', { class: 'nw-detail', 'data-nw-detail': '' });
  const stepsList = h('ol', { class: 'nw-steplist' });
  const steps = h('details', { class: 'nw-steps' }, h('summary', null, s.tracer.allSteps), stepsList);
  const results = h('div', { class: 'nw-results' }, verdictBox, nav, keysHint, live, h('div', { class: 'nw-body' }, diagram, detail), steps);

  const ui = h('div', { class: 'nw-ui nw-tracer' }, faultList, form, formError, results);
  root.querySelector('[data-nw-static]')?.remove();
  root.querySelector('.nw-title')!.after(ui);

  const total = () => run?.shown.steps.length ?? 1;

  // ---- state → model → view ------------------------------------------------------------
  function writeUrl(): void {
    replaceUrl(writeState(location.search, id, { ...state, step: String(step) }, defaults));
  }

  function showErrors(errors: FieldError[]): void {
    for (const [k, f] of Object.entries(texts)) f.setError(errors.find((e) => e.field === k), s);
    for (const [k, sel] of Object.entries(selects)) {
      const e = errors.find((x) => x.field === k);
      const err = selectErrors[k]!;
      err.textContent = e ? errorText(s, e) : '';
      err.hidden = !e;
      if (e) {
        sel.setAttribute('aria-invalid', 'true');
        sel.setAttribute('aria-describedby', err.id);
      } else {
        sel.removeAttribute('aria-invalid');
        sel.removeAttribute('aria-describedby');
      }
    }
  }

  function take(extra: ReturnType<typeof faultScripts>) {
    if (spare && extra.length === 0) {
      const b = spare;
      spare = undefined;
      return b;
    }
    return pool.take(extra);
  }

  /** Runs the current question; keeps `step` when `keepStep` (the URL's step on load). */
  function compute(keepStep: boolean): void {
    const q = tracerQuestion(state, names);
    showErrors(q.errors);
    formError.hidden = true;
    if (!q.query) {
      // Half-typed input: keep the last answer, dimmed, next to the inline message.
      results.classList.toggle('is-stale', run !== undefined);
      results.hidden = !run;
      writeUrl();
      return;
    }
    results.classList.remove('is-stale');
    run = undefined;
    healthy = undefined;
    const { ids } = parseFaults(state.faults);
    {
      const extra = breakMode ? faultScripts(ids, FAULT_TEXTS) : [];
      const built = take(extra);
      const r = runTrace(built.session, q.query, q.dir);
      if (r.error) {
        formError.textContent = errorText(s, r.error);
        formError.hidden = false;
      }
      run = r.run;
      if (breakMode && ids.length && run) healthy = runTrace(take([]).session, q.query, q.dir).run;
      if (built.failures.length) {
        formError.replaceChildren(...built.failures.flatMap((f) => [s.faults.failed(f.name), ' ', h('code', null, f.output)]));
        formError.hidden = false;
      }
    }
    results.hidden = !run;
    if (run) {
      step = keepStep ? clampStep(state.step, run.shown) : 1;
      renderRun();
      renderStep(false);
      // Announce answers to the reader's own changes, not the first rendering.
      if (!keepStep) live.textContent = s.tracer.announceVerdict(run.shown.steps.length, run.shown.disposition, stepWhere(run.shown.at));
    }
    writeUrl();
  }

  function renderRun(): void {
    const r = run!;
    const t = r.shown;
    const v = verdict(t);
    const parts: (Node | string)[] = [
      h('p', { class: 'nw-query' }, h('code', null, queryLine(t))),
      h(
        'p',
        { class: `nw-outcome ${v.delivered ? 'is-ok' : 'is-bad'}`, 'data-disposition': v.disposition },
        h('strong', null, v.disposition),
        ` ${s.tracer.at} `,
        h('code', null, v.where),
        v.ttl !== undefined ? ` (ttl ${v.ttl})` : '',
        ': ',
        v.reason,
      ),
    ];
    if (state.dir === 'reply' && !r.reply) parts.push(h('p', { class: 'nw-hint' }, s.tracer.noReply, r.replyError ?? ''));
    if (breakMode && healthy) {
      const hv = verdict(healthy.shown);
      const same = hv.disposition === v.disposition && hv.where === v.where;
      parts.push(
        h(
          'p',
          { class: 'nw-healthy', 'data-nw-healthy': '' },
          `${s.faults.healthy}: `,
          h('strong', null, hv.disposition),
          ` ${s.tracer.at} `,
          h('code', null, hv.where),
          ` (${s.tracer.steps(hv.n)})`,
          hv.delivered ? '' : h('span', { class: 'nw-healthy-why' }, ': ', hv.reason, ...parseFaults(state.faults).ids.map((id) => (s.faults.healthyWhy[id] ? ' ' + s.faults.healthyWhy[id] : ''))),
          same ? h('span', { class: 'nw-same' }, ' ', s.faults.same) : '',
        ),
      );
    }
    const unknown = parseFaults(state.faults).unknown;
    if (breakMode && unknown.length) parts.push(h('p', { class: 'nw-hint' }, s.faults.unknown(unknown.join(', '))));
    replace(verdictBox, parts);
    range.max = String(t.steps.length);
    stepsList.replaceChildren(
      ...t.steps.map((st) =>
        h(
          'li',
          { class: st.type === 'drop' ? 'is-drop' : undefined },
          h('button', { type: 'button', class: 'nw-steplink', 'data-step': st.n, onclick: () => setStep(st.n) }, h('span', { class: 'nw-action' }, st.action), ' ', h('code', null, stepWhere(st)), ' — ', st.summary),
        ),
      ),
    );
  }

  function renderStep(announce: boolean): void {
    const t = run!.shown;
    const st = t.steps[step - 1]!;
    const m = stepMetrics(st, run!.world);
    range.value = String(step);
    counter.textContent = s.tracer.stepOf(step, t.steps.length);
    // aria-disabled, not disabled: a focused button that became disabled would drop the
    // keyboard focus to the page.
    for (const b of [firstBtn, prevBtn]) b.setAttribute('aria-disabled', String(step <= 1));
    for (const b of [nextBtn, lastBtn]) b.setAttribute('aria-disabled', String(step >= t.steps.length));
    const facts = stepFacts(st);
    replace(
      detail,
      h(
        'p',
        { class: `nw-stephead${st.type === 'drop' ? ' is-bad' : ''}` },
        h('span', { class: 'nw-action' }, st.action),
        ' ',
        h('code', { 'data-nw-where': '' }, stepWhere(st)),
      ),
      h('p', { class: 'nw-summary', 'data-nw-summary': '' }, st.summary),
      st.why.length ? h('ul', { class: 'nw-why', 'aria-label': s.tracer.why }, st.why.map((w) => h('li', null, w))) : '',
      h(
        'dl',
        { class: 'nw-metrics' },
        h('dt', null, s.tracer.ttl),
        h('dd', { 'data-nw-ttl': '' }, s.tracer.ttlLine(m.ttl, m.outerTtl)),
        m.mtu ? [h('dt', null, s.tracer.mtu), h('dd', { 'data-nw-mtu': '' }, s.tracer.mtuLine(m.mtu.device, m.mtu.value, m.ipLength))] : '',
      ),
      facts.length ? [h('p', { class: 'nw-subhead' }, s.tracer.thisStep), factList(s, facts, false)] : '',
      h('p', { class: 'nw-subhead' }, s.tracer.used),
      contextFacts(t, step).length ? factList(s, contextFacts(t, step), true) : h('p', { class: 'nw-hint' }, '—'),
      st.headers.length ? stackBlock(s, stepStack(t, step)) : '',
    );
    for (const b of stepsList.querySelectorAll('button')) {
      if (Number(b.dataset.step) === step) b.setAttribute('aria-current', 'step');
      else b.removeAttribute('aria-current');
    }
    highlightStep(svg, diagram, t, step);
    if (announce) live.textContent = s.tracer.announce(step, t.steps.length, st.action, stepWhere(st), st.summary);
  }

  function setStep(n: number): void {
    if (!run) return;
    const next = Math.min(Math.max(1, n), total());
    if (next === step && range.value === String(step)) return;
    step = next;
    renderStep(true);
    writeUrl();
  }

  function showFault(fid: string): void {
    state = demoState(state, fid);
    syncControls();
    compute(false);
    // Where it dies is the interesting part: go there.
    if (run) setStep(total());
  }

  function syncControls(): void {
    from.select.value = state.from;
    proto.select.value = state.proto;
    for (const [k, f] of Object.entries(texts)) f.input.value = (state as unknown as Record<string, string>)[k] ?? '';
    for (const r of dirRadios) r.checked = r.value === state.dir;
    const ids = parseFaults(state.faults).ids;
    for (const [fid, cb] of faultBoxes) cb.checked = ids.includes(fid);
  }

  // ---- events --------------------------------------------------------------------------
  onFieldInput(form, (field, value) => {
    state = { ...state, [field]: value };
    compute(false);
  });
  faultList?.addEventListener('change', (e) => {
    const cb = e.target as HTMLInputElement;
    if (!cb.dataset.fault) return;
    const ids = [...faultBoxes].filter(([, b]) => b.checked).map(([fid]) => fid);
    state = { ...state, faults: formatFaults(ids) };
    compute(false);
  });
  root.addEventListener('keydown', (e) => {
    const t = e.target as HTMLElement;
    if (t.closest('form') || t.closest('.nw-faults') || t === range) return;
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    const go: Record<string, () => number> = { ArrowRight: () => step + 1, ArrowLeft: () => step - 1, Home: () => 1, End: () => total() };
    const f = go[e.key];
    if (!f || !run) return;
    e.preventDefault();
    setStep(f());
  });

  compute(true);
}
