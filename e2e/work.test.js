// Browser tests of the working interface (/work/): Debian chromium driven by
// playwright-core, JavaScript off, phone-sized.
//
// The test seeds its own store (a synthetic country of 100 stations, imported), makes keys
// for a station's PEC and its district's TEC, adds users with `saylau users add` (the CEC
// key authorises), starts `saylau serve --keys` on 127.0.0.1 and stops it by its PID.
// A PEC operator enters a protocol that breaks a control relation and sees the rule; two
// operators' double entry differs and the district's operator resolves it; the public page
// shows the new version, who made it and its diff; an operator of another station is
// refused. Screenshots go to target/e2e/.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const bin = process.env.SAYLAU_BIN ?? join(repo, 'target/debug/saylau');
const shots = join(repo, 'target/e2e');
const port = 19000 + (process.pid % 1000);
const origin = `http://127.0.0.1:${port}`;
const work = mkdtempSync(join(tmpdir(), 'saylau-e2e-work-'));
const db = join(work, 'store.sqlite');
const password = 'a long test password';

let server;
let browser;
let station; // RR-DD-SSSS with operators
let elsewhere; // a station of another region

function saylau(args, input) {
  return execFileSync(bin, ['--db', db, ...args], { cwd: work, encoding: 'utf8', input });
}

// The store's first key (the CEC's) registers itself; every later one is registered by an
// entry signed with `parent`, a key at or above its commission (docs/integrity.md).
function keyOf(commission, parent) {
  const signed = parent ? ['--key', parent] : [];
  const args = ['keys', 'new', '--commission', commission, ...signed, '--out', 'keys', '--json'];
  return JSON.parse(saylau(args)).private_key;
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
  saylau(['generate', '--seed', '11', '--stations', '100', '--out', 'gen', '--json']);
  saylau(['db', 'init', '--json']);
  const cec = keyOf('CEC');
  saylau(['import', '--key', cec, '--json', 'gen/protocols.csv']);
  const lines = readFileSync(join(work, 'gen/protocols.csv'), 'utf8').split('\n');
  const header = lines.findIndex((line) => line.startsWith('station,'));
  const ids = lines.slice(header + 1).filter((l) => l.trim()).map((l) => l.split(',')[0]);
  station = ids[0];
  elsewhere = ids.find((id) => id.slice(0, 2) !== station.slice(0, 2));
  const district = station.slice(0, 5);
  keyOf(station, cec);
  keyOf(district, cec);
  keyOf(elsewhere, cec);
  const users = [['pec1', 'pec-operator', station], ['pec2', 'pec-operator', station],
    ['tec', 'tec-operator', district], ['other', 'pec-operator', elsewhere]];
  for (const [name, role, territory] of users) {
    saylau(['users', 'add', '--name', name, '--role', role, '--territory', territory, '--key', cec],
      `${password}\n`);
  }
  server = spawn(bin, ['--db', db, 'serve', '--addr', `127.0.0.1:${port}`, '--keys', join(work, 'keys')],
    { stdio: 'inherit' });
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

/** A phone-sized page without JavaScript, logged in as `name`, whose requests stay local. */
async function operator(name) {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, javaScriptEnabled: false });
  const page = await context.newPage();
  const outside = [];
  page.on('request', (req) => {
    if (!req.url().startsWith(origin)) outside.push(req.url());
  });
  await page.goto(`${origin}/work/login`);
  await page.fill('input[name="name"]', name);
  await page.fill('input[name="password"]', password);
  await page.click('button[type="submit"]');
  await page.waitForURL(`${origin}/work/`);
  return { context, page, outside };
}

/** The station's current lines by form key, with `change` added. */
async function linesWith(change) {
  const json = await (await fetch(`${origin}/api/v1/stations/${station}`)).json();
  const values = {};
  for (const line of json.lines) {
    const key = line.key === 'list' ? `list_${line.number.replace('10.', '')}` : line.key;
    values[key] = line.value + (change[key] ?? 0);
  }
  return values;
}

async function fill(page, values, reason) {
  for (const [key, value] of Object.entries(values)) await page.fill(`#f-${key}`, String(value));
  await page.fill('input[name="reason"]', reason);
  await page.click('button[type="submit"]');
}

test('a PEC operator enters a protocol that breaks a control relation and sees the rule', async () => {
  const { context, page, outside } = await operator('pec1');
  await page.goto(`${origin}/work/s/${station}`);
  await fill(page, await linesWith({ ballots_received: 1 }), 'typo');
  const broken = await page.textContent('.broken');
  assert.match(broken, /P-1/);
  assert.match(broken, /ballots received/);
  await page.screenshot({ path: join(shots, 'work-rule.png'), fullPage: true });
  assert.deepEqual(outside, []);
  await context.close();
});

test('double entry with a difference is resolved by the district and published with its diff', async () => {
  const before = (await (await fetch(`${origin}/api/v1/stations/${station}`)).json()).version;
  const first = await operator('pec1');
  await first.page.goto(`${origin}/work/s/${station}`);
  await fill(first.page, await linesWith({ against_all: 2, list_1: -2 }), 'recount');
  assert.match(await first.page.textContent('.message'), /pending/);
  const second = await operator('pec2');
  await second.page.goto(`${origin}/work/s/${station}`);
  await fill(second.page, await linesWith({ against_all: 3, list_1: -3 }), 'recount');
  assert.match(await second.page.textContent('.message'), /differ on lines 9, 10\.1/);
  const tec = await operator('tec');
  await tec.page.goto(`${origin}/work/s/${station}/resolve`);
  assert.equal(await tec.page.locator('tr.differs').count(), 2);
  await tec.page.screenshot({ path: join(shots, 'work-resolve.png'), fullPage: true });
  // The paper says the second entry: its value on both differing lines.
  for (const row of await tec.page.locator('tr.differs').all()) {
    await row.locator('input[type="radio"]').nth(1).check();
  }
  await tec.page.click('button[type="submit"]');
  await tec.page.waitForURL(`${origin}/en/s/${station}`);
  const html = await tec.page.content();
  assert.match(html, /pec1 \+ pec2, resolved by tec/);
  await tec.page.screenshot({ path: join(shots, 'work-published.png'), fullPage: true });
  // The API shows it within a second: the portal reads the log's head again at most every
  // 200 ms (`saylau serve`, crates/saylau-cli/src/cmd/serve.rs), so a fetch right after the
  // write may still see the old head.
  let json;
  for (let i = 0; i < 20; i++) {
    json = await (await fetch(`${origin}/api/v1/stations/${station}`)).json();
    if (json.version === before + 1) break;
    await new Promise((done) => setTimeout(done, 100));
  }
  assert.equal(json.version, before + 1);
  assert.equal(json.versions.at(-1).changes.length, 2);
  for (const it of [first, second, tec]) {
    assert.deepEqual(it.outside, []);
    await it.context.close();
  }
});

test('an operator outside the territory is refused', async () => {
  const { context, page } = await operator('other');
  const res = await page.goto(`${origin}/work/s/${station}`);
  assert.equal(res.status(), 403);
  assert.match(await page.textContent('body'), /may not enter protocols of station/);
  await page.screenshot({ path: join(shots, 'work-refused.png') });
  await context.close();
});
