#!/usr/bin/env node
// Lighthouse (performance and accessibility) on every chapter page of the built site, both
// locales, in Debian's Chromium, with Lighthouse's mobile preset (its default: slow 4G, 4x CPU
// slowdown) and its desktop preset. Prints the figures; exits 1 when a page scores below 100
// in either category. Part of `npm test`; run `npm run build` first.
//
// Lighthouse's own guidance on variability is to judge the median of several runs. A page that
// falls short on its first run is audited twice more and judged on the median of the three;
// every run's figures are printed.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import lighthouse from 'lighthouse';
import desktopConfig from 'lighthouse/core/config/desktop-config.js';
import * as chromeLauncher from 'chrome-launcher';
import { CHROMIUM_ARGS, findChromium } from '../src/integrations/chromium.mjs';
import { startStaticServer } from '../tests/browser/static-server.mjs';
import { LOCALE_IDS, SITE } from '../src/integrations/site-manifest.mjs';

const ROOT = resolve(import.meta.dirname, '..');
const DIST = join(ROOT, 'dist');
// Locales and chapters: site.manifest.json.
const LOCALES = LOCALE_IDS;
const CHAPTERS = SITE.chapters;
// LIGHTHOUSE_PRESET=mobile or =desktop runs one preset only.
const PRESETS = process.env.LIGHTHOUSE_PRESET ? [process.env.LIGHTHOUSE_PRESET] : ['mobile', 'desktop'];
for (const p of PRESETS) {
  if (p !== 'mobile' && p !== 'desktop') {
    console.error(`lighthouse: LIGHTHOUSE_PRESET must be mobile or desktop, not "${p}"`);
    process.exit(2);
  }
}
const BUDGET = { performance: 100, accessibility: 100 };

if (!existsSync(join(DIST, 'index.html'))) {
  console.error('lighthouse: dist/ is missing: run `npm run build` first');
  process.exit(1);
}
const server = await startStaticServer(DIST);
const origin = `http://127.0.0.1:${server.address().port}`;
const chrome = await chromeLauncher.launch({ chromePath: findChromium(), chromeFlags: [...CHROMIUM_ARGS, '--headless=new'] });
const rows = [];
let failed = 0;
let audited = 0;

async function audit(url, preset) {
  const r = await lighthouse(url, { port: chrome.port, output: 'json', logLevel: 'error', onlyCategories: ['performance', 'accessibility'] }, preset === 'desktop' ? desktopConfig : undefined);
  const a = r.lhr.audits;
  return {
    perf: Math.round((r.lhr.categories.performance.score ?? 0) * 100),
    a11y: Math.round((r.lhr.categories.accessibility.score ?? 0) * 100),
    figures: `LCP ${a['largest-contentful-paint']?.displayValue ?? ''}  TBT ${a['total-blocking-time']?.displayValue ?? ''}  CLS ${a['cumulative-layout-shift']?.displayValue ?? ''}  SI ${a['speed-index']?.displayValue ?? ''}`,
    // The element the LCP figure is about, so a page that falls short says what to look at.
    lcpElement: a['largest-contentful-paint-element']?.details?.items?.[0]?.items?.[0]?.node?.selector ?? '',
    a11yFailures: Object.values(a)
      .filter((x) => x.score === 0 && r.lhr.categories.accessibility.auditRefs.some((ref) => ref.id === x.id))
      .map((x) => `${x.id}: ${x.title}`),
  };
}

const median = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
try {
  for (const preset of PRESETS) {
    rows.push(`${preset} preset`);
    for (const locale of LOCALES) {
      for (const chapter of CHAPTERS) {
        const path = `/${locale}/${chapter}/`;
        const runs = [await audit(`${origin}${path}`, preset)];
        const short = (x) => x.perf < BUDGET.performance || x.a11y < BUDGET.accessibility;
        if (short(runs[0])) runs.push(await audit(`${origin}${path}`, preset), await audit(`${origin}${path}`, preset));
        const perf = median(runs.map((x) => x.perf));
        const a11y = median(runs.map((x) => x.a11y));
        const bad = perf < BUDGET.performance || a11y < BUDGET.accessibility;
        audited++;
        if (bad) failed++;
        for (const [i, x] of runs.entries()) {
          const label = runs.length > 1 ? `${path} (run ${i + 1} of 3)` : path;
          rows.push(`  ${label.padEnd(28)} performance ${String(x.perf).padStart(3)}  accessibility ${String(x.a11y).padStart(3)}  ${x.figures}`);
          for (const f of x.a11yFailures) rows.push(`      accessibility: ${f}`);
          if (x.perf < BUDGET.performance && x.lcpElement) rows.push(`      LCP element: ${x.lcpElement}`);
        }
        if (runs.length > 1) rows.push(`  ${path.padEnd(28)} median: performance ${perf}, accessibility ${a11y}${bad ? '  <- below budget' : ''}`);
      }
    }
  }
} finally {
  await chrome.kill();
  server.close();
}
console.log(`Lighthouse ${PRESETS.join(' and ')} (budget: performance >= ${BUDGET.performance}, accessibility >= ${BUDGET.accessibility})`);
for (const r of rows) console.log(r);
console.log(`lighthouse: ${audited - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
