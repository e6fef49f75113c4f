// Help-centre benchmark: builds the portal with generated corpora of FAQ entries and prints
// build time (search index included), index size and the weight of an FAQ entry page.
//
//   npm run bench                     # 1,000 and 5,000 entries
//   npm run bench -- --sizes 200,1000 # other sizes
//
// Each size is built in a throwaway copy of the project under bench/.work/ (node_modules is
// linked), so the working tree and its dist/ are left alone.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { copyProjectTo } from '../scripts/project-copy.mjs';
import { generateFaqCorpus } from './corpus.mjs';

const root = resolve(import.meta.dirname, '..');
const argSizes = process.argv.find((_, i) => process.argv[i - 1] === '--sizes');
const sizes = (argSizes ?? '1000,5000').split(',').map(Number);
const PAGE_BUDGET_BYTES = 20 * 1024;
const BUILD_BUDGET_SECONDS = { 5000: 60 };

function dirSize(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.size;
  return readdirSync(path).reduce((sum, name) => sum + dirSize(join(path, name)), 0);
}

/** Bytes a browser transfers for a page, compressed: the HTML and every stylesheet, font and script it loads up front. */
function pageWeight(clientDir, pagePath) {
  const html = readFileSync(join(clientDir, pagePath, 'index.html'));
  const text = html.toString('utf8');
  const assets = [...text.matchAll(/<link[^>]+rel="stylesheet"[^>]+href="([^"]+)"|<script[^>]+src="([^"]+)"|url\(([^)]+\.woff2?)\)/g)]
    .map((m) => m[1] ?? m[2] ?? m[3])
    .filter((href) => href && href.startsWith('/') && href !== '/affichage.css'); // the settings sheet is empty by default
  const scripts = (text.match(/<script/g) ?? []).length;
  const files = [{ name: 'HTML', data: html }, ...assets.map((href) => ({ name: href, data: readFileSync(join(clientDir, href)) }))];
  const parts = files.map(({ name, data }) => ({ name, bytes: gzipSync(data, { level: 9 }).length, raw: data.length }));
  return { total: parts.reduce((s, p) => s + p.bytes, 0), raw: parts.reduce((s, p) => s + p.raw, 0), parts, scripts };
}

function buildCopy(size) {
  const dir = join(root, 'bench/.work', String(size));
  rmSync(dir, { recursive: true, force: true });
  // The real content plus the generated FAQ entries, built cold (no cache shared with another copy).
  copyProjectTo(dir);
  const first = generateFaqCorpus(join(dir, 'content'), size);
  const started = performance.now();
  const result = spawnSync(process.execPath, [join(root, 'node_modules/astro/bin/astro.mjs'), 'build'], {
    cwd: dir,
    env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1', NO_COLOR: '1' },
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  const seconds = (performance.now() - started) / 1000;
  if (result.status !== 0) {
    console.error(result.stdout.slice(-4000), result.stderr.slice(-4000));
    throw new Error(`build of ${size} entries failed`);
  }
  const client = join(dir, 'dist/client');
  const pages = readdirSync(join(client, 'faq')).filter((name) => statSync(join(client, 'faq', name)).isDirectory()).length;
  return {
    size,
    seconds,
    pages,
    indexBytes: dirSize(join(client, 'pagefind')),
    page: pageWeight(client, `faq/${first}`),
    faqIndex: pageWeight(client, 'faq'),
    topicPage: pageWeight(client, 'themes/connexion'),
    dir,
  };
}

const results = [];
for (const size of sizes) {
  process.stdout.write(`building ${size} entries… `);
  const r = buildCopy(size);
  console.log(`${r.seconds.toFixed(1)} s`);
  results.push(r);
}

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
console.log('\n| entries | FAQ pages built | build + index | per 1,000 entries | index on disk | FAQ entry page, gzip (uncompressed) | scripts on the page | budget |');
console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |');
let failed = false;
for (const r of results) {
  const buildBudget = BUILD_BUDGET_SECONDS[r.size];
  const ok = r.page.total <= PAGE_BUDGET_BYTES && r.page.scripts === 0 && (!buildBudget || r.seconds < buildBudget);
  failed ||= !ok;
  console.log(
    `| ${r.size} | ${r.pages} | ${r.seconds.toFixed(1)} s | ${((r.seconds / r.size) * 1000).toFixed(1)} s | ${kb(r.indexBytes)} | ${kb(r.page.total)} (${kb(r.page.raw)}; ${r.page.parts.map((p) => p.name).join(' + ')}) | ${r.page.scripts} | ${ok ? 'pass' : 'FAIL'} (page ≤ 20 KB, no script${buildBudget ? `, build < ${buildBudget} s` : ''}) |`,
  );
}
console.log('\nOther pages, gzip (uncompressed): the FAQ index shows 8 questions per topic at any size; a topic page lists all of its questions.');
for (const r of results) console.log(`- ${r.size} entries: FAQ index ${kb(r.faqIndex.total)} (${kb(r.faqIndex.raw)}), topic page ${kb(r.topicPage.total)} (${kb(r.topicPage.raw)})`);
if (results.length >= 2) {
  const [a, b] = [results[0], results.at(-1)];
  const ratio = b.seconds / a.seconds;
  const linear = ratio <= (b.size / a.size) * 1.15;
  failed ||= !linear;
  console.log(`\nGrowth: ${b.size / a.size}× the entries took ${ratio.toFixed(2)}× the time (linear or better when ≤ ${((b.size / a.size) * 1.15).toFixed(2)}×): ${linear ? 'pass' : 'FAIL'}`);
  const marginal = ((b.seconds - a.seconds) / (b.size - a.size)) * 1000;
  console.log(`Marginal cost: ${marginal.toFixed(2)} s per 1,000 more entries; fixed cost about ${(a.seconds - (marginal * a.size) / 1000).toFixed(1)} s.`);
}
writeFileSync(join(root, 'bench/.work/help-centre.json'), JSON.stringify(results.map(({ dir, ...r }) => r), null, 2));
if (!process.argv.includes('--keep')) for (const r of results) rmSync(r.dir, { recursive: true, force: true });
process.exitCode = failed ? 1 : 0;
