// @ts-check
import { defineConfig } from 'astro/config';
import starlight from '@astrojs/starlight';
import { unified } from '@astrojs/markdown-remark';
import { rehypeMermaid, mermaidIntegration } from './src/integrations/mermaid.mjs';
import { pluginCopyCommandsOnly } from './src/integrations/ec-copy-commands.mjs';
import { remarkVerified } from './src/integrations/remark-verified.mjs';
import { rehypeRowHeaders } from './src/integrations/rehype-row-headers.mjs';
import { referenceScripts } from './src/integrations/reference-scripts.mjs';
import { deployConfig } from './src/integrations/deploy.mjs';
import { SITE } from './src/integrations/site-manifest.mjs';
import {
  LOCALES,
  DEFAULT_LOCALE,
  langFromContentPath,
  remarkLocalizedAsides,
} from './src/integrations/content-locale.mjs';

// Chapters, in reading order, and the other pages: site.manifest.json. Slugs are the same in
// every locale (content/<locale>/<slug>.mdx); sidebar labels come from each page's frontmatter
// (sidebar.label, else title), so they are translated with the page.

// NETATLAS_SITE / NETATLAS_REPO / NETATLAS_BRANCH (src/integrations/deploy.mjs, README "Deploying").
const deploy = deployConfig();
// Astro's `base` (a project page's path, from NETATLAS_SITE); the verification badges' links follow it.
const BASE = deploy.base ?? '/';

export default defineConfig({
  site: deploy.site,
  ...(deploy.base ? { base: deploy.base } : {}),
  trailingSlash: 'always',
  redirects: {
    '/': `/${DEFAULT_LOCALE}/`,
  },
  markdown: {
    // unified (remark/rehype) rather than Astro 7's default Sätteri, so remark plugins (the
    // verified-badge plugin to come, Starlight's asides) run on the chapters.
    processor: unified({
      remarkPlugins: [remarkLocalizedAsides, [remarkVerified, { base: BASE }]],
      // Before Expressive Code, which Starlight appends later.
      rehypePlugins: [rehypeMermaid, rehypeRowHeaders],
    }),
  },
  integrations: [
    starlight({
      title: {
        'zh-CN': 'Kubernetes 网络图鉴',
        en: 'Kubernetes Network Atlas',
      },
      description: 'One production Kubernetes network, explained: VXLAN overlay, ipvlan underlay, Open vSwitch, LACP bond, SNAT, IPVS.',
      defaultLocale: DEFAULT_LOCALE,
      // One /404.html serving every locale: src/pages/404.astro and src/pages/[locale]/404.astro.
      disable404Route: true,
      ...(deploy.repo
        ? {
            social: [{ icon: 'github', label: 'Repository', href: deploy.repo }],
            editLink: { baseUrl: deploy.editBase },
          }
        : {}),
      locales: LOCALES,
      sidebar: [...SITE.chapters, ...SITE.pages],
      // The live widgets' styles ride in the site's stylesheet: a separate render-blocking
      // stylesheet on the chapters with widgets cost a round trip before first paint.
      customCss: ['./src/styles/site.css', './src/components/widgets/widgets.css'],
      components: {
        // Starlight's search, but Pagefind's UI loads on the first intent to search instead of on
        // idle after every page load (JavaScript budget; see the component).
        Search: './src/components/Search.astro',
      },
      markdown: {
        // Starlight only runs its Markdown plugins (asides, heading anchor links) on files under
        // src/content/docs/ unless told about other folders.
        processedDirs: ['./content'],
      },
      expressiveCode: {
        frames: {
          showCopyToClipboardButton: true,
          removeCommentsWhenCopyingTerminalFrames: true,
          extractFileNameFromCode: false,
        },
        plugins: [pluginCopyCommandsOnly()],
        // Starlight would infer the language from the path under src/content/docs/; our chapters
        // are under content/<locale>/.
        getBlockLocale: ({ file }) => langFromContentPath(file.path) ?? LOCALES[DEFAULT_LOCALE].lang,
      },
    }),
    mermaidIntegration(),
    referenceScripts(),
  ],
});
