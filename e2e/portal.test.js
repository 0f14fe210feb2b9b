// Browser tests of the public portal: Debian chromium driven by playwright-core.
//
// The test seeds its own store with the saylau binary (a synthetic country of 500
// stations, imported, then one station corrected with a reason), starts `saylau serve`
// on 127.0.0.1, drives the pages as a visitor would and stops the server by its PID.
// Screenshots go to target/e2e/. Run: `cd e2e && npm ci && node --test`
// (SAYLAU_BIN names the binary, default ../target/debug/saylau; CHROMIUM the browser).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, readdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const bin = process.env.SAYLAU_BIN ?? join(repo, 'target/debug/saylau');
const shots = join(repo, 'target/e2e');
const port = 18000 + (process.pid % 1000);
const origin = `http://127.0.0.1:${port}`;
const work = mkdtempSync(join(tmpdir(), 'saylau-e2e-'));
const db = join(work, 'store.sqlite');

let server;
let browser;
let station; // the corrected station: RR-DD-SSSS

function saylau(...args) {
  return execFileSync(bin, ['--db', db, ...args], { cwd: work, encoding: 'utf8' });
}

async function waitForServer() {
  for (let i = 0; i < 100; i++) {
    try {
      const res = await fetch(`${origin}/api/v1/checkpoint`);
      if (res.ok) return;
    } catch { /* not up yet */ }
    await new Promise((done) => setTimeout(done, 100));
  }
  throw new Error(`saylau serve did not answer on ${origin}`);
}

before(async () => {
  mkdirSync(shots, { recursive: true });
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
  server = spawn(bin, ['--db', db, 'serve', '--addr', `127.0.0.1:${port}`], { stdio: 'inherit' });
  await waitForServer();
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/lib/chromium/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  console.log(`# chromium ${browser.version()}, playwright-core ${JSON.parse(readFileSync(join(repo, 'e2e/node_modules/playwright-core/package.json'), 'utf8')).version}`);
});

after(async () => {
  await browser?.close();
  if (server?.pid) process.kill(server.pid, 'SIGTERM');
  rmSync(work, { recursive: true, force: true });
});

/** A page whose every request must stay on 127.0.0.1. */
async function visit(options) {
  const context = await browser.newContext({ viewport: { width: 1000, height: 800 }, ...options });
  const page = await context.newPage();
  const outside = [];
  page.on('request', (req) => {
    if (!req.url().startsWith(origin)) outside.push(req.url());
  });
  return { context, page, outside };
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
  await page.screenshot({ path: join(shots, 'kk-national.png'), fullPage: true });
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
  await page.screenshot({ path: join(shots, 'kk-station.png'), fullPage: true });
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
  await page.screenshot({ path: join(shots, 'en-station.png'), fullPage: true });
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
  await page.screenshot({ path: join(shots, 'ru-region-nojs.png'), fullPage: true });
  assert.deepEqual(outside, []);
  await context.close();
});
