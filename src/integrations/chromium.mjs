// Shared by the build (Mermaid rendering) and the browser test: where Chromium is and how to
// start it on this closed network. Debian's chromium is used through playwright-core;
// `npx playwright install` cannot download a browser here.
import { existsSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

/** Path of a Chromium binary: $CHROMIUM_PATH, else the first known system path that exists. */
export function findChromium() {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) {
    if (!existsSync(fromEnv)) {
      throw new Error(`CHROMIUM_PATH is set to ${fromEnv}, but no file exists there.`);
    }
    return fromEnv;
  }
  const found = CANDIDATES.find((p) => existsSync(p));
  if (!found) {
    throw new Error(
      'No Chromium found (looked at $CHROMIUM_PATH and ' +
        CANDIDATES.join(', ') +
        '). The site build renders Mermaid diagrams and the browser test drives pages in a local ' +
        'Chromium. Install it with `apt-get install -y chromium` (Debian; add fonts-noto-cjk so ' +
        'Chinese diagram labels are measured with a real CJK font), or point CHROMIUM_PATH at a ' +
        'Chromium/Chrome binary.',
    );
  }
  return found;
}

/**
 * Flags for headless Chromium on a machine without internet: without the background-networking
 * flags Chromium keeps trying (and failing) to reach Google's services.
 */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/**
 * Launch Chromium with a fresh, throw-away profile directory.
 * Returns { context, close } where context is a playwright BrowserContext (persistent context,
 * because a fresh --user-data-dir is wanted; playwright manages it through launchPersistentContext).
 * @param {{ contextOptions?: object }} [opts]
 */
export async function launchChromium(opts = {}) {
  const { chromium } = await import('playwright-core');
  const userDataDir = mkdtempSync(join(tmpdir(), 'netatlas-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: findChromium(),
    headless: true,
    args: CHROMIUM_ARGS,
    ...opts.contextOptions,
  });
  let closed = false;
  async function close() {
    if (closed) return;
    closed = true;
    try {
      await context.close();
    } finally {
      rmSync(userDataDir, { recursive: true, force: true });
    }
  }
  return { context, close };
}
