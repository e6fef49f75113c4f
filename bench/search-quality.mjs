// The help centre's search quality, beside raw Pagefind: the resident-style questions of
// tests/search/questions.mjs over the demo content, built in a throwaway copy. Ours is the
// search page answered by the server (the same reading of the query and the same index as the
// browser's search: tests/e2e/search-quality.spec.ts checks that both give the same first
// three); the reference is Pagefind's own search of the same index with the same words, as the
// search box of a Pagefind site would run it. Each question counts when one of its pages is
// among the first three results.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { projectRoot } from '../scripts/project-copy.mjs';
import { QUESTIONS } from '../tests/search/questions.mjs';
import { buildCopy, freePort, searchIndexOf, startServer } from './lib.mjs';

/** The budget of the search issue: the right page in the first three for this share of the questions. */
export const QUALITY_TARGET = 0.95;

/** The first three result paths of the server's search page for `query`. */
async function serverFirstThree(origin, locale, query) {
  const path = locale === 'fr' ? '/recherche/' : '/en/search/';
  const response = await fetch(`${origin}${path}?${new URLSearchParams({ q: query })}`);
  if (!response.ok) throw new Error(`the search page answered ${response.status} for “${query}”`);
  const html = await response.text();
  const list = /<ol id="search-results"[^>]*>([\s\S]*?)<\/ol>/.exec(html)?.[1] ?? '';
  return [...list.matchAll(/<li><a href="([^"]+)"/g)].slice(0, 3).map((m) => m[1]);
}

/** Pagefind as the server wrote it into `clientDir`, run in this process: its files are read from disk. */
async function rawPagefind(clientDir) {
  const BASE = 'http://pagefind.invalid/pagefind/';
  const realFetch = globalThis.fetch;
  globalThis.fetch = async (input, init) => {
    const url = String(input instanceof Request ? input.url : input);
    if (!url.startsWith('http://pagefind.invalid/')) return realFetch(input, init);
    try {
      return new Response(await readFile(join(clientDir, decodeURIComponent(new URL(url).pathname))));
    } catch {
      return new Response(null, { status: 404 });
    }
  };
  const instances = {};
  return async (locale, query) => {
    if (!instances[locale]) {
      const pagefind = await import(`${pathToFileURL(join(clientDir, 'pagefind/pagefind.js')).href}?lang=${locale}`);
      globalThis.document = { querySelector: () => ({ getAttribute: () => locale }) };
      await pagefind.options({ basePath: BASE });
      await pagefind.init();
      delete globalThis.document;
      instances[locale] = pagefind;
    }
    const found = await instances[locale].search(query);
    const data = await Promise.all(found.results.slice(0, 3).map((r) => r.data()));
    return data.map((d) => d.url.replace('http://pagefind.invalid', ''));
  };
}

export async function runSearchQuality({ keep = false, log }) {
  const dir = join(projectRoot, 'bench/.work', 'search-quality');
  buildCopy(dir);
  const app = await startServer(dir, join(dir, 'bench.db'), { port: await freePort(), readyPath: '/recherche/' });
  // The index the server built at its start, from the content it seeded.
  const raw = await rawPagefind((await searchIndexOf(app.origin, dir)).dir);
  /** Per kind: [ours found, raw found, questions]. */
  const kinds = new Map();
  const missed = [];
  try {
    for (const question of QUESTIONS) {
      const ours = await serverFirstThree(app.origin, question.locale, question.query);
      const theirs = await raw(question.locale, question.query);
      const counts = kinds.get(question.kind) ?? [0, 0, 0];
      const found = ours.some((path) => question.answers.includes(path));
      counts[0] += found ? 1 : 0;
      counts[1] += theirs.some((path) => question.answers.includes(path)) ? 1 : 0;
      counts[2] += 1;
      kinds.set(question.kind, counts);
      if (!found) missed.push(`${question.locale} “${question.query}” → ${ours.join(' ') || 'nothing'}`);
    }
  } finally {
    await app.stop();
    if (!keep) (await import('node:fs')).rmSync(dir, { recursive: true, force: true });
  }
  const total = [...kinds.values()].reduce((sum, [a, b, n]) => [sum[0] + a, sum[1] + b, sum[2] + n], [0, 0, 0]);
  log(`  ${total[0]}/${total[2]} questions answered in the first three (raw Pagefind ${total[1]})${missed.length ? `; missed: ${missed.join('; ')}` : ''}`);
  const percent = (found, of) => `${((100 * found) / of).toFixed(1)} % (${found}/${of})`;
  const rows = [...kinds].map(([kind, [ours, theirs, n]]) => ({
    what: `Search quality, ${kind} questions: right page in the first three`,
    ours: percent(ours, n),
    reference: percent(theirs, n),
    ratio: theirs ? ours / theirs : undefined,
    budget: '—',
  }));
  rows.push({
    what: `Search quality, all ${total[2]} questions (tests/search/questions.mjs): right page in the first three`,
    ours: percent(total[0], total[2]),
    reference: percent(total[1], total[2]),
    ratio: total[1] ? total[0] / total[1] : undefined,
    budget: `≥ ${QUALITY_TARGET * 100} %`,
    pass: total[0] / total[2] >= QUALITY_TARGET,
  });
  return { rows, figures: { kinds: Object.fromEntries(kinds), total, missed } };
}
