import { count } from 'drizzle-orm';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { rateLimitHits } from '../../db/schema';
import type { Db } from '../../src/lib/server/db';
import { consumeRateLimit } from '../../src/lib/server/rate-limit';
import { freshDatabase } from '../helpers/db';

let db: Db;
let cleanup: () => void;
beforeEach(async () => {
  ({ db, cleanup } = await freshDatabase());
});
afterEach(() => cleanup());

it('a write arriving while another request’s transaction is open waits its turn instead of stalling the server', async () => {
  const started = performance.now();
  const rule = { name: 'test', limit: 100, windowMs: 60_000 };
  await Promise.all([
    db.transaction(async (tx) => {
      await tx.insert(rateLimitHits).values({ bucket: 'in-transaction', at: Date.now() });
      // Let the other request run while this transaction holds the write lock.
      await new Promise((resolve) => setTimeout(resolve, 50));
      await tx.insert(rateLimitHits).values({ bucket: 'in-transaction', at: Date.now() + 1 });
    }),
    ...Array.from({ length: 5 }, (_, i) => consumeRateLimit(db, rule, `client-${i}`)),
    db.select({ n: count() }).from(rateLimitHits),
  ]);
  // Without the write queue this took the whole 5 s busy timeout and then failed.
  expect(performance.now() - started).toBeLessThan(2000);
  expect((await db.select({ n: count() }).from(rateLimitHits))[0]!.n).toBe(7);
});
