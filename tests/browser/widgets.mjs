#!/usr/bin/env node
// Browser test of the live widgets in the built site (run `npm run build` first; `npm run
// test:site` runs it after tests/browser/run.mjs). Drives each widget in Debian's Chromium
// through playwright-core: chooses inputs, steps, types malformed and hostile input, uses the
// keyboard only, follows a shared link, and checks that what the page shows is the model's
// answer for the same inputs, computed here in Node by calling lib/ directly. Also: no widget
// code is fetched before a widget comes near the viewport, no console errors, reduced motion
// and the dark theme work. Screenshots go to test-results/screenshots/widgets-*.png.
// Prints "N passed, N failed"; exit code 1 on failure.
//
// Usage: node tests/browser/widgets.mjs [distDir]
import { createHarness, typeInto } from './harness.mjs';
import { startStaticServer } from './static-server.mjs';
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { launchChromium } from '../../src/integrations/chromium.mjs';
import { replyQuery, trace } from '../../lib/trace/index.ts';
import { bondDefaults, bondView } from '../../lib/views/bond-view.ts';
import { demoState, faultScripts, FAULTS } from '../../lib/views/faults.ts';
import { mtuDefaults, mtuQuestion, mtuScript, mtuView } from '../../lib/views/mtu-view.ts';
import { natDefaults, natView, NAT_PRESETS } from '../../lib/views/nat-view.ts';
import { routeDefaults, routeLookup } from '../../lib/views/route-view.ts';
import { buildSession } from '../../lib/views/session-pool.ts';
import { natEventSummary, strings } from '../../src/components/widgets/i18n.ts';
import { runTrace, stepKey, stepRows, stepStack, stepWhere, tracerDefaults, tracerQuestion } from '../../lib/views/trace-view.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const DIST = resolve(process.argv[2] ?? join(ROOT, 'dist'));
const SHOTS = join(ROOT, 'test-results', 'screenshots');
const STEP_TIMEOUT = 15_000;

if (!existsSync(join(DIST, 'index.html'))) {
  console.error(`widget test: ${DIST}/index.html not found; run \`npm run build\` first.`);
  process.exit(1);
}
mkdirSync(SHOTS, { recursive: true });

// ---- the model's answers, in Node --------------------------------------------------------------
const REFERENCE = ['00-hosts', '10-fabric', '20-node-net', '21-planes', '30-overlay', '40-underlay', '50-services', '60-snat'].map((n) => ({
  name: `${n}.sh`,
  text: readFileSync(join(ROOT, 'content', 'scripts', `${n}.sh`), 'utf8'),
}));
const FAULT_TEXTS = Object.fromEntries(FAULTS.map((f) => [f.file, readFileSync(join(ROOT, 'content', 'scripts', 'faults', f.file), 'utf8')]));
const fresh = (extra = []) => buildSession(REFERENCE, extra).session;
const NAMES = fresh().world.namespaces().map((n) => n.name);

/** The trace the tracer widget must show for a state (the reply when asked for). */
function expectedTrace(over, faults = []) {
  const st = tracerDefaults(over);
  const q = tracerQuestion(st, NAMES);
  if (!q.query) throw new Error('bad expected question ' + JSON.stringify(q.errors));
  const r = runTrace(fresh(faultScripts(faults, FAULT_TEXTS)), q.query, q.dir);
  return r.run.shown;
}


const { results, test, assert, eq, watch, problem } = createHarness();

/** Scrolls a widget into view and waits for its code to mount. */
async function hydrate(page, selector) {
  const w = page.locator(selector).first();
  await w.scrollIntoViewIfNeeded();
  await page.waitForSelector(`${selector}[data-nw-state="ready"]`, { timeout: STEP_TIMEOUT });
  return w;
}
const text = async (loc) => ((await loc.textContent()) ?? '').replace(/\u00a0/g, ' ');
/** What a widget's outcome line says: the disposition and where. */
async function outcome(w, which = '.nw-outcome') {
  const o = w.locator(which).first();
  return { disposition: await o.getAttribute('data-disposition'), where: (await text(o.locator('code').first())).trim() };
}
async function counter(w) {
  return text(w.locator('[data-nw-counter]'));
}
async function shot(page, w, name) {
  await w.screenshot({ path: join(SHOTS, `widgets-${name}.png`) });
}

