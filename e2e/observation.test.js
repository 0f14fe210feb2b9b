// Browser test of the observation pages: Debian chromium driven by playwright-core, with
// JavaScript off. Its own store (a synthetic country of 400 stations with stuffed
// stations, an observer organisation's copies of 100 of them and a refusal), its own
// `saylau serve` on 127.0.0.1 stopped by PID (harness.js). Screenshots go to target/e2e/.
// Run with the portal test: `cd e2e && npm ci && node --test`.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as harness from './harness.js';

const seeded = harness.store('obs');
const { work, db } = seeded;

let server;
let origin;
let browser;
let refused; // the station whose copy was refused

function saylau(...args) {
  return seeded.json(args);
}

before(async () => {
  saylau('generate', '--seed', '9', '--stations', '400', '--anomalies', '0.05',
    '--observer-sample', '100', '--out', 'gen', '--json');
  saylau('db', 'init', '--json');
  const cec = saylau('keys', 'new', '--commission', 'CEC', '--out', 'keys', '--json').private_key;
  saylau('import', '--key', cec, '--json', 'gen/protocols.csv');
  saylau('observers', 'add', '--id', 'golos', '--name', 'Golos', '--key', cec, '--json');
  const golos = saylau('keys', 'new', '--observer', 'golos', '--key', cec, '--out', 'keys',
    '--json').private_key;
  saylau('observe', 'import', '--key', golos, '--json', 'gen/observer-copies.csv');
  saylau('incidents', 'import', '--key', golos, '--json', 'gen/observer-incidents.csv');
  // A station without a copy: its copy refused.
  const copies = new Set(readFileSync(join(work, 'gen/observer-copies.csv'), 'utf8')
    .split('\n').map((line) => line.split(',')[0]));
  const stations = readFileSync(join(work, 'gen/protocols.csv'), 'utf8').split('\n')
    .map((line) => line.split(',')[0]).filter((id) => /^\d\d-\d\d-\d{4}$/.test(id));
  refused = stations.find((id) => !copies.has(id));
  writeFileSync(join(work, 'statuses.csv'),
    `station,status,time,note\n${refused},refused,2021-01-10T20:40,no paper\n`);
  const kloop = (() => {
    saylau('observers', 'add', '--id', 'kloop', '--name', 'Kloop', '--key', cec, '--json');
    return saylau('keys', 'new', '--observer', 'kloop', '--key', cec, '--out', 'keys',
      '--json').private_key;
  })();
  saylau('observe', 'import', '--key', kloop, '--json', 'statuses.csv');
  assert.ok(readdirSync(join(work, 'keys')).length >= 6);
  server = await harness.serve(db, work);
  origin = server.origin;
  browser = await harness.browser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  harness.remove(work);
});

test('a visitor opens the observation page, its refusal map and a region, with JavaScript off', async () => {
  const { context, page, outside } = await harness.page(browser, origin, {
    viewport: { width: 1000, height: 800 }, locale: 'en-GB',
  });
  await page.goto(`${origin}/en/`);
  await page.click('p.observation a[href="/en/observation"]');
  await page.waitForURL(`${origin}/en/observation`);
  assert.equal(await page.textContent('h1'), 'Independent observation');
  // Charts with their tables: the scatter, the findings, the map, the published seats.
  assert.ok(await page.locator('svg[role="img"]').count() >= 4);
  assert.equal(await page.locator('svg circle').count(), 100, 'one dot per compared station');
  const api = await (await fetch(`${origin}/api/v1/observation`)).json();
  assert.equal(api.totals.stations_compared, 100);
  assert.match(await page.textContent('body'), new RegExp(api.totals.official.turnout));
  assert.ok(api.findings.by_status.mismatch > 0, 'stuffed stations among the copies');
  assert.equal(api.findings.by_status.refused, 1);
  // Incidents by type, region and hour, each a chart with its table.
  assert.ok(api.incidents.violations > 0);
  const incidents = page.locator('section[aria-labelledby="obs-incidents-h"]');
  assert.equal(await incidents.locator('svg[role="img"]').count(), 3);
  assert.equal(await incidents.locator('table').count(), 3);
  assert.match(await incidents.textContent(), new RegExp(`${api.incidents.violations} violations`));
  await harness.shot(page, 'en-observation');
  const [rr] = refused.split('-');
  await page.click(`table a[href="/en/observation/${rr}"]`);
  await page.waitForURL(`${origin}/en/observation/${rr}`);
  const row = page.locator('tr', { has: page.locator(`a[href="/en/s/${refused}"]`) }).filter({ hasText: 'kloop' });
  assert.match(await row.textContent(), /copy refused.*no paper/s);
  await page.click('nav.lang a[hreflang="kk"]');
  await page.waitForURL(`${origin}/kk/observation/${rr}`);
  assert.match(await page.textContent('h1'), /байқау/);
  await harness.shot(page, 'kk-observation-region');
  assert.deepEqual(outside, []);
  await context.close();
});
