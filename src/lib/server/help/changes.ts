/**
 * How a server learns that help content changed, its own publishes and those of other
 * processes or servers on the same database alike: `help_changes` rows, read after the last
 * one seen. A request checks at most every quarter of a second (one indexed read); a timer
 * checks every second when no request comes, so the search index follows too.
 */
import { gt, max } from 'drizzle-orm';
import { helpChanges } from '../../../../db/schema';
import { type Db, getDb } from '../db';

export const CHECK_EVERY_MS = 250;

/** What changed: the pages' cache tags, and the entries (null: many at once, an import or the seed). */
type Listener = (change: { tags: string[]; lastId: number; entryIds: (number | null)[] }) => void | Promise<void>;
const listeners = new Set<Listener>();
let seen: number | undefined;
let checkedAt = 0;
let running: Promise<number> | undefined;

/** Calls `listener` with the cache tags of every change seen from now on. */
export function onHelpChange(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

async function readChanges(db: Db): Promise<number> {
  if (seen === undefined) {
    const [row] = await db.select({ last: max(helpChanges.id) }).from(helpChanges);
    seen = row?.last ?? 0;
    return seen;
  }
  const rows = await db.select({ id: helpChanges.id, tags: helpChanges.tags, entryId: helpChanges.entryId }).from(helpChanges).where(gt(helpChanges.id, seen)).orderBy(helpChanges.id).limit(1000);
  if (rows.length === 0) return seen;
  seen = rows.at(-1)!.id;
  const tags = [...new Set(rows.flatMap((r) => r.tags))];
  // A full page of rows may not be all of them: the next check reads the rest.
  const entryIds = rows.map((r) => r.entryId);
  for (const listener of listeners) {
    try {
      await listener({ tags, lastId: seen, entryIds });
    } catch (error) {
      console.error('help change listener failed', error);
    }
  }
  return seen;
}

/** Reads new changes unless that was done less than `maxAgeMs` ago; resolves with the last change id. */
export function checkHelpChanges(maxAgeMs = CHECK_EVERY_MS, db?: Db): Promise<number> {
  if (seen !== undefined && Date.now() - checkedAt < maxAgeMs && !running) return Promise.resolve(seen);
  running ??= (async () => {
    try {
      return await readChanges(db ?? (await getDb()));
    } finally {
      checkedAt = Date.now();
      running = undefined;
    }
  })();
  return running;
}

let timer: ReturnType<typeof setInterval> | undefined;
/** Keeps checking in the background (every second), for work no request triggers. */
export function watchHelpChanges(everyMs = 1000): void {
  timer ??= setInterval(() => void checkHelpChanges(everyMs / 2).catch(() => undefined), everyMs);
  timer.unref();
}