// ---- the run ----------------------------------------------------------------------------------------
let server;
let browser;
try {
  server = await startStaticServer(DIST);
  const origin = `http://127.0.0.1:${server.address().port}`;
  console.log(`Serving ${DIST} at ${origin}`);
  browser = await launchChromium({ contextOptions: { viewport: { width: 1280, height: 900 }, colorScheme: 'light', locale: 'en-US' } });
  const { context } = browser;
  context.setDefaultTimeout(STEP_TIMEOUT);

  const TR = '[data-nw-widget="tracer"]';

  await test('widgets: static rendering before hydration, no widget code before a widget is near', async () => {
    const page = await context.newPage();
    watch(page);
    const scripts = [];
    page.on('request', (r) => {
      if (/\.m?js(\?|$)/.test(r.url())) scripts.push(r.url());
    });
    await page.goto(origin + '/en/overlay/', { waitUntil: 'load' });
    await page.waitForTimeout(400);
    const lazy = scripts.filter((s) => /\/_astro\/(model|tracer|route|mtu|bond|nat|trace-view)[.-]/.test(s));
    eq(lazy, [], 'widget chunks fetched at the top of the page');
    // The static tracer table is the default trace, computed at build time.
    const t = expectedTrace({ from: 'pod-9-60', to: '10.20.4.5' });
    const rows = await page.locator(`${TR} .nw-steptable tbody tr`).count();
    eq(rows, stepRows(t).length, 'static step table rows');
    const lastRow = await text(page.locator(`${TR} .nw-steptable tbody tr`).last());
    assert(lastRow.includes(t.steps.at(-1).summary), `static last row: ${lastRow}`);
    assert((await page.locator(`${TR} svg.nw-topo .nw-dev.is-path`).count()) > 10, 'static diagram shows the path');
    await page.close();
  });

  await test('widgets: without JavaScript, every widget shows its default example', async () => {
    const noJs = await launchChromium({ contextOptions: { viewport: { width: 1280, height: 900 }, javaScriptEnabled: false } });
    try {
      const page = await noJs.context.newPage();
      await page.goto(origin + '/en/overlay/');
      const t = expectedTrace({ from: 'pod-9-60', to: '10.20.4.5' });
      const tr = page.locator(TR);
      eq(await tr.locator('.nw-outcome').getAttribute('data-disposition'), t.disposition, 'static tracer verdict');
      await tr.scrollIntoViewIfNeeded();
      await tr.screenshot({ path: join(SHOTS, 'widgets-static-tracer.png') });
      const route = page.locator('[data-nw-widget="route"]');
      const v = routeLookup(fresh(), routeDefaults());
      eq((await route.locator('.nw-line.is-chosen').allTextContents()).map((x) => x.trim()), [v.chosen.route], 'static route lookup');
      const mtu = page.locator('[data-nw-widget="mtu"]');
      assert((await text(mtu.locator('.nw-outcome'))).includes('DELIVERED'), 'static MTU verdict');
      await page.goto(origin + '/en/external/');
      const nat = natView(fresh(), natDefaults()).view;
      assert((await text(page.locator('[data-nw-widget="nat"] pre').first())).includes(nat.forward[0].conntrack), 'static NAT conntrack');
      await page.goto(origin + '/en/underlay/');
      const bond = bondView(fresh(), bondDefaults(fresh())).view;
      assert((await text(page.locator('[data-nw-widget="bond"] .nw-outcome'))).includes(bond.member), 'static bond member');
      await page.goto(origin + '/en/troubleshooting/');
      eq(await page.locator('[data-nw-widget="tracer"] .nw-faulttable tbody tr').count(), FAULTS.length, 'static fault table');
      await page.locator('[data-nw-widget="tracer"]').screenshot({ path: join(SHOTS, 'widgets-static-breakit.png') });
      await page.close();
    } finally {
      await noJs.close();
    }
  });

  await test('tracer: default answer, stepping with buttons and the scrubber, the header stack, the URL', async () => {
    const page = await context.newPage();
    watch(page);
    await page.goto(origin + '/en/overlay/');
    const w = await hydrate(page, TR);
    const t = expectedTrace({ from: 'pod-9-60', to: '10.20.4.5' });
    eq(await outcome(w), { disposition: t.disposition, where: stepWhere(t.at) }, 'verdict');
    eq(await counter(w), `Step 1 of ${t.steps.length}`, 'counter');
    for (let i = 0; i < 3; i++) await w.getByRole('button', { name: 'Next step' }).click();
    eq(await counter(w), `Step 4 of ${t.steps.length}`, 'counter after 3 × next');
    eq((await text(w.locator('[data-nw-summary]'))).trim(), t.steps[3].summary, 'step 4 summary');
    assert(page.url().includes('trace.step=4'), `URL has the step: ${page.url()}`);
    assert((await text(w.locator('[data-nw-live]'))).includes(t.steps[3].summary), 'live region announces the step');
    // The encapsulation step: layers, added headers, sizes.
    const enc = t.steps.find((s) => s.type === 'encapsulate');
    await w.locator('input[type=range]').fill(String(enc.n));
    eq(await counter(w), `Step ${enc.n} of ${t.steps.length}`, 'scrubber');
    const v = stepStack(t, enc.n);
    const layers = await w.locator('[data-nw-stack] .nw-layer').evaluateAll((ls) => ls.map((l) => [l.dataset.layer, l.classList.contains('is-added')]));
    eq(layers, v.layers.map((l) => [l.kind, l.added]), 'header layers at the encapsulation step');
    eq(await w.locator('svg .nw-dev.is-current').getAttribute('data-key'), stepKey(enc), 'current device on the diagram');
    const mtu = await text(w.locator('[data-nw-mtu]'));
    assert(mtu.includes('vxlan.2: MTU 1450'), `MTU line: ${mtu}`);
    // A NAT'ed flow marks the rewritten source.
    await typeInto(w.locator('input[name=to]'), '203.0.113.10');
    await w.locator('select[name=from]').selectOption('pod-9-41');
    const t2 = expectedTrace({ from: 'pod-9-41', to: '203.0.113.10' });
    eq(await outcome(w), { disposition: t2.disposition, where: stepWhere(t2.at) }, 'verdict pod-9-41 → ext');
    const nat = t2.steps.find((s) => s.type === 'netfilter');
    await w.locator('input[type=range]').fill(String(nat.n));
    const changed = await w.locator('[data-nw-stack] .nw-cell.is-changed .nw-name').allTextContents();
    eq(changed, ['src'], 'rewritten fields at the SNAT step');
    await shot(page, w, 'tracer-en-light');
    // The reply, one click away.
    await w.getByLabel('Reply').check();
    const r = expectedTrace({ from: 'pod-9-41', to: '203.0.113.10', dir: 'reply' });
    eq(await outcome(w), { disposition: r.disposition, where: stepWhere(r.at) }, 'reply verdict');
    assert((await text(w.locator('.nw-query'))).includes('(reply)'), 'the reply query is shown');
    await page.close();
  });

  await test('tracer: keyboard only', async () => {
    const page = await context.newPage();
    watch(page);
    await page.goto(origin + '/en/overlay/');
    const w = await hydrate(page, TR);
    await w.locator('input[name=to]').focus();
    await page.keyboard.press('Control+A');
    await page.keyboard.type('10.96.0.10');
    const t = expectedTrace({ from: 'pod-9-60', to: '10.96.0.10' });
    eq(await outcome(w), { disposition: t.disposition, where: stepWhere(t.at) }, 'verdict after typing');
    // Tab to the "next" button and press Enter twice.
    for (let i = 0; i < 30; i++) {
      await page.keyboard.press('Tab');
      if ((await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))) === 'Next step') break;
    }
    eq(await page.evaluate(() => document.activeElement?.getAttribute('aria-label')), 'Next step', 'focus reached the next button');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter');
    eq(await counter(w), `Step 3 of ${t.steps.length}`, 'Enter on next');
    await page.keyboard.press('ArrowRight');
    eq(await counter(w), `Step 4 of ${t.steps.length}`, 'ArrowRight');
    await page.keyboard.press('End');
    eq(await counter(w), `Step ${t.steps.length} of ${t.steps.length}`, 'End');
    eq(await w.locator('svg .nw-dev.is-current').first().getAttribute('data-key'), stepKey(t.steps.at(-1)), 'current place at the end');
    await page.keyboard.press('Home');
    eq(await counter(w), `Step 1 of ${t.steps.length}`, 'Home');
    // The step list: buttons, aria-current on the shown step.
    await w.locator('.nw-steps summary').focus();
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    eq(await counter(w), `Step 2 of ${t.steps.length}`, 'step list button');
    eq(await w.locator('.nw-steplist [aria-current=step]').getAttribute('data-step'), '2', 'aria-current in the step list');
    await page.close();
  });

  await test('tracer: malformed and hostile input get an inline message, rendered as text', async () => {
    const page = await context.newPage();
    watch(page);
    await page.goto(origin + '/en/overlay/');
    const w = await hydrate(page, TR);
    const to = w.locator('input[name=to]');
    await typeInto(to, '10.20.4.500');
    eq(await to.getAttribute('aria-invalid'), 'true', 'aria-invalid');
    const err = await text(w.locator('.nw-field:has(input[name=to]) .nw-error'));
    eq(err, '“10.20.4.500” is not an IPv4 address (like 10.20.4.5)', 'inline error');
    assert(await w.locator('.nw-results').evaluate((e) => e.classList.contains('is-stale')), 'results marked stale');
    const hostile = '<img src=x onerror="window.__pwned=1">';
    await typeInto(to, hostile);
    eq(await text(w.locator('.nw-field:has(input[name=to]) .nw-error')), `“${hostile}” is not an IPv4 address (like 10.20.4.5)`, 'hostile text shown as text');
    eq(await w.locator('img').count(), 0, 'no element created from input');
    eq(await page.evaluate(() => window.__pwned ?? null), null, 'no script ran');
    // A size below the headers is now refused by the field itself (issue 17), with the
    // tracer's own limit for the protocol (20 + 8 for ICMP).
    await typeInto(w.locator('input[name=size]'), '10');
    await typeInto(to, '10.20.4.5');
    eq(await text(w.locator('.nw-field:has(input[name=size]) .nw-error')), '10 is outside 28–65535', 'size below the headers');
    await typeInto(w.locator('input[name=size]'), '');
    await typeInto(w.locator('input[name=dport]'), '99999');
    eq(await text(w.locator('.nw-field:has(input[name=dport]) .nw-error')), '99999 is outside 0–65535', 'port range');
    await shot(page, w, 'tracer-bad-input');
    await page.close();
  });

  await test('tracer: a shared link shows exactly that state', async () => {
    const page = await context.newPage();
    watch(page);
    await page.goto(origin + '/en/overlay/?trace.from=ext&trace.to=10.186.101.21&trace.dir=reply&trace.step=5');
    const w = await hydrate(page, TR);
    const t = expectedTrace({ from: 'ext', to: '10.186.101.21', dir: 'reply' });
    eq(await outcome(w), { disposition: t.disposition, where: stepWhere(t.at) }, 'verdict from the link');
    eq(await counter(w), `Step 5 of ${t.steps.length}`, 'step from the link');
    eq((await text(w.locator('[data-nw-summary]'))).trim(), t.steps[4].summary, 'step 5 summary');
    eq(await w.locator('select[name=from]').inputValue(), 'ext', 'source select');
    // A link with garbage: inline message, page intact.
    await page.goto(origin + '/en/overlay/?trace.from=%3Cb%3Enope%3C/b%3E&trace.proto=sctp');
    const w2 = await hydrate(page, TR);
    const errs = await w2.locator('.nw-error:not([hidden])').allTextContents();
    assert(errs.some((e) => e.includes('“<b>nope</b>” is not one of')), `errors: ${errs.join(' | ')}`);
    assert(errs.some((e) => e.includes('“sctp” is not one of')), `errors: ${errs.join(' | ')}`);
    eq(await w2.locator('b').count(), 0, 'markup from the link is not rendered');
    await page.close();
  });

  await test('tracer: underlay and external chapters, zh-CN labels, dark theme, reduced motion', async () => {
    const page = await context.newPage();
    watch(page);
    await page.emulateMedia({ colorScheme: 'dark', reducedMotion: 'reduce' });
    await page.goto(origin + '/zh-cn/underlay/');
    eq(await page.getAttribute('html', 'data-theme'), 'dark', 'dark theme');
    const w = await hydrate(page, '#widget-trace');
    // The region's name carries its default question (two tracers on a page are two landmarks).
    eq((await text(w.locator('.nw-title'))).trim(), '数据包追踪: upod-102-22 → 10.186.101.21', 'zh-CN title');
    eq((await text(w.locator('label[for]').first())).trim(), '源', 'zh-CN label');
    const t = expectedTrace({ from: 'upod-102-22', to: '10.186.101.21' });
    eq(await outcome(w), { disposition: t.disposition, where: stepWhere(t.at) }, 'underlay verdict');
    eq(await counter(w), `第 1 步，共 ${t.steps.length} 步`, 'zh-CN counter');
    await w.locator('.nw-diagram').focus();
    await page.keyboard.press('End');
    eq(await counter(w), `第 ${t.steps.length} 步，共 ${t.steps.length} 步`, 'End on the diagram');
    await shot(page, w, 'tracer-zh-dark');
    await page.goto(origin + '/en/external/');
    const w2 = await hydrate(page, '#widget-trace');
    const t2 = expectedTrace({ from: 'pod-9-41', to: '203.0.113.10', proto: 'tcp', dport: '443' });
    eq(await outcome(w2), { disposition: t2.disposition, where: stepWhere(t2.at) }, 'external verdict');
    await page.close();
  });

  await test('route lookup: highlighted line, ip route get and why are the model\'s', async () => {
    const page = await context.newPage();
    watch(page);
    await page.goto(origin + '/en/overlay/');
    const w = await hydrate(page, '[data-nw-widget="route"]');
    const check = async (host, addr) => {
      const v = routeLookup(fresh(), routeDefaults({ host, addr }));
      const chosen = await w.locator('.nw-line.is-chosen').allTextContents();
      eq(chosen.map((l) => l.trim()), v.routes.filter((l) => l.mark === 'chosen').concat(v.rules.filter((l) => l.mark === 'chosen')).map((l) => l.text.trim()), `chosen lines for ${host} ${addr}`);
      eq((await text(w.locator('[data-nw-get]'))).trim(), (v.getOutput ?? '').trim(), `ip route get for ${host} ${addr}`);
      eq(await w.locator('[data-nw-why] li').allTextContents(), v.why, `why for ${host} ${addr}`);
    };
    await check('node-a', '10.20.4.5');
    await typeInto(w.locator('input[name=addr]'), '10.96.0.10');
    await check('node-a', '10.96.0.10');
    await w.locator('select[name=host]').selectOption('tor');
    await typeInto(w.locator('input[name=addr]'), '10.186.101.21');
    await check('tor', '10.186.101.21');
    await shot(page, w, 'route');
    await typeInto(w.locator('input[name=addr]'), '10.186.101');
    eq(await text(w.locator('.nw-field:has(input[name=addr]) .nw-error')), '“10.186.101” is not an IPv4 address (like 10.20.4.5)', 'inline error');
    await page.close();
  });

  await test('encapsulation and MTU: the tracer decides what fits', async () => {
    const page = await context.newPage();
    watch(page);
    await page.goto(origin + '/en/overlay/');
    const w = await hydrate(page, '[data-nw-widget="mtu"]');
    const expected = (over) => {
      const q = mtuQuestion(mtuDefaults(over));
      const sc = mtuScript(q.settings);
      return mtuView(fresh(sc.text ? [sc] : []), q.settings).view;
    };
    const check = async (over, what) => {
      const v = expected(over);
      eq(await outcome(w), { disposition: v.trace.disposition, where: stepWhere(v.trace.at) }, `${what}: verdict`);
      const frame = await w.locator('[data-nw-frame] tbody tr').evaluateAll((rs) => rs.map((r) => r.lastElementChild.textContent));
      eq(frame, [...v.wire.layers.map((l) => String(l.bytes)), String(v.wire.total)], `${what}: frame bytes`);
      const path = await w.locator('[data-nw-path] tbody tr').evaluateAll((rs) => rs.map((r) => [...r.children].map((c) => c.textContent)));
      eq(path, v.path.map((p) => [p.where, String(p.mtu), String(p.ipLength), p.fits ? 'yes' : p.fragmented ? 'no: fragmented' : 'no']), `${what}: path`);
    };
    await check({}, 'reference');
    await typeInto(w.locator('input[name=pod]'), '1500');
    await typeInto(w.locator('input[name=size]'), '1500');
    await check({ pod: '1500', size: '1500' }, 'pod MTU 1500');
    await shot(page, w, 'mtu-pod1500');
    await typeInto(w.locator('input[name=underlay]'), '9000');
    await check({ underlay: '9000', pod: '1500', size: '1500' }, 'jumbo underlay');
    await typeInto(w.locator('input[name=vlan]'), '153');
    await check({ underlay: '9000', vlan: '153', pod: '1500', size: '1500' }, 'VLAN 153');
    await typeInto(w.locator('input[name=underlay]'), '100');
    eq(await text(w.locator('.nw-field:has(input[name=underlay]) .nw-error')), '100 is outside 576–9216', 'inline error');
    assert(page.url().includes('mtu.underlay=100'), `the URL keeps what was typed: ${page.url()}`);
    await page.close();
  });

  await test('bond hash: member and arithmetic are bond_xmit_hash\'s', async () => {
    const page = await context.newPage();
    watch(page);
    await page.goto(origin + '/en/underlay/');
    const w = await hydrate(page, '[data-nw-widget="bond"]');
    const d = bondDefaults(fresh());
    const check = async (over, what) => {
      const v = bondView(fresh(), { ...d, ...over }).view;
      eq(await w.locator('[data-nw-member]').getAttribute('data-nw-member'), v.member, `${what}: member`);
      const how = await w.locator('.nw-arith tbody tr td:last-child').allTextContents();
      eq(how, v.steps.map((s) => s.detail), `${what}: arithmetic`);
    };
    await check({}, 'default');
    await w.locator('select[name=policy]').selectOption('layer2');
    await check({ policy: 'layer2' }, 'layer2');
    await w.locator('select[name=policy]').selectOption('layer3+4');
    await typeInto(w.locator('input[name=sport]'), '50876');
    await check({ sport: '50876' }, 'sport 50876');
    await shot(page, w, 'bond');
    await typeInto(w.locator('input[name=smac]'), '02:0a:00');
    eq(await text(w.locator('.nw-field:has(input[name=smac]) .nw-error')), '“02:0a:00” is not a MAC address (like 02:0a:00:00:99:0b)', 'inline error');
    await page.close();
  });

  await test('NAT and conntrack: SNAT, the conntrack entries, the reply, a ClusterIP', async () => {
    const page = await context.newPage();
    watch(page);
    await page.goto(origin + '/en/external/');
    const w = await hydrate(page, '[data-nw-widget="nat"]');
    const check = async (state, what) => {
      const v = natView(fresh(), state).view;
      eq((await text(w.locator('[data-nw-ct1]'))).trim(), (v.conntrackAfterRequest ?? '').trim(), `${what}: conntrack after the request`);
      eq((await text(w.locator('[data-nw-ct2]'))).trim(), (v.conntrackAfterReply ?? '').trim(), `${what}: conntrack after the reply`);
      const fwd = await w.locator('[data-nw-forward] .nw-natevent').evaluateAll((ls) => ls.map((l) => l.querySelector('p').textContent));
      eq(fwd, v.forward.map((e) => `#${e.n} ${e.where} — ${e.summary}`), `${what}: translations`);
      const back = await w.locator('[data-nw-backward] .nw-natevent').evaluateAll((ls) => ls.map((l) => l.querySelector('p').textContent));
      eq(back, v.backward.map((e) => `#${e.n} ${e.where} — ${natEventSummary(strings('en'), e, true)}`), `${what}: reply`);
      // The reply's un-NAT is conntrack's reverse mapping, never a NAT rule in PREROUTING.
      assert(!back.some((b) => /MASQUERADE in PREROUTING/.test(b)), `${what}: the reply is shown as MASQUERADE in PREROUTING: ${back.join(' | ')}`);
      if (v.backward.some((e) => e.type === 'netfilter')) assert(back.some((b) => b.includes("conntrack's reverse mapping")), `${what}: reply without the reverse mapping: ${back.join(' | ')}`);
    };
    await check(natDefaults(), 'egress');
    const entry = await text(w.locator('[data-nw-entry]').first());
    assert(/^tcp +6 120 SYN_SENT src=10\.20\.9\.41/.test(entry), `entry: ${entry}`);
    await shot(page, w, 'nat');
    await w.locator('[data-preset=clusterip]').click();
    await check(natDefaults(NAT_PRESETS.clusterip), 'ClusterIP');
    await typeInto(w.locator('input[name=to]'), 'x');
    eq(await text(w.locator('.nw-field:has(input[name=to]) .nw-error')), '“x” is not an IPv4 address (like 10.20.4.5)', 'inline error');
    await page.close();
  });

  await test('break it: faults change the trace the way the model says', async () => {
    const page = await context.newPage();
    watch(page);
    await page.goto(origin + '/en/troubleshooting/');
    const w = await hydrate(page, TR);
    // Keyboard: toggle a fault with Space.
    await w.locator('input[data-fault=missing-fdb]').focus();
    await page.keyboard.press('Space');
    let t = expectedTrace({}, ['missing-fdb']);
    eq(await outcome(w), { disposition: t.disposition, where: stepWhere(t.at) }, 'missing FDB');
    const healthy = await text(w.locator('[data-nw-healthy]'));
    assert(healthy.includes('DELIVERED'), `healthy comparison: ${healthy}`);
    // Each fault's "show it": its flow, and the drop shown.
    for (const f of FAULTS) {
      await w.locator(`[data-demo=${f.id}]`).click();
      const st = demoState(tracerDefaults(), f.id);
      const ids = new URL(page.url()).searchParams.get('brk.faults').split(',');
      t = expectedTrace(st, ids);
      eq(await outcome(w), { disposition: t.disposition, where: stepWhere(t.at) }, `${f.id} (faults ${ids.join(',')})`);
      eq(await counter(w), `Step ${t.steps.length} of ${t.steps.length}`, `${f.id}: shows where it dies`);
    }
    await shot(page, w, 'breakit');
    // rp_filter alone on the overlay flow: same as healthy, and the widget says so.
    await page.goto(origin + '/en/troubleshooting/?brk.faults=rp-filter-strict');
    const w2 = await hydrate(page, TR);
    assert((await text(w2.locator('[data-nw-healthy]'))).includes('Same outcome as without the faults'), 'rp_filter on a symmetric flow');
    await page.close();
  });

  // axe-core is a pinned devDependency (the version Lighthouse depends on): without it the
  // accessibility scan fails, it is never skipped.
  await test('widgets: no axe violations (contrast, ARIA, names) in both themes, static and hydrated', async () => {
    let axe;
    try {
      axe = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
    } catch (err) {
      throw new Error(`axe-core is missing, so the accessibility scan cannot run (it is a devDependency: run \`npm ci\`): ${err?.message ?? err}`);
    }
    const found = [];
    for (const scheme of ['light', 'dark']) {
      const page = await context.newPage();
      watch(page);
      await page.emulateMedia({ colorScheme: scheme });
      for (const [path, kinds] of [
        ['/en/overlay/?trace.step=11&route.addr=10.20.4.500', ['tracer', 'route', 'mtu']],
        ['/zh-cn/external/?nat.to=10.96.0.10&nat.proto=udp&nat.dport=53', ['nat']],
        ['/en/underlay/', ['bond']],
        ['/en/troubleshooting/?brk.faults=missing-fdb&brk.step=10', ['tracer']],
      ]) {
        await page.goto(origin + path);
        // Scan once before any widget is hydrated (the static rendering), then hydrated.
        await page.addScriptTag({ content: axe });
        for (const phase of ['static', 'hydrated']) {
          if (phase === 'hydrated') for (const k of kinds) await hydrate(page, `[data-nw-widget="${k}"]`);
          const v = await page.evaluate(async () => (await window.axe.run({ include: [['.nw-widget']] }, { resultTypes: ['violations'] })).violations.map((x) => `${x.id}: ${x.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`));
          for (const x of v) found.push(`${scheme} ${phase} ${path}: ${x}`);
        }
      }
      await page.close();
    }
    eq(found, [], 'axe violations');
  });
} catch (err) {
  results.push({ name: 'setup', ok: false, err });
  console.log(`  FAIL  setup\n      ${err?.stack ?? err}`);
} finally {
  await browser?.close().catch(() => {});
  await new Promise((r) => (server ? server.close(() => r()) : r()));
}

const passed = results.filter((r) => r.ok).length;
const failed = results.length - passed;
console.log(`\nwidgets: ${passed} passed, ${failed} failed`);
console.log(`Screenshots: ${SHOTS.split(sep).slice(-2).join('/')}/widgets-*.png`);
process.exit(failed ? 1 : 0);
