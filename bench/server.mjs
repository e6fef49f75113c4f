// The server around the app (`npm run bench -- --only server`): how long the service is gone
// when a worker dies, what one worker and two serve (a help page, a whole filing), and the
// workers' peak memory while they refuse the worst bodies the body limits allow to be built.
import { request as httpRequest } from 'node:http';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { createClient } from '@libsql/client';
import autocannon from 'autocannon';
import { answeredAgain } from '../scripts/answered-again.mjs';
import { projectRoot } from '../scripts/project-copy.mjs';
import { loadRetentionPolicy } from '../db/retention.mjs';
import { BODY_LIMITS } from '../src/lib/server/body-limits.mjs';
import { BENCH_PASSWORD, fillDatabase } from './dataset.mjs';
import { buildCopy, freePort, median, memoryOf, percentile, signInAgent, startServer, workerPids } from './lib.mjs';
import { filingSequence, migrate } from './requests.mjs';

const MB = 1024 * 1024;
const pause = (ms) => new Promise((done) => setTimeout(done, ms));
/** What one worker may hold while refusing hostile bodies (the e2e test holds it to the same). */
export const HOSTILE_BUDGET_BYTES = 640 * MB;

/** Kills a worker `kills` times; each time, the time until a page rendered on demand answers again. */
async function restartTimes(app, kills) {
  const times = [];
  for (let i = 0; i < kills; i += 1) {
    const [victim] = workerPids(app.child.pid);
    if (!victim) throw new Error('no worker to kill');
    const before = app.listening.length;
    const killed = performance.now();
    process.kill(victim, 'SIGKILL');
    const answered = await answeredAgain(`${app.origin}/demande/`);
    times.push(answered - killed);
    // Until the dead worker's replacement listens and has warmed up, before the next kill (one
    // killed before it listens counts as failing to start: the supervisor waits before the next).
    while (app.listening.length === before) {
      if (performance.now() - killed > 30_000) throw new Error('no replacement listened within 30 s');
      await pause(20);
    }
    await pause(1000);
  }
  return times;
}

/** Requests per second for a help page, and whole filings (seven posts) per second. */
async function throughput(app, seconds, connections) {
  const page = await autocannon({ url: `${app.origin}/faq/`, connections, duration: seconds });
  if (page.non2xx + page.errors > 0) throw new Error(`help page load: ${page.non2xx} non-2xx, ${page.errors} errors`);
  const tally = { started: 0, filed: 0, refused: 0, offset: Math.floor(Math.random() * 1e6) };
  const filing = await autocannon({ url: app.origin, connections, duration: seconds, requests: filingSequence(app.origin, false, tally) });
  if (tally.refused > 0 || filing.errors > 0) throw new Error(`filing load: ${tally.refused} refused, ${filing.errors} errors`);
  return { helpPerSecond: page.requests.average, filingsPerSecond: tally.filed / (filing.duration || seconds) };
}

