// The site manifest (site.manifest.json) for the build, the budget and Lighthouse scripts and
// the browser tests: locales, chapters, pages, reference scripts. See lib/site/manifest.ts.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** @type {{ defaultLocale: string, locales: Record<string, { label: string, lang: string }>, chapters: string[], pages: string[], scripts: { production: string[], kernel: string[], kernelFaults: string[], kernelVariants: string[] } }} */
export const SITE = JSON.parse(readFileSync(join(root, 'site.manifest.json'), 'utf8'));

/** Locale URL segments, default first. */
export const LOCALE_IDS = [SITE.defaultLocale, ...Object.keys(SITE.locales).filter((l) => l !== SITE.defaultLocale)];
