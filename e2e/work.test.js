// Browser tests of the working interface (/work/): Debian chromium driven by
// playwright-core, JavaScript off, phone-sized.
//
// The test seeds its own store (a synthetic country of 100 stations, imported), makes keys
// for a station's PEC and its district's TEC, adds users with `saylau users add` (the CEC
// key authorises), starts `saylau serve --keys` on 127.0.0.1 and stops it by its PID.
// A PEC operator enters a protocol that breaks a control relation and sees the rule; two
// operators' double entry differs and the district's operator resolves it; the public page
// shows the new version, who made it and its diff; an operator of another station is
// refused; the PEC operator uploads a photo of the paper protocol, which the station page
// shows by its SHA-256. An observer of an organisation files an observer copy and an incident report
// with a photo at the station its coordinator deployed it to (`saylau observe deploy`), and
// the coordinator moves the incident along its workflow; the official
// protocol does not move. The store, server, browser and screenshots (target/e2e/) come
// from harness.js.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as harness from './harness.js';

const password = 'a long test password';
const { work, saylau, json } = harness.store('work');

let server;
let origin;
let browser;
let station; // RR-DD-SSSS with operators
let elsewhere; // a station of another region

// The store's first key (the CEC's) registers itself; every later one is registered by an
// entry signed with `parent`, a key at or above its commission (docs/integrity.md).
function keyOf(commission, parent) {
  const signed = parent ? ['--key', parent] : [];
  return json(['keys', 'new', '--commission', commission, ...signed, '--out', 'keys', '--json'])
    .private_key;
}

before(async () => {
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
  // An observer organisation with its key, a coordinator and an observer.
  saylau(['observers', 'add', '--id', 'golos', '--name', 'Golos', '--key', cec, '--json']);
  const golos = json(['keys', 'new', '--observer', 'golos', '--key', cec, '--out', 'keys',
    '--json']).private_key;
  const users = [['pec1', 'pec-operator', station], ['pec2', 'pec-operator', station],
    ['tec', 'tec-operator', district], ['other', 'pec-operator', elsewhere],
    ['coord', 'observer-coordinator', 'observer:golos'], ['obs', 'observer', 'observer:golos']];
  for (const [name, role, territory] of users) {
    saylau(['users', 'add', '--name', name, '--role', role, '--territory', territory, '--key', cec],
      `${password}\n`);
  }
  // The coordinator's plan: the observer files only for the station it is deployed to.
  saylau(['observe', 'deploy', '--user', 'obs', '--station', elsewhere, '--key', golos, '--json']);
  server = await harness.serve(join(work, 'store.sqlite'), work,
    ['--keys', join(work, 'keys')]);
  origin = server.origin;
  browser = await harness.browser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  harness.remove(work);
});

/**
 * A phone-sized page without JavaScript (unless `javaScript`), logged in as `name`, whose
 * requests stay local.
 */
async function operator(name, javaScript = false) {
  const { context, page, outside } = await harness.page(browser, origin, { javaScript });
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
  await harness.shot(page, 'work-rule');
  assert.deepEqual(outside, []);
  await context.close();
});

test('with JavaScript on, the form names a broken rule as it is typed (the server checks)', async () => {
  const { context, page, outside } = await operator('pec1', true);
  await page.goto(`${origin}/work/s/${station}`);
  const values = await linesWith({ ballots_received: 1 });
  for (const [key, value] of Object.entries(values)) await page.fill(`#f-${key}`, String(value));
  await page.waitForSelector('.live .rule');
  assert.equal(await page.textContent('.live .rule'), 'P-1');
  await harness.shot(page, 'work-live-check');
  // Put right, the warning goes; nothing was submitted.
  await page.fill('#f-ballots_received', String(values.ballots_received - 1));
  await page.waitForFunction(() => document.querySelectorAll('.live .rule').length === 0);
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
  await harness.shot(tec.page, 'work-resolve');
  // The paper says the second entry: its value on both differing lines.
  for (const row of await tec.page.locator('tr.differs').all()) {
    await row.locator('input[type="radio"]').nth(1).check();
  }
  await tec.page.click('button[type="submit"]');
  await tec.page.waitForURL(`${origin}/en/s/${station}`);
  const html = await tec.page.content();
  assert.match(html, /pec1 \+ pec2, resolved by tec/);
  await harness.shot(tec.page, 'work-published');
  // The API shows it at once: an accepted version drops the portal's cached log head.
  const json = await (await fetch(`${origin}/api/v1/stations/${station}`)).json();
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
  await harness.shot(page, 'work-refused', { fullPage: false });
  await context.close();
});

