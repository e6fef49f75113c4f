import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient } from '@libsql/client';
import { drizzle } from 'drizzle-orm/libsql';
import { migrate } from 'drizzle-orm/libsql/migrator';
import * as schema from '../../../db/schema';

export type Db = ReturnType<typeof openDb>;

export const DEFAULT_DATABASE_URL = 'file:data/guichet.db';

export function databaseUrl(env: NodeJS.ProcessEnv = process.env): string {
  return env.DATABASE_URL?.trim() || DEFAULT_DATABASE_URL;
}

/**
 * Opens a database: a local file (`file:…`, the default, created with its folder if missing)
 * or a libSQL server (`libsql://…`, `http(s)://…`) shared by several app servers.
 */
export function openDb(url: string = databaseUrl(), authToken: string | undefined = process.env.DATABASE_AUTH_TOKEN) {
  if (url.startsWith('file:')) {
    const path = url.startsWith('file://') ? fileURLToPath(url) : url.slice('file:'.length);
    mkdirSync(dirname(resolve(path)), { recursive: true });
  }
  const client = createClient({ url, authToken: authToken || undefined });
  return drizzle(client, { schema });
}

/** Applies the committed drizzle-kit migrations; already-applied ones are skipped. */
export async function migrateDb(db: Db, migrationsFolder = resolve(process.env.MIGRATIONS_DIR ?? 'db/migrations')) {
  if (db.$client.protocol === 'file') {
    // WAL lets readers work while a write is in progress; the timeout makes concurrent
    // writers (several server processes on one file) wait instead of failing.
    await db.$client.execute('PRAGMA journal_mode = WAL');
    await db.$client.execute('PRAGMA busy_timeout = 5000');
  }
  await migrate(db, { migrationsFolder });
}

let shared: Promise<Db> | undefined;

/** The server's database, migrated on first use. */
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
