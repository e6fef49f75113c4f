// `npm run db:backup [-- --to FILE]`: a consistent copy of the embedded database, taken while
// the server runs (SQLite's VACUUM INTO reads one snapshot; writers are not stopped), checked
// before it is announced. By default it goes to backups/guichet-<date and time>.db.
import { existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createClient } from '@libsql/client';
import { createDatabaseClient, databaseFilePath, databaseUrl } from '../db/connection.mjs';

/** Fails unless `file` is a whole SQLite database with the portal's migrations table. */
export async function checkDatabaseFile(file) {
  const client = createClient({ url: `file:${file}` });
  try {
    const integrity = (await client.execute('PRAGMA integrity_check')).rows[0]?.[0];
    if (integrity !== 'ok') throw new Error(`${file} is damaged (${integrity})`);
    const tables = await client.execute("select name from sqlite_master where type = 'table' and name in ('__drizzle_migrations', 'requests')");
    if (tables.rows.length < 2) throw new Error(`${file} is not a Guichet database`);
    return Number((await client.execute('select count(*) as n from __drizzle_migrations')).rows[0]?.n ?? 0);
  } catch (error) {
    if (error instanceof Error && /SQLITE_NOTADB|file is not a database/i.test(error.message)) throw new Error(`${file} is not a SQLite database`);
    throw error;
  } finally {
    client.close();
  }
}

/** Copies the database at `url` to `to` (a new file) and returns the copy's path and size. */
export async function backupDatabase(url = databaseUrl(), to) {
  const source = databaseFilePath(url);
  if (!source) throw new Error('DATABASE_URL names a libSQL server: back it up with that server’s own tools (its snapshots or a dump).');
  if (!existsSync(source)) throw new Error(`There is no database at ${source}.`);
  const stamp = new Date().toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
  const target = resolve(to ?? `backups/guichet-${stamp}.db`);
  if (existsSync(target)) throw new Error(`${target} already exists: choose another name.`);
  mkdirSync(dirname(target), { recursive: true });
  // Written under a temporary name and renamed once checked: a backup that exists is whole.
  const partial = `${target}.partial`;
  rmSync(partial, { force: true });
  const client = createDatabaseClient(url);
  try {
    await client.execute({ sql: 'VACUUM INTO ?', args: [partial] });
  } finally {
    client.close();
  }
  try {
    await checkDatabaseFile(partial);
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  }
  renameSync(partial, target);
  return { file: target, bytes: statSync(target).size };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const { values } = parseArgs({ options: { to: { type: 'string' } } });
    const { file, bytes } = await backupDatabase(databaseUrl(), values.to);
    console.log(`Backup written: ${file} (${(bytes / 1024 / 1024).toFixed(1)} MB). Restore it with: npm run db:restore -- ${file}`);
  } catch (error) {
    console.error(`Backup failed: ${error instanceof Error ? error.message : error}`);
    process.exit(1);
  }
}
