// `npm run db:restore -- FILE`: puts a backup made by `npm run db:backup` back as the embedded
// database. The server must be stopped (the restore refuses while any process has the database
// open). The backup is checked first; the database it replaces is kept beside it, renamed
// `<name>.before-restore-<date and time>`, until you delete it.
import { closeSync, copyFileSync, existsSync, fsyncSync, openSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient } from '@libsql/client';
import { databaseFilePath, databaseUrl } from '../db/connection.mjs';
import { checkDatabaseFile } from './db-backup.mjs';

/**
 * Whether another process keeps the database file open (a running server does), asked for up
 * to two seconds: a process that has just stopped may take a moment to let go of it.
 */
async function inUse(file) {
  for (let attempt = 0; attempt < 10; attempt += 1) {
    if (!(await heldElsewhere(file))) return false;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return true;
}

async function heldElsewhere(file) {
  const client = createClient({ url: `file:${file}`, timeout: 100 });
  try {
    // An exclusive lock is refused while any other connection holds the file open.
    await client.executeMultiple('PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE; SELECT count(*) FROM sqlite_master; COMMIT;');
    return false;
  } catch (error) {
    if (error instanceof Error && /SQLITE_BUSY|locked/i.test(error.message)) return true;
    throw error;
  } finally {
    client.close();
  }
}

/** Replaces the database at `url` with the backup `from`; returns where the old one was kept. */
export async function restoreDatabase(from, url = databaseUrl()) {
  const target = databaseFilePath(url);
  if (!target) throw new Error('DATABASE_URL names a libSQL server: restore it with that server’s own tools.');
  const backup = resolve(from);
  if (!existsSync(backup)) throw new Error(`There is no file at ${backup}.`);
  if (backup === target) throw new Error('The backup is the database itself.');
  const migrations = await checkDatabaseFile(backup);
  const known = readdirSync(resolve(process.env.MIGRATIONS_DIR ?? 'db/migrations')).filter((name) => name.endsWith('.sql')).length;
  if (migrations > known) throw new Error(`The backup comes from a newer version of Guichet (${migrations} migrations, this one knows ${known}): install that version first.`);
  let kept;
  if (existsSync(target)) {
    if (await inUse(target)) throw new Error(`The database ${target} is open in another process: stop the server first.`);
    const stamp = new Date().toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
    kept = `${target}.before-restore-${stamp}`;
    // The file and its write-ahead log move together, so the kept copy stays whole.
    for (const suffix of ['-wal', '-shm', '']) if (existsSync(`${target}${suffix}`)) renameSync(`${target}${suffix}`, `${kept}${suffix}`);
  }
  const partial = `${target}.restoring`;
  copyFileSync(backup, partial);
  const handle = openSync(partial, 'r+');
  fsyncSync(handle);
  closeSync(handle);
  renameSync(partial, target);
  rmSync(`${target}-wal`, { force: true });
  rmSync(`${target}-shm`, { force: true });
  return { target, kept };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const from = process.argv[2];
  if (!from) {
    console.error('Say which backup to restore: npm run db:restore -- backups/guichet-….db');
    process.exit(1);
  }
  try {
    const { target, kept } = await restoreDatabase(from);
    console.log(`Restored ${resolve(from)} as ${target}.${kept ? ` The previous database is kept as ${kept}.` : ''} Start the server again (npm run serve); it applies any newer migrations.`);
  } catch (error) {
    console.error(`Restore failed: ${error instanceof Error ? error.message : error}`);
    process.exit(1);
  }
}