/** A post as a hostile script sends it, chunked; resolves with the status or the error code. */
function hostilePost(origin, path, headers, body) {
  return new Promise((resolve) => {
    const req = httpRequest(`${origin}${path}`, { method: 'POST', headers: { Origin: origin, ...headers } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.on('error', (error) => resolve(error.code));
    for (let i = 0; i < body.length; i += 65536) req.write(body.subarray(i, i + 65536));
    req.end();
  });
}

/**
 * The worst bodies within and just past the limits, 30 at once, three rounds: millions of tiny
 * fields to small actions and to an upload action, as many parts as allowed and one more,
 * one field just over its size, five 10 MB files. Returns the statuses and the workers' peak.
 */
async function hostileSuite(app) {
  const boundary = 'bench-hostile';
  const part = (name, value) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
  const tiny = Buffer.from('a=1&'.repeat(5 * MB));
  const file = Buffer.alloc(10 * MB, 7);
  const upload = Buffer.concat([
    ...Array.from({ length: 5 }, (_, i) => Buffer.concat([Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="scan${i}.png"\r\nContent-Type: image/png\r\n\r\n`), file, Buffer.from('\r\n')])),
    Buffer.from(`--${boundary}--\r\n`),
  ]);
  const multipart = { 'Content-Type': `multipart/form-data; boundary=${boundary}` };
  const urlencoded = { 'Content-Type': 'application/x-www-form-urlencoded' };
  const kinds = [
    ['/demande/demarche/?_action=request.step', urlencoded, tiny],
    ['/parametres-affichage/?_action=settings', urlencoded, tiny],
    ['/demande/pieces-jointes/?_action=request.files', urlencoded, tiny],
    ['/demande/pieces-jointes/?_action=request.files', multipart, Buffer.from(`${Array.from({ length: BODY_LIMITS.upload.parts + 1 }, (_, i) => part(`f${i}`, '1')).join('')}--${boundary}--\r\n`)],
    ['/demande/pieces-jointes/?_action=request.files', multipart, Buffer.from(`${part('intent', 'x'.repeat(BODY_LIMITS.upload.fieldBytes + 1))}--${boundary}--\r\n`)],
    ['/demande/pieces-jointes/?_action=request.files', multipart, upload],
  ];
  const statuses = {};
  let peak = 0;
  const timer = setInterval(() => (peak = Math.max(peak, memoryOf(app.child.pid).rss)), 20);
  for (let round = 0; round < 3; round += 1) {
    await Promise.all(
      Array.from({ length: 30 }, async (_, i) => {
        const [path, headers, body] = kinds[i % kinds.length];
        const status = await hostilePost(app.origin, path, headers, body);
        statuses[status] = (statuses[status] ?? 0) + 1;
      }),
    );
  }
  clearInterval(timer);
  peak = Math.max(peak, memoryOf(app.child.pid).peak);
  const health = await fetch(`${app.origin}/health`);
  if (health.status !== 200) throw new Error(`/health answered ${health.status} after the hostile bodies`);
  if (Object.keys(statuses).some((status) => !/^4\d\d$|^503$/.test(status))) throw new Error(`hostile bodies: unexpected answers ${JSON.stringify(statuses)}`);
  return { statuses, peak };
}

/**
 * The retention job's first run on a backlog: `size` requests over two years, so that the
 * year past its period (about half of them) is anonymised when the server starts. Meanwhile
 * an agent reads the main queue, one page after another: how long the job takes, the slowest
 * pages while it runs, and the workers' peak memory.
 */
async function retentionBacklog(dir, port, origin, size) {
  const dbFile = join(dir, 'retention.db');
  migrate(dir, dbFile);
  const filler = createClient({ url: `file:${dbFile}` });
  await fillDatabase(filler, { requests: size, evaluation: true });
  const dueSql = `select count(*) as n from requests where anonymized_at is null and resolved_at < ? and status in ('resolved', 'closed')`;
  const cutoff = Date.now() - loadRetentionPolicy(dir).requestMonths * 30 * 86_400_000;
  const due = Number((await filler.execute({ sql: dueSql, args: [cutoff] })).rows[0].n);
  filler.close();
  migrate(dir, dbFile);
  const started = performance.now();
  const app = await startServer(dir, dbFile, { port, env: { PUBLIC_ORIGIN: origin, GUICHET_WORKERS: '2', GUICHET_RETENTION: '1' }, readyPath: '/agent/connexion/' });
  const watcher = createClient({ url: `file:${dbFile}`, timeout: 5000 });
  let peak = 0;
  const timer = setInterval(() => (peak = Math.max(peak, memoryOf(app.child.pid).rss)), 20);
  const pages = [];
  try {
    const cookie = await signInAgent(origin, 'agent1@bench.example', BENCH_PASSWORD);
    let done;
    for (;;) {
      const start = performance.now();
      const response = await fetch(`${origin}/agent/`, { headers: { Cookie: cookie }, redirect: 'manual' });
      await response.text();
      if (response.status !== 200) throw new Error(`the queue answered ${response.status} during the retention job`);
      pages.push(performance.now() - start);
      const entry = await watcher.execute("select details from audit_log where action = 'retention' limit 1");
      if (entry.rows.length > 0) {
        done = JSON.parse(String(entry.rows[0].details));
        break;
      }
      if (performance.now() - started > 600_000) throw new Error('the retention job did not finish within 10 minutes');
    }
    const seconds = (performance.now() - started) / 1000;
    const left = Number((await watcher.execute({ sql: dueSql, args: [cutoff] })).rows[0].n);
    if (left > 0 || done.requests < due) throw new Error(`the retention job anonymised ${done.requests} requests, ${due} were due, ${left} left`);
    clearInterval(timer);
    peak = Math.max(peak, memoryOf(app.child.pid).peak);
    const sorted = pages.sort((a, b) => a - b);
    return { size, anonymised: done.requests, seconds, pages: pages.length, p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.at(-1), peak };
  } finally {
    clearInterval(timer);
    watcher.close();
    await app.stop();
  }
}

export async function runServer({ seconds, connections, requests, quick, keep, log }) {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const dir = join(projectRoot, 'bench/.work/server');
  buildCopy(dir, { PUBLIC_ORIGIN: origin });
  const figures = { restart: {}, throughput: {}, hostile: {} };
  try {
    for (const workers of [1, 2]) {
      const dbFile = join(dir, `server-${workers}.db`);
      migrate(dir, dbFile);
      const env = { PUBLIC_ORIGIN: origin, GUICHET_WORKERS: String(workers) };
      const app = await startServer(dir, dbFile, { port, env, readyPath: '/demande/' });
      try {
        await throughput(app, 1, connections); // warm-up
        figures.throughput[workers] = await throughput(app, seconds, connections);
        log(`  ${workers} worker${workers > 1 ? 's' : ''}: ${figures.throughput[workers].helpPerSecond.toFixed(0)} help pages/s, ${figures.throughput[workers].filingsPerSecond.toFixed(1)} filings/s`);
        const times = await restartTimes(app, quick ? 2 : 5);
        figures.restart[workers] = { median: median(times), max: Math.max(...times), runs: times };
        log(`  ${workers} worker${workers > 1 ? 's' : ''}: a worker killed, the service answers again after ${median(times).toFixed(0)} ms (median; at most ${Math.max(...times).toFixed(0)} ms)`);
        if (workers === 2) {
          figures.hostile = await hostileSuite(app);
          log(`  hostile bodies: ${JSON.stringify(figures.hostile.statuses)}; largest worker at most ${(figures.hostile.peak / MB).toFixed(0)} MB`);
        }
      } finally {
        await app.stop();
      }
    }
    figures.retention = await retentionBacklog(dir, port, origin, requests);
    const r = figures.retention;
    log(`  retention, first run on ${r.size.toLocaleString('en')} requests: ${r.anonymised.toLocaleString('en')} anonymised in ${r.seconds.toFixed(1)} s from the start; ${r.pages} queue pages meanwhile, p50 ${r.p50.toFixed(0)} ms, p99 ${r.p99.toFixed(0)} ms, slowest ${r.max.toFixed(0)} ms; largest worker ${(r.peak / MB).toFixed(0)} MB`);
  } finally {
    if (!keep) rmSync(dir, { recursive: true, force: true });
  }
  const { restart, throughput: rate, hostile, retention } = figures;
  const rows = [
    { what: 'worker killed → next answer, 1 worker (median)', ours: `${restart[1].median.toFixed(0)} ms`, reference: '—', budget: '< 2,000 ms', pass: restart[1].max < 2000 },
    { what: 'worker killed → next answer, 2 workers (median)', ours: `${restart[2].median.toFixed(0)} ms`, reference: '—', budget: '< 2,000 ms', pass: restart[2].max < 2000 },
    { what: 'help page, 2 workers vs 1 (requests/s)', ours: rate[2].helpPerSecond.toFixed(0), reference: rate[1].helpPerSecond.toFixed(0), ratio: rate[2].helpPerSecond / rate[1].helpPerSecond, budget: 'measured' },
    { what: 'filings, 2 workers vs 1 (per second)', ours: rate[2].filingsPerSecond.toFixed(1), reference: rate[1].filingsPerSecond.toFixed(1), ratio: rate[2].filingsPerSecond / rate[1].filingsPerSecond, budget: 'measured' },
    { what: `retention's first run on ${retention.size.toLocaleString('en')} requests (${retention.anonymised.toLocaleString('en')} due): start to done`, ours: `${retention.seconds.toFixed(1)} s`, reference: '—', budget: 'measured' },
    { what: 'main queue while the retention job runs, p99 (slowest)', ours: `${retention.p99.toFixed(0)} ms (${retention.max.toFixed(0)} ms)`, reference: '—', budget: 'p99 < 250 ms', pass: retention.p99 < 250 },
    { what: 'largest worker while the retention job runs (peak)', ours: `${(retention.peak / MB).toFixed(0)} MB`, reference: '—', budget: '< 200 MB', pass: retention.peak < 200 * MB },
    { what: 'largest worker under hostile bodies (peak)', ours: `${(hostile.peak / MB).toFixed(0)} MB`, reference: '—', budget: `< ${HOSTILE_BUDGET_BYTES / MB} MB`, pass: hostile.peak < HOSTILE_BUDGET_BYTES },
  ];
  return { rows, figures };
}
