// The "Your cluster" generator in the page: the form (parameters kept in the URL), the
// validation next to each field, the generated files (shown, downloadable one by one and
// as a ZIP) and traces of the key flows on the model built from the generated scripts.
// Loaded on demand by ./loader.ts.
import { zip } from '../../../lib/generator/archive.ts';
import type { ParamError } from '../../../lib/generator/errors.ts';
import { addItem, allFields, fieldOfError, fieldValue, formSections, removeItem, setField, type Field, type GroupKind, type Section } from '../../../lib/generator/form.ts';
import { generate, type Generated, type GeneratedFile } from '../../../lib/generator/generate.ts';
import type { ClusterParams } from '../../../lib/generator/params.ts';
import { diff, writePatch } from '../../../lib/generator/patch.ts';
import { paramsFromJson, paramsFromLink } from '../../../lib/generator/incoming.ts';
import { REFERENCE_PARAMS } from '../../../lib/generator/reference.ts';
import { exampleFlows, traceFlow, type FlowOutcome } from '../../../lib/generator/flows.ts';
import { download, h } from './dom.ts';
import { errorText, langOf, strings, type Strings } from './i18n.ts';
import { describeError } from './places.ts';
import { copyButton, showIncoming } from './ui.ts';
import { visible } from '../../../lib/views/visible.ts';

const URL_KEY = 'cluster';
const ZIP_DIR = 'your-cluster';

const idOf = (path: string) => 'cg-' + path.replace(/[^A-Za-z0-9]+/g, '-');

