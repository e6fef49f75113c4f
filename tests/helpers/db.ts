import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Db, migrateDb, openDb } from '../../src/lib/server/db';

/** A real libSQL database file in a fresh temporary folder, with the migrations applied. */
export async function freshDatabase(): Promise<{ db: Db; url: string; cleanup: () => void }> {
  const dir = mkdtempSync(join(tmpdir(), 'guichet-test-'));
  const url = `file:${join(dir, 'test.db')}`;
  const db = openDb(url);
  await migrateDb(db);
  return {
    db,
    url,
    cleanup: () => {
      db.$client.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
