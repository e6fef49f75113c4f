import { rmSync } from 'node:fs';

/** Removes this run's database (and its WAL files) and received mails once the servers have stopped. */
export default function globalTeardown() {
  const db = process.env.GUICHET_E2E_DB;
  if (!db) return;
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${db}${suffix}`, { force: true });
  if (process.env.GUICHET_E2E_MAIL) rmSync(process.env.GUICHET_E2E_MAIL, { recursive: true, force: true });
}
