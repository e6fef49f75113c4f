import { and, asc, count, eq, lt } from 'drizzle-orm';
import { attachments, REQUEST_LIMITS, requestDrafts } from '../../../../db/schema';
import type { DraftData, Step } from '../../request-form';
import type { Db } from '../db';
import { sweepDue } from '../sweep';
import type { Upload } from './files';
import { generateToken, hashToken, isWellFormedToken } from './tokens';

/** The cookie holding the draft's secret: a browser session cookie, HttpOnly. */
export const DRAFT_COOKIE = 'guichet_demande';
/** A draft nobody touched for a day is deleted, files included. */
export const DRAFT_IDLE_MS = 24 * 60 * 60 * 1000;
/** How long the confirmation (with the private link) can be shown again in the same browser. */
export const CONFIRMATION_MS = 2 * 60 * 60 * 1000;

export interface DraftFile {
  id: number;
  fileName: string;
  contentType: string;
  size: number;
}

export interface Draft {
  id: number;
  data: DraftData;
  requestId: number | null;
  submittedAt: Date | null;
  files: DraftFile[];
}

export async function findDraft(db: Db, token: string | undefined, now: number = Date.now()): Promise<Draft | undefined> {
  if (!token || !isWellFormedToken(token)) return undefined;
  const [row] = await db.select().from(requestDrafts).where(eq(requestDrafts.tokenHash, hashToken(token)));
  if (!row) return undefined;
  if (row.updatedAt.getTime() < now - DRAFT_IDLE_MS) return undefined;
  if (row.submittedAt && row.submittedAt.getTime() < now - CONFIRMATION_MS) return undefined;
  const files = await db
    .select({ id: attachments.id, fileName: attachments.fileName, contentType: attachments.contentType, size: attachments.size })
    .from(attachments)
    .where(eq(attachments.draftId, row.id))
    .orderBy(asc(attachments.id));
  return { id: row.id, data: row.data as DraftData, requestId: row.requestId, submittedAt: row.submittedAt, files };
}

/** Starts a draft; old, abandoned drafts are cleared now and then at the same time (no job needed). */
export async function createDraft(db: Db, now: number = Date.now()): Promise<{ token: string; draft: Draft }> {
  if (sweepDue(db, 'drafts', now)) await db.delete(requestDrafts).where(lt(requestDrafts.updatedAt, new Date(now - DRAFT_IDLE_MS)));
  const token = generateToken();
  const [row] = await db
    .insert(requestDrafts)
    .values({ tokenHash: hashToken(token), data: {}, createdAt: new Date(now), updatedAt: new Date(now) })
    .returning({ id: requestDrafts.id });
  return { token, draft: { id: row!.id, data: {}, requestId: null, submittedAt: null, files: [] } };
}

/** Saves the answers of one step and marks it answered. */
export async function saveDraftStep(db: Db, draft: Draft, step: Step, patch: Partial<DraftData>, now: number = Date.now()): Promise<DraftData> {
  const done = [...new Set([...(draft.data.done ?? []), step])];
  const data: DraftData = { ...draft.data, ...patch, done };
  // Answers that no longer apply (who is asking changed) are dropped rather than sent.
  if (patch.who && patch.who !== draft.data.who) {
    delete data.helperName;
    delete data.helperOrganisation;
    delete data.personAgreed;
    delete data.staffService;
    data.done = done.filter((s) => s !== 'about');
  }
  await db.update(requestDrafts).set({ data: data as Record<string, unknown>, updatedAt: new Date(now) }).where(eq(requestDrafts.id, draft.id));
  return data;
}

/** Adds files to a draft, never beyond the limit, even with two posts at once. */
export async function addDraftFiles(db: Db, draftId: number, files: Upload[], now: number = Date.now()): Promise<{ ok: true } | { ok: false; room: number }> {
  // libSQL transactions begin as writes (BEGIN IMMEDIATE): the count and the insert cannot interleave.
  return db.transaction(async (tx) => {
    const [row] = await tx.select({ n: count() }).from(attachments).where(eq(attachments.draftId, draftId));
    const room = REQUEST_LIMITS.files - (row?.n ?? 0);
    if (files.length > room) return { ok: false as const, room };
    if (files.length > 0) {
      await tx.insert(attachments).values(files.map((f) => ({ draftId, fileName: f.fileName, contentType: f.contentType, size: f.size, data: f.data, createdAt: new Date(now) })));
    }
    await tx.update(requestDrafts).set({ updatedAt: new Date(now) }).where(eq(requestDrafts.id, draftId));
    return { ok: true as const };
  });
}

export async function removeDraftFile(db: Db, draftId: number, fileId: number): Promise<boolean> {
  const removed = await db.delete(attachments).where(and(eq(attachments.id, fileId), eq(attachments.draftId, draftId))).returning({ id: attachments.id });
  return removed.length > 0;
}
