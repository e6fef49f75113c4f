// Reports benchmark: fills an embedded database with 100,000 requests over two years (500,000
// messages, satisfaction answers, 50,000 article answers, 25,000 searches that found nothing),
// starts the built server on it, signs an agent in, and times the report pages through HTTP,
// whole page rendered, for periods from a week to two years (the longest a report covers):
//
//   npm run bench:reports                            # 100,000 requests, 50 timings each
//   npm run bench:reports -- --requests 20000 --runs 20
//
// Target (evaluation issue): the reports page answers in under 500 ms at 100,000 requests.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createClient } from '@libsql/client';
import { BENCH_PASSWORD, fillDatabase } from './dataset.mjs';
import { buildCopy, freePort, signInAgent, timedGet, timeScenarios, waitForServer } from './lib.mjs';

const root = resolve(import.meta.dirname, '..');
const arg = (name, fallback) => Number(process.argv.find((_, i) => process.argv[i - 1] === `--${name}`) ?? fallback);
const REQUESTS = arg('requests', 100_000);
const RUNS = arg('runs', 50);
const TARGET_MS = 500;

const port = await freePort();
const origin = `http://127.0.0.1:${port}`;
const dir = join(root, 'bench/.work/reports');
const dbFile = join(dir, 'bench.db');
buildCopy(dir);
const env = { ...process.env, DATABASE_URL: `file:${dbFile}` };
if (spawnSync(process.execPath, [join(root, 'scripts/migrate.mjs')], { cwd: dir, env, stdio: 'inherit' }).status !== 0) throw new Error('migration failed');

const client = createClient({ url: `file:${dbFile}` });
const fillStart = performance.now();
const { messageCount } = await fillDatabase(client, { requests: REQUESTS, evaluation: true, progress: (n) => n % 10_000 === 0 && process.stdout.write(`\rFilling: ${n} requests…`) });
const counts = (await client.execute('select (select count(*) from satisfaction) as s, (select count(*) from article_feedback) as f, (select count(*) from search_misses) as m')).rows[0];
client.close();
console.log(`\rFilled ${REQUESTS.toLocaleString('en')} requests, ${messageCount.toLocaleString('en')} messages, ${Number(counts.s).toLocaleString('en')} satisfaction answers, ${Number(counts.f).toLocaleString('en')} article answers, ${Number(counts.m).toLocaleString('en')} searches with no result in ${((performance.now() - fillStart) / 1000).toFixed(1)} s`);

// As in production, the server's start migrates and gathers the statistics the planner uses.
if (spawnSync(process.execPath, [join(root, 'scripts/migrate.mjs')], { cwd: dir, env, stdio: 'inherit' }).status !== 0) throw new Error('migration failed');
const app = spawn(process.execPath, ['dist/server/entry.mjs'], { cwd: dir, env: { ...env, HOST: '127.0.0.1', PORT: String(port), GUICHET_DEMO: '0', SMTP_URL: '' }, stdio: ['ignore', 'ignore', 'inherit'] });
try {
  await waitForServer(`${origin}/agent/connexion/`);
  const cookie = await signInAgent(origin, 'agent1@bench.example', BENCH_PASSWORD);
  const scenarios = [
    { name: 'reports, last 30 days (the default)', path: '/agent/rapports/' },
    { name: 'reports, last 7 days', path: '/agent/rapports/?periode=7j' },
    { name: 'reports, last 12 months', path: '/agent/rapports/?periode=12m' },
    { name: 'reports, two years (the longest period)', path: `/agent/rapports/?periode=perso&du=${new Date(Date.now() - 730 * 86_400_000).toISOString().slice(0, 10)}&au=${new Date().toISOString().slice(0, 10)}` },
    { name: 'printable summary, last 12 months', path: '/agent/rapports/synthese/?periode=12m' },
    { name: 'CSV of the blocking situations, 12 months', path: '/agent/rapports/blocking.csv?periode=12m' },
    { name: 'articles and readers’ comments, 12 months', path: '/agent/rapports/articles/?periode=12m' },
    { name: 'searches with no result, 12 months', path: '/agent/rapports/recherches/?periode=12m' },
  ];
  const failed = !(await timeScenarios(origin, cookie, scenarios.map((s) => ({ name: s.name, path: () => s.path })), { runs: RUNS, warmUp: 3, targetMs: TARGET_MS, digits: 0 }));
  const sample = (await timedGet(origin, cookie, '/agent/rapports/?periode=12m')).body;
  console.log(`\nThe 12-month report says: ${/<strong>([\d\s  ]+)<\/strong><span>demandes reçues/.exec(sample)?.[1]?.trim() ?? '?'} requests received.`);
  if (failed) process.exitCode = 1;
} finally {
  app.kill();
  if (!process.argv.includes('--keep') && existsSync(dir)) rmSync(dir, { recursive: true, force: true });
}
