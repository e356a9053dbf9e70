import { defineCollection } from 'astro:content';
import { z } from 'astro/zod';
import { glob } from 'astro/loaders';
import { i18nLoader } from '@astrojs/starlight/loaders';
import { docsSchema, i18nSchema } from '@astrojs/starlight/schema';

export const collections = {
  // The chapters live in the top-level content/ folder: content/<locale>/<slug>.mdx.
  // Same file pattern as Starlight's docsLoader (which is fixed to src/content/docs/).
  docs: defineCollection({
    loader: glob({ base: './content', pattern: '**/[^_]*.{md,mdx}' }),
    schema: docsSchema(),
  }),
  // UI strings, one file per language: src/content/i18n/<lang>.json. Besides Starlight's own
  // keys, the site's own strings (netatlas.*) live here.
  i18n: defineCollection({
    loader: i18nLoader(),
    schema: i18nSchema({
      extend: z.object({
        'netatlas.verified.model': z.string(),
        'netatlas.verified.kernel': z.string(),
        'netatlas.verified.modelAnchor': z.string(),
        'netatlas.verified.kernelAnchor': z.string(),
        'netatlas.verified.title': z.string(),
        'netatlas.unchecked': z.string(),
        'netatlas.uncheckedAnchor': z.string(),
        // Pagefind's result totals, which Starlight's schema does not list (its other
        // pagefind.* keys are Starlight's own): passed to Pagefind's UI by Search.astro.
        'pagefind.total_zero_results': z.string().optional(),
        'pagefind.total_one_result': z.string().optional(),
        'pagefind.total_many_results': z.string().optional(),
      }),
    }),
  }),
};
