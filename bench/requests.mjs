// Request-filing benchmark: files requests through the built server, every step of the form
// posted as a browser posts it (a small screenshot attached), on the embedded database; then
// makes the same number of raw inserts into the same database file, and prints both.
//
//   npm run bench:requests                          # 300 requests, 4 at a time
//   npm run bench:requests -- --count 1000 --concurrency 8
//
// The server is built in a throwaway copy (bench/.work/requests) with PUBLIC_ORIGIN set, so
// that it trusts X-Forwarded-For: each simulated resident has its own address, as behind a
// reverse proxy, and the per-client rate limits apply to each of them as in production.
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { createClient } from '@libsql/client';
import { buildCopy, freePort, percentile, waitForServer } from './lib.mjs';

const root = resolve(import.meta.dirname, '..');
const arg = (name, fallback) => Number(process.argv.find((_, i) => process.argv[i - 1] === `--${name}`) ?? fallback);
const COUNT = arg('count', 300);
const CONCURRENCY = arg('concurrency', 4);

const describe = (ms) => {
  const sorted = [...ms].sort((a, b) => a - b);
  return `p50 ${percentile(sorted, 50).toFixed(1)} ms, p99 ${percentile(sorted, 99).toFixed(1)} ms`;
};

const port = await freePort();
const origin = `http://127.0.0.1:${port}`;
const dir = join(root, 'bench/.work/requests');
buildCopy(dir, { PUBLIC_ORIGIN: origin });

const dbFile = join(dir, 'bench.db');
const server = spawn(process.execPath, [join(root, 'scripts/migrate.mjs')], { cwd: dir, env: { ...process.env, DATABASE_URL: `file:${dbFile}` }, stdio: 'inherit' });
await new Promise((done) => server.on('exit', done));
const app = spawn(process.execPath, ['dist/server/entry.mjs'], {
  cwd: dir,
  env: { ...process.env, DATABASE_URL: `file:${dbFile}`, HOST: '127.0.0.1', PORT: String(port), PUBLIC_ORIGIN: origin, GUICHET_DEMO: '0', SMTP_URL: '' },
  stdio: ['ignore', 'ignore', 'inherit'],
});
try {
  await waitForServer(`${origin}/demande/`);

  const png = new Uint8Array(20 * 1024);
  png.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

  /** One resident, every step, as a browser without JavaScript posts them. */
  async function fileOne(n, procedure = 'Payer la cantine') {
    const headers = { Origin: origin, 'X-Forwarded-For': `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}` };
    let cookie = '';
    const post = async (path, action, body) => {
      const response = await fetch(`${origin}${path}?_action=request.${action}`, { method: 'POST', body, headers: { ...headers, Cookie: cookie }, redirect: 'manual' });
      const set = response.headers.get('set-cookie');
      if (set) cookie = set.split(';')[0];
      await response.arrayBuffer();
      if (response.status !== 303) throw new Error(`${path} answered ${response.status}`);
    };
    const form = (entries) => new URLSearchParams(entries);
    const started = performance.now();
    await post('/demande/demarche/', 'step', form({ step: 'procedure', procedure, category: 'payment', stage: 'Paiement' }));
    await post('/demande/probleme/', 'step', form({ step: 'problem', description: `Le paiement est refusé (${n}). Le site affiche « transaction refusée ».` }));
    const files = new FormData();
    files.set('intent', 'continue');
    files.set('files', new File([png], `capture-${n}.png`, { type: 'image/png' }));
    await post('/demande/pieces-jointes/', 'files', files);
    await post('/demande/qui/', 'step', form({ step: 'who', who: 'resident' }));
    await post('/demande/identite/', 'step', form({ step: 'about', name: `Résident ${n}` }));
    await post('/demande/reponse/', 'step', form({ step: 'answer', channel: 'email', email: `resident-${n}@example.org` }));
    const submitStarted = performance.now();
    await post('/demande/verification/', 'submit', form({ consent: 'yes' }));
    const ended = performance.now();
    return { filing: ended - started, submit: ended - submitStarted };
  }

  // Warm-up: the first requests pay for loading the server's modules.
  for (let n = 0; n < 5; n += 1) await fileOne(1_000_000 + n, 'Échauffement');

  const results = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < COUNT) results.push(await fileOne(next++));
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const filedPerSecond = COUNT / seconds;

  const client = createClient({ url: `file:${dbFile}` });
  const check = await client.execute("select count(*) as n from requests where procedure = 'Payer la cantine'");
  const stored = Number(check.rows[0].n);
  // The same number of raw inserts, one requester and one request each, into the same file.
  const raw = [];
  const rawStarted = performance.now();
  for (let n = 0; n < COUNT; n += 1) {
    const t = performance.now();
    const person = await client.execute({ sql: "insert into requesters (kind, name, email, created_at) values ('resident', ?, ?, ?) returning id", args: [`Brut ${n}`, `raw-${n}@example.org`, Date.now()] });
    await client.execute({
      sql: "insert into requests (reference, requester_id, status, locale, procedure, category, description, channel, needs, consent_at, created_at, updated_at, due_at) values (?, ?, 'new', 'fr', 'Brut', 'other', 'Insertion brute', 'email', '[]', ?, ?, ?, ?)",
      args: [String(900_000_000 + n), person.rows[0].id, Date.now(), Date.now(), Date.now(), Date.now()],
    });
    raw.push(performance.now() - t);
  }
  const rawPerSecond = COUNT / ((performance.now() - rawStarted) / 1000);
  client.close();

  console.log(`\nRequests filed through the server: ${COUNT} (${CONCURRENCY} at a time), ${stored} stored, each 7 form posts with a 20 KB screenshot`);
  console.log(`  ${filedPerSecond.toFixed(1)} requests filed per second`);
  console.log(`  whole filing (7 posts): ${describe(results.map((r) => r.filing))}`);
  console.log(`  final "send" post (creates the request, its file, history, token and mail): ${describe(results.map((r) => r.submit))}`);
  console.log(`Raw inserts into the same database (requester + request, one at a time): ${COUNT}`);
  console.log(`  ${rawPerSecond.toFixed(1)} per second, ${describe(raw)}`);
  const median = (ms) => percentile([...ms].sort((a, b) => a - b), 50);
  console.log(`Ratio raw inserts / requests filed: ${(rawPerSecond / filedPerSecond).toFixed(1)}× in throughput; the "send" post alone takes ${(median(results.map((r) => r.submit)) / median(raw)).toFixed(1)}× a raw insert (p50)`);
  if (stored !== COUNT) {
    console.error(`Expected ${COUNT} requests stored, found ${stored}`);
    process.exitCode = 1;
  }
} finally {
  app.kill();
}
