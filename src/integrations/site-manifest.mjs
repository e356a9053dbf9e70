// The site manifest (site.manifest.json) for the build, the budget and Lighthouse scripts and
// the browser tests: locales, chapters, pages, reference scripts. See lib/site/manifest.ts.
// Imported, not read from disk: pages that use it are bundled (and then run from dist/),
// where a path relative to this file would no longer find the manifest.
import manifest from '../../site.manifest.json' with { type: 'json' };

/** @type {{ defaultLocale: string, locales: Record<string, { label: string, lang: string }>, chapters: string[], pages: string[], scripts: { production: string[], kernel: string[], kernelFaults: string[], kernelVariants: string[] } }} */
export const SITE = manifest;

/** Locale URL segments, default first. */
export const LOCALE_IDS = [SITE.defaultLocale, ...Object.keys(SITE.locales).filter((l) => l !== SITE.defaultLocale)];