test('a PEC operator uploads a photo of the paper protocol without JavaScript; the station page shows it by its hash', async () => {
  const png = join(harness.repo, 'crates/saylau-web/tests/it/data/protocol.png');
  const sha = createHash('sha256').update(readFileSync(png)).digest('hex');
  const { context, page, outside } = await operator('pec1');
  await page.goto(`${origin}/work/s/${station}`);
  await page.setInputFiles('.image-upload input[name="image"]', png);
  await page.click('.image-upload button[type="submit"]');
  await page.waitForURL(`${origin}/en/s/${station}#images`);
  assert.match(await page.textContent('#images'), new RegExp(sha));
  // The picture is served by the portal under its hash and shown (the CSP allows it).
  const img = page.locator(`#images img[src="/img/${sha}"]`);
  assert.equal(await img.count(), 1);
  // Loaded and decoded (a picture the CSP refused has no natural size); the page's CSS may
  // frame it, so its box is not the measure.
  const size = await img.evaluate(async (it) => {
    await it.decode();
    return [it.naturalWidth, it.naturalHeight];
  });
  assert.deepEqual(size, [48, 32]);
  await harness.shot(page, 'work-protocol-image');
  assert.deepEqual(outside, []);
  await context.close();
});

test('an observer files a copy and an incident on a phone without JavaScript; the coordinator moves it', async () => {
  const officialBefore = (await (await fetch(`${origin}/api/v1/stations/${elsewhere}`)).json()).version;
  const obs = await operator('obs');
  await obs.page.fill('input[name="station"]', elsewhere);
  await obs.page.click('text=Observe it');
  await obs.page.waitForURL(`${origin}/work/o/${elsewhere}`);
  // The copy as the observer was given it: the official numbers, one line off.
  const values = {};
  const json = await (await fetch(`${origin}/api/v1/stations/${elsewhere}`)).json();
  for (const line of json.lines) {
    const key = line.key === 'list' ? `list_${line.number.replace('10.', '')}` : line.key;
    values[key] = line.value;
  }
  values.against_all += 1;
  values.list_1 -= 1;
  for (const [key, value] of Object.entries(values)) await obs.page.fill(`#c-${key}`, String(value));
  await harness.shot(obs.page, 'work-observer-form');
  await obs.page.click('button[value="copy"]');
  assert.match(await obs.page.textContent('.message'), /Copy recorded/);
  // An incident with a photo as evidence.
  await obs.page.goto(`${origin}/work/o/${elsewhere}`);
  await obs.page.fill('#i-id', 'golos-0001');
  await obs.page.fill('#i-time', '2021-01-10T20:40');
  await obs.page.selectOption('#i-type', 'ballot-stuffing');
  await obs.page.fill('#i-note', 'a pack of ballots in box 2');
  await obs.page.setInputFiles('#i-evidence', {
    name: 'box2.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('not really a photo'),
  });
  await obs.page.click('button[value="incident"]');
  assert.match(await obs.page.textContent('.message'), /Incident report recorded/);
  await harness.shot(obs.page, 'work-observer-recorded');
  const coord = await operator('coord');
  await coord.page.goto(`${origin}/work/incidents`);
  const incident = coord.page.locator('#i-golos-0001');
  assert.match(await incident.textContent(), /box2\.jpg sha256:[0-9a-f]{64}/);
  await incident.locator('select[name="to"]').selectOption('filed');
  await incident.locator('input[name="note"]').fill('complaint filed with the TEC');
  await incident.locator('button[type="submit"]').click();
  assert.match(await coord.page.locator('#i-golos-0001 .state').textContent(), /Filed/);
  await harness.shot(coord.page, 'work-observer-incidents');
  // The language switch keeps Kazakh for the rest of the session's pages.
  await obs.page.goto(`${origin}/work/o/${elsewhere}`);
  await obs.page.click('nav.lang a[hreflang="kk"]');
  await obs.page.waitForURL(`${origin}/work/o/${elsewhere}`);
  assert.equal(await obs.page.getAttribute('html', 'lang'), 'kk');
  assert.match(await obs.page.textContent('#copy h2'), /Байқаушының хаттама көшірмесі/);
  await harness.shot(obs.page, 'work-observer-kk');
  await obs.page.goto(`${origin}/work/`);
  assert.match(await obs.page.textContent('button[value="observe"]'), /Байқау/);
  // The official protocol did not move; the observer may not enter it.
  const after = await (await fetch(`${origin}/api/v1/stations/${elsewhere}`)).json();
  assert.equal(after.version, officialBefore);
  const res = await obs.page.goto(`${origin}/work/s/${elsewhere}`);
  assert.equal(res.status(), 403);
  for (const it of [obs, coord]) {
    assert.deepEqual(it.outside, []);
    await it.context.close();
  }
});
