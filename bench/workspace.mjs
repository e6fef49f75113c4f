// Agents' workspace benchmark: fills an embedded database with 100,000 requests and 500,000
// messages (full-text index kept by the same triggers as in production), starts the built
// server on it, signs an agent in, and times the pages agents use most, through HTTP, as a
// browser asks for them (the whole page rendered, session checked on every request):
//
//   - the main queue (the first screen: requests to do, soonest due first, with the counts);
//   - a filtered queue (all requests, one category, one priority, a date range);
//   - a full-text search (words of requests and messages: common, rare, a name);
//   - opening one request (conversation, requester, history, help suggestions).
//
//   npm run bench:workspace                            # 100,000 requests, 200 timings each
//   npm run bench:workspace -- --requests 20000 --runs 100
//
// Target (workspace issue): p99 under 50 ms for each, on this machine.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createClient } from '@libsql/client';
import { BENCH_PASSWORD, CATEGORIES, fillDatabase } from './dataset.mjs';
import { buildCopy, freePort, signInAgent, timedGet, timeScenarios, waitForServer } from './lib.mjs';

const root = resolve(import.meta.dirname, '..');
const arg = (name, fallback) => Number(process.argv.find((_, i) => process.argv[i - 1] === `--${name}`) ?? fallback);
const REQUESTS = arg('requests', 100_000);
const MESSAGES_PER_REQUEST = 5;
const RUNS = arg('runs', 200);
const port = await freePort();
const origin = `http://127.0.0.1:${port}`;
const dir = join(root, 'bench/.work/workspace');
const dbFile = join(dir, 'bench.db');
buildCopy(dir);
const migrate = spawnSync(process.execPath, [join(root, 'scripts/migrate.mjs')], { cwd: dir, env: { ...process.env, DATABASE_URL: `file:${dbFile}` }, stdio: 'inherit' });
if (migrate.status !== 0) throw new Error('migration failed');

// ---- Fill the database --------------------------------------------------------------------
const client = createClient({ url: `file:${dbFile}` });
const now = Date.now();
const fillStart = performance.now();
const password = BENCH_PASSWORD;
const { references, messageCount } = await fillDatabase(client, { requests: REQUESTS, now, messagesPerRequest: MESSAGES_PER_REQUEST, progress: (n) => n % 10_000 === 0 && process.stdout.write(`\rFilling: ${n} requests…`) });
client.close();
console.log(`\rFilled ${REQUESTS.toLocaleString('en')} requests and ${messageCount.toLocaleString('en')} messages (full-text index included) in ${((performance.now() - fillStart) / 1000).toFixed(1)} s`);

// ---- Time the pages --------------------------------------------------------------------------
// As in production, the server's start (npm run serve, npm start) migrates and gathers statistics.
const ready = spawnSync(process.execPath, [join(root, 'scripts/migrate.mjs')], { cwd: dir, env: { ...process.env, DATABASE_URL: `file:${dbFile}` }, stdio: 'inherit' });
if (ready.status !== 0) throw new Error('migration failed');
const app = spawn(process.execPath, ['dist/server/entry.mjs'], {
  cwd: dir,
  env: { ...process.env, DATABASE_URL: `file:${dbFile}`, HOST: '127.0.0.1', PORT: String(port), GUICHET_DEMO: '0', SMTP_URL: '' },
  stdio: ['ignore', 'ignore', 'inherit'],
});
try {
  await waitForServer(`${origin}/agent/connexion/`);
  const cookie = await signInAgent(origin, 'agent1@bench.example', password);
  const get = (path) => timedGet(origin, cookie, path);
  const SEARCHES = ['paiement refusé', 'capture', 'lecteur d’écran', 'Diallo', 'allocataire', 'fichier trop lourd', 'navigateur', 'crèche'];
  const scenarios = [
    { name: 'main queue (to do, soonest due, with counts)', path: () => '/agent/' },
    { name: 'filtered queue (all, category + priority + dates)', path: (i) => `/agent/?file=all&categorie=${CATEGORIES[i % CATEGORIES.length]}&priorite=high&du=2025-06-01&au=2026-12-31` },
    { name: 'full-text search (requests and messages)', path: (i) => `/agent/?q=${encodeURIComponent(SEARCHES[i % SEARCHES.length])}` },
    { name: 'opening one request', path: (i) => `/agent/demandes/${references[Math.floor((i * 7919) % references.length)]}/` },
  ];
  const failed = !(await timeScenarios(origin, cookie, scenarios, { runs: RUNS, warmUp: 10, targetMs: 50 }));
  const sample = await get('/agent/?q=paiement');
  console.log(`\nA search for “paiement” lists: ${/<caption>([^<]*)/.exec(sample.body)?.[1] ?? '?'}`);
  if (failed) process.exitCode = 1;
} finally {
  app.kill();
  if (!process.argv.includes('--keep') && existsSync(dir)) rmSync(dir, { recursive: true, force: true });
}
