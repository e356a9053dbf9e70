// Build-time Mermaid: ```mermaid code blocks become inline SVG, rendered by Mermaid's own bundle
// in headless Chromium (Debian's, driven by playwright-core). Each diagram is rendered twice, with
// the 'default' and the 'dark' Mermaid theme; CSS keyed on Starlight's <html data-theme> shows one.
// No Mermaid JavaScript reaches readers.
//
// One Chromium is started lazily for the whole build and closed by the integration's
// astro:build:done / astro:server:done hooks (and on process exit as a fallback).
// Rendered SVGs are cached in .cache/mermaid/ keyed on Mermaid's version, the render config, the
// theme and the diagram source, so unchanged diagrams do not need Chromium at all.
// Set NETATLAS_MERMAID_CACHE=0 to bypass the cache.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium } from './chromium.mjs';
import { langFromContentPath } from './content-locale.mjs';
import { deployConfig } from './deploy.mjs';
import { accessibleSvg, figureCaption, minWidthFor, splitSequence } from './diagram-parts.mjs';

const require = createRequire(import.meta.url);
const MERMAID_BUNDLE = require.resolve('mermaid/dist/mermaid.min.js');
const MERMAID_VERSION = JSON.parse(readFileSync(require.resolve('mermaid/package.json'), 'utf8')).version;

/** The Mermaid theme of the SVG inlined in the page (both themes of the site show it). */
const INLINE_THEME = 'default';

/** Themes of the full-size files, one per site theme: [variant name, Mermaid theme]. */
const VARIANTS = /** @type {const} */ ([
  ['light', 'default'],
  ['dark', 'dark'],
]);

/** Fonts used both for measuring (in the build's Chromium) and for display (in the reader's browser). */
const FONT_FAMILY =
  'ui-sans-serif, system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif';

function mermaidConfig(theme, id) {
  return {
    startOnLoad: false,
    theme,
    securityLevel: 'strict',
    deterministicIds: true,
    deterministicIDSeed: id,
    fontFamily: FONT_FAMILY,
    themeVariables: { fontFamily: FONT_FAMILY },
    // SVG <text> labels instead of <foreignObject> HTML: they survive being inlined into another
    // page and scale with the SVG.
    htmlLabels: false,
    flowchart: { htmlLabels: false, useMaxWidth: true, padding: 12 },
    // Sequence diagrams are wide; scaled down to the column their text becomes unreadable, so
    // they keep their natural size and the figure scrolls horizontally instead.
    sequence: { useMaxWidth: false, wrap: true, width: 150, actorMargin: 40, noteMargin: 8, messageMargin: 30 },
  };
}

const CACHE_DIR = join(process.cwd(), '.cache', 'mermaid');
const cacheEnabled = process.env.NETATLAS_MERMAID_CACHE !== '0';

// ---- the one Chromium page for the whole build ------------------------------------------------

/** @type {Promise<{ page: import('playwright-core').Page, close: () => Promise<void> }> | null} */
let browserPromise = null;
/** Renders are serialised: Mermaid keeps global state (its config) in the page. */
let queue = Promise.resolve();
let renderedCount = 0;
let cachedCount = 0;

async function startBrowser() {
  const { context, close } = await launchChromium();
  const page = context.pages()[0] ?? (await context.newPage());
  await page.setContent('<!doctype html><html><head><meta charset="utf-8"></head><body></body></html>');
  await page.addScriptTag({ path: MERMAID_BUNDLE });
  const ok = await page.evaluate(() => typeof globalThis.mermaid?.render === 'function');
  if (!ok) throw new Error(`Mermaid did not load in Chromium from ${MERMAID_BUNDLE}`);
  return { page, close };
}

function getBrowser() {
  browserPromise ??= startBrowser().catch((err) => {
    browserPromise = null;
    throw err;
  });
  return browserPromise;
}

/** Close the shared Chromium, if one was started. Safe to call more than once. */
export async function closeMermaidBrowser() {
  const p = browserPromise;
  browserPromise = null;
  if (!p) return;
  try {
    const { close } = await p;
    await close();
  } catch {
    // it failed to start; nothing to close
  }
}

process.once('beforeExit', () => {
  void closeMermaidBrowser();
});

