/**
 * Triage of several requests at once, from the queue: the same changes as on a request's page
 * (assignee, status, priority; closing is a status), applied to each request in turn through
 * `saveRequest`, so that each one is audit-logged and its resident mailed as if changed alone.
 * Merging keeps the oldest of the requests chosen and merges the others into it.
 */
import { asc, inArray } from 'drizzle-orm';
import { requests } from '../../../../db/schema';
import type { Actor } from '../audit';
import type { Db } from '../db';
import type { RequestSettings } from '../requests';
import { mergeRequest, type RequestChanges, saveRequest } from './requests';

/** At most this many requests in one go (a queue page shows 25). */
export const BULK_MAX = 100;

export interface BulkResult {
  /** References changed, left as they were (nothing to change), and refused with the reason. */
  changed: string[];
  unchanged: string[];
  refused: { reference: string; reason: string }[];
  /** For a merge: the request kept. */
  into?: string;
}

async function found(db: Db, references: string[]) {
  return db
    .select({ id: requests.id, reference: requests.reference, status: requests.status, mergedIntoId: requests.mergedIntoId })
    .from(requests)
    .where(inArray(requests.reference, references))
    .orderBy(asc(requests.id));
}

export async function bulkChange(db: Db, actor: Actor & { id: number; name: string }, references: string[], changes: RequestChanges, settings: RequestSettings, now: number = Date.now()): Promise<BulkResult> {
  const rows = await found(db, references);
  const result: BulkResult = { changed: [], unchanged: [], refused: references.filter((r) => !rows.some((row) => row.reference === r)).map((reference) => ({ reference, reason: 'not-found' })) };
  for (const row of rows) {
    const saved = await saveRequest(db, actor, row.id, { changes }, settings, now);
    if (!saved.ok) result.refused.push({ reference: row.reference, reason: saved.reason });
    else (saved.changed.length > 0 ? result.changed : result.unchanged).push(row.reference);
  }
  return result;
}

/** Merges the requests chosen into the oldest of them that is still open to answers. */
export async function bulkMerge(db: Db, actor: Actor & { id: number; name: string }, references: string[], now: number = Date.now()): Promise<BulkResult | { error: 'too-few' | 'no-target' }> {
  const rows = await found(db, references);
  if (rows.length < 2) return { error: 'too-few' };
  const target = rows.find((row) => row.status !== 'closed' && !row.mergedIntoId);
  if (!target) return { error: 'no-target' };
  const result: BulkResult = { changed: [], unchanged: [target.reference], refused: [], into: target.reference };
  for (const row of rows) {
    if (row === target) continue;
    const merged = await mergeRequest(db, actor, row.id, target.reference, now);
    if (merged.ok) result.changed.push(row.reference);
    else result.refused.push({ reference: row.reference, reason: merged.reason });
  }
  return result;
}
