// Browser test of the observation pages: Debian chromium driven by playwright-core, with
// JavaScript off. Its own store (a synthetic country of 400 stations with stuffed
// stations, an observer organisation's copies of 100 of them and a refusal), its own
// `saylau serve` on 127.0.0.1 stopped by PID. Screenshots go to target/e2e/.
// Run with the portal test: `cd e2e && npm ci && node --test`.

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
const port = 19000 + (process.pid % 1000);
const origin = `http://127.0.0.1:${port}`;
const work = mkdtempSync(join(tmpdir(), 'saylau-e2e-obs-'));
const db = join(work, 'store.sqlite');

let server;
let browser;
let refused; // the station whose copy was refused

function saylau(...args) {
  return JSON.parse(execFileSync(bin, ['--db', db, ...args], { cwd: work, encoding: 'utf8' }));
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
  server = spawn(bin, ['--db', db, 'serve', '--addr', `127.0.0.1:${port}`], { stdio: 'inherit' });
  await waitForServer();
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/lib/chromium/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  await browser?.close();
  if (server?.pid) process.kill(server.pid, 'SIGTERM');
  rmSync(work, { recursive: true, force: true });
});

test('a visitor opens the observation page, its refusal map and a region, with JavaScript off', async () => {
  const context = await browser.newContext({
    viewport: { width: 1000, height: 800 }, locale: 'en-GB', javaScriptEnabled: false,
  });
  const page = await context.newPage();
  const outside = [];
  page.on('request', (req) => {
    if (!req.url().startsWith(origin)) outside.push(req.url());
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
  await page.screenshot({ path: join(shots, 'en-observation.png'), fullPage: true });
  const [rr] = refused.split('-');
  await page.click(`table a[href="/en/observation/${rr}"]`);
  await page.waitForURL(`${origin}/en/observation/${rr}`);
  const row = page.locator('tr', { has: page.locator(`a[href="/en/s/${refused}"]`) }).filter({ hasText: 'kloop' });
  assert.match(await row.textContent(), /copy refused.*no paper/s);
  await page.click('nav.lang a[hreflang="kk"]');
  await page.waitForURL(`${origin}/kk/observation/${rr}`);
  assert.match(await page.textContent('h1'), /байқау/);
  await page.screenshot({ path: join(shots, 'kk-observation-region.png'), fullPage: true });
  assert.deepEqual(outside, []);
  await context.close();
});
