// The help centre beside Starlight: the same generated corpus of FAQ entries is built into
// Guichet (a throwaway copy of the project) and into a plain Starlight site
// (bench/peers/starlight, installed on first use), one build after the other, cold each time;
// then both are served by the same gzipping front server and measured in Chromium.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { copyProjectTo, projectRoot } from '../scripts/project-copy.mjs';
import { generateFaqCorpus, generateStarlightCorpus } from './corpus.mjs';
import { freePort, frontServer, launchChromium, median, percentile, searchIndexOf, startServer } from './lib.mjs';

export const PEER_DIR = join(projectRoot, 'bench/peers/starlight');
const KB = 1024;

/** Budgets of the benchmark issue. */
export const BUDGETS = {
  buildSeconds: { size: 5000, seconds: 30, ofPeer: 0.1 },
  pageBytes: 15 * KB,
  scriptBytesBeforeSearch: 0,
  firstResultMs: { size: 10_000, ms: 80 },
  serverSearchP99Ms: { size: 10_000, ms: 50 },
};

/** Queries a resident might type; every one finds entries in the generated corpus. */
const QUERIES = ['justificatif', 'buraliste', 'navigateur', 'conseiller', 'carte bancaire', 'courrier indésirable', 'mot de passe'];

/** Queries as residents type them, for the server's search: typos, no accents, sentences. */
const SERVER_QUERIES = [...QUERIES, 'justifcatif de domicile', 'je narrive pas a payer par carte', 'courier indesirable', 'mdp oublie', 'ou trouver un conseiller numerique'];

/** Milliseconds for the server to answer its search page for `query`. */
async function serverSearch(origin, query) {
  const started = performance.now();
  const response = await fetch(`${origin}/recherche/?${new URLSearchParams({ q: query })}`);
  const html = await response.text();
  const ms = performance.now() - started;
  if (!response.ok || !html.includes('id="search-results"')) throw new Error(`the search page answered ${response.status} for “${query}”`);
  return ms;
}

function dirSize(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.size;
  return readdirSync(path).reduce((sum, name) => sum + dirSize(join(path, name)), 0);
}

/** Installs Starlight in its folder the first time (npm ci from its committed lock file). */
export function ensurePeer(log) {
  if (existsSync(join(PEER_DIR, 'node_modules/@astrojs/starlight/package.json'))) return;
  log('Installing the Starlight peer (first use)…');
  const npm = process.env.npm_execpath;
  const [command, args] = npm ? [process.execPath, [npm]] : ['npm', []];
  const install = spawnSync(command, [...args, 'ci', '--no-audit', '--no-fund'], { cwd: PEER_DIR, encoding: 'utf8', env: { ...process.env, npm_config_engine_strict: 'false' } });
  if (install.status !== 0) throw new Error(`installing Starlight failed:\n${install.stderr.slice(-3000)}`);
}

/** A cold `astro build` in `dir` (caches removed first); returns the seconds it took. */
function coldBuild(dir, astroBin, distDir) {
  for (const cache of ['.astro', 'node_modules/.astro', 'node_modules/.vite', distDir]) rmSync(join(dir, cache), { recursive: true, force: true });
  const started = performance.now();
  const result = spawnSync(process.execPath, [astroBin, 'build'], {
    cwd: dir,
    env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1', NO_COLOR: '1' },
    encoding: 'utf8',
    maxBuffer: 1024 * 1024 * 1024,
  });
  const seconds = (performance.now() - started) / 1000;
  if (result.status !== 0) throw new Error(`build in ${dir} failed:\n${result.stdout.slice(-3000)}\n${result.stderr.slice(-3000)}`);
  return seconds;
}

/** Everything a fresh browser transfers for `url` while the reader only reads (compressed bytes, headers included), and the JavaScript among it. */
async function pageWeight(browser, url) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const requests = [];
  page.on('requestfinished', (request) => requests.push(request));
  const response = await page.goto(url, { waitUntil: 'networkidle' });
  if (response?.status() !== 200) throw new Error(`${url} answered ${response?.status()}`);
  // What a page fetches once the browser is idle (Starlight's search interface) counts too: a
  // reader who only reads still downloads it. A long page gets idle late, hence the wait.
  await page.waitForTimeout(1500);
  await page.waitForLoadState('networkidle');
  let total = 0;
  let scripts = 0;
  for (const request of requests) {
    const sizes = await request.sizes();
    const bytes = sizes.responseBodySize + sizes.responseHeadersSize;
    total += bytes;
    // By type, not by how it was asked for: a module preloaded by a <link> is JavaScript too.
    const type = (await request.response())?.headers()['content-type'] ?? '';
    if (/javascript/.test(type) || /\.m?js(\?|$)/.test(request.url())) scripts += bytes;
  }
  await context.close();
  return { total, scripts, requests: requests.length };
}

