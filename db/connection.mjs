// Opening and migrating the database, shared by the server (src/lib/server/db.ts) and the
// command-line scripts (npm start, npm run db:migrate), which run before anything is built.
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient } from '@libsql/client';
import { migrate } from 'drizzle-orm/libsql/migrator';

export const DEFAULT_DATABASE_URL = 'file:data/guichet.db';

/** @param {NodeJS.ProcessEnv} [env] */
export function databaseUrl(env = process.env) {
  return env.DATABASE_URL?.trim() || DEFAULT_DATABASE_URL;
}

/**
 * A libSQL client: a local file (`file:…`, created with its folder if missing) or a libSQL
 * server (`libsql://…`, `http(s)://…`) that several app servers share.
 * @param {string} [url]
 * @param {string} [authToken]
 */
export function createDatabaseClient(url = databaseUrl(), authToken = process.env.DATABASE_AUTH_TOKEN) {
  if (url.startsWith('file:')) {
    const path = url.startsWith('file://') ? fileURLToPath(url) : url.slice('file:'.length);
    mkdirSync(dirname(resolve(path)), { recursive: true });
  }
  // The busy timeout makes concurrent writers (several server processes on one file) wait
  // for each other instead of failing; it applies to every connection of the client's pool.
  return createClient({ url, authToken: authToken || undefined, timeout: 5000 });
}

/**
 * Applies the committed drizzle-kit migrations; already-applied ones are skipped.
 * @param {import('drizzle-orm/libsql').LibSQLDatabase<any> & { $client: import('@libsql/client').Client }} db
 * @param {string} [migrationsFolder]
 */
export async function applyMigrations(db, migrationsFolder = resolve(process.env.MIGRATIONS_DIR ?? 'db/migrations')) {
  // WAL lets readers work while a write is in progress; it is a property of the file.
  if (db.$client.protocol === 'file') await db.$client.execute('PRAGMA journal_mode = WAL');
  await migrate(db, { migrationsFolder });
}
