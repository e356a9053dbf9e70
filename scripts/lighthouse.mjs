#!/usr/bin/env node
// Lighthouse (performance and accessibility) on every chapter page of the built site, both
// locales, in Debian's Chromium. Prints the figures; fails when accessibility is below 100 or
// performance below the budget. Run `npm run build` first.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import lighthouse from 'lighthouse';
import desktopConfig from 'lighthouse/core/config/desktop-config.js';
import * as chromeLauncher from 'chrome-launcher';
import { CHROMIUM_ARGS, findChromium } from '../src/integrations/chromium.mjs';
import { startStaticServer } from '../tests/browser/static-server.mjs';

const ROOT = resolve(import.meta.dirname, '..');
const DIST = join(ROOT, 'dist');
const LOCALES = ['zh-cn', 'en'];
const CHAPTERS = ['background', 'architecture', 'overlay', 'underlay', 'external', 'troubleshooting'];
// Lighthouse's desktop preset (its own desktop throttling and screen); LIGHTHOUSE_PRESET=mobile
// runs the default mobile emulation (slow 4G, 4x CPU slowdown) instead.
const PRESET = process.env.LIGHTHOUSE_PRESET ?? 'desktop';
const BUDGET = { performance: Number(process.env.LIGHTHOUSE_MIN_PERFORMANCE ?? 100), accessibility: 100 };

if (!existsSync(join(DIST, 'index.html'))) {
  console.error('lighthouse: dist/ is missing: run `npm run build` first');
  process.exit(1);
}
const server = await startStaticServer(DIST);
const origin = `http://127.0.0.1:${server.address().port}`;
const chrome = await chromeLauncher.launch({ chromePath: findChromium(), chromeFlags: [...CHROMIUM_ARGS, '--headless=new'] });
const rows = [];
let failed = 0;
try {
  for (const locale of LOCALES) {
    for (const chapter of CHAPTERS) {
      const path = `/${locale}/${chapter}/`;
      const r = await lighthouse(`${origin}${path}`, { port: chrome.port, output: 'json', logLevel: 'error', onlyCategories: ['performance', 'accessibility'] }, PRESET === 'desktop' ? desktopConfig : undefined);
      const perf = Math.round((r.lhr.categories.performance.score ?? 0) * 100);
      const a11y = Math.round((r.lhr.categories.accessibility.score ?? 0) * 100);
      const bad = perf < BUDGET.performance || a11y < BUDGET.accessibility;
      if (bad) failed++;
      const lcp = r.lhr.audits['largest-contentful-paint']?.displayValue ?? '';
      const tbt = r.lhr.audits['total-blocking-time']?.displayValue ?? '';
      const cls = r.lhr.audits['cumulative-layout-shift']?.displayValue ?? '';
      const si = r.lhr.audits['speed-index']?.displayValue ?? '';
      rows.push(`${path.padEnd(28)} performance ${String(perf).padStart(3)}  accessibility ${String(a11y).padStart(3)}  LCP ${lcp}  TBT ${tbt}  CLS ${cls}  SI ${si}${bad ? '  <- below budget' : ''}`);
      if (a11y < 100) {
        for (const a of Object.values(r.lhr.audits)) if (a.score === 0 && r.lhr.categories.accessibility.auditRefs.some((x) => x.id === a.id)) rows.push(`    accessibility: ${a.id}: ${a.title}`);
      }
    }
  }
} finally {
  await chrome.kill();
  server.close();
}
console.log(`Lighthouse, ${PRESET} preset (budget: performance >= ${BUDGET.performance}, accessibility >= ${BUDGET.accessibility})`);
for (const r of rows) console.log(r);
console.log(`lighthouse: ${rows.filter((r) => r.startsWith('/')).length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
