import { rmSync } from 'node:fs';

/** Removes this run's database (and its WAL files) once the server has stopped. */
export default function globalTeardown() {
  const db = process.env.GUICHET_E2E_DB;
  if (!db) return;
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${db}${suffix}`, { force: true });
}
