// `npm run db:migrate`: applies the committed migrations (db/migrations) to DATABASE_URL; safe
// to run again. The server also applies them on first use; this lets an install fail early.
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { drizzle } from 'drizzle-orm/libsql';
import { applyMigrations, createDatabaseClient, databaseUrl } from '../db/connection.mjs';

export async function runMigrations(url = databaseUrl()) {
  const client = createDatabaseClient(url);
  try {
    await applyMigrations(drizzle(client));
  } finally {
    client.close();
  }
  return url;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const url = await runMigrations();
  console.log(`Database ready: ${url.replace(/\/\/[^@]*@/, '//***@')}`);
}
