// The browser tests' minimal harness, shared by run.mjs, widgets.mjs and generator.mjs:
// named tests that collect page problems (console errors, page errors, failed requests,
// HTTP errors, unexpected dialogs) reported while they run, and plain assertions.
export function createHarness() {
  const results = [];
  let current = null; // problems reported by page listeners go to the running test

  async function test(name, fn) {
    current = { name, problems: [] };
    const started = Date.now();
    try {
      await fn();
      if (current.problems.length) throw new Error(current.problems.join('\n      '));
      results.push({ name, ok: true });
      console.log(`  ok    ${name} (${Date.now() - started} ms)`);
    } catch (err) {
      results.push({ name, ok: false, err });
      console.log(`  FAIL  ${name}\n      ${String(err?.message ?? err).split('\n').join('\n      ')}`);
    } finally {
      current = null;
    }
  }

  function assert(cond, message) {
    if (!cond) throw new Error(message);
  }

  function eq(actual, expected, what) {
    const a = JSON.stringify(actual);
    const e = JSON.stringify(expected);
    if (a !== e) throw new Error(`${what}:\n        got      ${a}\n        expected ${e}`);
  }

  function watch(page) {
    page.on('console', (msg) => {
      if (msg.type() === 'error') current?.problems.push(`console error on ${page.url()}: ${msg.text()}`);
    });
    page.on('pageerror', (err) => current?.problems.push(`page error on ${page.url()}: ${err.message}`));
    page.on('requestfailed', (req) => current?.problems.push(`request failed: ${req.url()} (${req.failure()?.errorText ?? '?'})`));
    page.on('response', (res) => {
      if (res.status() >= 400) current?.problems.push(`HTTP ${res.status()} for ${res.url()}`);
    });
    page.on('dialog', (d) => {
      current?.problems.push(`unexpected dialog: ${d.message()}`);
      void d.dismiss();
    });
  }

  /** Records a problem against the running test (for listeners a test file adds itself). */
  function problem(text) {
    current?.problems.push(text);
  }

  return { results, test, assert, eq, watch, problem };
}

/** Replaces an input's value by typing, as a reader would. */
export async function typeInto(input, value) {
  await input.click();
  await input.press('Control+A');
  await input.press('Backspace');
  if (value) await input.pressSequentially(value);
}
