/**
 * Pagefind on the server: the same index and the same search code (pagefind.js and its
 * WebAssembly, as written by src/lib/server/help/search-index.ts) that the browser runs, so that the search
 * page without JavaScript answers exactly as the search as one types. Pagefind fetches its
 * files with `fetch`: it runs in a thread of its own, whose `fetch` reads them from disk, and
 * the serving thread is not held while it decompresses and searches.
 */
import { Worker } from 'node:worker_threads';
import type { Locale } from '../../../i18n';
import { type Engine, MAX_HITS_PER_SEARCH } from '../../search/run';
import { searchIndexReady } from '../help/search-index';

export interface PageData {
  url: string;
  title: string;
  /** Pagefind's excerpt: the page's text, escaped, with <mark> around the words found. */
  excerpt: string;
}

// The thread, as CommonJS source (the build bundles this module; a separate file would not follow).
const THREAD = String.raw`
const { parentPort, workerData } = require('node:worker_threads');
const { readFile } = require('node:fs/promises');
const { join, sep } = require('node:path');
const { pathToFileURL } = require('node:url');
const root = workerData.clientDir;
const BASE = 'http://pagefind.invalid/pagefind/';
globalThis.fetch = async (input) => {
  const path = join(root, decodeURIComponent(new URL(String(input)).pathname));
  if (!path.startsWith(root + sep)) return new Response(null, { status: 404 });
  try {
    return new Response(await readFile(path));
  } catch {
    return new Response(null, { status: 404 });
  }
};
// Pagefind picks its language from the page's <html lang>: one instance per language, made
// one at a time with that language shown to it.
const instances = new Map();
let creating = Promise.resolve();
function instance(lang) {
  if (!instances.has(lang)) {
    creating = creating.then(async () => {
      const pagefind = await import(pathToFileURL(join(root, 'pagefind', 'pagefind.js')).href + '?lang=' + lang);
      // Only once the module is loaded: it looks for a <script> element when one exists.
      globalThis.document = { querySelector: () => ({ getAttribute: () => lang }) };
      try {
        await pagefind.options({ basePath: BASE });
        await pagefind.init();
        return pagefind;
      } finally {
        delete globalThis.document;
      }
    });
    instances.set(lang, creating);
    creating = creating.catch(() => undefined);
  }
  return instances.get(lang);
}
// The last searches' results: a page's data is asked for right after the search that found it.
const recent = new Map();
async function search(lang, text) {
  const key = lang + ' ' + text;
  let found = recent.get(key);
  if (!found) {
    found = (await instance(lang)).search(text);
    recent.set(key, found);
    if (recent.size > 256) recent.delete(recent.keys().next().value);
    found.catch(() => recent.delete(key));
  }
  return found;
}
parentPort.on('message', async ({ id, op, lang, text, page }) => {
  try {
    const found = await search(lang, text);
    if (op === 'search') {
      parentPort.postMessage({ id, hits: found.results.slice(0, workerData.maxHits).map((r) => ({ id: r.id, score: r.score })) });
      return;
    }
    const result = found.results.find((r) => r.id === page);
    const data = result ? await result.data() : undefined;
    parentPort.postMessage({ id, data: data && { url: data.url.replace(/^http:\/\/pagefind\.invalid/, ''), title: data.meta?.title ?? data.url, excerpt: data.excerpt } });
  } catch (error) {
    parentPort.postMessage({ id, error: String(error && error.message || error) });
  }
});
`;

const TIMEOUT_MS = 10_000;

interface Thread {
  worker: Worker;
  dir: string;
  waiting: Map<number, { resolve: (value: any) => void; reject: (error: Error) => void; timer: ReturnType<typeof setTimeout> }>;
}
let thread: Thread | undefined;
let nextId = 0;

function startThread(dir: string): Thread {
  const started: Thread = { worker: new Worker(THREAD, { eval: true, workerData: { clientDir: dir, maxHits: MAX_HITS_PER_SEARCH } }), dir, waiting: new Map() };
  const { worker, waiting } = started;
  worker.unref();
  worker.on('message', ({ id, error, ...answer }) => {
    const pending = waiting.get(id);
    if (!pending) return;
    waiting.delete(id);
    clearTimeout(pending.timer);
    if (error) pending.reject(new Error(`search: ${error}`));
    else pending.resolve(answer);
  });
  // A thread that fails is started again at the next search.
  const failed = (error: Error) => {
    if (thread === started) thread = undefined;
    for (const pending of waiting.values()) {
      clearTimeout(pending.timer);
      pending.reject(error);
    }
    waiting.clear();
  };
  worker.on('error', failed);
  worker.on('exit', (code) => failed(new Error(`the search thread stopped (${code})`)));
  return started;
}

/** The previous index's thread ends once its searches are answered (a search is answered within 10 s). */
function retire(old: Thread): void {
  setTimeout(() => void old.worker.terminate(), TIMEOUT_MS + 1000).unref();
}

async function ask(message: Record<string, unknown>): Promise<any> {
  const index = await Promise.race([
    searchIndexReady(),
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error('search: the index is not ready yet')), TIMEOUT_MS).unref()),
  ]);
  if (!thread || thread.dir !== index.dir) {
    if (thread) retire(thread);
    thread = startThread(index.dir);
  }
  const id = (nextId += 1);
  const { worker, waiting } = thread;
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => {
      waiting.delete(id);
      reject(new Error('search: no answer within 10 s'));
    }, TIMEOUT_MS);
    waiting.set(id, { resolve: resolvePromise, reject, timer });
    worker.postMessage({ id, ...message });
  });
}

/** Pagefind over the help content in `locale`, as an engine for runSearch (src/lib/search/run.ts). */
export function pagefindEngine(locale: Locale): Engine<PageData> {
  return {
    async search(text) {
      const { hits } = (await ask({ op: 'search', lang: locale, text })) as { hits: { id: string; score: number }[] };
      return hits.map((hit) => ({
        ...hit,
        data: async () => {
          const { data } = (await ask({ op: 'data', lang: locale, text, page: hit.id })) as { data?: PageData };
          if (!data) throw new Error('search: a page found is gone from the index');
          return data;
        },
      }));
    },
  };
}
