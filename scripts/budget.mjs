#!/usr/bin/env node
// Checks the built site in dist/ (run `npm run build` first):
//
// 1. JavaScript budget. For every page, the JavaScript that runs without any interaction is
//    summed: each inline <script> that executes (classic or module; JSON/data blocks excluded),
//    each <script src>, each <link rel="modulepreload">, and everything those modules import
//    statically (transitively). Every resource is gzipped on its own (zlib default level 6, as a
//    server would send it), so the figure errs on the high side. Code fetched only through a
//    dynamic import() (Pagefind's UI, on the first intent to search) is listed as "on demand"
//    and not counted. Fails when a page's total exceeds BUDGET_BYTES.
// 2. Internal links. Every href / src / xlink:href / srcset-less reference that points inside the
//    site (starting with `/` or `#`, or relative) must resolve to a file in dist/, and a
//    `#fragment` must match an id (or <a name>) in the target page. SVG `url(#id)` references in
//    attributes are checked against the page's ids too. Fails on any broken one.
//
// Usage: node scripts/budget.mjs [distDir]
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, posix, relative, resolve, sep } from 'node:path';
import { gzipSync } from 'node:zlib';
import { fromHtml } from 'hast-util-from-html';
import { LOCALE_IDS, SITE } from '../src/integrations/site-manifest.mjs';

const BUDGET_BYTES = 10 * 1024;
// Locales and chapters: site.manifest.json.
const LOCALES = LOCALE_IDS;
const CHAPTERS = SITE.chapters;

const dist = resolve(process.argv[2] ?? 'dist');
if (!existsSync(join(dist, 'index.html'))) {
  console.error(`budget: ${dist}/index.html not found; run \`npm run build\` first.`);
  process.exit(1);
}

// ---------------------------------------------------------------------------------------------
// helpers

function walkFiles(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...walkFiles(p));
    else out.push(p);
  }
  return out;
}

/** URL path of a file in dist ("/en/overlay/index.html" → page URL "/en/overlay/"). */
function urlOf(file) {
  const rel = '/' + relative(dist, file).split(sep).join('/');
  return rel.endsWith('/index.html') ? rel.slice(0, -'index.html'.length) : rel;
}

/** File in dist for a site path ("/en/overlay/" → dist/en/overlay/index.html), or undefined. */
function fileFor(pathname) {
  let p;
  try {
    p = decodeURIComponent(pathname);
  } catch {
    p = pathname;
  }
  const candidates = p.endsWith('/')
    ? [p + 'index.html']
    : [p, p + '/index.html', p + '.html'];
  for (const c of candidates) {
    const f = join(dist, ...c.split('/').filter(Boolean));
    if (f.startsWith(dist) && existsSync(f) && statSync(f).isFile()) return f;
  }
  return undefined;
}

const gz = (buf) => gzipSync(buf).length;
const kb = (n) => (n / 1024).toFixed(2);

function walk(node, fn) {
  fn(node);
  for (const c of node.children ?? []) walk(c, fn);
  if (node.content) walk(node.content, fn); // <template>
}

function text(node) {
  if (node.type === 'text') return node.value;
  return (node.children ?? []).map(text).join('');
}

function attr(node, name) {
  const v = node.properties?.[name];
  if (v === undefined || v === null || v === false) return undefined;
  return Array.isArray(v) ? v.join(' ') : String(v);
}

const parsed = new Map();
function parse(file) {
  if (!parsed.has(file)) parsed.set(file, fromHtml(readFileSync(file, 'utf8')));
  return parsed.get(file);
}

const idCache = new Map();
function idsOf(file) {
  if (!idCache.has(file)) {
    const ids = new Set();
    walk(parse(file), (n) => {
      if (n.type !== 'element') return;
      const id = attr(n, 'id');
      if (id) ids.add(id);
      if (n.tagName === 'a' && attr(n, 'name')) ids.add(attr(n, 'name'));
    });
    idCache.set(file, ids);
  }
  return idCache.get(file);
}

// ---------------------------------------------------------------------------------------------
// 1. JavaScript budget

const NON_EXEC_TYPES = /^(application\/(ld\+)?json|importmap|speculationrules|text\/(template|x-template|plain))$/i;
const STATIC_IMPORT_RE =
  /(?:\bimport|\bexport)\s*(?:[\w$*{}\s,]*?\bfrom\s*)?(["'`])([^"'`\n]+?\.m?js)\1|\bimport\s*(["'`])([^"'`\n]+?\.m?js)\3/g;
