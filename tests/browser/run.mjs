#!/usr/bin/env node
// Browser test of the built site (run `npm run build` first; `npm run test:site` does both).
//
// Serves dist/ on 127.0.0.1 (free port, tiny static server below), drives Debian's Chromium
// through playwright-core, and for every chapter in both locales checks: the title, an inline
// SVG diagram for the current theme, the theme switcher, the language picker, Pagefind search
// for "vxlan", and that a code block's copy button copies commands without prompts or output.
// Also: / redirects to /zh-cn/, no Pagefind code is fetched before the reader asks to search,
// and the fixed table of contents is in place before the content column exists (no layout shift).
// Any console error, page error or failed request fails the test it happened in.
// Screenshots go to test-results/screenshots/. Prints "N passed, N failed"; exit code 1 on failure.
//
// Usage: node tests/browser/run.mjs [distDir]      (CHROMIUM_PATH overrides the browser)
import { startStaticServer } from './static-server.mjs';
import { createHarness } from './harness.mjs';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { launchChromium } from '../../src/integrations/chromium.mjs';
import { SITE } from '../../src/integrations/site-manifest.mjs';

const ROOT = resolve(import.meta.dirname, '../..');
const DIST = resolve(process.argv[2] ?? join(ROOT, 'dist'));
const SHOTS = join(ROOT, 'test-results', 'screenshots');
// Locales (lang, label) and chapters: site.manifest.json.
const LOCALES = SITE.locales;
const CHAPTERS = SITE.chapters;
const STEP_TIMEOUT = 15_000;

if (!existsSync(join(DIST, 'index.html'))) {
  console.error(`browser test: ${DIST}/index.html not found; run \`npm run build\` first.`);
  process.exit(1);
}
mkdirSync(SHOTS, { recursive: true });

// ---- expected titles, from the chapters' frontmatter -----------------------------------------
function titleOf(locale, chapter) {
  const src = readFileSync(join(ROOT, 'content', locale, `${chapter}.mdx`), 'utf8');
  const m = /^title:\s*(.+)$/m.exec(src.split(/^---$/m)[1] ?? '');
  if (!m) throw new Error(`no title in content/${locale}/${chapter}.mdx`);
  let t = m[1].trim();
  if (/^["']/.test(t)) t = t.slice(1, -1).replace(/\\"/g, '"');
  return t;
}

const { results, test, assert, eq, watch, problem } = createHarness();

// A prompt as the site's copy plugin understands it: `$ `, `host$ `, `host# `, `[u@h d]# `.
const PROMPT_RE = /^\s*(?:(?:\[[^\]]+\]|[\w.@:~/+-]+)?\$|(?:\[[^\]]+\]|[\w.@:~/+-]+)#)[ \t]+(\S.*)$/;

// ---- the run ------------------------------------------------------------------------------------
let server;
let browser;
async function cleanup() {
  await browser?.close().catch(() => {});
  browser = undefined;
  await new Promise((r) => (server ? server.close(() => r()) : r()));
  server = undefined;
}
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.once(sig, async () => {
    await cleanup();
    process.exit(130);
  });
}

