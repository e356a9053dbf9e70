#!/usr/bin/env node
// Browser test of the "Your cluster" page (run `npm run build` first; `npm run test:site`
// runs it after the other browser tests).
//
// Serves dist/ on 127.0.0.1, drives Debian's Chromium through playwright-core (headless,
// fresh profile, no background networking: src/integrations/chromium.mjs), and checks that
// the generator starts, shows validation messages next to the fields, generates for the
// parameters typed into the form, and that a downloaded script — and the same file in the
// downloaded ZIP — is byte for byte what lib/generator writes in Node for those parameters.
// Also: the parameters survive a reload through the URL, the traces are delivered, and the
// Chinese page speaks Chinese. Any console error, page error or failed request fails the
// test it happened in. Prints "N passed, N failed"; exit code 1 on failure.
//
// Usage: node tests/browser/generator.mjs [distDir]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { launchChromium } from '../../src/integrations/chromium.mjs';
import { startStaticServer } from './static-server.mjs';
import { createHarness } from './harness.mjs';
import { generate } from '../../lib/generator/generate.ts';
import { allFields, setField } from '../../lib/generator/form.ts';
import { REFERENCE_PARAMS } from '../../lib/generator/reference.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const DIST = resolve(process.argv[2] ?? join(ROOT, 'dist'));
const SHOTS = join(ROOT, 'test-results', 'screenshots');
const STEP_TIMEOUT = 20_000;

if (!existsSync(join(DIST, 'index.html'))) {
  console.error(`generator browser test: ${DIST}/index.html not found; run \`npm run build\` first.`);
  process.exit(1);
}
mkdirSync(SHOTS, { recursive: true });

const { results, test, assert, eq, watch, problem } = createHarness();

/** The form's edits, as (field path, text typed). Applied in the page and, in Node, with setField. */
const EDITS = [
  ['overlay.podCidr', '10.30.0.0/16'],
  ['nodes[0].podSubnet', '10.30.9.0/24'],
  ['nodes[1].podSubnet', '10.30.4.0/24'],
  ['nodes[0].pods', '10.30.9.41, auto, 10.30.9.60'],
  ['nodes[1].pods', '10.30.4.5'],
  ['overlay.vni', '42'],
  ['underlay.mtu', '9000'],
  ['fabric.bond.mode', 'balance-xor'],
  ['fabric.bond.lacpRate', ''],
  ['fabric.bond.xmitHashPolicy', 'layer2+3'],
];

function expectedParams() {
  let p = structuredClone(REFERENCE_PARAMS);
  for (const [path, value] of EDITS) p = setField(p, allFields(p).find((f) => f.path === path), value);
  return p;
}

async function setValue(page, path, value) {
  const el = page.locator(`[name="${path}"]`);
  if ((await el.evaluate((e) => e.tagName)) === 'SELECT') await el.selectOption(value);
  else await el.fill(value);
}

async function waitState(page, state) {
  await page.waitForFunction((s) => document.querySelector('[data-cg-status]')?.dataset.cgState === s, state, { timeout: STEP_TIMEOUT });
}

async function downloadOf(page, selector) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator(selector).click()]);
  const path = await download.path();
  return { name: download.suggestedFilename(), data: readFileSync(path) };
}