/**
 * A reader on an entry page asks for search (Guichet: the header's search link, then the
 * field; Starlight: its search button), pauses as a person does, then types `query` at ten
 * keys a second. Returns the time from the last key to the first result shown for the whole
 * query (results of a shorter prefix shown before the last key do not count), and every byte
 * fetched from asking for search until the results settled.
 */
async function searchOnce(browser, site, entryUrl, query) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(entryUrl, { waitUntil: 'networkidle' });
  const requests = [];
  page.on('requestfinished', (request) => requests.push(request));
  if (site === 'guichet') {
    await Promise.all([page.waitForURL(/\/recherche\/$/), page.locator('header a[href="/recherche/"]').first().click()]);
    await page.locator('#search-app input[name="q"]').click();
  } else {
    await page.locator('site-search button[data-open-modal]').click();
    await page.locator('.pagefind-ui__search-input').waitFor();
    await page.locator('.pagefind-ui__search-input').click();
  }
  const resultSelector = site === 'guichet' ? '#search-results li a' : '.pagefind-ui__result-link';
  await page.evaluate((selector) => {
    const w = /** @type {any} */ (window);
    w.__keys = [];
    w.__shown = [];
    document.addEventListener('keydown', () => w.__keys.push(performance.now()), { capture: true });
    new MutationObserver((records) => {
      const added = records.some((r) => [...r.addedNodes].some((n) => n.nodeType === 1 && (n.matches(selector) || n.querySelector(selector))));
      if (added) w.__shown.push(performance.now());
    }).observe(document.body, { childList: true, subtree: true });
  }, resultSelector);
  await page.waitForTimeout(300); // a person's pause between clicking the field and typing
  await page.keyboard.type(query, { delay: 100 });
  await page.waitForFunction(() => {
    const w = /** @type {any} */ (window);
    return w.__shown.some((t) => t > w.__keys.at(-1));
  }, undefined, { timeout: 10_000 });
  await page.waitForLoadState('networkidle');
  await page.waitForTimeout(200);
  const ms = await page.evaluate(() => {
    const w = /** @type {any} */ (window);
    const last = w.__keys.at(-1);
    return w.__shown.find((t) => t > last) - last;
  });
  let bytes = 0;
  for (const request of requests) {
    const sizes = await request.sizes();
    bytes += sizes.responseBodySize + sizes.responseHeadersSize;
  }
  await context.close();
  return { ms, bytes };
}

/**
 * Runs the help-centre part: for each size, `runs` cold builds of each site, taken in turn,
 * then `searchRuns` searches and a weighing of an entry page on each, in turn. Starlight is
 * built only at `peerSizes` (its build grows with the square of the entries: every page holds
 * the whole sidebar). Returns the rows of the suite's table and the raw figures.
 */