const DYNAMIC_IMPORT_RE = /\bimport\s*\(\s*(["'`])([^"'`\n]+?\.m?js)\1\s*\)/g;

function staticImportsOf(code) {
  const out = new Set();
  const withoutDynamic = code.replace(DYNAMIC_IMPORT_RE, '');
  for (const m of withoutDynamic.matchAll(STATIC_IMPORT_RE)) out.add(m[2] ?? m[4]);
  return [...out];
}
function dynamicImportsOf(code) {
  return [...code.matchAll(DYNAMIC_IMPORT_RE)].map((m) => m[2]);
}

function resolveScriptUrl(spec, fromUrl) {
  if (/^[a-z]+:|^\/\//i.test(spec)) return undefined; // external
  return new URL(spec, 'http://site' + fromUrl).pathname;
}

/** Static module graph from one entry: Map(url → gzip bytes); also collects dynamic imports. */
function moduleClosure(entryUrl, seen, lazy) {
  if (seen.has(entryUrl)) return;
  const file = fileFor(entryUrl);
  if (!file) {
    seen.set(entryUrl, 0);
    return;
  }
  const code = readFileSync(file, 'utf8');
  seen.set(entryUrl, gz(Buffer.from(code)));
  for (const spec of staticImportsOf(code)) {
    const u = resolveScriptUrl(spec, entryUrl);
    if (u) moduleClosure(u, seen, lazy);
  }
  for (const spec of dynamicImportsOf(code)) {
    const u = resolveScriptUrl(spec, entryUrl);
    if (u) lazy.add(u);
  }
}

function lazyClosureBytes(urls, eager) {
  const seen = new Map();
  const lazy = new Set();
  for (const u of urls) moduleClosure(u, seen, lazy);
  let total = 0;
  for (const [u, n] of seen) if (!eager.has(u)) total += n;
  return total;
}

function measurePage(file) {
  const pageUrl = urlOf(file);
  const tree = parse(file);
  let inlineCount = 0;
  let inlineBytes = 0;
  const entries = [];
  walk(tree, (n) => {
    if (n.type !== 'element') return;
    if (n.tagName === 'script') {
      const type = (attr(n, 'type') ?? '').trim();
      if (type && type !== 'module' && !/javascript|ecmascript/i.test(type)) return;
      if (NON_EXEC_TYPES.test(type)) return;
      const src = attr(n, 'src');
      if (src) {
        const u = resolveScriptUrl(src, pageUrl);
        if (u) entries.push(u);
      } else {
        const code = text(n);
        if (code.trim() === '') return;
        inlineCount++;
        inlineBytes += gz(Buffer.from(code));
        if (type === 'module') {
          for (const spec of staticImportsOf(code)) {
            const u = resolveScriptUrl(spec, pageUrl);
            if (u) entries.push(u);
          }
        }
      }
    } else if (n.tagName === 'link') {
      const rel = attr(n, 'rel') ?? '';
      const href = attr(n, 'href');
      if (href && /\bmodulepreload\b/.test(rel)) {
        const u = resolveScriptUrl(href, pageUrl);
        if (u) entries.push(u);
      }
    }
  });
  const modules = new Map();
  const lazy = new Set();
  for (const u of entries) moduleClosure(u, modules, lazy);
  let fileBytes = 0;
  for (const n of modules.values()) fileBytes += n;
  return {
    page: pageUrl,
    inlineCount,
    inlineBytes,
    fileCount: modules.size,
    fileBytes,
    total: inlineBytes + fileBytes,
    lazyBytes: lazyClosureBytes(lazy, modules),
    files: [...modules.keys()],
  };
}

const htmlFiles = walkFiles(dist).filter((f) => f.endsWith('.html'));
const isRedirect = (f) => /<meta\s+http-equiv="refresh"/i.test(readFileSync(f, 'utf8').slice(0, 2048));
const chapterPages = new Set(LOCALES.flatMap((l) => CHAPTERS.map((c) => `/${l}/${c}/`)));

const missingChapters = [...chapterPages].filter((u) => !fileFor(u));
const rows = htmlFiles
  .filter((f) => !isRedirect(f))
  .map(measurePage)
  .sort((a, b) => (chapterPages.has(b.page) ? 1 : 0) - (chapterPages.has(a.page) ? 1 : 0) || a.page.localeCompare(b.page));

const header = ['page', 'inline', 'inline gz KB', 'files', 'files gz KB', 'total gz KB', 'on demand gz KB', 'budget'];
const table = rows.map((r) => [
  r.page + (chapterPages.has(r.page) ? '' : ' (other)'),
  String(r.inlineCount),
  kb(r.inlineBytes),
  String(r.fileCount),
  kb(r.fileBytes),
  kb(r.total),
  kb(r.lazyBytes),
  r.total <= BUDGET_BYTES ? 'ok' : 'OVER',
]);
const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i].length)));
const fmt = (row) => row.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
console.log(`JavaScript run before any interaction, per page (gzip; budget ${kb(BUDGET_BYTES)} KB)`);
console.log(fmt(header));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const row of table) console.log(fmt(row));
const first = rows.find((r) => chapterPages.has(r.page));
if (first) console.log(`\nScript files on ${first.page}: ${first.files.join(', ')}`);

