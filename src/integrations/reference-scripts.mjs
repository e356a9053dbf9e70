// Serves content/scripts/ at /scripts/ (dev) and copies it into the build, byte for byte, so
// every script a chapter's output was checked against can be downloaded from the page.
import { cpSync, existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const SCRIPTS = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'content', 'scripts');

export function referenceScripts() {
  return {
    name: 'netatlas-reference-scripts',
    hooks: {
      'astro:server:setup': ({ server }) => {
        server.middlewares.use('/scripts/', (req, res, next) => {
          const rel = normalize(decodeURIComponent((req.url ?? '/').split('?')[0])).replace(/^([/\\])+/, '');
          const path = join(SCRIPTS, rel);
          if (!path.startsWith(SCRIPTS) || !existsSync(path) || !statSync(path).isFile()) return next();
          res.setHeader('Content-Type', 'text/x-shellscript; charset=utf-8');
          res.end(readFileSync(path));
        });
      },
      'astro:build:done': ({ dir }) => {
        cpSync(SCRIPTS, join(fileURLToPath(dir), 'scripts'), { recursive: true });
      },
    },
  };
}
