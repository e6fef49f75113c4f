// Starting more server processes beside the one Playwright runs (same build, same flags as
// `npm run serve`), for the tests of stopping, and of several servers on one database.
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { freePort } from '../../scripts/free-port.mjs';
import { expect } from '@playwright/test';
import { serverNodeFlags } from '../../scripts/server-flags.mjs';

export { freePort };

export interface ServerProcess {
  origin: string;
  /** What it was started with, to start it again. */
  dbFile: string;
  env: Record<string, string>;
  port: number;
  /** Everything the process wrote, standard output and error. */
  output: () => string;
  exited: Promise<number | null>;
  signal: (signal: NodeJS.Signals) => void;
}

/**
 * Starts scripts/serve.mjs with the database file `dbFile` on `port` (by default a free one);
 * resolves once /health answers.
 */
export async function startServerProcess(dbFile: string, env: Record<string, string> = {}, port?: number): Promise<ServerProcess> {
  port ??= await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [...serverNodeFlags(), 'scripts/serve.mjs'], {
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), DATABASE_URL: `file:${dbFile}`, GUICHET_DEMO: '0', SMTP_URL: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  await expect.poll(async () => (await fetch(`${origin}/health`).catch(() => undefined))?.status, { timeout: 30_000 }).toBe(200);
  return { origin, dbFile, env, port, output: () => output, exited, signal: (signal) => child.kill(signal) };
}

/** Removes a database file and its companions. */
export function removeDatabase(dbFile: string) {
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${dbFile}${suffix}`, { force: true });
}

/**
 * Two servers on one fresh database file, the demo on it: the first is asked a page on demand
 * (which migrates the database and adds the demo) before the second starts. `stop` ends both
 * and removes the file.
 */
export async function startTwoServers(dbFile: string): Promise<{ first: ServerProcess; second: ServerProcess; stop: () => Promise<void> }> {
  removeDatabase(dbFile);
  const first = await startServerProcess(dbFile, { GUICHET_DEMO: '1' });
  expect((await fetch(`${first.origin}/agent/connexion/`)).status).toBe(200);
  const second = await startServerProcess(dbFile, { GUICHET_DEMO: '1' });
  return {
    first,
    second,
    stop: async () => {
      for (const server of [first, second]) {
        server.signal('SIGTERM');
        await server.exited;
      }
      removeDatabase(dbFile);
    },
  };
}