function renderOne(code, theme, id) {
  const run = queue.then(async () => {
    const { page } = await getBrowser();
    return page.evaluate(
      async ({ code, config, id }) => {
        const m = globalThis.mermaid;
        m.initialize(config);
        try {
          const { svg } = await m.render(id, code);
          return { svg };
        } catch (e) {
          document.getElementById(id)?.remove();
          document.getElementById('d' + id)?.remove();
          return { error: String(e && e.message ? e.message : e) };
        }
      },
      { code, config: mermaidConfig(theme, id), id },
    );
  });
  queue = run.then(
    () => undefined,
    () => undefined,
  );
  return run;
}

/** Render one diagram in one theme to an SVG string (from cache when possible). */
export async function renderMermaid(code, theme, id, where = 'a Mermaid block') {
  const key = createHash('sha256')
    .update(JSON.stringify([MERMAID_VERSION, mermaidConfig(theme, id), code]))
    .digest('hex')
    .slice(0, 32);
  const cacheFile = join(CACHE_DIR, `${key}.svg`);
  if (cacheEnabled && existsSync(cacheFile)) {
    cachedCount++;
    return readFileSync(cacheFile, 'utf8');
  }
  const result = await renderOne(code, theme, id);
  if (result.error) {
    throw new Error(`Mermaid could not render ${where} (theme ${theme}): ${result.error}`);
  }
  renderedCount++;
  if (cacheEnabled) {
    mkdirSync(CACHE_DIR, { recursive: true });
    writeFileSync(cacheFile, result.svg);
  }
  return result.svg;
}

// ---- rehype plugin ------------------------------------------------------------------------------

function classList(node) {
  const c = node.properties?.className;
  return Array.isArray(c) ? c.map(String) : typeof c === 'string' ? c.split(/\s+/) : [];
}

function textOf(node) {
  if (node.type === 'text') return node.value;
  return (node.children ?? []).map(textOf).join('');
}

function findMermaidBlocks(tree) {
  /** @type {{ parent: any, index: number, code: string, meta: string }[]} */
  const found = [];
  (function walk(node) {
    const children = node.children ?? [];
    children.forEach((child, index) => {
      if (child.type === 'element' && child.tagName === 'pre') {
        const code = child.children?.find((c) => c.type === 'element' && c.tagName === 'code');
        if (code && classList(code).includes('language-mermaid')) {
          const meta = String(code.properties?.metastring ?? code.data?.meta ?? child.properties?.metastring ?? '');
          found.push({ parent: node, index, code: textOf(code).replace(/\n$/, ''), meta });
          return;
        }
      }
      walk(child);
    });
  })(tree);
  return found;
}

function titleFromMeta(meta) {
  const m = /(?:^|\s)title=(?:"([^"]*)"|'([^']*)'|(\S+))/.exec(meta);
  return m ? (m[1] ?? m[2] ?? m[3]) : undefined;
}

