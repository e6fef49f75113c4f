import { createHash, randomBytes } from 'node:crypto';
import { and, eq, gt, isNull } from 'drizzle-orm';
import { articleFeedback, FEEDBACK_COMMENT_MAX } from '../../../../db/schema';
import type { Db } from '../db';
import { consumeRateLimit, type RateLimitRule } from '../rate-limit';

export const FEEDBACK_RATE_LIMIT: RateLimitRule = { name: 'feedback', limit: 20, windowMs: 10 * 60 * 1000 };
/** How long after answering a reader may still add a comment. */
export const COMMENT_WINDOW_MS = 60 * 60 * 1000;

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

/** Records a yes/no answer; returns a one-time token that allows adding a comment. */
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
  const [row] = await db
    .insert(articleFeedback)
    .values({ ...input, createdAt: new Date(now), commentTokenHash: hashToken(token) })
    .returning({ id: articleFeedback.id });
  return { ok: true, id: row!.id, token };
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
