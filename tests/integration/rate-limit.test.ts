import { afterEach, expect, it } from 'vitest';
import { openDb } from '../../src/lib/server/db';
import { clientKey, consumeRateLimit } from '../../src/lib/server/rate-limit';
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

it('never stores the client address itself', () => {
  const key = clientKey('203.0.113.7');
  expect(key).not.toContain('203');
  expect(key).toHaveLength(22);
  expect(clientKey('203.0.113.7')).toBe(key);
  expect(clientKey('203.0.113.8')).not.toBe(key);
});