export async function runHelpCentre({ sizes, peerSizes, runs, peerRuns, searchRuns, latencyRuns, keep = false, log }) {
  ensurePeer(log);
  const astroOurs = join(projectRoot, 'node_modules/astro/bin/astro.mjs');
  const astroPeer = join(PEER_DIR, 'node_modules/astro/bin/astro.mjs');
  const browser = await launchChromium();
  const figures = [];
  try {
    for (const size of sizes) {
      const withPeer = peerSizes.includes(size);
      const dir = join(projectRoot, 'bench/.work', `help-${size}`);
      rmSync(dir, { recursive: true, force: true });
      copyProjectTo(dir);
      const ourFirst = generateFaqCorpus(join(dir, 'content'), size);
      const peerFirst = withPeer ? generateStarlightCorpus(join(PEER_DIR, 'src/content/docs'), size) : undefined;
      const ours = [];
      const peer = [];
      for (let run = 0; run < Math.max(runs, withPeer ? peerRuns : 0); run += 1) {
        if (run < runs) {
          ours.push(coldBuild(dir, astroOurs, 'dist'));
          log(`  ${size} entries, Guichet build ${run + 1}: ${ours.at(-1).toFixed(1)} s`);
        }
        if (withPeer && run < peerRuns) {
          peer.push(coldBuild(PEER_DIR, astroPeer, 'dist'));
          log(`  ${size} entries, Starlight build ${run + 1}: ${peer.at(-1).toFixed(1)} s`);
        }
      }
      const figure = {
        size,
        build: { ours: median(ours), peer: withPeer ? median(peer) : undefined, oursRuns: ours, peerRuns: peer },
      };

      // Both sites behind the same front server, as in production: it serves the built files
      // and gzips; Guichet's pages rendered on demand (its search page) go on to its server.
      const appPort = await freePort();
      const app = await startServer(dir, join(dir, 'bench.db'), { port: appPort, readyPath: '/recherche/' });
      // Our index is built by the server from the content it seeded (bench/publish.mjs times that).
      figure.index = { ours: dirSize(join((await searchIndexOf(app.origin, dir)).dir, 'pagefind')), peer: withPeer ? dirSize(join(PEER_DIR, 'dist/pagefind')) : undefined };
      const oursFront = await frontServer({ port: await freePort(), root: join(dir, 'dist/client'), upstream: app.origin });
      const peerFront = withPeer ? await frontServer({ port: await freePort(), root: join(PEER_DIR, 'dist') }) : undefined;
      const address = (server) => `http://127.0.0.1:${server.address().port}`;
      try {
        const weights = { ours: [], peer: [] };
        const searches = { ours: [], peer: [] };
        for (let run = 0; run < searchRuns; run += 1) {
          const query = QUERIES[run % QUERIES.length];
          weights.ours.push(await pageWeight(browser, `${address(oursFront)}/faq/${ourFirst}/`));
          searches.ours.push(await searchOnce(browser, 'guichet', `${address(oursFront)}/faq/${ourFirst}/`, query));
          if (peerFront) {
            weights.peer.push(await pageWeight(browser, `${address(peerFront)}/faq/${peerFirst}/`));
            searches.peer.push(await searchOnce(browser, 'starlight', `${address(peerFront)}/faq/${peerFirst}/`, query));
          }
        }
        const pick = (list, key) => (list.length ? median(list.map((x) => x[key])) : undefined);
        figure.page = { ours: pick(weights.ours, 'total'), peer: pick(weights.peer, 'total') };
        figure.scripts = { ours: pick(weights.ours, 'scripts'), peer: pick(weights.peer, 'scripts') };
        figure.search = { ours: pick(searches.ours, 'ms'), peer: pick(searches.peer, 'ms'), oursRuns: searches.ours.map((s) => s.ms), peerRuns: searches.peer.map((s) => s.ms) };
        figure.searchBytes = { ours: pick(searches.ours, 'bytes'), peer: pick(searches.peer, 'bytes') };
        // The search page without JavaScript: the server reads the query and searches the
        // index; timed one request after another, after one of each query to warm it.
        const served = [];
        // The first search after the start loads Pagefind and the index in the server's thread.
        const cold = await serverSearch(app.origin, SERVER_QUERIES[0]);
        for (const query of SERVER_QUERIES) await serverSearch(app.origin, query);
        for (let run = 0; run < latencyRuns * 3; run += 1) served.push(await serverSearch(app.origin, SERVER_QUERIES[run % SERVER_QUERIES.length]));
        served.sort((a, b) => a - b);
        figure.serverSearch = { median: median(served), p99: percentile(served, 99), runs: served.length, cold };
        log(`  ${size} entries: server search p99 ${figure.serverSearch.p99.toFixed(1)} ms (median ${figure.serverSearch.median.toFixed(1)} ms; the first after the start ${cold.toFixed(0)} ms)`);
        log(`  ${size} entries: first result ${figure.search.ours.toFixed(0)} ms${withPeer ? ` (Starlight ${figure.search.peer.toFixed(0)} ms)` : ''}, entry page ${(figure.page.ours / KB).toFixed(1)} KB${withPeer ? ` (Starlight ${(figure.page.peer / KB).toFixed(1)} KB)` : ''}`);
      } finally {
        oursFront.close();
        peerFront?.close();
        await app.stop();
      }
      figures.push(figure);
      if (!keep) rmSync(dir, { recursive: true, force: true });
    }
  } finally {
    await browser.close();
    if (!keep) {
      rmSync(join(PEER_DIR, 'dist'), { recursive: true, force: true });
      rmSync(join(PEER_DIR, 'src/content/docs/faq'), { recursive: true, force: true });
    }
  }
  return { rows: helpRows(figures), figures };
}

