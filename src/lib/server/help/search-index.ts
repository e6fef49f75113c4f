/**
 * The Pagefind index of the published help content, built inside the running server (no
 * `astro build`): at start-up and after each change, from the same text the pages show
 * (./index-pages.ts). Each index is written to a folder named after a fingerprint of what it
 * holds and served under that name (/pagefind/<fingerprint>/…), so a browser that loaded one
 * keeps reading it while the next one is swapped in. Processes sharing the folder build each
 * index once: the first takes a lock (an atomic mkdir) and reads the content, the others wait
 * for its folder.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import en from '../../../i18n/en.json';
import fr from '../../../i18n/fr.json';
import { close, createIndex } from 'pagefind';
import { isNotNull } from 'drizzle-orm';
import { databaseUrl } from '../../../../db/connection.mjs';
import { helpEntries } from '../../../../db/schema';
import { getDb } from '../db';
import { checkHelpChanges, onHelpChange, watchHelpChanges } from './changes';
import { onlyNotices } from './change-tags';
import { searchIndexRoot } from './search-files.mjs';
import { INDEX_PAGES_MODULE, indexPages } from './index-pages';
import { claimIndexBuild, fetchStoredIndex, releaseIndexClaim, storeIndex } from './search-index-store';
import { publishedHelp } from './published';


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
  /** Of which reading the content and writing its pages. */
  readMs: number;
}

let current: SearchIndex | undefined;
let firstReady: Promise<SearchIndex> | undefined;
let resolveFirst: ((index: SearchIndex) => void) | undefined;


/** The index in use, if one is ready (starting one when none is). */
export function currentSearchIndex(): SearchIndex | undefined {
  if (!current) void searchIndexReady();
  return current;
}

/** Resolves with the index in use, waiting for the first one to be ready. */
export function searchIndexReady(): Promise<SearchIndex> {
  if (current) return Promise.resolve(current);
  firstReady ??= new Promise((resolvePromise) => (resolveFirst = resolvePromise));
  void followPublishedHelp();
  return firstReady;
}

/**
 * What an index holds, in a name: the database, the revision published for each entry, the
 * UI strings some pages are indexed with, and the build that indexes them. It is read with one
 * small query, so a process that finds a folder of that name uses it without loading anything;
 * any publish or withdrawal gives another name.
 */
const BUILD = (() => {
  const hash = createHash('sha256').update(INDEX_FORMAT).update(JSON.stringify(fr)).update(JSON.stringify(en));
  // The code that writes the indexed pages, as built: another build of the same code (a
  // redeploy, another machine) gives the same name, so its index is found, not rebuilt.
  for (const url of [INDEX_PAGES_MODULE, import.meta.url]) {
    try {
      hash.update(readFileSync(fileURLToPath(url)));
    } catch {
      hash.update(url);
    }
  }
  return hash.digest('hex');
})();

async function currentFingerprint(): Promise<{ name: string; changeId: number }> {
  const changeId = await checkHelpChanges();
  const db = await getDb();
  const rows = await db.select({ entry: helpEntries.id, revision: helpEntries.publishedRevisionId }).from(helpEntries).where(isNotNull(helpEntries.publishedRevisionId)).orderBy(helpEntries.id);
  const hash = createHash('sha256').update(BUILD).update(databaseUrl());
  for (const row of rows) hash.update(`${row.entry}:${row.revision},`);
  return { name: hash.digest('hex').slice(0, 20), changeId };
}

// One build at a time in a process: Pagefind's service is shared (close() ends it).
let building: Promise<unknown> = Promise.resolve();
let asked = 0;

/** Pages handed to Pagefind at once: its service indexes them side by side (a third faster than one by one). */
const BATCH = 128;

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

/** Marks an index folder as this database's (a folder of another one is never served instead). */
const ORIGIN_FILE = 'origin';
let originName: string | undefined;
const origin = () => (originName ??= createHash('sha256').update(databaseUrl()).digest('hex').slice(0, 20));

/**
 * Puts the index `name` in `tmp`: copied from the database when another server stored it,
 * otherwise built here (claimed in the database first, so that servers sharing it build it
 * once) and then stored for the others. Returns the pages indexed here (0 when copied).
 */