const escapeHtml = (t) =>
  t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * Replace ```mermaid blocks with
 * <figure class="mermaid-diagram not-content">
 *   <div class="mermaid-svg">…svg…</div>   (Mermaid's default theme; the site's dark theme shows it through a CSS filter)
 *   <figcaption>title, and a link to the diagram at full size</figcaption>   (title from ```mermaid title="…")
 * Each SVG has a <title> and a <desc> (its labels, in order) and a min-width that keeps its
 * smallest label at 11 px or more; the figure scrolls when that is wider than the column.
 * </figure>
 * Must run before Expressive Code (which would otherwise turn the block into a code frame).
 *
 * The figure is inserted as ready-made HTML: in .mdx files as <Fragment set:html="…"/> (what
 * Astro's own MDX optimiser emits), elsewhere as a raw node. Inserting the SVGs as hast elements
 * does not work in MDX: Astro 7's MDX pipeline turns a <style> nested in a static subtree into a
 * literal `set:html` attribute, which leaves Mermaid's stylesheet unapplied.
 */
export function rehypeMermaid() {
  return async function transformer(tree, file) {
    const blocks = findMermaidBlocks(tree);
    if (blocks.length === 0) return;
    const where = file?.path ? relative(process.cwd(), file.path) : 'a Markdown file';
    const isMdx = String(file?.path ?? '').endsWith('.mdx');
    const lang = langFromContentPath(file?.path) ?? 'en';
    const rendered = [];
    for (const [n, block] of blocks.entries()) {
      const hash = createHash('sha256').update(block.code).digest('hex').slice(0, 8);
      const caption = figureCaption(block.code, titleFromMeta(block.meta), lang);
      // A long sequence diagram is drawn in parts of a few messages each (only the participants
      // a part uses, numbering carried on), so each part is readable in the column; the whole
      // diagram stays one click away at full size.
      const parts = splitSequence(block.code);
      const body = [];
      for (const [pi, code] of parts.entries()) {
        // One SVG in the page, in Mermaid's default theme; the dark theme shows it through a
        // CSS filter (site.css). Inlining a second, dark-themed copy doubled the page's HTML
        // (the architecture page: 323 KB, 249 KB of it SVG) and its mobile load time.
        const id = `mermaid-${hash}-${n}${parts.length > 1 ? `p${pi}` : ''}`;
        const raw = await renderMermaid(code, INLINE_THEME, id, `diagram #${n + 1} in ${where}`);
        if (!/^\s*<svg[\s>]/.test(raw)) throw new Error(`Mermaid output for diagram #${n + 1} in ${where} is not an <svg>`);
        const partTitle = parts.length > 1 ? `${caption.text} (${caption.part(pi + 1, parts.length)})` : caption.text;
        if (parts.length > 1) body.push(`<p class="mermaid-part">${escapeHtml(caption.part(pi + 1, parts.length))}</p>`);
        body.push(`<div class="mermaid-svg">${accessibleSvg(raw, id, partTitle)}</div>`);
      }
      // Full size: the whole diagram (unsplit) as an SVG file of its own, which the browser
      // opens in a tab and zooms natively. One link per theme; CSS shows the current one.
      const links = [];
      for (const [variant, theme] of VARIANTS) {
        const id = `mermaid-${hash}-${n}-${variant}`;
        const whole = accessibleSvg(await renderMermaid(block.code, theme, id, `diagram #${n + 1} in ${where}`), id, caption.text, { standalone: true });
        const name = `${hash}-${n}-${variant}.svg`;
        FULL_SIZE.set(name, whole);
        links.push(`<a class="mermaid-enlarge mermaid-variant-${variant}" href="${BASE}/diagrams/${name}" target="_blank" rel="noopener">${escapeHtml(caption.enlarge)}</a>`);
      }
      const html =
        `<figure class="mermaid-diagram not-content" role="group" aria-label="${escapeHtml(caption.text)}">${body.join('')}` +
        `<figcaption><span>${escapeHtml(caption.text)}</span> ${links.join('')}</figcaption></figure>`;
      const node = isMdx
        ? {
            type: 'mdxJsxFlowElement',
            name: 'Fragment',
            attributes: [{ type: 'mdxJsxAttribute', name: 'set:html', value: html }],
            children: [],
          }
        : { type: 'raw', value: html };
      rendered.push({ block, node });
    }
    // Replace from the end so indices in a shared parent stay valid.
    for (const { block, node } of rendered.reverse()) {
      block.parent.children.splice(block.index, 1, node);
    }
  };
}

/** Full-size diagram files (name → SVG text), written to dist/diagrams/ when the build is done. */
const FULL_SIZE = new Map();
const BASE = (deployConfig().base ?? '').replace(/\/$/, '');

/** Astro integration: closes the shared Chromium at the end of a build or dev session. */
export function mermaidIntegration() {
  return {
    name: 'netatlas-mermaid',
    hooks: {
      'astro:build:done': async ({ dir, logger }) => {
        logger.info(`Mermaid: ${renderedCount} SVG(s) rendered in Chromium, ${cachedCount} from .cache/mermaid`);
        const out = join(fileURLToPath(dir), 'diagrams');
        mkdirSync(out, { recursive: true });
        for (const [name, svg] of FULL_SIZE) writeFileSync(join(out, name), svg);
        await closeMermaidBrowser();
      },
      'astro:server:done': async () => {
        await closeMermaidBrowser();
      },
    },
  };
}