const kb = (bytes) => (bytes === undefined ? '—' : `${(bytes / KB).toFixed(1)} KB`);
const seconds = (s) => (s === undefined ? '—' : `${s.toFixed(1)} s`);
const ms = (value) => (value === undefined ? '—' : `${value.toFixed(0)} ms`);

/** The suite's rows for the help centre: what, ours, reference, budget and whether it holds. */
function helpRows(figures) {
  const rows = [];
  for (const f of figures) {
    const n = f.size.toLocaleString('en');
    const buildBudget = f.size === BUDGETS.buildSeconds.size;
    rows.push({
      what: `Help centre, ${n} entries: build (ours: the help pages are rendered on demand and the search index is built by the server, see Help editing; Starlight: pages and index) (median of ${f.build.oursRuns.length}${f.build.peerRuns.length ? `; Starlight ${f.build.peerRuns.length === 1 ? 'once' : `median of ${f.build.peerRuns.length}`}` : '; Starlight not built at this size'})`,
      ours: seconds(f.build.ours),
      reference: seconds(f.build.peer),
      ratio: f.build.peer ? f.build.ours / f.build.peer : undefined,
      budget: buildBudget ? `< ${BUDGETS.buildSeconds.seconds} s and ≤ 0.10× Starlight` : '—',
      pass: buildBudget ? f.build.ours < BUDGETS.buildSeconds.seconds && (f.build.peer === undefined || f.build.ours <= f.build.peer * BUDGETS.buildSeconds.ofPeer) : undefined,
    });
    rows.push({ what: `Help centre, ${n} entries: search index on disk`, ours: kb(f.index.ours), reference: kb(f.index.peer), ratio: f.index.peer ? f.index.ours / f.index.peer : undefined, budget: '—' });
    rows.push({
      what: `Help centre, ${n} entries: entry page, bytes transferred (gzip, headers included)`,
      ours: kb(f.page.ours),
      reference: kb(f.page.peer),
      ratio: f.page.peer ? f.page.ours / f.page.peer : undefined,
      budget: `≤ ${BUDGETS.pageBytes / KB} KB`,
      pass: f.page.ours <= BUDGETS.pageBytes,
    });
    rows.push({
      what: `Help centre, ${n} entries: JavaScript loaded before the reader asks for search`,
      ours: kb(f.scripts.ours),
      reference: kb(f.scripts.peer),
      budget: 'none',
      pass: f.scripts.ours === 0,
    });
    const searchBudget = f.size >= BUDGETS.firstResultMs.size;
    rows.push({
      what: `Help centre, ${n} entries: search in Chromium, typed at 10 keys/s: last key to first result (median of ${f.search.oursRuns.length})`,
      ours: ms(f.search.ours),
      reference: ms(f.search.peer),
      ratio: f.search.peer ? f.search.ours / f.search.peer : undefined,
      budget: searchBudget ? `< ${BUDGETS.firstResultMs.ms} ms` : '—',
      pass: searchBudget ? f.search.ours < BUDGETS.firstResultMs.ms : undefined,
    });
    const serverBudget = f.size >= BUDGETS.serverSearchP99Ms.size;
    rows.push({
      what: `Help centre, ${n} entries: search page answered by the server (without JavaScript), p99 of ${f.serverSearch.runs} once each query has run (median ${f.serverSearch.median.toFixed(1)} ms; the first search after the start ${f.serverSearch.cold.toFixed(0)} ms)`,
      ours: `${f.serverSearch.p99.toFixed(1)} ms`,
      reference: '—',
      budget: serverBudget ? `< ${BUDGETS.serverSearchP99Ms.ms} ms` : '—',
      pass: serverBudget ? f.serverSearch.p99 < BUDGETS.serverSearchP99Ms.ms : undefined,
    });
    rows.push({ what: `Help centre, ${n} entries: bytes fetched to answer a search`, ours: kb(f.searchBytes.ours), reference: kb(f.searchBytes.peer), ratio: f.searchBytes.peer ? f.searchBytes.ours / f.searchBytes.peer : undefined, budget: '—' });
  }
  return rows;
}