try {
  server = await startStaticServer(DIST);
  const { port } = server.address();
  const origin = `http://127.0.0.1:${port}`;
  console.log(`Serving ${DIST} at ${origin}`);

  browser = await launchChromium({
    contextOptions: { viewport: { width: 1280, height: 900 }, colorScheme: 'light', locale: 'en-US' },
  });
  const { context } = browser;
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
  context.setDefaultTimeout(STEP_TIMEOUT);

  await test('/ redirects to /zh-cn/', async () => {
    const page = await context.newPage();
    watch(page);
    await page.goto(origin + '/');
    await page.waitForURL(`${origin}/zh-cn/`);
    assert((await page.getAttribute('html', 'lang')) === 'zh-CN', 'html lang is not zh-CN on /zh-cn/');
    await page.close();
  });

  // Starlight's table of contents is position: fixed but placed by the flow; a paint while
  // the HTML is still being parsed (before the content column exists) used to draw it at the
  // start of the row and then move it: Lighthouse's layout shift of 0.42. src/styles/site.css
  // anchors it to the viewport; here it must sit exactly over its container at every wide
  // viewport, and stay put when the content column is taken out of the DOM.
  for (const locale of Object.keys(LOCALES)) {
    const path = `/${locale}/overlay/`;
    await test(`${path} table of contents is in place whether or not the content column exists`, async () => {
      const page = await context.newPage();
      watch(page);
      const rects = () =>
        page.evaluate(() => {
          const r = (sel) => {
            const b = document.querySelector(sel).getBoundingClientRect();
            return [Math.round(b.left * 10) / 10, Math.round(b.width * 10) / 10];
          };
          return { container: r('.right-sidebar-container'), sidebar: r('.right-sidebar') };
        });
      for (const width of [1152, 1350, 1600, 2560]) {
        await page.setViewportSize({ width, height: 900 });
        await page.goto(origin + path, { waitUntil: 'load' });
        const full = await rects();
        eq(full.sidebar, full.container, `at ${width}px, the sidebar's [left, width] against its container's`);
        await page.evaluate(() => document.querySelector('.main-pane').remove());
        const partial = await rects();
        eq(partial.sidebar, full.sidebar, `at ${width}px without the content column, the sidebar's [left, width]`);
      }
      await page.close();
    });
  }

  for (const [locale, { lang }] of Object.entries(LOCALES)) {
    for (const chapter of CHAPTERS) {
      const path = `/${locale}/${chapter}/`;
      const url = origin + path;
      const expectedTitle = titleOf(locale, chapter);
      const page = await context.newPage();
      watch(page);
      const scripts = [];
      page.on('request', (req) => {
        if (req.resourceType() === 'script' || /\.m?js(\?|$)/.test(req.url())) scripts.push(req.url());
      });

      await test(`${path} loads with its title, lang and no Pagefind code before interaction`, async () => {
        await page.goto(url, { waitUntil: 'load' });
        await page.waitForTimeout(300); // idle callbacks, if any, would fire here
        const h1 = (await page.locator('h1#_top').textContent())?.trim();
        assert(h1 === expectedTitle, `h1 is "${h1}", expected "${expectedTitle}"`);
        const title = await page.title();
        assert(title.startsWith(expectedTitle), `document.title "${title}" does not start with "${expectedTitle}"`);
        assert((await page.getAttribute('html', 'lang')) === lang, `html lang is not ${lang}`);
        const eager = scripts.filter((s) => /pagefind|ui-core/.test(s));
        assert(eager.length === 0, `Pagefind code fetched before any interaction: ${eager.join(', ')}`);
      });

      // One inline SVG per diagram (Mermaid's default theme); the dark theme shows it through
      // a CSS filter, and each theme's full-size link opens the file drawn in that theme.
      const themeState = () =>
        page.locator('figure.mermaid-diagram').first().evaluate((f) => {
          const link = [...f.querySelectorAll('a.mermaid-enlarge')].find((a) => getComputedStyle(a).display !== 'none');
          return { svgs: f.querySelectorAll('svg').length, filter: getComputedStyle(f.querySelector('.mermaid-svg svg')).filter, link: link?.getAttribute('href') ?? '' };
        });

      await test(`${path} shows one inline SVG per diagram, drawn for the current theme`, async () => {
        const theme = await page.getAttribute('html', 'data-theme');
        assert(theme === 'light' || theme === 'dark', `unexpected data-theme "${theme}"`);
        const visible = page.locator('figure.mermaid-diagram .mermaid-svg svg').first();
        await visible.scrollIntoViewIfNeeded();
        assert(await visible.isVisible(), `the diagram is not visible in the ${theme} theme`);
        const st = await themeState();
        assert(st.svgs === 1 || (await page.locator('figure.mermaid-diagram').first().locator('.mermaid-part').count()) > 0, `expected one inline SVG in the first figure, found ${st.svgs}`);
        assert(theme === 'dark' ? /invert/.test(st.filter) : st.filter === 'none', `${theme} theme: the diagram's filter is "${st.filter}"`);
        assert(st.link.endsWith(`-${theme}.svg`), `${theme} theme: the full-size link is "${st.link}"`);
        const box = await visible.boundingBox();
        assert(box && box.width > 50 && box.height > 50, `diagram is too small: ${JSON.stringify(box)}`);
        await page.screenshot({ path: join(SHOTS, `${locale}-${chapter}-${theme}.png`) });
      });

      await test(`${path} theme switcher changes data-theme and the diagram`, async () => {
        const select = page.locator('starlight-theme-select select:visible').first();
        const before = await page.getAttribute('html', 'data-theme');
        const target = before === 'dark' ? 'light' : 'dark';
        await select.selectOption(target);
        await page.waitForFunction((t) => document.documentElement.dataset.theme === t, target);
        const diagram = page.locator('figure.mermaid-diagram .mermaid-svg svg').first();
        await diagram.scrollIntoViewIfNeeded();
        assert(await diagram.isVisible(), `the diagram is not visible after switching to the ${target} theme`);
        const st = await themeState();
        assert(target === 'dark' ? /invert/.test(st.filter) : st.filter === 'none', `after switching to ${target}: the diagram's filter is "${st.filter}"`);
        assert(st.link.endsWith(`-${target}.svg`), `after switching to ${target}: the full-size link is "${st.link}"`);
        await page.screenshot({ path: join(SHOTS, `${locale}-${chapter}-${target}.png`) });
        await select.selectOption('auto');
        await page.waitForFunction((t) => document.documentElement.dataset.theme === t, before);
      });

      await test(`${path} copy button copies commands without prompts or output`, async () => {
        const block = page.locator('.expressive-code').filter({ has: page.locator('.copy button') }).first();
        assert((await block.count()) === 1, 'no code block with a copy button');
        const lines = (await block.locator('.ec-line').allTextContents()).map((l) => l.replace(/\u00a0/g, ' ').replace(/\s+$/, ''));
        const expected = lines.map((l) => PROMPT_RE.exec(l)?.[1]).filter((l) => l !== undefined);
        const output = lines.filter((l) => l.trim() !== '' && !PROMPT_RE.test(l));
        await page.evaluate(() => navigator.clipboard.writeText('(clipboard not written)'));
        await block.hover();
        await block.locator('.copy button').click();
        await page.waitForFunction(async () => (await navigator.clipboard.readText()) !== '(clipboard not written)');
        const copied = await page.evaluate(() => navigator.clipboard.readText());
        const copiedLines = copied.split('\n');
        assert(!copiedLines.some((l) => PROMPT_RE.test(l)), `clipboard still has a prompt: ${JSON.stringify(copied)}`);
        for (const out of output) {
          assert(!copiedLines.includes(out), `clipboard contains an output line ${JSON.stringify(out)}: ${JSON.stringify(copied)}`);
        }
        if (expected.length) {
          assert(copied === expected.join('\n'), `clipboard is ${JSON.stringify(copied)}, expected ${JSON.stringify(expected.join('\n'))}`);
        }
      });

      await test(`${path} checked blocks carry a badge; its scripts open a view page whose text and download are byte for byte the script`, async () => {
        const badges = page.locator('.netatlas-verified[data-verified]');
        const n = await badges.count();
        assert(n >= 3, `expected at least 3 verification badges, found ${n}`);
        const kinds = await badges.evaluateAll((ps) => ps.map((p) => p.getAttribute('data-verified')));
        assert(kinds.every((k) => k === 'model' || k === 'kernel'), `unexpected badge kinds: ${kinds.join(', ')}`);
        // The list of scripts is folded away (a lighter badge) and opens on demand.
        const scripts = badges.first().locator('details.netatlas-verified__scripts');
        assert(!(await scripts.evaluate((d) => d.open)), 'the badge\'s list of scripts is open by default');
        const link = scripts.locator('a').first();
        const href = await link.getAttribute('href');
        assert(href?.startsWith(`/${locale}/scripts/`) && href.endsWith('.sh/'), `script link ${href} does not open a view page`);
        assert((await link.getAttribute('download')) === null, `script link ${href} is a download`);
        const name = href.slice(`/${locale}/scripts/`.length, -1);
        const original = readFileSync(join(ROOT, 'content', 'scripts', name), 'utf8');
        const view = await context.newPage();
        watch(view);
        await view.goto(origin + href);
        eq(await view.locator('[data-script-text]').evaluate((p) => p.textContent), original, `the text on ${href}`);
        const raw = await view.locator('[data-script-download]').getAttribute('href');
        const served = await view.evaluate(async (h) => (await fetch(h)).text(), raw);
        assert(served === original, `${raw} differs from content/scripts/${name}`);
        await view.close();
        const hidden = await page.locator('.expressive-code pre').evaluateAll((pres) => pres.some((p) => /#hide\S*\$/.test(p.textContent ?? '')));
        assert(!hidden, 'a hidden setup line (#hide$) is shown on the page');
      });

      await test(`${path} search finds "vxlan"`, async () => {
        await page.locator('button[data-open-modal]').click();
        const input = page.locator('#starlight__search input');
        await input.waitFor({ state: 'visible' });
        await input.fill('vxlan');
        const results = page.locator('#starlight__search .pagefind-ui__result');
        await results.first().waitFor({ state: 'visible' });
        const n = await results.count();
        assert(n >= 1, 'no search results');
        const hrefs = await results.locator('a.pagefind-ui__result-link').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
        assert(hrefs.every((h) => h?.startsWith(`/${locale}/`)), `search results from another locale: ${hrefs.join(', ')}`);
        await page.screenshot({ path: join(SHOTS, `${locale}-${chapter}-search.png`) });
        await page.keyboard.press('Escape');
        await page.locator('site-search dialog').waitFor({ state: 'hidden' });
      });

      await test(`${path} language picker switches locale`, async () => {
        const [otherLocale, other] = Object.entries(LOCALES).find(([l]) => l !== locale);
        const select = page.locator('starlight-lang-select select:visible').first();
        await Promise.all([page.waitForURL(`${origin}/${otherLocale}/${chapter}/`), select.selectOption({ label: other.label })]);
        assert((await page.getAttribute('html', 'lang')) === other.lang, `html lang is not ${other.lang} after switching`);
        const h1 = (await page.locator('h1#_top').textContent())?.trim();
        const otherTitle = titleOf(otherLocale, chapter);
        assert(h1 === otherTitle, `after switching, h1 is "${h1}", expected "${otherTitle}"`);
      });

      await page.close();
    }
  }
} catch (err) {
  results.push({ name: 'setup', ok: false, err });
  console.log(`  FAIL  setup\n      ${err?.stack ?? err}`);
} finally {
  await cleanup();
}

const passed = results.filter((r) => r.ok).length;
const failed = results.length - passed;
console.log(`\n${passed} passed, ${failed} failed`);
console.log(`Screenshots: ${SHOTS.split(sep).slice(-2).join('/')}/`);
process.exit(failed ? 1 : 0);