async function obtainIndex(name: string, tmp: string, lock: string, timing: { readMs: number; started: number }): Promise<number> {
  const db = await getDb();
  for (;;) {
    if (await fetchStoredIndex(db, name, tmp)) return 0;
    if (await claimIndexBuild(db, name)) {
      try {
        // Only the server that builds reads the content: the others wait for its files.
        const indexed = indexPages(await publishedHelp());
        timing.readMs = performance.now() - timing.started;
        await buildInto(tmp, indexed);
        return indexed.length;
      } catch (error) {
        await releaseIndexClaim(db, name).catch(() => undefined);
        throw error;
      }
    }
    // Another server builds it; this process's lock stays fresh while it waits.
    const now = new Date();
    utimesSync(lock, now, now);
    await sleep(200);
  }
}

async function ensureIndex({ name, changeId }: { name: string; changeId: number }): Promise<SearchIndex> {
  const timing = { started: performance.now(), readMs: 0 };
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
      // Another process of this machine gets it; take over a lock left by a process that died.
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
      mkdirSync(tmp);
      writeFileSync(join(tmp, ORIGIN_FILE), origin());
      pages = await obtainIndex(name, tmp, lock, timing);
      if (!ready()) renameSync(tmp, dir);
      else rmSync(tmp, { recursive: true, force: true });
      if (pages > 0) {
        // Stored once it serves here; a server waiting for it copies it a moment later.
        void getDb()
          .then((db) => storeIndex(db, name, dir))
          .catch((error: unknown) => console.error('search index: could not be stored in the database', error));
      }
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }
  return { fingerprint: name, dir, changeId, pages, buildMs: Math.round(performance.now() - timing.started), readMs: Math.round(timing.readMs) };
}

/**
 * The most recent complete index of this database on this machine, other than `name`: served
 * while `name` is fetched or built (after an upgrade that changes what is indexed, or content
 * published while the server was stopped), so that search answers from the start.
 */
function previousIndex(name: string): SearchIndex | undefined {
  const root = searchIndexRoot();
  let best: { name: string; at: number } | undefined;
  try {
    for (const entry of readdirSync(root)) {
      if (entry === name || !/^[0-9a-f]{20}$/.test(entry)) continue;
      try {
        if (readFileSync(join(root, entry, ORIGIN_FILE), 'utf8') !== origin() || !existsSync(join(root, entry, 'pagefind', 'pagefind-entry.json'))) continue;
        const at = statSync(join(root, entry)).mtimeMs;
        if (!best || at > best.at) best = { name: entry, at };
      } catch {}
    }
  } catch {}
  // changeId -1: the index of what is published replaces it as soon as it is ready.
  return best && { fingerprint: best.name, dir: join(root, best.name), changeId: -1, pages: 0, buildMs: 0, readMs: 0 };
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

/** Swaps `index` in; the one it replaces is kept an hour from now for the browsers that loaded it. */
function use(index: SearchIndex): void {
  if (current && current.dir !== index.dir) {
    const now = new Date();
    try {
      utimesSync(current.dir, now, now);
    } catch {}
  }
  current = index;
  resolveFirst?.(index);
}

/** Builds (or picks up) the index of what is published now and swaps it in; asks made meanwhile are served by one run. */
function refreshIndex(): void {
  const ask = (asked += 1);
  building = building.then(async () => {
    if (ask !== asked) return;
    try {
      const fingerprint = await currentFingerprint();
      if (!current && !existsSync(join(searchIndexRoot(), fingerprint.name, 'pagefind', 'pagefind-entry.json'))) {
        const previous = previousIndex(fingerprint.name);
        if (previous) use(previous);
      }
      const index = await ensureIndex(fingerprint);
      if (current && current.changeId > index.changeId) return;
      if (index.pages > 0) console.log(`Search index: ${index.pages} pages indexed in ${index.buildMs} ms, ${index.readMs} ms of which reading the content (${index.fingerprint}).`);
      use(index);
      removeOldIndexes(index.fingerprint);
    } catch (error) {
      console.error('search index: build failed', error);
    }
  });
}

let following = false;
/** From now on, every change of the published content gets its index. */
export async function followPublishedHelp(): Promise<void> {
  if (following) return;
  following = true;
  // Not inside the listener, which runs while the change is being read.
  onHelpChange(({ tags }) => {
    // Announcements share the channel; they are not in the search index.
    if (!onlyNotices(tags)) setImmediate(refreshIndex);
  });
  watchHelpChanges();
  refreshIndex();
}

/** Where the browser loads Pagefind for the current index; undefined when none is ready within `waitMs`. */
export async function pagefindScript(waitMs = 10_000): Promise<string | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const index = await Promise.race([searchIndexReady(), new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), waitMs)))]).catch(() => undefined);
  clearTimeout(timer);
  return index && `/pagefind/${index.fingerprint}/pagefind/pagefind.js`;
}
