// remark plugin for the chapters' command blocks (see docs/authoring.md):
// - hidden setup lines (`#hide$ ...`) are run by the doctests but removed from the page;
// - under every checked block, a badge says what verified it — the model and the Linux kernel
//   (lib/doctest/kernel-scripts.ts decides: the reference kernel VM replays every checked block,
//   tests/lab/vm-doctests.ts) — and, folded away, links to the scripts it was built from (each
//   opens a page showing the script, src/pages/[locale]/scripts/[...name].astro);
// - an opted-out block gets a badge with its reason.
// Links honour Astro's `base` (remarkVerified({ base })); the badge's styles live in site.css.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseMeta, stripHiddenLines, SESSION_LANGS } from '../../lib/doctest/parse.ts';
import { verifiedLevel } from '../../lib/doctest/kernel-scripts.ts';
import { langFromContentPath } from './content-locale.mjs';

const I18N_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'content', 'i18n');
const strings = {
  en: JSON.parse(readFileSync(resolve(I18N_DIR, 'en.json'), 'utf8')),
  'zh-CN': JSON.parse(readFileSync(resolve(I18N_DIR, 'zh-CN.json'), 'utf8')),
};
const LOCALE_SEGMENT = { en: 'en', 'zh-CN': 'zh-cn' };

const attr = (name, value) => ({ type: 'mdxJsxAttribute', name, value });
const el = (name, attributes, children) => ({ type: 'mdxJsxTextElement', name, attributes, children });
const text = (value) => ({ type: 'text', value });

/** `base` + path, with one slash between (base '/' or '/netatlas' or '/netatlas/'). */
export function withBase(base, path) {
  return `${String(base ?? '/').replace(/\/+$/, '')}${path}`;
}

function badge(lang, level, reason, scripts, base) {
  const t = (k) => strings[lang]?.[k] ?? strings.en[k] ?? k;
  const page = withBase(base, `/${LOCALE_SEGMENT[lang] ?? 'en'}/verification/`);
  const kind = level ?? 'unchecked';
  const label = level ? t(`netatlas.verified.${level}`) : `${t('netatlas.unchecked')}: ${reason}`;
  const anchor = level ? t(`netatlas.verified.${level}Anchor`) : t('netatlas.uncheckedAnchor');
  const children = [
    el('a', [attr('href', `${page}#${encodeURIComponent(anchor)}`), attr('title', t('netatlas.verified.title'))], [
      el('span', [attr('class', 'netatlas-verified__icon'), attr('aria-hidden', 'true')], [text(level ? '✓' : '○')]),
      el('span', [attr('class', 'netatlas-verified__label')], [text(label)]),
    ]),
  ];
  if (scripts?.length) {
    const seg = LOCALE_SEGMENT[lang] ?? 'en';
    children.push(el('details', [attr('class', 'netatlas-verified__scripts')], [
      el('summary', [], [text(t('netatlas.scriptsCount').replace('{n}', String(scripts.length)))]),
      ...scripts.flatMap((s, i) => [
        ...(i ? [text(' ')] : []),
        el('a', [attr('href', withBase(base, `/${seg}/scripts/${s}/`))], [el('code', [], [text(s)])]),
      ]),
    ]));
  }
  return {
    type: 'mdxJsxFlowElement',
    name: 'div',
    attributes: [attr('class', `netatlas-verified not-content netatlas-verified--${kind}`), attr('data-verified', kind)],
    children,
  };
}

/** @param {{ base?: string }} [options] Astro's `base` (default '/'). */
export function remarkVerified(options = {}) {
  const base = options.base ?? '/';
  return (tree, file) => {
    const lang = langFromContentPath(file?.path);
    if (!lang) return;
    (function walk(node) {
      const kids = node.children;
      if (!kids) return;
      for (let i = 0; i < kids.length; i++) {
        const child = kids[i];
        if (child.type === 'code' && SESSION_LANGS.includes(child.lang ?? '')) {
          const meta = parseMeta(child.meta);
          if (meta.scripts || meta.unchecked !== undefined) {
            child.value = stripHiddenLines(child.value);
            const level = meta.scripts ? verifiedLevel({ kind: 'checked', meta }) : undefined;
            kids.splice(i + 1, 0, badge(lang, level, meta.unchecked, meta.scripts, base));
            i++;
          }
        } else walk(child);
      }
    })(tree);
  };
}
