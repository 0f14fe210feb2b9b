// Browser tests of the public portal: Debian chromium driven by playwright-core.
//
// The test seeds its own store with the saylau binary (a synthetic country of 500
// stations, imported, then one station corrected with a reason), starts `saylau serve`
// on 127.0.0.1, drives the pages as a visitor would and stops the server by its PID
// (harness.js: port, readiness, chromium, screenshots under target/e2e/).
// Run: `cd e2e && npm ci && node --test`.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as harness from './harness.js';

const seeded = harness.store('portal');
const { work, db } = seeded;

let server;
let origin;
let browser;
let station; // the corrected station: RR-DD-SSSS

function saylau(...args) {
  return seeded.saylau(args);
}

before(async () => {
  saylau('generate', '--seed', '7', '--stations', '500', '--out', 'gen', '--json');
  saylau('db', 'init', '--json');
  saylau('keys', 'new', '--commission', 'CEC', '--out', 'keys', '--json');
  const key = join(work, 'keys', readdirSync(join(work, 'keys')).find((f) => !f.endsWith('.pub.pem')));
  saylau('import', '--key', key, '--author', 'CEC operator', '--json', 'gen/protocols.csv');
  // A correction of the first station: 7 votes move from the first list to the second.
  const lines = readFileSync(join(work, 'gen/protocols.csv'), 'utf8').split('\n');
  const header = lines.findIndex((line) => line.startsWith('station,'));
  const columns = lines[header].split(',');
  const row = lines[header + 1].split(',');
  const first = columns.findIndex((c) => c.startsWith('list:'));
  row[first] = String(Number(row[first]) - 7);
  row[first + 1] = String(Number(row[first + 1]) + 7);
  station = row[0];
  writeFileSync(join(work, 'fix.csv'), [...lines.slice(0, header + 1), row.join(','), ''].join('\n'));
  saylau('import', '--key', key, '--author', 'TEC operator', '--reason', 'recount ordered by the TEC',
    '--base-current', '--json', 'fix.csv');
  server = await harness.serve(db, work);
  origin = server.origin;
  browser = await harness.browser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  harness.remove(work);
});

/** A page whose every request must stay on 127.0.0.1. */
async function visit({ locale, javaScriptEnabled = true } = {}) {
  const viewport = { width: 1000, height: 800 };
  return harness.page(browser, origin, { viewport, locale, javaScript: javaScriptEnabled });
}

test('a visitor drills CEC -> region -> district -> station in Kazakh and sees history and a chart', async () => {
  const { context, page, outside } = await visit({ locale: 'kk-KZ' });
  await page.goto(`${origin}/`);
  await page.waitForURL(`${origin}/kk/`);
  assert.equal(await page.getAttribute('html', 'lang'), 'kk');
  assert.equal(await page.textContent('h1'), 'Ел бойынша қорытынды');
  assert.match(await page.textContent('.reporting .headline'), /100,00/);
  assert.equal(await page.locator('.votes svg[role="img"] title').count(), 1);
  assert.ok(await page.locator('.votes table tbody tr').count() >= 5);
  assert.equal(await page.locator('.map svg a').count(), 17);
  await harness.shot(page, 'kk-national');
  const [rr, dd] = station.split('-');
  await page.click(`.children a[href="/kk/t/${rr}"]`);
  await page.waitForURL(`${origin}/kk/t/${rr}`);
  await page.click(`.children a[href="/kk/t/${rr}-${dd}"]`);
  await page.waitForURL(`${origin}/kk/t/${rr}-${dd}`);
  await page.click(`.children a[href="/kk/s/${station}"]`);
  await page.waitForURL(`${origin}/kk/s/${station}`);
  assert.equal(await page.textContent('[data-key="status"]'), 'алынды');
  assert.equal(await page.locator('.control li.ok').count(), 7);
  assert.equal(await page.locator('.history article.version').count(), 2);
  const newest = page.locator('.history article.version').first();
  assert.match(await newest.textContent(), /recount ordered by the TEC/);
  assert.equal(await newest.locator('table.diff tbody tr').count(), 2);
  assert.ok(await page.locator('.votes svg[role="img"]').isVisible());
  // The Kazakh letters are there as text (the screenshot shows how they render).
  assert.match(await page.textContent('body'), /[әғқңөұүһі]/);
  await harness.shot(page, 'kk-station');
  assert.deepEqual(outside, []);
  await context.close();
});

test('switching language keeps the place', async () => {
  const { context, page, outside } = await visit({ locale: 'kk-KZ' });
  await page.goto(`${origin}/kk/s/${station}`);
  await page.click('nav.lang a[hreflang="ru"]');
  await page.waitForURL(`${origin}/ru/s/${station}`);
  assert.equal(await page.getAttribute('html', 'lang'), 'ru');
  assert.equal(await page.textContent('[data-key="status"]'), 'получен');
  await page.click('nav.lang a[hreflang="en"]');
  await page.waitForURL(`${origin}/en/s/${station}`);
  assert.match(await page.textContent('.history'), /Version history/);
  await harness.shot(page, 'en-station');
  assert.deepEqual(outside, []);
  await context.close();
});

test('the public pages work with JavaScript off', async () => {
  const { context, page, outside } = await visit({ locale: 'ru-RU', javaScriptEnabled: false });
  await page.goto(`${origin}/`);
  await page.waitForURL(`${origin}/ru/`);
  const [rr] = station.split('-');
  await page.click(`.map svg a[href="/ru/t/${rr}"]`);
  await page.waitForURL(`${origin}/ru/t/${rr}`);
  assert.match(await page.textContent('.reporting .headline'), /Обработано/);
  await harness.shot(page, 'ru-region-nojs');
  assert.deepEqual(outside, []);
  await context.close();
});
