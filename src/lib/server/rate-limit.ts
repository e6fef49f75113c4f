import { createHash } from 'node:crypto';
import { lt, sql } from 'drizzle-orm';
import { rateLimits } from '../../../db/schema';
import type { Db } from './db';
import { sweepDue } from './sweep';

export interface RateLimitRule {
  /** What is limited, e.g. `feedback`. */
  name: string;
  /** Hits allowed per window. */
  limit: number;
  windowMs: number;
}

export interface RateLimitResult {
  allowed: boolean;
  /** Seconds until the current window ends. */
  retryAfter: number;
}

/**
 * A client identifier that is not personal data once stored: the address is hashed, and
 * the counter rows expire with their window.
 */
export function clientKey(address: string): string {
  return createHash('sha256').update(`guichet-rate-limit:${address}`).digest('base64url').slice(0, 22);
}

/** Counts one hit for `client` against `rule`; the count lives in the database. */
export async function consumeRateLimit(
  db: Db,
  rule: RateLimitRule,
  client: string,
  now: number = Date.now(),
): Promise<RateLimitResult> {
  const windowStart = now - (now % rule.windowMs);
  const bucket = `${rule.name}:${client}`;
  const [row] = await db
    .insert(rateLimits)
    .values({ bucket, windowStart, hits: 1 })
    .onConflictDoUpdate({
      target: [rateLimits.bucket, rateLimits.windowStart],
      set: { hits: sql`${rateLimits.hits} + 1` },
    })
    .returning({ hits: rateLimits.hits });
  const hits = row?.hits ?? 1;
  // Old windows are useless; clearing them now and then keeps the table small without a job.
  if (hits === 1 && sweepDue(db, 'rate-limits', now)) await db.delete(rateLimits).where(lt(rateLimits.windowStart, now - 24 * 60 * 60 * 1000));
  return {
    allowed: hits <= rule.limit,
    retryAfter: Math.ceil((windowStart + rule.windowMs - now) / 1000),
  };
}

/** How many hits `client` has in the current window, without counting one. */
export async function rateLimitHits(db: Db, rule: RateLimitRule, client: string, now: number = Date.now()): Promise<{ hits: number; retryAfter: number }> {
  const windowStart = now - (now % rule.windowMs);
  const [row] = await db
    .select({ hits: rateLimits.hits })
    .from(rateLimits)
    .where(sql`${rateLimits.bucket} = ${`${rule.name}:${client}`} and ${rateLimits.windowStart} = ${windowStart}`);
  return { hits: row?.hits ?? 0, retryAfter: Math.ceil((windowStart + rule.windowMs - now) / 1000) };
}
