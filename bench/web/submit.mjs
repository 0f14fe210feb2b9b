// The client of bench/web/submit.sh: CLIENTS concurrent operators, each with a bearer
// token of its own user and one keep-alive connection of its own, take the stations of a
// protocols CSV one at a time from a shared queue and POST each station's protocol once to
// /api/v1/stations/{id}/protocol; then every station is read back from the API and
// checked: exactly one version, the lines submitted.
//
//   node submit.mjs ORIGIN PROTOCOLS.csv USER_PREFIX PASSWORD CLIENTS
//
// A transient failure (the connection refused or reset, 503, 429) is retried after a
// short pause, at most 20 times per station, and counted; any other answer than 201 is a
// failure, kept with its body. Prints one JSON object: counts, wall time, latencies.

import http from 'node:http';
import { readFileSync } from 'node:fs';

const [origin, csvPath, userPrefix, password, clientsArg] = process.argv.slice(2);
const clients = Number(clientsArg ?? 32);
const url = new URL(origin);
const FIXED = ['voters_on_roll', 'ballots_received', 'issued_in_station', 'issued_outside',
  'cancelled', 'found_in_boxes', 'invalid', 'valid', 'against_all'];
const MAX_TRIES = 20;

/** The stations of the CSV, each with the API's `lines` object and its list votes. */
function readProtocols(path) {
  const rows = readFileSync(path, 'utf8').split('\n').filter((line) => line && !line.startsWith('#'));
  const header = rows[0].split(',');
  const lists = header.filter((name) => name.startsWith('list:'));
  return rows.slice(1).map((row) => {
    const cells = row.split(',');
    const at = (name) => cells[header.indexOf(name)];
    const lines = {};
    for (const key of FIXED) lines[key] = Number(at(key));
    const votes = lists.map((name) => Number(at(name)));
    votes.forEach((v, i) => { lines[`list_${i + 1}`] = v; });
    return { station: at('station'), lines, votes };
  });
}

/** One request on `agent`: resolves to { status, body } or rejects on a socket error. */
function request(agent, method, path, headers, body) {
  return new Promise((done, fail) => {
    const req = http.request({ host: url.hostname, port: url.port, method, path, agent, headers }, (res) => {
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('end', () => done({ status: res.statusCode, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', fail);
    });
    req.on('error', fail);
    if (body !== undefined) req.end(body); else req.end();
  });
}

const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

async function token(agent, name) {
  const body = JSON.stringify({ name, password });
  const res = await request(agent, 'POST', '/api/v1/tokens',
    { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }, body);
  if (res.status !== 201) throw new Error(`login of ${name}: ${res.status} ${res.body}`);
  return JSON.parse(res.body).token;
}

const protocols = readProtocols(csvPath);
const agents = Array.from({ length: clients }, () => new http.Agent({ keepAlive: true, maxSockets: 1 }));
const tokens = [];
for (let i = 0; i < clients; i++) {
  tokens.push(await token(agents[i], `${userPrefix}${String(i + 1).padStart(2, '0')}`));
}

const latencies = [];
const retries = {};
const failures = [];
let accepted = 0;
let next = 0;
const started = performance.now();

async function client(i) {
  const agent = agents[i];
  const auth = `Bearer ${tokens[i]}`;
  for (;;) {
    const index = next++;
    if (index >= protocols.length) return;
    const { station, lines } = protocols[index];
    const body = JSON.stringify({ lines });
    const headers = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: auth };
    for (let tries = 1; ; tries++) {
      const at = performance.now();
      let res;
      try {
        res = await request(agent, 'POST', `/api/v1/stations/${station}/protocol`, headers, body);
      } catch (err) {
        res = { status: err.code ?? 'socket', body: String(err) };
      }
      latencies.push(performance.now() - at);
      if (res.status === 201) {
        accepted++;
        break;
      }
      const transient = typeof res.status === 'string' || res.status === 503 || res.status === 429;
      if (transient && tries < MAX_TRIES) {
        retries[res.status] = (retries[res.status] ?? 0) + 1;
        await sleep(10 * tries);
        continue;
      }
      failures.push({ station, status: res.status, body: res.body.slice(0, 300) });
      break;
    }
  }
}

await Promise.all(Array.from({ length: clients }, (_, i) => client(i)));
const wall = (performance.now() - started) / 1000;

// Read every station back: exactly one version, with the numbers submitted.
const readAgent = new http.Agent({ keepAlive: true, maxSockets: 8 });
const problems = [];
let checked = 0;
let cursor = 0;
async function reader() {
  for (;;) {
    const index = cursor++;
    if (index >= protocols.length) return;
    const { station, lines, votes } = protocols[index];
    const res = await request(readAgent, 'GET', `/api/v1/stations/${station}`, {});
    if (res.status !== 200) {
      problems.push(`${station}: GET ${res.status}`);
      continue;
    }
    const json = JSON.parse(res.body);
    if (json.versions.length !== 1) problems.push(`${station}: ${json.versions.length} versions`);
    for (const line of json.lines) {
      if (line.key !== 'list' && lines[line.key] !== line.value) {
        problems.push(`${station}: line ${line.key} is ${line.value}, submitted ${lines[line.key]}`);
      }
    }
    const stored = json.lists.map((it) => it.votes);
    if (stored.join(',') !== votes.join(',')) problems.push(`${station}: list votes ${stored} != ${votes}`);
    checked++;
  }
}
await Promise.all(Array.from({ length: 8 }, reader));

latencies.sort((a, b) => a - b);
const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))];
console.log(JSON.stringify({
  stations: protocols.length,
  clients,
  accepted,
  failures: failures.length,
  first_failures: failures.slice(0, 5),
  retries,
  wall_s: Number(wall.toFixed(3)),
  per_s: Number((accepted / wall).toFixed(1)),
  p50_ms: Number(pct(50).toFixed(2)),
  p99_ms: Number(pct(99).toFixed(2)),
  max_ms: Number(latencies[latencies.length - 1].toFixed(2)),
  checked,
  problems: problems.length,
  first_problems: problems.slice(0, 5),
}));
for (const agent of [...agents, readAgent]) agent.destroy();