let server;
let browser;
try {
  server = await startStaticServer(DIST);
  const origin = `http://127.0.0.1:${server.address().port}`;
  console.log(`Serving ${DIST} at ${origin}`);
  browser = await launchChromium({ contextOptions: { viewport: { width: 1280, height: 900 }, colorScheme: 'light', locale: 'en-US', acceptDownloads: true } });
  const { context } = browser;
  context.setDefaultTimeout(STEP_TIMEOUT);
  const page = await context.newPage();
  watch(page);
  const fetched = [];
  page.on('request', (r) => fetched.push(r.url()));

  await test('/en/your-cluster/ loads the generator only when it comes into view, then shows the reference cluster', async () => {
    await page.goto(`${origin}/en/your-cluster/`, { waitUntil: 'load' });
    const above = await page.locator('[data-cg-root]').evaluate((el) => el.getBoundingClientRect().top > innerHeight + 200);
    if (above) {
      await page.waitForTimeout(300);
      assert(!fetched.some((u) => /client\.[\w-]+\.js/.test(u)), 'the generator was fetched before it came into view');
    }
    await page.locator('[data-cg-root]').scrollIntoViewIfNeeded();
    await waitState(page, 'ok');
    const ref = generate(REFERENCE_PARAMS);
    assert(ref.ok, 'reference does not generate in Node');
    const selected = await page.locator('[data-cg-file]').inputValue();
    assert(selected === 'nodes/node-a/setup-node-a.sh', `selected file is ${selected}`);
    const shown = await page.locator('[data-cg-view]').textContent();
    assert(shown === ref.value.files.find((f) => f.path === selected).text, 'the shown setup script is not the generator\'s');
    const traces = await page.locator('[data-cg-trace]').evaluateAll((els) => els.map((e) => e.dataset.cgTrace));
    assert(traces.length === 3 && traces.every((t) => t === 'DELIVERED'), `traces: ${traces.join(', ')}`);
    assert(!page.url().includes('cluster='), `untouched page has parameters in its URL: ${page.url()}`);
  });

  await test('validation messages appear next to the field', async () => {
    await setValue(page, 'nodes[1].podSubnet', '10.99.4.0/24');
    await waitState(page, 'errors');
    const msg = page.locator('[data-cg-error-for="nodes[1].podSubnet"]');
    assert(await msg.isVisible(), 'no message next to nodes[1].podSubnet');
    const text = await msg.textContent();
    assert(text.includes('10.99.4.0/24 is outside overlay.podCidr 10.20.0.0/16'), `message: ${text}`);
    assert((await page.locator('[name="nodes[1].podSubnet"]').getAttribute('aria-invalid')) === 'true', 'field not marked invalid');
    await setValue(page, 'overlay.podMtu', '1451');
    await waitState(page, 'errors');
    const mtu = await page.locator('[data-cg-error-for="overlay.podMtu"]').textContent();
    assert(/VXLAN over IPv4 adds 50 bytes/.test(mtu) && /does not count/.test(mtu), `MTU message: ${mtu}`);
    await setValue(page, 'overlay.podMtu', '');
    await setValue(page, 'nodes[1].podSubnet', '10.20.4.0/24');
    await waitState(page, 'ok');
    assert(!(await msg.isVisible()), 'the message stays after the fix');
    await page.screenshot({ path: join(SHOTS, 'en-your-cluster-errors-fixed.png') });
  });

  const params = expectedParams();
  const mine = generate(params);

  await test('a script downloaded after filling the form is byte for byte what the generator writes in Node', async () => {
    assert(mine.ok, `the test's parameters do not generate: ${JSON.stringify(mine.errors)}`);
    for (const [path, value] of EDITS) await setValue(page, path, value);
    await page.waitForFunction(() => document.querySelector('[data-cg-view]')?.textContent?.includes('vxlan id 42'), null, { timeout: STEP_TIMEOUT });
    await waitState(page, 'ok');
    for (const path of ['nodes/node-a/setup-node-a.sh', 'nodes/node-b/check-node-b.sh', 'simulation/30-overlay.sh']) {
      await page.locator('[data-cg-file]').selectOption(path);
      const got = await downloadOf(page, '[data-cg-download]');
      const want = mine.value.files.find((f) => f.path === path);
      assert(got.name === path.split('/').pop(), `downloaded as ${got.name}`);
      assert(Buffer.compare(got.data, Buffer.from(want.text, 'utf8')) === 0, `${path}: the download differs from the generator's output`);
    }
    await page.screenshot({ path: join(SHOTS, 'en-your-cluster-filled.png'), fullPage: false });
  });

  await test('the ZIP holds every generated file, byte for byte, scripts executable', async () => {
    const got = await downloadOf(page, '[data-cg-zip]');
    assert(got.name === 'your-cluster.zip', `downloaded as ${got.name}`);
    const py = `import zipfile,sys,json,io
z=zipfile.ZipFile(io.BytesIO(sys.stdin.buffer.read()))
assert z.testzip() is None
print(json.dumps([[i.filename, i.external_attr>>16, z.read(i).decode()] for i in z.infolist()]))`;
    const r = spawnSync('python3', ['-c', py], { input: got.data, encoding: 'utf8', maxBuffer: 64 << 20 });
    assert(r.status === 0, `python zipfile: ${r.stderr}`);
    const entries = JSON.parse(r.stdout);
    assert(entries.length === mine.value.files.length, `${entries.length} entries, expected ${mine.value.files.length}`);
    for (const [i, f] of mine.value.files.entries()) {
      const [name, mode, text] = entries[i];
      assert(name === `your-cluster/${f.path}`, `entry ${i} is ${name}`);
      assert(text === f.text, `${name} differs`);
      assert(mode === (f.executable ? 0o100755 : 0o100644), `${name} has mode ${mode.toString(8)}`);
    }
  });

  await test('the parameters are in the URL: a reload shows the same cluster', async () => {
    const url = page.url();
    assert(url.includes('cluster='), `no parameters in ${url}`);
    await page.goto(url, { waitUntil: 'load' });
    await page.locator('[data-cg-root]').scrollIntoViewIfNeeded();
    await waitState(page, 'ok');
    for (const [path, value] of EDITS) {
      const v = await page.locator(`[name="${path}"]`).inputValue();
      assert(v === value, `${path} is "${v}" after reload, expected "${value}"`);
    }
    await page.locator('[data-cg-file]').selectOption('nodes/node-a/setup-node-a.sh');
    const shown = await page.locator('[data-cg-view]').textContent();
    assert(shown === mine.value.files.find((f) => f.path === 'nodes/node-a/setup-node-a.sh').text, 'after reload the script differs');
    const traces = await page.locator('[data-cg-trace]').evaluateAll((els) => els.map((e) => e.dataset.cgTrace));
    assert(traces.every((t) => t === 'DELIVERED'), `traces: ${traces.join(', ')}`);
  });

  await test('adding and removing a node', async () => {
    await page.locator('[data-cg-add="nodes"]').click();
    await waitState(page, 'ok');
    assert((await page.locator('[name="nodes[2].name"]').inputValue()) === 'node-c', 'no node-c');
    const options = await page.locator('[data-cg-file] option').allTextContents();
    assert(options.includes('nodes/node-c/setup-node-c.sh'), 'no setup script for node-c');
    await page.locator('[data-cg-group="nodes[2]"] .cg-remove').click();
    await waitState(page, 'ok');
    assert((await page.locator('[name="nodes[2].name"]').count()) === 0, 'node-c still there');
  });

  await test('/zh-cn/your-cluster/ speaks Chinese, messages included', async () => {
    const zh = await context.newPage();
    watch(zh);
    await zh.goto(`${origin}/zh-cn/your-cluster/`, { waitUntil: 'load' });
    await zh.locator('[data-cg-root]').scrollIntoViewIfNeeded();
    await waitState(zh, 'ok');
    const legend = await zh.locator('.cg-section legend').first().textContent();
    assert(legend === '节点', `first legend is ${legend}`);
    await setValue(zh, 'nodes[0].address', '10.186.153.12');
    await waitState(zh, 'errors');
    const text = await zh.locator('[data-cg-error-for="nodes[0].address"]').textContent();
    assert(text.includes('已被') || (await zh.locator('[data-cg-error-for="nodes[1].address"]').textContent()).includes('已被'), `message: ${text}`);
    await zh.screenshot({ path: join(SHOTS, 'zh-cn-your-cluster-errors.png') });
    await zh.close();
  });
} catch (err) {
  results.push({ name: 'setup', ok: false });
  console.log(`  FAIL  setup\n      ${err?.stack ?? err}`);
} finally {
  await browser?.close().catch(() => {});
  await new Promise((r) => (server ? server.close(() => r()) : r()));
}

const passed = results.filter((r) => r.ok).length;
console.log(`\n${passed} passed, ${results.length - passed} failed`);
process.exit(results.length - passed ? 1 : 0);
