// The shared harness of the browser tests (e2e/*.test.js): a store of its own in a
// temporary directory seeded with the saylau binary, `saylau serve` on a port the OS
// chose, waited for until it answers and stopped by its PID, Debian chromium launched
// with the documented flags, phone- or desktop-sized pages whose requests are checked to
// stay local, and screenshots under target/e2e/.
//
// SAYLAU_BIN names the binary (default target/debug/saylau), CHROMIUM the browser (default
// /usr/lib/chromium/chromium).

import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const bin = process.env.SAYLAU_BIN ?? join(repo, 'target/debug/saylau');
export const shots = join(repo, 'target/e2e');

/** Chromium's flags: headless in a container, no network of its own. */
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** A phone's viewport (an iPhone 12-15's CSS pixels). */
export const PHONE = { width: 390, height: 844 };

/** A free TCP port on 127.0.0.1, chosen by the OS (port 0), released for the server. */
export function freePort() {
  return new Promise((done, fail) => {
    const probe = createServer();
    probe.once('error', fail);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => done(port));
    });
  });
}

/**
 * A store in a new temporary directory named after `name`: `saylau(args, input)` runs the
 * binary on it there and returns its standard output, `json(args)` parses it.
 */
export function store(name) {
  const work = mkdtempSync(join(tmpdir(), `saylau-e2e-${name}-`));
  const db = join(work, 'store.sqlite');
  const saylau = (args, input) =>
    execFileSync(bin, ['--db', db, ...args], { cwd: work, encoding: 'utf8', input });
  return { work, db, saylau, json: (args, input) => JSON.parse(saylau(args, input)) };
}

/**
 * Starts `saylau serve` on `db` with `args` on a port the OS chose, and waits until it
 * answers. Returns its origin and `stop()`, which ends it by its PID and waits for it.
 */
export async function serve(db, cwd, args = []) {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const child = spawn(bin, ['--db', db, 'serve', '--addr', `127.0.0.1:${port}`, ...args],
    { cwd, stdio: 'inherit' });
  const exited = new Promise((done) => child.once('exit', done));
  let ready = false;
  for (let i = 0; i < 200 && !ready && child.exitCode === null; i++) {
    try {
      ready = (await fetch(`${origin}/api/v1/checkpoint`)).ok;
    } catch { /* not up yet */ }
    if (!ready) await new Promise((done) => setTimeout(done, 100));
  }
  if (!ready) {
    if (child.exitCode === null) process.kill(child.pid, 'SIGTERM');
    throw new Error(`saylau serve did not answer on ${origin}`);
  }
  const stop = async () => {
    if (child.exitCode === null) {
      process.kill(child.pid, 'SIGTERM');
      await exited;
    }
  };
  return { origin, stop };
}

/** Debian chromium with the flags above; prints its version and playwright-core's. */
export async function browser() {
  const launched = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/lib/chromium/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
  });
  const core = JSON.parse(readFileSync(join(repo, 'e2e/node_modules/playwright-core/package.json'), 'utf8'));
  console.log(`# chromium ${launched.version()}, playwright-core ${core.version}`);
  return launched;
}

/**
 * A new page of `launched` at `viewport` (JavaScript off unless `javaScript`), and
 * `outside`: every request it makes that does not go to `origin`.
 */
export async function page(launched, origin, { viewport = PHONE, javaScript = false, locale } = {}) {
  const context = await launched.newContext({ viewport, locale, javaScriptEnabled: javaScript });
  const opened = await context.newPage();
  const outside = [];
  opened.on('request', (req) => {
    if (!req.url().startsWith(origin)) outside.push(req.url());
  });
  return { context, page: opened, outside };
}

/** Saves a screenshot of `of` as target/e2e/NAME.png. */
export async function shot(of, name, { fullPage = true } = {}) {
  mkdirSync(shots, { recursive: true });
  await of.screenshot({ path: join(shots, `${name}.png`), fullPage });
}

/** Removes a store's directory. */
export function remove(dir) {
  rmSync(dir, { recursive: true, force: true });
}
