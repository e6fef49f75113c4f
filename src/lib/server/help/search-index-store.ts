/**
 * Search indexes kept in the database (`search_indexes`, `search_index_files`), so that servers
 * sharing a database build each index once between them: the server that claims an index
 * builds it and stores its files; the others, and a machine that starts later, copy them (a
 * few megabytes for 5,000 entries) instead of spending the seconds Pagefind takes.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { and, desc, eq, inArray, lt, notInArray, or } from 'drizzle-orm';
import { searchIndexes, searchIndexFiles } from '../../../../db/schema';
import type { Db } from '../db';

/** A claim older than this is taken to be left by a server that died while building. */
export const CLAIM_STALE_MS = 60_000;
/** Stored indexes kept: the current one and the ones just before it. */
const KEEP = 3;
/** Files inserted per statement. */
const BATCH = 200;

/** Writes the stored index `name` under `into` and returns true; false when it is not stored (yet). */
export async function fetchStoredIndex(db: Db, name: string, into: string): Promise<boolean> {
  const [row] = await db.select({ state: searchIndexes.state }).from(searchIndexes).where(eq(searchIndexes.name, name));
  if (row?.state !== 'ready') return false;
  const files = await db.select({ path: searchIndexFiles.path, bytes: searchIndexFiles.bytes }).from(searchIndexFiles).where(eq(searchIndexFiles.indexName, name));
  if (files.length === 0) return false;
  for (const file of files) {
    const path = join(into, file.path);
    // Paths were written by storeIndex from the folder it read; nothing climbs out of `into`.
    if (relative(into, path).startsWith('..')) continue;
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, file.bytes);
  }
  return true;
}

/** Claims the building of `name` for this server: true when no other server is building it (or its claim is stale). */
export async function claimIndexBuild(db: Db, name: string, now = new Date()): Promise<boolean> {
  const inserted = await db.insert(searchIndexes).values({ name, state: 'building', claimedAt: now }).onConflictDoNothing().returning({ name: searchIndexes.name });
  if (inserted.length > 0) return true;
  const taken = await db
    .update(searchIndexes)
    .set({ claimedAt: now })
    .where(and(eq(searchIndexes.name, name), eq(searchIndexes.state, 'building'), lt(searchIndexes.claimedAt, new Date(now.getTime() - CLAIM_STALE_MS))))
    .returning({ name: searchIndexes.name });
  return taken.length > 0;
}

/** Lets another server build `name` (this one could not). */
export async function releaseIndexClaim(db: Db, name: string): Promise<void> {
  await db.delete(searchIndexes).where(and(eq(searchIndexes.name, name), eq(searchIndexes.state, 'building')));
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)));
}

/** Stores the files of the index built in `dir` under `name`, marks it ready and drops the oldest. */
export async function storeIndex(db: Db, name: string, dir: string): Promise<void> {
  const paths = filesUnder(dir);
  await db.transaction(async (tx) => {
    await tx.delete(searchIndexFiles).where(eq(searchIndexFiles.indexName, name));
    await tx.insert(searchIndexes).values({ name, state: 'building', claimedAt: new Date() }).onConflictDoNothing();
    for (let start = 0; start < paths.length; start += BATCH) {
      await tx.insert(searchIndexFiles).values(paths.slice(start, start + BATCH).map((path) => ({ indexName: name, path, bytes: readFileSync(join(dir, path)) })));
    }
    await tx.update(searchIndexes).set({ state: 'ready', readyAt: new Date() }).where(eq(searchIndexes.name, name));
  });
  const kept = (await db.select({ name: searchIndexes.name }).from(searchIndexes).where(eq(searchIndexes.state, 'ready')).orderBy(desc(searchIndexes.readyAt)).limit(KEEP)).map((row) => row.name);
  // Older ready indexes, and claims left by servers that died while building.
  const dropped = (
    await db
      .select({ name: searchIndexes.name })
      .from(searchIndexes)
      .where(or(and(eq(searchIndexes.state, 'ready'), notInArray(searchIndexes.name, kept)), and(eq(searchIndexes.state, 'building'), lt(searchIndexes.claimedAt, new Date(Date.now() - CLAIM_STALE_MS)))))
  ).map((row) => row.name);
  if (dropped.length === 0) return;
  // Files first: the foreign key's cascade needs `PRAGMA foreign_keys`, which a connection may not set.
  await db.transaction(async (tx) => {
    await tx.delete(searchIndexFiles).where(inArray(searchIndexFiles.indexName, dropped));
    await tx.delete(searchIndexes).where(inArray(searchIndexes.name, dropped));
  });
}