export function mount(root: HTMLElement): void {
  const s = strings(langOf(document.documentElement.lang));
  // A link's parameters are taken only when `netatlas generate` would accept them as a whole.
  const fromUrl = paramsFromLink(location.search, URL_KEY, REFERENCE_PARAMS);
  let params = fromUrl.kind === 'ok' ? fromUrl.params : structuredClone(REFERENCE_PARAMS);
  let fields: Field[] = [];
  let last: Generated | undefined;
  let selected = 'nodes/' + (params.nodes?.[0]?.name ?? '') + '/setup-' + (params.nodes?.[0]?.name ?? '') + '.sh';
  let timer: ReturnType<typeof setTimeout> | undefined;

  const form = h('form', { class: 'cg-form', novalidate: true, onsubmit: (e: Event) => e.preventDefault() });
  const status = h('p', { class: 'cg-status', 'data-cg-status': '', 'aria-live': 'polite' });
  const other = h('div', { class: 'cg-other', hidden: true });
  const fileSelect = h('select', { id: 'cg-file', 'data-cg-file': '' });
  const code = h('code');
  const view = h('pre', { class: 'cg-view', 'data-cg-view': '', tabindex: 0 }, code);
  const files = h(
    'section',
    { class: 'cg-files', hidden: true },
    h('h3', null, s.files),
    h(
      'div',
      { class: 'cg-filebar' },
      h('label', { for: 'cg-file' }, s.file),
      fileSelect,
      copyButton(s, () => current()?.text),
      h('button', { type: 'button', 'data-cg-download': '', onclick: () => saveFile() }, s.download),
      h('button', { type: 'button', 'data-cg-zip': '', onclick: () => saveZip() }, s.zip),
    ),
    view,
  );
  const traces = h('section', { class: 'cg-traces', hidden: true });
  const json = h('textarea', { class: 'cg-json-text', rows: 16, spellcheck: 'false', 'data-cg-json': '', 'aria-label': s.json });
  const jsonError = h('p', { class: 'cg-error', role: 'alert', hidden: true });
  const jsonBox = h(
    'details',
    { class: 'cg-json' },
    h('summary', null, s.json),
    json,
    h('button', { type: 'button', 'data-cg-json-apply': '', onclick: () => applyJson() }, s.jsonApply),
    jsonError,
  );

  root.querySelector('[data-cg-static]')?.remove();
  root.querySelector('[data-cg-loading]')?.remove();
  const linkNote = h('div', { class: 'cg-link-note', role: 'alert', 'data-cg-link-error': '', hidden: true });
  root.append(h('div', { class: 'cg-ui' }, linkNote, form, status, other, files, traces));
  showIncoming(s, linkNote, fromUrl, 'link');

  form.addEventListener('input', onInput);
  form.addEventListener('change', onInput);
  fileSelect.addEventListener('change', () => {
    selected = fileSelect.value;
    showFile();
  });

  function onInput(e: Event): void {
    const t = e.target as HTMLInputElement | HTMLSelectElement;
    const f = fields.find((x) => x.path === t.name);
    if (!f) return;
    const next = setField(params, f, t instanceof HTMLInputElement && t.type === 'checkbox' ? t.checked : t.value);
    if (JSON.stringify(next) === JSON.stringify(params)) return; // e.g. the change event after input
    params = next;
    linkNote.hidden = true; // the reader has moved on from the link's parameters
    schedule();
  }

  function renderForm(): void {
    const sections = formSections(params);
    fields = allFields(params);
    form.replaceChildren(...sections.map((sec) => sectionEl(sec)), jsonBox);
  }

  function sectionEl(sec: Section): HTMLElement {
    const g = sec.groups;
    return h(
      'fieldset',
      { class: `cg-section cg-${sec.id}` },
      h('legend', null, s.sections[sec.id] ?? sec.id),
      sec.fields.length > 0 && h('div', { class: 'cg-fields' }, sec.fields.map(fieldEl)),
      g &&
        g.items.map((item) =>
          h(
            'fieldset',
            { class: 'cg-group', 'data-cg-group': item.path },
            h('legend', null, s.groupTitle[g.kind]!(item.index)),
            h('div', { class: 'cg-fields' }, item.fields.map(fieldEl)),
            h('button', { type: 'button', class: 'cg-remove', 'aria-label': `${s.remove}: ${s.groupTitle[g.kind]!(item.index)}`, disabled: g.items.length <= g.min, onclick: () => restructure(removeItem(params, g.kind, item.index)) }, s.remove),
          ),
        ),
      g && h('button', { type: 'button', class: 'cg-add', 'data-cg-add': g.kind, disabled: g.items.length >= g.max, onclick: () => restructure(addItem(params, g.kind as GroupKind)) }, s.add[g.kind]),
    );
  }

  function fieldEl(f: Field): HTMLElement {
    const id = idOf(f.path);
    const v = fieldValue(params, f);
    const common = { id, name: f.path, 'aria-describedby': `${id}-err` };
    let control: HTMLElement;
    if (f.kind === 'bool') control = h('input', { ...common, type: 'checkbox', checked: v === true });
    else if (f.kind === 'select') {
      control = h(
        'select',
        common,
        (f.options ?? []).map((o) => h('option', { value: o, selected: o === v || undefined }, o === '' ? s.defaultOption : o)),
      );
      (control as HTMLSelectElement).value = String(v);
    } else {
      const wide = f.kind === 'pods' || f.kind === 'upods' || f.kind === 'list';
      control = h('input', { ...common, type: 'text', value: String(v), placeholder: f.placeholder, size: wide ? 34 : 16, spellcheck: 'false', autocomplete: 'off', inputmode: f.kind === 'int' ? 'numeric' : undefined });
    }
    return h(
      'div',
      { class: `cg-field cg-${f.kind}` },
      h('label', { for: id }, s.labels[f.label] ?? f.label),
      control,
      h('p', { class: 'cg-error', id: `${id}-err`, 'data-cg-error-for': f.path, hidden: true }),
    );
  }

  function restructure(next: ClusterParams): void {
    params = next;
    renderForm();
    schedule(0);
  }

  function applyJson(): void {
    // Checked as a whole, as `netatlas generate` checks a file; applied only when it passes.
    const r = paramsFromJson(json.value);
    showIncoming(s, jsonError, r, 'json');
    if (r.kind !== 'ok') return;
    params = r.params;
    linkNote.hidden = true;
    renderForm();
    schedule(0);
  }

  function schedule(delay = 250): void {
    if (timer !== undefined) clearTimeout(timer);
    status.textContent = s.working;
    status.dataset.cgState = 'working';
    timer = setTimeout(run, delay);
  }

  function showErrors(errors: readonly ParamError[]): void {
    for (const p of form.querySelectorAll<HTMLElement>('[data-cg-error-for]')) {
      p.hidden = true;
      p.textContent = '';
      form.querySelector(`#${idOf(p.dataset.cgErrorFor!)}`)?.removeAttribute('aria-invalid');
    }
    const paths = fields.map((f) => f.path);
    const loose: ParamError[] = [];
    for (const e of errors) {
      const at = fieldOfError(e.path, paths);
      const p = at && form.querySelector<HTMLElement>(`[data-cg-error-for="${at}"]`);
      if (!p) {
        loose.push(e);
        continue;
      }
      const line = visible((e.path === at ? '' : `${e.path.slice(at.length).replace(/^\./, '')}: `) + errorText(s, e));
      p.textContent = p.textContent ? `${p.textContent}\n${line}` : line;
      p.hidden = false;
      form.querySelector(`#${idOf(at)}`)?.setAttribute('aria-invalid', 'true');
    }
    other.hidden = loose.length === 0;
    other.replaceChildren(h('p', null, s.otherProblems), h('ul', { class: 'cg-error' }, loose.map((e) => h('li', null, describeError(s, e)))));
    if (loose.length > 0) jsonBox.open = true;
  }

  function run(): void {
    timer = undefined;
    let r: ReturnType<typeof generate>;
    try {
      r = generate(params);
    } catch (e) {
      // The parameters passed validation but the model refused a generated script: a bug.
      status.textContent = String((e as Error).message);
      status.dataset.cgState = 'failed';
      return;
    }
    if (document.activeElement !== json) json.value = JSON.stringify(params, null, 2);
    if (!r.ok) {
      last = undefined;
      showErrors(r.errors);
      status.textContent = s.problems(r.errors.length);
      status.dataset.cgState = 'errors';
      files.hidden = true;
      traces.hidden = true;
      return;
    }
    last = r.value;
    // Only parameters that generate go into the link, so a shared link always opens.
    history.replaceState(history.state, '', location.pathname + writePatch(location.search, URL_KEY, diff(REFERENCE_PARAMS, params)) + location.hash);
    showErrors([]);
    status.textContent = s.ok(r.value.files.length, r.value.cluster.nodes.length);
    status.dataset.cgState = 'ok';
    const paths = r.value.files.map((f) => f.path);
    if (!paths.includes(selected)) selected = paths.find((p) => p.includes('/setup-')) ?? paths[0]!;
    fileSelect.replaceChildren(...r.value.files.map((f) => h('option', { value: f.path, selected: f.path === selected || undefined }, f.path)));
    fileSelect.value = selected;
    showFile();
    files.hidden = false;
    renderTraces(r.value);
  }

  function current(): GeneratedFile | undefined {
    return last?.files.find((f) => f.path === selected);
  }

  function showFile(): void {
    code.textContent = current()?.text ?? '';
  }

  function saveFile(): void {
    const f = current();
    if (f) download(f.path.split('/').pop()!, f.text, f.executable ? 'text/x-shellscript' : 'text/plain');
  }

  function saveZip(): void {
    if (!last) return;
    const enc = new TextEncoder();
    const data = zip(last.files.map((f) => ({ path: `${ZIP_DIR}/${f.path}`, data: enc.encode(f.text), mode: f.executable ? 0o755 : 0o644 })));
    download(`${ZIP_DIR}.zip`, data, 'application/zip');
  }

  function renderTraces(g: Generated): void {
    const flows = exampleFlows(g.cluster);
    traces.replaceChildren(h('h3', null, s.traceTitle), h('p', { class: 'cg-note' }, s.traceNote), ...flows.map((f) => traceEl(s, s.flows[f.kind](f.from, f.to), traceFlow(g.session.world, f))));
    traces.hidden = flows.length === 0;
  }

  renderForm();
  schedule(0);
}

