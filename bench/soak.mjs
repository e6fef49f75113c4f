// `npm run soak [-- --seconds 180 --requests 20000]`: a bounded load of mixed traffic for
// several minutes from this process against the built server — help pages and the search
// index, residents filing requests (half with a file), agents working the queue, searching and
// opening requests — then prints the figures: requests per kind, errors, latency, and the
// server's resident memory over time. Exit status 1 on any error or on memory that keeps
// growing (the last third of the run 10 % above the middle third); timing is only printed.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createClient } from '@libsql/client';
import autocannon from 'autocannon';
import { projectRoot } from '../scripts/project-copy.mjs';
import { BENCH_PASSWORD, CATEGORIES, fillDatabase } from './dataset.mjs';
import { buildCopy, freePort, memoryOf, searchIndexOf, signInAgent, startServer } from './lib.mjs';
import { filingSequence, migrate } from './requests.mjs';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '180' }, requests: { type: 'string', default: '20000' }, keep: { type: 'boolean', default: false } } });
const seconds = Number(values.seconds);
const MB = 1024 * 1024;

const port = await freePort();
const origin = `http://127.0.0.1:${port}`;
const dir = join(projectRoot, 'bench/.work/soak');
buildCopy(dir, { PUBLIC_ORIGIN: origin });
const dbFile = join(dir, 'soak.db');
rmSync(dbFile, { force: true });
migrate(dir, dbFile);
const filler = createClient({ url: `file:${dbFile}` });
const { references } = await fillDatabase(filler, { requests: Number(values.requests), evaluation: true });
filler.close();
const app = await startServer(dir, dbFile, { port, env: { PUBLIC_ORIGIN: origin }, readyPath: '/agent/connexion/' });
const cookie = await signInAgent(origin, 'agent1@bench.example', BENCH_PASSWORD);

const memory = [];
const sampler = setInterval(() => memory.push(memoryOf(app.child.pid).rss), 1000);
const tally = { started: 0, filed: 0, refused: 0, offset: 0 };
// The search index's files live under the fingerprint of what it holds (the server builds it).
const { script } = await searchIndexOf(origin);
const HELP = ['/', '/faq/', '/faq/payer-sans-carte-bancaire/', '/tutoriels/', '/recherche/', script, script.replace('pagefind.js', 'pagefind-entry.json'), '/en/', '/demande/', '/suivi/'];
const loads = {
  'help pages and search index': { url: origin, connections: 3, requests: HELP.map((path) => ({ method: 'GET', path })) },
  'filing (7 posts)': { url: origin, connections: 2, requests: [...filingSequence(origin, false, tally), ...filingSequence(origin, true, tally)] },
  'agents (queue, filters, search, requests)': {
    url: origin,
    connections: 2,
    headers: { cookie },
    requests: [
      { method: 'GET', path: '/agent/' },
      { method: 'GET', path: `/agent/?file=all&categorie=${CATEGORIES[3]}&priorite=high` },
      { method: 'GET', path: `/agent/?q=${encodeURIComponent('paiement refusé')}` },
      ...references.slice(0, 20).map((reference) => ({ method: 'GET', path: `/agent/demandes/${reference}/` })),
    ],
  },
};
console.log(`Soak: ${seconds} s of mixed traffic against ${origin} (${Number(values.requests).toLocaleString('en')} requests in the database)…`);
const results = await Promise.all(Object.entries(loads).map(async ([name, options]) => [name, await autocannon({ ...options, duration: seconds, timeout: 30 })]));
clearInterval(sampler);
await app.stop();
if (!values.keep) rmSync(dir, { recursive: true, force: true });

let errors = 0;
console.log('\n| traffic | requests | per second | p50 | p99 | errors |\n| --- | ---: | ---: | ---: | ---: | ---: |');
for (const [name, r] of results) {
  // Filing answers 303 (each step redirects); every other page 200.
  const bad = r.errors + r.timeouts + r['4xx'] + r['5xx'] + (name.startsWith('filing') ? r['2xx'] : r['3xx']);
  errors += bad;
  console.log(`| ${name} | ${r.requests.total} | ${r.requests.average.toFixed(0)} | ${r.latency.p50} ms | ${r.latency.p99} ms | ${bad} |`);
}
console.log(`\n${tally.filed} requests filed and confirmed.`);
const third = Math.floor(memory.length / 3);
const avg = (list) => list.reduce((a, b) => a + b, 0) / Math.max(1, list.length);
const middle = avg(memory.slice(third, 2 * third));
const last = avg(memory.slice(2 * third));
console.log(`Server memory (resident, sampled every second): start ${(memory[0] / MB).toFixed(0)} MB, middle third ${(middle / MB).toFixed(0)} MB, last third ${(last / MB).toFixed(0)} MB, peak ${(Math.max(...memory) / MB).toFixed(0)} MB.`);
const growing = last > middle * 1.1;
if (errors > 0 || growing || tally.refused > 0) {
  console.error(`Soak failed: ${errors} errors, ${tally.refused} refused filing posts${growing ? ', memory still growing' : ''}.`);
  process.exit(1);
}
console.log('No error; memory stable.');
