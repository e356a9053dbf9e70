#!/usr/bin/env node
// Browser test of the reader's experience (issue 17), on the built site (`npm run build`
// first; `npm run test:browser` runs it after run.mjs and widgets.mjs). In Debian's Chromium:
//
// - at 390×844, every page of both locales, after every widget and the generator have
//   loaded: nothing wider than the viewport (the page does not scroll sideways and no element
//   sticks out, except inside a container that scrolls);
// - the generator survives every hostile link and JSON the issue names, with a message that
//   names the form's fields, and keeps working afterwards;
// - number fields, direction and control characters in links; the tracer's step list and the
//   bond table do not cut or split values;
// - diagrams: caption, title and description, a full-size file, labels >= 11 px at 390 px,
//   the long sequence diagram in parts; the whole-path picture; widget anchors and copy-link;
//   commands and output look different; Pagefind speaks Chinese; 404 per locale; canonical,
//   hreflang and sitemap; the MTU fault's healthy comparison says why; no "NOARP".
// Any console error or page error fails the test it happened in. Screenshots at 390×844 and
// 1280×800, light and dark: test-results/screenshots/reader-*.png.
//
// Usage: node tests/browser/reader.mjs [distDir]
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { launchChromium } from '../../src/integrations/chromium.mjs';
import { LOCALE_IDS, SITE } from '../../src/integrations/site-manifest.mjs';
import { createHarness, typeInto } from './harness.mjs';
import { startStaticServer } from './static-server.mjs';

const ROOT = resolve(import.meta.dirname, '../..');
const DIST = resolve(process.argv[2] ?? join(ROOT, 'dist'));
const SHOTS = join(ROOT, 'test-results', 'screenshots');
const STEP_TIMEOUT = 30_000;
const LOCALES = Object.fromEntries(LOCALE_IDS.map((l) => [l, SITE.locales[l].lang]));
// Every page of the manifest (chapters, then the other pages), the home page and one script page.
const PAGES = ['', ...SITE.chapters, ...SITE.pages, 'scripts/30-overlay.sh'];

if (!existsSync(join(DIST, 'index.html'))) {
  console.error(`reader test: ${DIST}/index.html not found; run \`npm run build\` first.`);
  process.exit(1);
}
mkdirSync(SHOTS, { recursive: true });

const { results, test, assert, eq, watch } = createHarness();

/** Scrolls through the page so every widget and the generator load, and waits until they have. */
async function loadEverything(page) {
  // The page grows as widgets replace their static rendering: read its height each step, and
  // bring every widget into view at the end, so none stays out of the loader's reach.
  for (let y = 0; y < (await page.evaluate(() => document.documentElement.scrollHeight)); y += 500) {
    await page.evaluate((y) => window.scrollTo(0, y), y);
    await page.waitForTimeout(40);
  }
  // scrollIntoView without Playwright's wait for a stable box: a widget below diagrams laid
  // out on demand (content-visibility: auto) moves while they are, which timed out once.
  for (const w of await page.locator('[data-nw-widget], [data-cg-root]').all()) {
    await w.evaluate((e) => e.scrollIntoView({ block: 'center' }));
    await page.waitForTimeout(50);
  }
  await page.waitForFunction(
    () => [...document.querySelectorAll('[data-nw-widget], [data-cg-root]')].every((w) => (w.dataset.nwState ?? w.dataset.cgState) === 'ready'),
    null,
    { timeout: STEP_TIMEOUT },
  );
  await page.waitForTimeout(300);
}

/** Elements that stick out of the viewport and are not inside a container that scrolls or clips them. */
function overflowing(page) {
  return page.evaluate(() => {
    const vw = document.documentElement.clientWidth;
    const out = [];
    for (const el of document.querySelectorAll('body *')) {
      const b = el.getBoundingClientRect();
      if (b.width === 0 || b.height === 0 || (b.right <= vw + 0.5 && b.left >= -0.5)) continue;
      if (getComputedStyle(el).position === 'fixed' && el.closest('dialog:not([open])')) continue;
      let p = el.parentElement;
      let clipped = false;
      while (p && p !== document.body) {
        if (/(auto|scroll|hidden|clip)/.test(getComputedStyle(p).overflowX) && p.getBoundingClientRect().right <= vw + 0.5) {
          clipped = true;
          break;
        }
        p = p.parentElement;
      }
      if (!clipped) out.push(`<${el.tagName.toLowerCase()} class="${el.className?.baseVal ?? el.className}"> ${Math.round(b.left)}..${Math.round(b.right)}`);
    }
    return { scrollWidth: document.documentElement.scrollWidth, vw, out: out.slice(0, 8) };
  });
}