function traceEl(s: Strings, title: string, o: FlowOutcome): HTMLElement {
  const { trace: t, delivered: ok, where } = o;
  return h(
    'div',
    { class: 'cg-trace', 'data-cg-trace': t.disposition },
    h('h4', null, title),
    h(
      'p',
      { class: ok ? 'cg-ok' : 'cg-bad' },
      h('strong', null, t.disposition),
      ` ${s.at} `,
      h('code', null, where),
      o.ttl !== undefined ? ` (${s.ttl} ${o.ttl}${o.seenSource ? `, src ${o.seenSource}` : ''})` : '',
      ok ? '' : `: ${t.reason}`,
    ),
    h(
      'details',
      { class: 'cg-steps' },
      h('summary', null, s.showSteps(t.steps.length)),
      h(
      'div',
      { class: 'cg-table-wrap' },
      h(
        'table',
        { class: 'cg-table' },
        h('thead', null, h('tr', null, [s.cols.n, s.cols.host, s.cols.device, s.cols.step, s.cols.summary].map((c) => h('th', { scope: 'col' }, c)))),
        h(
          'tbody',
          null,
          t.steps.map((st) => h('tr', null, h('td', null, st.n), h('td', null, h('code', null, st.ns || '(root)')), h('td', null, st.device ? h('code', null, st.device) : ''), h('td', null, `${st.type} ${st.action}`), h('td', null, st.summary))),
        ),
      ),
    ),
    ),
  );
}
