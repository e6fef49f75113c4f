import { drizzle } from 'drizzle-orm/libsql';
import { applyMigrations, createDatabaseClient, databaseUrl } from '../../../db/connection.mjs';
import * as schema from '../../../db/schema';

export type Db = ReturnType<typeof openDb>;

/** Opens the database at `url` (by default DATABASE_URL, or the file under data/). */
export function openDb(url: string = databaseUrl(), authToken?: string) {
  return drizzle(createDatabaseClient(url, authToken ?? process.env.DATABASE_AUTH_TOKEN), { schema });
}

export const migrateDb = (db: Db, migrationsFolder?: string) => applyMigrations(db, migrationsFolder);

let shared: Promise<Db> | undefined;

/** The server's database, migrated on first use (and given demo requests in demo mode). */
export function getDb(): Promise<Db> {
  shared ??= (async () => {
    const db = openDb();
    await migrateDb(db);
    if (process.env.GUICHET_DEMO === '1') {
      const [{ seedDemo }, { requestSettings }] = await Promise.all([import('../../../db/seed'), import('./requests/settings')]);
      const seeded = await seedDemo(db, await requestSettings(process.env.PUBLIC_ORIGIN || 'http://localhost:4321'));
      if (seeded > 0) console.log(`Demo mode: ${seeded} example requests added to the empty database.`);
    }
    return db;
  })().catch((error: unknown) => {
    shared = undefined;
    throw error;
  });
  return shared;
}
