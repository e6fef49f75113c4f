import { sql } from 'drizzle-orm';
import { check, index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/** Limits shared by the zod schemas at the edge and the SQL constraints below. */
export const FEEDBACK_COMMENT_MAX = 1000;

/**
 * "Was this page useful?" answers. No personal data: the comment field says so to the
 * reader, and nothing identifies who answered.
 */
export const articleFeedback = sqliteTable(
  'article_feedback',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    collection: text('collection', { enum: ['faq', 'tutorials'] }).notNull(),
    articleId: text('article_id').notNull(),
    locale: text('locale', { enum: ['fr', 'en'] }).notNull(),
    helpful: integer('helpful', { mode: 'boolean' }).notNull(),
    comment: text('comment'),
    /** SHA-256 of the one-time token that lets the same reader add a comment; cleared once used. */
    commentTokenHash: text('comment_token_hash'),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [
    index('article_feedback_article_idx').on(t.collection, t.articleId),
    index('article_feedback_created_idx').on(t.createdAt),
    check('article_feedback_collection_chk', sql`${t.collection} in ('faq', 'tutorials')`),
    check('article_feedback_locale_chk', sql`${t.locale} in ('fr', 'en')`),
    check('article_feedback_helpful_chk', sql`${t.helpful} in (0, 1)`),
    check(
      'article_feedback_comment_chk',
      sql`${t.comment} is null or (length(${t.comment}) between 1 and ${sql.raw(String(FEEDBACK_COMMENT_MAX))})`,
    ),
  ],
);

/**
 * Fixed-window counters for rate limits. Kept in the database, not in memory, so that
 * several servers sharing one database count together.
 */
export const rateLimits = sqliteTable(
  'rate_limits',
  {
    bucket: text('bucket').notNull(),
    windowStart: integer('window_start').notNull(),
    hits: integer('hits').notNull(),
  },
  (t) => [primaryKey({ columns: [t.bucket, t.windowStart] }), index('rate_limits_window_idx').on(t.windowStart)],
);

/**
 * The answer a client just gave on an article, so that a reload or a double click changes
 * that answer instead of counting twice. Keyed by a hash of client and article; rows older
 * than the window are deleted as new answers arrive.
 */
export const recentFeedback = sqliteTable(
  'recent_feedback',
  {
    key: text('key').primaryKey(),
    feedbackId: integer('feedback_id')
      .notNull()
      .references(() => articleFeedback.id, { onDelete: 'cascade' }),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [index('recent_feedback_created_idx').on(t.createdAt)],
);