const over = rows.filter((r) => r.total > BUDGET_BYTES);
let failed = false;
if (missingChapters.length) {
  console.error(`\nMissing chapter pages: ${missingChapters.join(', ')}`);
  failed = true;
}
if (over.length) {
  console.error(`\nOver the ${kb(BUDGET_BYTES)} KB JavaScript budget: ${over.map((r) => `${r.page} (${kb(r.total)} KB)`).join(', ')}`);
  failed = true;
}
const maxChapter = Math.max(...rows.filter((r) => chapterPages.has(r.page)).map((r) => r.total));
console.log(`\nLargest chapter page: ${kb(maxChapter)} KB of ${kb(BUDGET_BYTES)} KB.`);

// ---------------------------------------------------------------------------------------------
// 2. internal links and anchors

const URL_ATTRS = ['href', 'src', 'xLinkHref', 'poster', 'action', 'data'];
const SVG_URL_REF_RE = /url\(\s*['"]?#([^'")\s]+)['"]?\s*\)/g;
let checked = 0;
let anchorsChecked = 0;
let svgRefsChecked = 0;
let externalSkipped = 0;
const broken = [];

function checkRef(file, pageUrl, raw, where) {
  const value = raw.trim();
  if (value === '' || value === '#') return;
  if (/^[a-z][a-z0-9+.-]*:/i.test(value) || value.startsWith('//')) {
    externalSkipped++;
    return;
  }
  checked++;
  const url = new URL(value, 'http://site' + pageUrl);
  let target = file;
  if (!(value.startsWith('#'))) {
    target = fileFor(url.pathname);
    if (!target) {
      broken.push(`${pageUrl}: ${where} → ${value} (no such file)`);
      return;
    }
  }
  if (url.hash && url.hash !== '#' && target.endsWith('.html')) {
    anchorsChecked++;
    let frag = url.hash.slice(1);
    try {
      frag = decodeURIComponent(frag);
    } catch {}
    if (!idsOf(target).has(frag)) broken.push(`${pageUrl}: ${where} → ${value} (no id "${frag}" in ${urlOf(target)})`);
  }
}

for (const file of htmlFiles) {
  const pageUrl = urlOf(file);
  walk(parse(file), (n) => {
    if (n.type !== 'element') return;
    for (const name of URL_ATTRS) {
      const v = attr(n, name);
      if (v === undefined) continue;
      if (name === 'data' && n.tagName !== 'object') continue;
      checkRef(file, pageUrl, v, `<${n.tagName} ${name}>`);
    }
    if (n.tagName === 'meta' && /refresh/i.test(attr(n, 'httpEquiv') ?? '')) {
      const m = /url=(.+)$/i.exec(attr(n, 'content') ?? '');
      if (m) checkRef(file, pageUrl, m[1].replace(/^['"]|['"]$/g, ''), '<meta refresh>');
    }
    // SVG references in attributes (marker-end="url(#…)", fill, clip-path, style="…"). Not inside
    // <style> elements: Mermaid's stylesheets carry rules for diagram looks a diagram may not use.
    if (n.tagName === 'style' || n.tagName === 'script') return;
    for (const [name, v] of Object.entries(n.properties ?? {})) {
      if (typeof v !== 'string' || !v.includes('url(#')) continue;
      for (const m of v.matchAll(SVG_URL_REF_RE)) {
        svgRefsChecked++;
        if (!idsOf(file).has(m[1])) broken.push(`${pageUrl}: <${n.tagName} ${name}> → url(#${m[1]}) (no such id)`);
      }
    }
  });
}

console.log(
  `\nLinks: ${checked} internal references checked in ${htmlFiles.length} HTML files ` +
    `(${anchorsChecked} with #fragments, plus ${svgRefsChecked} SVG url(#id) references); ` +
    `${externalSkipped} external skipped; ${broken.length} broken.`,
);
if (broken.length) {
  for (const b of broken.slice(0, 50)) console.error('  broken: ' + b);
  if (broken.length > 50) console.error(`  … and ${broken.length - 50} more`);
  failed = true;
}

if (failed) {
  console.error('\nbudget: FAILED');
  process.exit(1);
}
console.log('\nbudget: OK');
