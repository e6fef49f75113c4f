/**
 * "How did it go?": asked once a request is resolved, at its private link and in the mail that
 * says so. A three-level answer first, then (optionally) how clear the answer was and a comment.
 * One answer per request: the first step may be changed until the second is sent or skipped.
 */
import { eq } from 'drizzle-orm';
import { type ChatState, chats, EVALUATION_LIMITS, requests, type RequestStatus, satisfaction, type SatisfactionLevel } from '../../../../db/schema';
import type { Locale } from '../../../i18n/routes';
import type { Db } from '../db';

type Conn = Pick<Db, 'select'>;

export type SatisfactionRow = typeof satisfaction.$inferSelect;

/**
 * Whether a request is at the stage where the resident is asked: solved, or its live chat over
 * after an agent took it ("how did the chat go?"), and not a duplicate.
 */
export const asksSatisfaction = (request: { status: RequestStatus; mergedIntoId?: number | null }, chat?: { state: ChatState; acceptedAt: Date | null }) =>
  (request.status === 'resolved' || request.status === 'closed' || (chat?.state === 'written' && chat.acceptedAt !== null)) && !request.mergedIntoId;

export async function satisfactionOf(db: Conn, requestId: number): Promise<SatisfactionRow | undefined> {
  const [row] = await db.select().from(satisfaction).where(eq(satisfaction.requestId, requestId));
  return row;
}

export type SatisfactionResult = { ok: true } | { ok: false; reason: 'not-resolved' | 'already-answered' | 'not-started' | 'comment-too-long' };

/** The first step. Answering again before the second step changes the answer; after it, nothing does. */
export async function answerSatisfaction(db: Db, requestId: number, level: SatisfactionLevel, locale: Locale, now: number = Date.now()): Promise<SatisfactionResult> {
  return db.transaction(async (tx) => {
    const [request] = await tx.select({ status: requests.status, mergedIntoId: requests.mergedIntoId }).from(requests).where(eq(requests.id, requestId));
    const [chat] = await tx.select({ state: chats.state, acceptedAt: chats.acceptedAt }).from(chats).where(eq(chats.requestId, requestId));
    if (!request || !asksSatisfaction(request, chat)) return { ok: false as const, reason: 'not-resolved' as const };
    const existing = await satisfactionOf(tx, requestId);
    if (existing?.completedAt) return { ok: false as const, reason: 'already-answered' as const };
    if (existing) await tx.update(satisfaction).set({ level, locale }).where(eq(satisfaction.requestId, requestId));
    else await tx.insert(satisfaction).values({ requestId, level, locale, createdAt: new Date(now) });
    return { ok: true as const };
  });
}

/** The second step: clarity (1–5) and a comment, both optional; sending it (even empty) ends the survey. */
export async function completeSatisfaction(db: Db, requestId: number, input: { clarity: number | null; comment: string }, now: number = Date.now()): Promise<SatisfactionResult> {
  const comment = input.comment.trim();
  if (comment.length > EVALUATION_LIMITS.comment) return { ok: false, reason: 'comment-too-long' };
  return db.transaction(async (tx) => {
    const existing = await satisfactionOf(tx, requestId);
    if (!existing) return { ok: false as const, reason: 'not-started' as const };
    if (existing.completedAt) return { ok: false as const, reason: 'already-answered' as const };
    await tx
      .update(satisfaction)
      .set({ clarity: input.clarity, comment: comment || null, completedAt: new Date(now) })
      .where(eq(satisfaction.requestId, requestId));
    return { ok: true as const };
  });
}
