// Applies the committed migrations (db/migrations) to DATABASE_URL; safe to run again.
// The server also applies them on first use; this lets an install fail early and loudly.
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient } from '@libsql/client';
import { drizzle } from 'drizzle-orm/libsql';
import { migrate } from 'drizzle-orm/libsql/migrator';

export async function runMigrations(url = process.env.DATABASE_URL?.trim() || 'file:data/guichet.db') {
  if (url.startsWith('file:')) {
    const path = url.startsWith('file://') ? fileURLToPath(url) : url.slice('file:'.length);
    mkdirSync(dirname(resolve(path)), { recursive: true });
  }
  const client = createClient({ url, authToken: process.env.DATABASE_AUTH_TOKEN || undefined });
  try {
    if (client.protocol === 'file') await client.execute('PRAGMA journal_mode = WAL');
    await migrate(drizzle(client), { migrationsFolder: resolve(process.env.MIGRATIONS_DIR ?? 'db/migrations') });
  } finally {
    client.close();
  }
  return url;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const url = await runMigrations();
  console.log(`Database ready: ${url.replace(/\/\/[^@]*@/, '//***@')}`);
}
