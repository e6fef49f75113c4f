// npm run db:backup and db:restore, run as the operator runs them (separate processes), on a
// real database file that another process keeps writing to during the backup.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';

let dir: string;
let url: string;
let writer: ChildProcess | undefined;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'guichet-backup-'));
  url = `file:${join(dir, 'guichet.db')}`;
  const migrated = run('scripts/migrate.mjs', []);
  expect(migrated.status, migrated.stderr).toBe(0);
});
afterEach(() => {
  writer?.kill('SIGKILL');
  writer = undefined;
  rmSync(dir, { recursive: true, force: true });
});

const run = (script: string, args: string[]) => spawnSync(process.execPath, [script, ...args], { env: { ...process.env, DATABASE_URL: url }, encoding: 'utf8' });

/**
 * The search misses stored in `file`, read by a process of their own: a process that has
 * opened a database file keeps it open a while after closing it, which the restore would see.
 */
function misses(file: string) {
  const code = `
    import { createClient } from '@libsql/client';
    const c = createClient({ url: ${JSON.stringify(`file:${file}`)}, timeout: 5000 });
    const row = (await c.execute('select count(*) as n, coalesce(max(id), 0) as last from search_misses')).rows[0];
    console.log(JSON.stringify({ n: Number(row.n), last: Number(row.last) }));`;
  const read = spawnSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8' });
  if (read.status !== 0) throw new Error(read.stderr);
  return JSON.parse(read.stdout) as { n: number; last: number };
}

/** Another process writing one row at a time, as a running server would; resolves once it has. */
function startWriter(): Promise<void> {
  const code = `
    import { createClient } from '@libsql/client';
    const c = createClient({ url: ${JSON.stringify(url)}, timeout: 5000 });
    let i = 0;
    for (;;) {
      await c.execute({ sql: "insert into search_misses (query, normalized, locale, created_at) values (?, ?, 'fr', ?)", args: ['q' + i, 'q' + i, Date.now()] });
      if (++i === 20) console.log('writing');
    }`;
  writer = spawn(process.execPath, ['--input-type=module', '-e', code], { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve) => writer!.stdout!.once('data', () => resolve()));
}

it('a backup taken while another process writes is whole and consistent, and restoring it brings back exactly its rows', async () => {
  await startWriter();
  const backupFile = join(dir, 'saved', 'copy.db');
  const backup = run('scripts/db-backup.mjs', ['--to', backupFile]);
  expect(backup.status, backup.stderr).toBe(0);
  expect(backup.stdout).toContain('Backup written');
  const saved = misses(backupFile);
  // The writer went on: the copy is a snapshot, its rows numbered 1..n without a gap.
  expect(saved.n).toBeGreaterThan(0);
  expect(saved.last).toBe(saved.n);
  expect((misses(join(dir, 'guichet.db'))).n).toBeGreaterThanOrEqual(saved.n);

  // While the writer has the database open, the restore refuses and changes nothing.
  const refused = run('scripts/db-restore.mjs', [backupFile]);
  expect(refused.status).toBe(1);
  expect(refused.stderr).toContain('stop the server first');

  writer!.kill('SIGKILL');
  await new Promise((resolve) => writer!.once('exit', resolve));
  writer = undefined;
  const before = misses(join(dir, 'guichet.db'));
  expect(before.n).toBeGreaterThan(saved.n);

  const restored = run('scripts/db-restore.mjs', [backupFile]);
  expect(restored.status, restored.stderr).toBe(0);
  expect(misses(join(dir, 'guichet.db'))).toEqual(saved);
  // The database it replaced is kept, whole, with the rows written after the backup.
  const kept = /kept as (\S+?)\.? Start/.exec(restored.stdout)?.[1];
  expect(kept && existsSync(kept)).toBeTruthy();
  expect(misses(kept!)).toEqual(before);
});

it('a file that is not a backup is refused with a clear message, and the database is left as it was', async () => {
  const bogus = join(dir, 'notes.db');
  writeFileSync(bogus, 'these are not the rows you are looking for'.repeat(200));
  const refused = run('scripts/db-restore.mjs', [bogus]);
  expect(refused.status).toBe(1);
  expect(refused.stderr).toContain('is not a SQLite database');
  expect(refused.stderr).not.toMatch(/\n\s+at /); // a message, not a stack trace
  expect((misses(join(dir, 'guichet.db'))).n).toBe(0);

  const missing = run('scripts/db-restore.mjs', []);
  expect(missing.status).toBe(1);
  expect(missing.stderr).toContain('npm run db:restore --');

  // A backup may not overwrite an existing file.
  writeFileSync(join(dir, 'taken.db'), '');
  const taken = run('scripts/db-backup.mjs', ['--to', join(dir, 'taken.db')]);
  expect(taken.status).toBe(1);
  expect(taken.stderr).toContain('already exists');
});
