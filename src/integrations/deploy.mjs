// Where the site is deployed and where its source lives: read from the environment at build
// time, so nothing in the repository pretends to know a deployment it does not (README,
// "Deploying").
//
// NETATLAS_SITE  the site's origin (and path, for a project page), e.g.
//                https://example.github.io/netatlas. Astro's `site`: canonical URLs, hreflang
//                alternates and the sitemap are written with it. Default: the address
//                scripts/serve.sh and `npm run preview` serve on, http://127.0.0.1:4321.
// NETATLAS_REPO  the repository's web address, e.g. https://github.com/OWNER/netatlas: the
//                header's repository link and every page's "Edit this page" link
//                (NETATLAS_REPO/edit/NETATLAS_BRANCH/content/<locale>/<page>.mdx). Unset: no
//                such links (there is no repository address to point at).
// NETATLAS_BRANCH the branch edit links open (default main).

export const DEFAULT_SITE = 'http://127.0.0.1:4321';

export function deployConfig(env = process.env) {
  const site = (env.NETATLAS_SITE || DEFAULT_SITE).replace(/\/+$/, '');
  const repo = (env.NETATLAS_REPO || '').replace(/\/+$/, '');
  const branch = env.NETATLAS_BRANCH || 'main';
  const url = new URL(site);
  return {
    site: url.origin,
    // A project page (https://owner.github.io/netatlas) is served under a path: Astro's `base`.
    base: url.pathname === '/' ? undefined : url.pathname,
    repo: repo || undefined,
    // Starlight appends the page's path relative to the project root (content/<locale>/<page>.mdx).
    editBase: repo ? `${repo}/edit/${branch}/` : undefined,
  };
}