const text = async (loc) => ((await loc.textContent()) ?? '').replace(/\u00a0/g, ' ').trim();

let server;
let browser;
try {
  server = await startStaticServer(DIST);
  const origin = `http://127.0.0.1:${server.address().port}`;
  console.log(`Serving ${DIST} at ${origin}`);
  browser = await launchChromium({ contextOptions: { viewport: { width: 390, height: 844 }, colorScheme: 'light', locale: 'en-US' } });
  const { context } = browser;
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
  context.setDefaultTimeout(STEP_TIMEOUT);

  // ---- phones: nothing wider than the viewport ------------------------------------------------
  for (const locale of Object.keys(LOCALES)) {
    for (const p of PAGES) {
      const path = `/${locale}/${p}${p ? '/' : ''}`;
      await test(`390×844 ${path}: no horizontal overflow after every widget has loaded`, async () => {
        const page = await context.newPage();
        watch(page);
        await page.goto(origin + path);
        await loadEverything(page);
        const r = await overflowing(page);
        assert(r.scrollWidth <= r.vw, `the page is ${r.scrollWidth} px wide at a ${r.vw} px viewport`);
        assert(r.out.length === 0, `elements outside the viewport:\n        ${r.out.join('\n        ')}`);
        if (['overlay', 'troubleshooting', 'your-cluster'].includes(p)) await page.screenshot({ path: join(SHOTS, `reader-${locale}-${p}-390-light.png`), fullPage: false });
        await page.close();
      });
    }
  }

  // ---- the generator against hostile links and JSON -------------------------------------------
  const GEN = '/en/your-cluster/';
  async function openGenerator(page, query = '') {
    await page.goto(origin + GEN + query);
    await page.locator('[data-cg-root]').scrollIntoViewIfNeeded();
    await page.waitForFunction(() => document.querySelector('[data-cg-root]')?.dataset.cgState === 'ready', null, { timeout: STEP_TIMEOUT });
    await page.waitForFunction(() => document.querySelector('[data-cg-status]')?.dataset.cgState === 'ok', null, { timeout: STEP_TIMEOUT });
  }
  /** The generator still generates after an edit of the form. */
  async function stillWorks(page, what) {
    await page.locator('[name="overlay.vni"]').fill('77');
    await page.waitForFunction(() => /overlay/.test(location.search) && document.querySelector('[data-cg-status]')?.dataset.cgState === 'ok', null, { timeout: STEP_TIMEOUT });
    assert(/%2277%22|77/.test(decodeURIComponent(new URL(page.url()).search)), `${what}: the edit did not reach the link`);
  }
  const BAD_LINKS = [
    ['{"nodes":5}', /Nodes: must be a list/],
    ['null', /The parameters as a whole: must be an object/],
    ['garbage', /not JSON/],
    ['[]', /must be an object/],
    ['{"overlay":{"vni":"x"}}', /Overlay \(VXLAN\) › VNI: "x" is not a whole number/],
    ['{"nodes":[{"name":"a\u202Eb","address":"10.186.153.11","podSubnet":"10.20.9.0/24"},{"name":"b","address":"10.186.153.12","podSubnet":"10.20.4.0/24"}]}', /Node 1 › Name: "a⟦U\+202E⟧b"/],
  ];
  for (const [value, expected] of BAD_LINKS) {
    await test(`generator link ?cluster=${JSON.stringify(value).slice(0, 40)}: not applied, explained by field label, generator keeps working`, async () => {
      const page = await context.newPage();
      watch(page);
      await openGenerator(page, '?' + new URLSearchParams({ cluster: value }).toString());
      const note = page.locator('[data-cg-link-error]');
      assert(await note.isVisible(), 'no notice about the link');
      const msg = await text(note);
      assert(expected.test(msg), `the notice says: ${msg}`);
      assert(!/nodes\[|\(top level\)|TypeError|Cannot read/.test(msg), `the notice shows JSON paths or a script error: ${msg}`);
      assert(!/[\u202A-\u202E\u2066-\u2069]/.test(msg), 'a bidi control character reached the page');
      assert((await page.locator('[name="nodes[0].name"]').inputValue()) === 'node-a', 'the form does not show the reference cluster');
      await stillWorks(page, value);
      assert(!(await note.isVisible()), 'the link notice stays after a good edit');
      await page.close();
    });
  }
  await test('generator JSON box: {}, {"nodes":[]}, null, broken JSON are refused as a whole; the form, files and status stay; edits keep working', async () => {
    const page = await context.newPage();
    watch(page);
    await openGenerator(page);
    const files = await page.locator('[data-cg-file] option').count();
    await page.locator('details.cg-json > summary').click();
    for (const [json, expected] of [
      ['{}', /Nodes: is required/],
      ['{"nodes":[]}', /Nodes: has 0 entries/],
      ['null', /The parameters as a whole: must be an object/],
      ['{"nodes":', /Not valid JSON/],
    ]) {
      await page.locator('[data-cg-json]').fill(json);
      await page.locator('[data-cg-json-apply]').click();
      const err = page.locator('details.cg-json [role=alert]');
      assert(await err.isVisible(), `${json}: no message`);
      const msg = await text(err);
      assert(expected.test(msg), `${json}: the message says ${msg}`);
      assert(!/Cannot read|TypeError|undefined/.test(msg), `${json}: script error shown: ${msg}`);
      eq(await page.locator('[data-cg-status]').getAttribute('data-cg-state'), 'ok', `${json}: status`);
      eq(await page.locator('[data-cg-file] option').count(), files, `${json}: generated files`);
      eq(await page.locator('[name="nodes[1].name"]').inputValue(), 'node-b', `${json}: the form`);
    }
    await stillWorks(page, 'after the JSON');
    // A valid JSON is applied.
    const valid = JSON.parse(await page.locator('[data-cg-json]').inputValue());
    valid.overlay.vni = 91;
    await page.locator('[data-cg-json]').fill(JSON.stringify(valid));
    await page.locator('[data-cg-json-apply]').click();
    await page.waitForFunction(() => document.querySelector('[name="overlay.vni"]')?.value === '91' && document.querySelector('[data-cg-status]')?.dataset.cgState === 'ok', null, { timeout: STEP_TIMEOUT });
    await page.close();
  });
  await test('generator: copy button on files, traces collapsed, the status next to the fields, link anchor', async () => {
    const page = await context.newPage();
    watch(page);
    await openGenerator(page);
    await page.locator('[data-cg-copy]').click();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    eq(copied, await page.locator('[data-cg-view]').evaluate((p) => p.textContent), 'copied file');
    const traces = page.locator('.cg-trace details');
    assert((await traces.count()) >= 2, 'no collapsible trace tables');
    assert(!(await traces.evaluateAll((ds) => ds.some((d) => d.open))), 'a trace table is open by default');
    await page.locator('[name="overlay.podCidr"]').fill('10.20.0.0/33');
    await page.waitForFunction(() => document.querySelector('[data-cg-status]')?.dataset.cgState === 'errors', null, { timeout: STEP_TIMEOUT });
    const field = await page.locator('[name="overlay.podCidr"]').boundingBox();
    const err = await page.locator('[data-cg-error-for="overlay.podCidr"]').boundingBox();
    assert(err && field && Math.abs(err.y - (field.y + field.height)) < 40, 'the error is not beside its field');
    const status = await page.locator('[data-cg-status]').boundingBox();
    assert(status && status.y + status.height <= 844 + 1 && status.y >= 0, `the status is not on screen while the field is edited: ${JSON.stringify(status)}`);
    eq(await page.locator('a[data-copy-link][href="#widget-cluster"]').count(), 1, 'copy link of the generator');
    await page.screenshot({ path: join(SHOTS, 'reader-en-your-cluster-errors-390.png') });
    await page.close();
  });

  // ---- widgets: numbers, direction, control characters; no cut values --------------------------
  await test('tracer: size 1000000000 and 0–27 mark the field; ?trace.dir=sideways is dropped; a bidi character in a link is shown', async () => {
    const page = await context.newPage();
    watch(page);
    await page.goto(origin + '/en/overlay/?trace.dir=sideways&trace.to=' + encodeURIComponent('10.20.4.5\u202E1'));
    const w = page.locator('[data-nw-widget="tracer"]');
    await w.scrollIntoViewIfNeeded();
    await page.waitForSelector('[data-nw-widget="tracer"][data-nw-state="ready"]');
    assert(!/trace\.dir/.test(page.url()), `trace.dir is still in the link: ${page.url()}`);
    assert(await w.locator('input[value="request"]').isChecked(), 'request is not the direction');
    const to = w.locator('input[name=to]');
    eq(await to.inputValue(), '10.20.4.5⟦U+202E⟧1', 'the destination field shows the control character');
    eq(await to.getAttribute('aria-invalid'), 'true', 'the destination is not marked');
    await typeInto(to, '10.20.4.5');
    const size = w.locator('input[name=size]');
    for (const [v, msg] of [['1000000000', '1000000000 is outside 28–65535'], ['0', '0 is outside 28–65535'], ['27', '27 is outside 28–65535']]) {
      await typeInto(size, v);
      eq(await size.getAttribute('aria-invalid'), 'true', `size ${v} not marked`);
      eq(await text(w.locator('.nw-field:has(input[name=size]) .nw-error')), msg, `size ${v}: message`);
    }
    await typeInto(size, '28');
    await page.waitForFunction(() => document.querySelector('[data-nw-widget="tracer"] input[name=size]')?.getAttribute('aria-invalid') !== 'true');
    // All steps: no step text is cut.
    await w.locator('details.nw-steps > summary').click();
    const cut = await w.locator('.nw-steplink').evaluateAll((bs) => bs.filter((b) => b.scrollWidth > b.clientWidth + 1).map((b) => b.textContent));
    eq(cut, [], 'step list entries cut');
    await w.screenshot({ path: join(SHOTS, 'reader-tracer-390.png') });
    await page.close();
  });
  await test('bond widget: hex values are never split across lines', async () => {
    const page = await context.newPage();
    watch(page);
    await page.goto(origin + '/en/underlay/');
    const w = page.locator('[data-nw-widget="bond"]');
    await w.scrollIntoViewIfNeeded();
    await page.waitForSelector('[data-nw-widget="bond"][data-nw-state="ready"]');
    const split = await w.evaluate((el) => {
      const out = [];
      const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        for (const m of n.textContent.matchAll(/0x[0-9a-f]+/g)) {
          const r = document.createRange();
          r.setStart(n, m.index);
          r.setEnd(n, m.index + m[0].length);
          const lines = new Set([...r.getClientRects()].map((x) => Math.round(x.top)));
          if (lines.size > 1) out.push(m[0]);
        }
      }
      return out;
    });
    eq(split, [], 'hex values split over lines');
    await page.close();
  });

  // ---- diagrams -------------------------------------------------------------------------------
  for (const locale of Object.keys(LOCALES)) {
    await test(`${locale}: every diagram has a caption, a title and description, a full-size file, and labels >= 11 px at 390 px`, async () => {
      const page = await context.newPage();
      watch(page);
      for (const ch of SITE.chapters) {
        await page.goto(`${origin}/${locale}/${ch}/`);
        const figs = await page.locator('figure.mermaid-diagram').evaluateAll((fs) =>
          fs.map((f) => {
            const svg = f.querySelector('.mermaid-svg svg');
            const vb = svg.viewBox.baseVal;
            const scale = svg.getBoundingClientRect().width / vb.width;
            const sizes = [...svg.querySelectorAll('text')].filter((t) => t.textContent.trim()).map((t) => parseFloat(getComputedStyle(t).fontSize) * scale);
            return {
              caption: f.querySelector('figcaption span')?.textContent ?? '',
              title: svg.querySelector(':scope > title')?.textContent ?? '',
              desc: svg.querySelector(':scope > desc')?.textContent ?? '',
              labelled: svg.getAttribute('aria-labelledby'),
              parts: f.querySelectorAll('.mermaid-svg svg').length,
              sequence: svg.getAttribute('aria-roledescription') === 'sequence',
              smallest: Math.min(...sizes),
              full: f.querySelector('a.mermaid-enlarge')?.getAttribute('href'),
            };
          }),
        );
        assert(figs.length > 0, `${ch}: no diagram`);
        for (const [i, f] of figs.entries()) {
          const what = `${locale}/${ch} diagram ${i + 1}`;
          assert(f.caption.trim() !== '', `${what}: no caption`);
          assert(f.title.trim() !== '' && f.desc.trim() !== '' && f.labelled, `${what}: no title/description for screen readers`);
          assert(f.smallest >= 10.9, `${what}: a label is ${f.smallest.toFixed(1)} px at 390 px`);
          const res = await page.request.get(origin + f.full);
          assert(res.ok() && /^<svg/.test((await res.text()).trim()), `${what}: full-size file ${f.full}`);
        }
        if (ch === 'overlay') assert(figs.some((f) => f.sequence && f.parts >= 2), 'overlay: the long sequence diagram is not drawn in parts');
      }
      await page.close();
    });
  }

  // ---- whole-path picture, anchors and copy link, console blocks --------------------------------
  for (const locale of Object.keys(LOCALES)) {
    await test(`${locale}: a whole-path picture opens overlay, underlay and external; widgets have anchors and a copy link that opens at the widget`, async () => {
      const page = await context.newPage();
      watch(page);
      for (const ch of ['overlay', 'underlay', 'external']) {
        await page.goto(`${origin}/${locale}/${ch}/`);
        const before = await page.evaluate(() => {
          const pic = document.querySelector('figure.path-picture');
          const h2 = document.querySelector('.sl-markdown-content h2');
          return pic && h2 ? Boolean(pic.compareDocumentPosition(h2) & Node.DOCUMENT_POSITION_FOLLOWING) : false;
        });
        assert(before, `${ch}: no path picture before the first section`);
        const hosts = await page.locator('figure.path-picture .path-host').count();
        assert(hosts >= 4, `${ch}: the path picture has ${hosts} hosts`);
      }
      await page.goto(`${origin}/${locale}/overlay/`);
      const widgets = await page.locator('[data-nw-widget]').evaluateAll((ws) => ws.map((w) => [w.id, w.querySelector('a[data-copy-link]')?.getAttribute('href')]));
      for (const [id, href] of widgets) assert(id.startsWith('widget-') && href === '#' + id, `widget ${id}: copy link ${href}`);
      const w = page.locator('#widget-route');
      await w.scrollIntoViewIfNeeded();
      await page.waitForSelector('#widget-route[data-nw-state="ready"]');
      await typeInto(w.locator('input[name=addr]'), '10.20.9.41');
      await page.waitForFunction(() => /route\.addr=10\.20\.9\.41/.test(location.search));
      await w.locator('a[data-copy-link]').click();
      await page.waitForFunction(async () => /#widget-route$/.test(await navigator.clipboard.readText()));
      const link = await page.evaluate(() => navigator.clipboard.readText());
      assert(link.includes('route.addr=10.20.9.41'), `copied link without the widget's state: ${link}`);
      const other = await context.newPage();
      watch(other);
      await other.goto(link);
      await other.waitForTimeout(500);
      const box = await other.locator('#widget-route').boundingBox();
      assert(box && box.y >= 0 && box.y < 844 / 2, `the shared link does not open at the widget (top at ${box?.y})`);
      eq(await other.locator('#widget-route input[name=addr]').inputValue(), '10.20.9.41', 'the shared state');
      await other.close();
      // Commands and output look different.
      const weights = await page.evaluate(() => {
        const cmd = document.querySelector('.expressive-code .ec-line.ec-cmd');
        const out = document.querySelector('.expressive-code .ec-line.ec-out');
        return cmd && out ? [getComputedStyle(cmd).fontWeight, getComputedStyle(out).fontWeight, getComputedStyle(cmd).boxShadow] : null;
      });
      assert(weights && weights[0] !== weights[1] && weights[2] !== 'none', `command and output lines look the same: ${JSON.stringify(weights)}`);
      await page.close();
    });
  }

  // ---- troubleshooting: the MTU fault's healthy comparison, no NOARP ---------------------------
  await test('break it: the MTU fault says why the healthy comparison fails too; missing-neigh does not call vxlan.2 NOARP', async () => {
    const page = await context.newPage();
    watch(page);
    await page.goto(origin + '/en/troubleshooting/');
    const w = page.locator('[data-nw-widget="tracer"]');
    await w.scrollIntoViewIfNeeded();
    await page.waitForSelector('[data-nw-widget="tracer"][data-nw-state="ready"]');
    assert(!/vxlan\.2 is NOARP/.test(await text(w)), 'the widget still says vxlan.2 is NOARP');
    await w.locator('[data-demo="mtu-too-big"]').click();
    const healthy = w.locator('[data-nw-healthy]');
    await healthy.waitFor();
    const t = await text(healthy);
    assert(/MTU_EXCEEDED/.test(t) && /first hop/.test(t) && /eth0 has MTU 1450/.test(t), `the healthy comparison does not say why: ${t}`);
    await page.close();
  });

  // ---- search in Chinese, 404 per locale, canonical/hreflang/sitemap ---------------------------
  await test('zh-cn search speaks Chinese (Pagefind UI strings)', async () => {
    const page = await context.newPage();
    watch(page);
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(origin + '/zh-cn/overlay/');
    await page.locator('button[data-open-modal]').click();
    const input = page.locator('#starlight__search input');
    await input.waitFor({ state: 'visible' });
    await input.fill('代理');
    const message = page.locator('#starlight__search .pagefind-ui__message');
    await page.waitForFunction(() => /个/.test(document.querySelector('#starlight__search .pagefind-ui__message')?.textContent ?? ''));
    const t = await text(message);
    assert(!/results? for/.test(t) && /代理/.test(t), `search message: ${t}`);
    const clear = await text(page.locator('#starlight__search .pagefind-ui__search-clear'));
    eq(clear, '清除', 'clear button');
    await page.close();
  });
  for (const [locale, lang, title] of [['en', 'en', 'Page not found'], ['zh-cn', 'zh-CN', '找不到这个页面']]) {
    await test(`404 for /${locale}/ addresses is in ${lang}`, async () => {
      const page = await context.newPage();
      const errors = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`${origin}/${locale}/no-such-page/`);
      await page.waitForFunction((l) => document.documentElement.lang === l, lang);
      eq(await text(page.locator('h1#_top')), title, 'the 404 title');
      if (locale === 'en') assert((await text(page.locator('[data-nf-from] code'))) === `/${locale}/no-such-page/`, 'the address asked for is not named');
      eq(errors, [], 'page errors');
      await page.close();
    });
  }
  await test('canonical, hreflang alternates and the sitemap exist', async () => {
    const html = readFileSync(join(DIST, 'en', 'overlay', 'index.html'), 'utf8');
    assert(/<link rel="canonical" href="[^"]+\/en\/overlay\/"/.test(html), 'no canonical link');
    for (const l of ['zh-CN', 'en', 'x-default']) assert(new RegExp(`hreflang="${l}" href="[^"]+/overlay/"`).test(html), `no hreflang ${l}`);
    assert(existsSync(join(DIST, 'sitemap-index.xml')), 'no sitemap');
    const edit = /href="([^"]+)"[^>]*>[^<]*(?:Edit page|编辑此页)/.exec(html)?.[1];
    if (process.env.NETATLAS_REPO) assert(edit?.endsWith('/content/en/overlay.mdx'), `edit link ${edit}`);
  });

  // ---- screenshots: 390×844 and 1280×800, light and dark ----------------------------------------
  await test('screenshots at 390×844 and 1280×800, light and dark', async () => {
    for (const [w, h] of [[390, 844], [1280, 800]]) {
      for (const scheme of ['light', 'dark']) {
        const page = await context.newPage();
        watch(page);
        await page.setViewportSize({ width: w, height: h });
        await page.emulateMedia({ colorScheme: scheme });
        for (const p of ['en/overlay', 'zh-cn/underlay', 'en/your-cluster']) {
          await page.goto(`${origin}/${p}/`);
          await page.waitForTimeout(300);
          await page.screenshot({ path: join(SHOTS, `reader-${p.replace('/', '-')}-${w}-${scheme}.png`) });
        }
        await page.close();
      }
    }
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
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
