/**
 * The Pagefind index of the published help content, built inside the running server (no
 * `astro build`): at start-up and after each change, from the same text the pages show
 * (./index-pages.ts). Each index is written to a folder named after a fingerprint of what it
 * holds and served under that name (/pagefind/<fingerprint>/…), so a browser that loaded one
 * keeps reading it while the next one is swapped in. Processes sharing the folder build each
 * index once: the first takes a lock (an atomic mkdir), the others wait for its folder.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import en from '../../../i18n/en.json';
import fr from '../../../i18n/fr.json';
import { close, createIndex } from 'pagefind';
import { onHelpChange, watchHelpChanges } from './changes';
import { searchIndexRoot } from './search-files.mjs';
import { indexPages } from './index-pages';
import { type HelpSnapshot, onSnapshot, publishedHelp } from './published';


/** Bumped when what is indexed changes, so an index from an older version is not reused. */
const INDEX_FORMAT = '1';
const LOCK_STALE_MS = 120_000;
/** Old indexes are kept this long for browsers that loaded them. */
const KEEP_OLD_MS = 3600_000;

export interface SearchIndex {
  fingerprint: string;
  /** The folder that holds `pagefind/`. */
  dir: string;
  changeId: number;
  /** Pages indexed by this process (0 when it found the index built). */
  pages: number;
  buildMs: number;
}

let current: SearchIndex | undefined;
const swapListeners = new Set<(index: SearchIndex) => void>();
let firstReady: Promise<SearchIndex> | undefined;
let resolveFirst: ((index: SearchIndex) => void) | undefined;

export const currentSearchIndex = () => current;
export function onSearchIndexSwap(listener: (index: SearchIndex) => void): void {
  swapListeners.add(listener);
}

/** Resolves with the index in use, waiting for the first one to be ready. */
export function searchIndexReady(): Promise<SearchIndex> {
  if (current) return Promise.resolve(current);
  firstReady ??= new Promise((resolvePromise) => (resolveFirst = resolvePromise));
  void followPublishedHelp();
  return firstReady;
}

/**
 * What an index holds, in a name: the published content (read from the snapshot, without
 * rendering anything), the UI strings some pages are indexed with, and the build that indexes
 * them. A server that finds a folder of that name uses it; any change gives another name.
 */
const BUILD = (() => {
  const hash = createHash('sha256').update(INDEX_FORMAT).update(JSON.stringify(fr)).update(JSON.stringify(en));
  try {
    hash.update(String(statSync(resolve(process.env.GUICHET_OUT_DIR || 'dist', 'server')).mtimeMs));
  } catch {}
  return hash.digest('hex');
})();

function fingerprint(snapshot: HelpSnapshot): string {
  const hash = createHash('sha256').update(BUILD);
  const items = [...snapshot.items].sort((a, b) => a.kind.localeCompare(b.kind) || a.locale.localeCompare(b.locale) || a.slug.localeCompare(b.slug));
  for (const item of items) hash.update(`${item.kind}\0${item.locale}\0${item.slug}\0${item.body}\0${JSON.stringify(item.data)}\0`);
  return hash.digest('hex').slice(0, 20);
}

// One build at a time in a process: Pagefind's service is shared (close() ends it).
let building: Promise<unknown> = Promise.resolve();
let wanted: HelpSnapshot | undefined;

/** Pages handed to Pagefind at once: its service indexes them side by side (a third faster than one by one). */
const BATCH = 64;

async function buildInto(dir: string, pages: ReturnType<typeof indexPages>): Promise<void> {
  const { index, errors } = await createIndex({});
  if (!index) throw new Error(`pagefind could not start: ${errors.join('; ')}`);
  try {
    for (let start = 0; start < pages.length; start += BATCH) {
      await Promise.all(
        pages.slice(start, start + BATCH).map(async (page) => {
          const added = await index.addHTMLFile({ url: page.url, content: page.html });
          if (added.errors.length > 0) throw new Error(`pagefind could not index ${page.url}: ${added.errors.join('; ')}`);
        }),
      );
    }
    const written = await index.writeFiles({ outputPath: join(dir, 'pagefind') });
    if (written.errors.length > 0) throw new Error(`pagefind could not write its index: ${written.errors.join('; ')}`);
  } finally {
    await close();
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function ensureIndex(snapshot: HelpSnapshot): Promise<SearchIndex> {
  const started = performance.now();
  const name = fingerprint(snapshot);
  let pages = 0;
  const root = searchIndexRoot();
  const dir = join(root, name);
  mkdirSync(root, { recursive: true });
  const ready = () => existsSync(join(dir, 'pagefind', 'pagefind-entry.json'));
  while (!ready()) {
    const lock = `${dir}.lock`;
    let mine = false;
    try {
      mkdirSync(lock);
      mine = true;
    } catch {
      // Another process builds it; take over a lock left by a process that died.
      try {
        if (Date.now() - statSync(lock).mtimeMs > LOCK_STALE_MS) rmSync(lock, { recursive: true, force: true });
      } catch {}
    }
    if (!mine) {
      await sleep(100);
      continue;
    }
    try {
      const tmp = `${dir}.tmp-${process.pid}`;
      rmSync(tmp, { recursive: true, force: true });
      const indexed = indexPages(snapshot);
      pages = indexed.length;
      await buildInto(tmp, indexed);
      if (!ready()) renameSync(tmp, dir);
      else rmSync(tmp, { recursive: true, force: true });
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }
  return { fingerprint: name, dir, changeId: snapshot.changeId, pages, buildMs: Math.round(performance.now() - started) };
}

function removeOldIndexes(keep: string): void {
  const root = searchIndexRoot();
  for (const name of readdirSync(root)) {
    if (name === keep || name.endsWith('.lock')) continue;
    const path = join(root, name);
    try {
      if (Date.now() - statSync(path).mtimeMs > KEEP_OLD_MS) rmSync(path, { recursive: true, force: true });
    } catch {}
  }
}

/** Builds (or picks up) the index of `snapshot` and swaps it in, unless a newer one was asked for meanwhile. */
function requestIndex(snapshot: HelpSnapshot): void {
  wanted = snapshot;
  building = building.then(async () => {
    if (wanted !== snapshot) return;
    try {
      const index = await ensureIndex(snapshot);
      if (current && current.changeId > index.changeId) return;
      const swapped = current?.fingerprint !== index.fingerprint;
      if (index.pages > 0) console.log(`Search index: ${index.pages} pages indexed in ${index.buildMs} ms (${index.fingerprint}).`);
      current = index;
      resolveFirst?.(index);
      if (swapped) for (const listener of swapListeners) listener(index);
      removeOldIndexes(index.fingerprint);
    } catch (error) {
      console.error('search index: build failed', error);
    }
  });
}

let following = false;
/** From now on, every snapshot of the published content gets its index. */
export async function followPublishedHelp(): Promise<void> {
  if (following) return;
  following = true;
  onSnapshot(requestIndex);
  // A change seen by the timer, with no request to read the content again: read it now (not
  // inside the listener, which runs while the change is being read).
  onHelpChange(() => void setImmediate(() => void publishedHelp().catch(() => undefined)));
  watchHelpChanges();
  requestIndex(await publishedHelp());
}

/** Where the browser loads Pagefind for the current index; undefined when none is ready within `waitMs`. */
export async function pagefindScript(waitMs = 10_000): Promise<string | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const index = await Promise.race([searchIndexReady(), new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), waitMs)))]).catch(() => undefined);
  clearTimeout(timer);
  return index && `/pagefind/${index.fingerprint}/pagefind/pagefind.js`;
}
