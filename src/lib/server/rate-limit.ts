import { createHash } from 'node:crypto';
import { eq, lt, sql } from 'drizzle-orm';
import { rateLimitHits } from '../../../db/schema';
import type { Db } from './db';
import { sweepDue } from './sweep';

export interface RateLimitRule {
  /** What is limited, e.g. `feedback`. */
  name: string;
  /** Hits allowed in any span of `windowMs` (a sliding window, not one aligned to the clock). */
  limit: number;
  windowMs: number;
}

export type RateLimitResult =
  | {
      allowed: true;
      /** The counted hit, for `refundRateLimit` when what it guarded turned out fine. */
      hitId: number;
      retryAfter: 0;
    }
  | {
      allowed: false;
      /** Seconds until one more hit would be allowed. */
      retryAfter: number;
    };

/** Hits are kept this long at most: no rule's window is longer. */
const KEPT_MS = 24 * 60 * 60 * 1000;

/**
 * A client identifier that is not personal data once stored: the address is hashed, and
 * the rows are deleted once out of every window.
 */
export function clientKey(address: string): string {
  return createHash('sha256').update(`guichet-rate-limit:${address}`).digest('base64url').slice(0, 22);
}

const bucketOf = (rule: RateLimitRule, client: string) => `${rule.name}:${client}`;

/**
 * Counts one hit for `client` against `rule` if fewer than `limit` hits were counted in the
 * last `windowMs`. The check and the count are one SQL statement, so that racing requests
 * (in one process or several) cannot overshoot the limit; a refused hit is not counted.
 */
export async function consumeRateLimit(db: Db, rule: RateLimitRule, client: string, now: number = Date.now()): Promise<RateLimitResult> {
  const bucket = bucketOf(rule, client);
  const since = now - rule.windowMs;
  const inserted = await db.all<{ id: number }>(sql`
    insert into ${rateLimitHits} (bucket, at)
    select ${bucket}, ${now}
    where (select count(*) from ${rateLimitHits} where bucket = ${bucket} and at > ${since}) < ${rule.limit}
    returning id`);
  // Old hits are useless; clearing them now and then keeps the table small without a job.
  if (sweepDue(db, 'rate-limits', now)) await db.delete(rateLimitHits).where(lt(rateLimitHits.at, now - KEPT_MS));
  const hit = inserted[0];
  if (hit) return { allowed: true, hitId: hit.id, retryAfter: 0 };
  return { allowed: false, retryAfter: await secondsUntilFree(db, rule, bucket, now) };
}

/**
 * When the bucket is full, one more hit is allowed once the oldest hit that keeps it full
 * leaves the window.
 */
async function secondsUntilFree(db: Db, rule: RateLimitRule, bucket: string, now: number): Promise<number> {
  const [row] = await db.all<{ at: number }>(sql`
    select at from ${rateLimitHits} where bucket = ${bucket} and at > ${now - rule.windowMs}
    order by at desc limit 1 offset ${rule.limit - 1}`);
  return row ? Math.max(1, Math.ceil((row.at + rule.windowMs - now) / 1000)) : 1;
}

/** Takes back a counted hit (a sign-in that turned out to be right). */
export async function refundRateLimit(db: Db, hitId: number): Promise<void> {
  await db.delete(rateLimitHits).where(eq(rateLimitHits.id, hitId));
}
