// The chapters live in <root>/content/<locale>/, not in Starlight's fixed src/content/docs/.
// Starlight 0.42 infers a Markdown file's language from its path relative to src/content/docs/,
// so for files under content/ it would always answer the default locale (zh-CN): English pages
// would get Chinese code-frame labels and aside titles. These helpers infer the language from
// content/<locale>/ instead; astro.config.mjs wires them into Expressive Code (getBlockLocale)
// and into a small remark plugin that gives asides an explicit title in their page's language.
import { dirname, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SITE } from './site-manifest.mjs';

/** <repo>/content, from this file's location (src/integrations/). */
export const CONTENT_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'content');

/** Site locales: URL segment → label and BCP-47 lang (site.manifest.json). */
export const LOCALES = SITE.locales;
export const DEFAULT_LOCALE = SITE.defaultLocale;

/** BCP-47 lang of a content file from its absolute path, or undefined when not under content/. */
export function langFromContentPath(path) {
  if (!path) return undefined;
  const p = String(path).replace(/\\/g, '/');
  const base = CONTENT_DIR.split(sep).join('/') + '/';
  if (!p.startsWith(base)) return undefined;
  const locale = p.slice(base.length).split('/')[0];
  return LOCALES[locale]?.lang ?? LOCALES[DEFAULT_LOCALE].lang;
}

/** Aside titles in the languages Starlight would otherwise get wrong (Starlight's own wording). */
const ASIDE_TITLES = {
  en: { note: 'Note', tip: 'Tip', caution: 'Caution', danger: 'Danger' },
  'zh-CN': { note: '注意', tip: '提示', caution: '警告', danger: '危险' },
};

/**
 * remark plugin: give `:::note` / `:::tip` / `:::caution` / `:::danger` asides without a
 * `[label]` an explicit label in the language of their page. Runs before Starlight's own aside
 * plugin, which then uses the label as the title.
 */
export function remarkLocalizedAsides() {
  return (tree, file) => {
    const lang = langFromContentPath(file?.path);
    const titles = lang && ASIDE_TITLES[lang];
    if (!titles) return;
    (function walk(node) {
      if (node.type === 'containerDirective' && titles[node.name]) {
        const first = node.children?.[0];
        const hasLabel = first?.type === 'paragraph' && first.data?.directiveLabel;
        if (!hasLabel) {
          node.children.unshift({
            type: 'paragraph',
            data: { directiveLabel: true },
            children: [{ type: 'text', value: titles[node.name] }],
          });
        }
      }
      for (const child of node.children ?? []) walk(child);
    })(tree);
  };
}
