import { afterEach, expect, it } from 'vitest';
import { openDb } from '../../src/lib/server/db';
import { clientKey, consumeRateLimit, refundRateLimit } from '../../src/lib/server/rate-limit';
import { freshDatabase } from '../helpers/db';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

it('counts hits across two connections to the same database, as two servers would', async () => {
  const first = await freshDatabase();
  cleanup = first.cleanup;
  const second = openDb(first.url);
  const rule = { name: 'test', limit: 3, windowMs: 60_000 };
  const results = [];
  for (let i = 0; i < 4; i++) results.push((await consumeRateLimit(i % 2 ? second : first.db, rule, 'client', 1_000 + i)).allowed);
  second.$client.close();
  expect(results).toEqual([true, true, true, false]);
});

it('counts over a sliding window: a burst across a clock boundary is held to the limit', async () => {
  const { db, cleanup: done } = await freshDatabase();
  cleanup = done;
  const rule = { name: 'test', limit: 5, windowMs: 60_000 };
  // Five hits just before a minute ends, five just after: a window aligned to the clock let all ten in.
  const boundary = Date.parse('2026-12-01T10:00:00Z');
  const before = await Promise.all([5, 4, 3, 2, 1].map((ms) => consumeRateLimit(db, rule, 'client', boundary - ms)));
  expect(before.map((r) => r.allowed)).toEqual([true, true, true, true, true]);
  const after = await consumeRateLimit(db, rule, 'client', boundary + 1);
  expect(after).toEqual({ allowed: false, retryAfter: 60 });
  // Once the oldest hit is out of the window, one more; then full again.
  expect((await consumeRateLimit(db, rule, 'client', boundary - 5 + 60_000)).allowed).toBe(true);
  expect((await consumeRateLimit(db, rule, 'client', boundary - 5 + 60_000)).allowed).toBe(false);
  // Another client is counted apart.
  expect((await consumeRateLimit(db, rule, 'other', boundary + 1)).allowed).toBe(true);
});

it('lets exactly the limit through when hits race from two connections', async () => {
  const first = await freshDatabase();
  cleanup = first.cleanup;
  const second = openDb(first.url);
  const rule = { name: 'race', limit: 7, windowMs: 60_000 };
  const results = await Promise.all(Array.from({ length: 30 }, (_, i) => consumeRateLimit(i % 2 ? second : first.db, rule, 'client', 5_000)));
  second.$client.close();
  expect(results.filter((r) => r.allowed)).toHaveLength(7);
});

it('takes a refunded hit back', async () => {
  const { db, cleanup: done } = await freshDatabase();
  cleanup = done;
  const rule = { name: 'refund', limit: 1, windowMs: 60_000 };
  const hit = await consumeRateLimit(db, rule, 'client', 1_000);
  if (!hit.allowed) throw new Error('the first hit is allowed');
  expect((await consumeRateLimit(db, rule, 'client', 1_001)).allowed).toBe(false);
  await refundRateLimit(db, hit.hitId);
  expect((await consumeRateLimit(db, rule, 'client', 1_002)).allowed).toBe(true);
});

it('never stores the client address itself', () => {
  const key = clientKey('203.0.113.7');
  expect(key).not.toContain('203');
  expect(key).toHaveLength(22);
  expect(clientKey('203.0.113.7')).toBe(key);
  expect(clientKey('203.0.113.8')).not.toBe(key);
});
