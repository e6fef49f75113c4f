import { createHash, randomBytes } from 'node:crypto';
import { and, eq, gt, isNull, lt } from 'drizzle-orm';
import { articleFeedback, FEEDBACK_COMMENT_MAX, recentFeedback } from '../../../../db/schema';
import type { Db } from '../db';
import { consumeRateLimit, type RateLimitRule } from '../rate-limit';

export const FEEDBACK_RATE_LIMIT: RateLimitRule = { name: 'feedback', limit: 20, windowMs: 10 * 60 * 1000 };
/** How long after answering a reader may still add a comment. */
export const COMMENT_WINDOW_MS = 60 * 60 * 1000;
/** Within this time, the same client answering on the same article changes its answer. */
export const ANSWER_WINDOW_MS = 30 * 60 * 1000;

export type Collection = 'faq' | 'tutorials';
export type Locale = 'fr' | 'en';

export type FeedbackFailure =
  | { ok: false; reason: 'rate-limited'; retryAfter: number }
  | { ok: false; reason: 'unknown-article' }
  | { ok: false; reason: 'comment-empty' | 'comment-too-long' }
  | { ok: false; reason: 'expired' };

interface Context {
  /** Hashed client identifier, see `clientKey`. */
  client: string;
  now?: number;
}

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * Records a yes/no answer; returns a one-time token that allows adding a comment. A reload
 * or a double click from the same client on the same article updates that answer rather than
 * counting it twice.
 */
export async function recordFeedback(
  db: Db,
  input: { collection: Collection; articleId: string; locale: Locale; helpful: boolean },
  isKnownArticle: (collection: Collection, id: string) => boolean | Promise<boolean>,
  { client, now = Date.now() }: Context,
): Promise<{ ok: true; id: number; token: string } | FeedbackFailure> {
  if (!(await isKnownArticle(input.collection, input.articleId))) return { ok: false, reason: 'unknown-article' };
  const limit = await consumeRateLimit(db, FEEDBACK_RATE_LIMIT, client, now);
  if (!limit.allowed) return { ok: false, reason: 'rate-limited', retryAfter: limit.retryAfter };
  const token = randomBytes(24).toString('base64url');
  const key = hashToken(`${client}:${input.collection}:${input.articleId}`);
  const id = await db.transaction(async (tx) => {
    const [recent] = await tx
      .select({ id: recentFeedback.feedbackId })
      .from(recentFeedback)
      .where(and(eq(recentFeedback.key, key), gt(recentFeedback.createdAt, new Date(now - ANSWER_WINDOW_MS))));
    if (recent) {
      await tx
        .update(articleFeedback)
        .set({ helpful: input.helpful, commentTokenHash: hashToken(token) })
        .where(eq(articleFeedback.id, recent.id));
      return recent.id;
    }
    const [row] = await tx
      .insert(articleFeedback)
      .values({ ...input, createdAt: new Date(now), commentTokenHash: hashToken(token) })
      .returning({ id: articleFeedback.id });
    await tx.delete(recentFeedback).where(lt(recentFeedback.createdAt, new Date(now - ANSWER_WINDOW_MS)));
    await tx
      .insert(recentFeedback)
      .values({ key, feedbackId: row!.id, createdAt: new Date(now) })
      .onConflictDoUpdate({ target: recentFeedback.key, set: { feedbackId: row!.id, createdAt: new Date(now) } });
    return row!.id;
  });
  return { ok: true, id, token };
}

/** Adds the optional comment to an answer just given, once, within the comment window. */
export async function addFeedbackComment(
  db: Db,
  input: { id: number; token: string; comment: string },
  { client, now = Date.now() }: Context,
): Promise<{ ok: true } | FeedbackFailure> {
  const comment = input.comment.trim();
  if (comment.length === 0) return { ok: false, reason: 'comment-empty' };
  if (comment.length > FEEDBACK_COMMENT_MAX) return { ok: false, reason: 'comment-too-long' };
  const limit = await consumeRateLimit(db, FEEDBACK_RATE_LIMIT, client, now);
  if (!limit.allowed) return { ok: false, reason: 'rate-limited', retryAfter: limit.retryAfter };
  const updated = await db
    .update(articleFeedback)
    .set({ comment, commentTokenHash: null })
    .where(
      and(
        eq(articleFeedback.id, input.id),
        eq(articleFeedback.commentTokenHash, hashToken(input.token)),
        isNull(articleFeedback.comment),
        gt(articleFeedback.createdAt, new Date(now - COMMENT_WINDOW_MS)),
      ),
    )
    .returning({ id: articleFeedback.id });
  return updated.length === 1 ? { ok: true } : { ok: false, reason: 'expired' };
}
