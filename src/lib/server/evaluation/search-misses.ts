/**
 * Searches that found nothing are the FAQ entries the authority has not written yet. Only the
 * words are kept — no address, no identifier, no time finer than the millisecond the row was
 * written — and words that look like personal data (an email address, a phone number, a
 * reference) are not kept at all.
 */
import { EVALUATION_LIMITS, searchMisses } from '../../../../db/schema';
import type { Locale } from '../../../i18n/routes';
import type { Db } from '../db';
import { consumeRateLimit, type RateLimitRule } from '../rate-limit';

/** A reader types a few searches a minute at most; a script posting more is ignored. */
export const SEARCH_MISS_RATE_LIMIT: RateLimitRule = { name: 'search-miss', limit: 30, windowMs: 10 * 60 * 1000 };

/** Lower case, accents removed, punctuation and repeated spaces folded: how misses are counted together. */
export function normalizeQuery(query: string): string {
  return query
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

const EMAIL = /\S+@\S+/;
/** Six digits or more, with or without spaces, dots or dashes between them: phone numbers, references, account numbers. */
const LONG_NUMBER = /\d(?:[\s.\-/]?\d){5,}/;

/** The query as it will be stored, or null when it must not be (empty, too long, control characters, personal data). */
export function acceptableQuery(raw: string): string | null {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(raw)) return null;
  const query = raw.replace(/\s+/g, ' ').trim();
  if (query.length === 0 || query.length > EVALUATION_LIMITS.query) return null;
  if (EMAIL.test(query) || LONG_NUMBER.test(query)) return null;
  if (normalizeQuery(query).length === 0) return null;
  return query;
}

export type MissResult = 'recorded' | 'refused' | 'rate-limited';

export async function recordSearchMiss(db: Db, input: { query: string; locale: Locale }, client: string, now: number = Date.now()): Promise<MissResult> {
  const query = acceptableQuery(input.query);
  if (!query) return 'refused';
  const limit = await consumeRateLimit(db, SEARCH_MISS_RATE_LIMIT, client, now);
  if (!limit.allowed) return 'rate-limited';
  await db.insert(searchMisses).values({ query, normalized: normalizeQuery(query), locale: input.locale, createdAt: new Date(now) });
  return 'recorded';
}
