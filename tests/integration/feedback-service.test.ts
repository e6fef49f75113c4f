import { count, eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { articleFeedback } from '../../db/schema';
import type { Db } from '../../src/lib/server/db';
import { addFeedbackComment, ANSWER_WINDOW_MS, COMMENT_WINDOW_MS, FEEDBACK_RATE_LIMIT, recordFeedback } from '../../src/lib/server/feedback';
import { freshDatabase } from '../helpers/db';

const known = new Set(['fr/mot-de-passe-oublie', 'en/forgotten-password']);
const isKnown = (_collection: string, id: string) => known.has(id);
const answer = { collection: 'faq' as const, articleId: 'fr/mot-de-passe-oublie', locale: 'fr' as const, helpful: false };

let db: Db;
let cleanup: () => void;
beforeEach(async () => {
  ({ db, cleanup } = await freshDatabase());
});
afterEach(() => cleanup());

const rows = async () => (await db.select({ n: count() }).from(articleFeedback))[0]!.n;

describe('recording article feedback', () => {
  it('stores a yes/no answer with no personal data, and a comment added with its one-time token', async () => {
    const result = await recordFeedback(db, answer, isKnown, { client: 'client-a', now: 1_000 });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const commented = await addFeedbackComment(db, { id: result.id, token: result.token, comment: '  Il manque le cas de la carte prépayée.  ' }, { client: 'client-a', now: 2_000 });
    expect(commented).toEqual({ ok: true });
    const [row] = await db.select().from(articleFeedback).where(eq(articleFeedback.id, result.id));
    expect(row).toMatchObject({ articleId: 'fr/mot-de-passe-oublie', helpful: false, comment: 'Il manque le cas de la carte prépayée.', commentTokenHash: null });
    expect(Object.keys(row!)).not.toContain('ip');
  });

  it('refuses an empty comment and stores nothing', async () => {
    const result = await recordFeedback(db, answer, isKnown, { client: 'client-a' });
    if (!result.ok) throw new Error('answer refused');
    expect(await addFeedbackComment(db, { id: result.id, token: result.token, comment: '   \n ' }, { client: 'client-a' })).toEqual({ ok: false, reason: 'comment-empty' });
    const [row] = await db.select().from(articleFeedback);
    expect(row!.comment).toBeNull();
  });

  it('refuses an oversized comment and stores nothing', async () => {
    const result = await recordFeedback(db, answer, isKnown, { client: 'client-a' });
    if (!result.ok) throw new Error('answer refused');
    expect(await addFeedbackComment(db, { id: result.id, token: result.token, comment: 'a'.repeat(1001) }, { client: 'client-a' })).toEqual({
      ok: false,
      reason: 'comment-too-long',
    });
    expect((await db.select().from(articleFeedback))[0]!.comment).toBeNull();
  });

  it('refuses feedback on a page that does not exist', async () => {
    expect(await recordFeedback(db, { ...answer, articleId: 'fr/nope' }, isKnown, { client: 'client-a' })).toEqual({ ok: false, reason: 'unknown-article' });
    expect(await rows()).toBe(0);
  });

  it('counts a reload or a double click once, keeping the latest answer', async () => {
    const first = await recordFeedback(db, { ...answer, helpful: true }, isKnown, { client: 'c', now: 1_000 });
    const again = await recordFeedback(db, { ...answer, helpful: false }, isKnown, { client: 'c', now: 2_000 });
    expect(first.ok && again.ok && first.id === again.id).toBe(true);
    expect(await db.select({ helpful: articleFeedback.helpful }).from(articleFeedback)).toEqual([{ helpful: false }]);
    // Another reader, or the same one later, is a new answer.
    await recordFeedback(db, answer, isKnown, { client: 'other', now: 3_000 });
    await recordFeedback(db, answer, isKnown, { client: 'c', now: 2_000 + ANSWER_WINDOW_MS + 1 });
    expect(await rows()).toBe(3);
  });

  it('rate-limits one client without blocking another, and lets it answer again in the next window', async () => {
    const now = 10 * FEEDBACK_RATE_LIMIT.windowMs;
    const anyArticle = () => true;
    for (let i = 0; i < FEEDBACK_RATE_LIMIT.limit; i++) {
      expect((await recordFeedback(db, { ...answer, articleId: `fr/article-${i}` }, anyArticle, { client: 'busy', now: now + i })).ok).toBe(true);
    }
    const refused = await recordFeedback(db, { ...answer, articleId: 'fr/article-x' }, anyArticle, { client: 'busy', now: now + 100 });
    expect(refused).toMatchObject({ ok: false, reason: 'rate-limited' });
    expect(await rows()).toBe(FEEDBACK_RATE_LIMIT.limit);
    expect((await recordFeedback(db, answer, isKnown, { client: 'other', now: now + 100 })).ok).toBe(true);
    expect((await recordFeedback(db, answer, isKnown, { client: 'busy', now: now + FEEDBACK_RATE_LIMIT.windowMs })).ok).toBe(true);
  });

  it('accepts a comment only once, only with the right token, and only within the comment window', async () => {
    const result = await recordFeedback(db, answer, isKnown, { client: 'c', now: 0 });
    if (!result.ok) throw new Error('answer refused');
    expect(await addFeedbackComment(db, { id: result.id, token: 'x'.repeat(32), comment: 'forged' }, { client: 'c', now: 1 })).toEqual({ ok: false, reason: 'expired' });
    expect(await addFeedbackComment(db, { id: result.id, token: result.token, comment: 'late' }, { client: 'c', now: COMMENT_WINDOW_MS + 1 })).toEqual({
      ok: false,
      reason: 'expired',
    });
    expect(await addFeedbackComment(db, { id: result.id, token: result.token, comment: 'first' }, { client: 'c', now: 2 })).toEqual({ ok: true });
    expect(await addFeedbackComment(db, { id: result.id, token: result.token, comment: 'second' }, { client: 'c', now: 3 })).toEqual({ ok: false, reason: 'expired' });
    expect((await db.select().from(articleFeedback))[0]!.comment).toBe('first');
  });

  it('keeps the database as the last line: an oversized comment written directly is refused by a CHECK constraint', async () => {
    await expect(
      db.insert(articleFeedback).values({ ...answer, comment: 'a'.repeat(1001), createdAt: new Date() }),
    ).rejects.toThrow();
  });
});
