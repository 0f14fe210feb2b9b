// Browser test of the forensics page: Debian chromium driven by playwright-core, with
// JavaScript off. Its own store (a synthetic country of 400 stations, 5 % of them
// stuffed), its own `saylau serve` on 127.0.0.1 stopped by PID (harness.js). Screenshots go
// to target/e2e/. Run with the other browser tests: `cd e2e && npm ci && node --test`.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as harness from './harness.js';

const seeded = harness.store('fx');
const { work, db } = seeded;

let server;
let origin;
let browser;

function saylau(...args) {
  return seeded.json(args);
}

before(async () => {
  saylau('generate', '--seed', '5', '--stations', '400', '--anomalies', '0.05',
    '--out', 'gen', '--json');
  saylau('db', 'init', '--json');
  const cec = saylau('keys', 'new', '--commission', 'CEC', '--out', 'keys', '--json').private_key;
  saylau('import', '--key', cec, '--json', 'gen/protocols.csv');
  server = await harness.serve(db, work);
  origin = server.origin;
  browser = await harness.browser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  harness.remove(work);
});

test('a visitor opens the forensics page in Kazakh and reads each chart beside its numbers, with JavaScript off', async () => {
  const { context, page, outside } = await harness.page(browser, origin, {
    viewport: { width: 1000, height: 800 }, locale: 'kk-KZ',
  });
  await page.goto(`${origin}/kk/`);
  await page.click('p.forensics a[href="/kk/forensics"]');
  await page.waitForURL(`${origin}/kk/forensics`);
  assert.equal(await page.textContent('h1'), 'Сайлау статистикасы');
  assert.match(await page.textContent('p.headline'), /дәлелдемейді/, 'the caveat');
  // Four charts: turnout, fingerprint, integer percentages, votes by turnout.
  assert.equal(await page.locator('svg[role="img"]').count(), 4);
  const api = await (await fetch(`${origin}/api/v1/forensics`)).json();
  assert.equal(api.available, true);
  const fx = api.forensics;
  assert.equal(fx.input.stations, 400);
  // The integer test's table has the API's observed counts.
  const integer = page.locator('section[aria-labelledby="fx-integer-h"] table');
  const observed = (await integer.locator('tbody tr td:nth-child(2)').allTextContents()).map(Number);
  assert.deepEqual(observed, [fx.integer.observed.either, fx.integer.observed.leader, fx.integer.observed.turnout]);
  // The fingerprint's SVG draws one cell per occupied 1 % × 1 % square.
  const occupied = fx.fingerprint.flat().filter((count) => count > 0).length;
  const fingerprint = page.locator('section[aria-labelledby="fx-fingerprint-h"] svg rect[width="3"]');
  assert.equal(await fingerprint.count(), occupied);
  // The excess estimate's table has a row per variant.
  const variants = page.locator('section[aria-labelledby="fx-excess-h"] table').first();
  assert.equal(await variants.locator('tbody tr').count(), fx.shpilkin.variants.length);
  await harness.shot(page, 'kk-forensics');
  await page.click('nav.lang a[hreflang="en"]');
  await page.waitForURL(`${origin}/en/forensics`);
  assert.equal(await page.textContent('h1'), 'Election forensics');
  assert.deepEqual(outside, []);
  await context.close();
});
