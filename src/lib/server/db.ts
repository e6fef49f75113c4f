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

/**
 * The server's database, migrated on first use. (Demo data is added at start-up, by
 * `start-up.ts`, not here: the data layer knows nothing of the demo.)
 */
export function getDb(): Promise<Db> {
  shared ??= (async () => {
    const db = openDb();
    await migrateDb(db);
    return db;
  })().catch((error: unknown) => {
    shared = undefined;
    throw error;
  });
  return shared;
}
