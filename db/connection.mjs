// Opening and migrating the database, shared by the server (src/lib/server/db.ts) and the
// command-line scripts (npm start, npm run db:migrate), which run before anything is built.
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient } from '@libsql/client';

export const DEFAULT_DATABASE_URL = 'file:data/guichet.db';
/** What SQLite may hold in memory in one process before it recycles (see applyMigrations). */
export const SQLITE_HEAP_LIMIT_BYTES = 16 * 1024 * 1024;

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
  const path = databaseFilePath(url);
  if (path) mkdirSync(dirname(path), { recursive: true });
  // The busy timeout makes concurrent writers (several server processes on one file) wait
  // for each other instead of failing; it applies to every connection of the client's pool.
  const client = createClient({ url, authToken: authToken || undefined, timeout: 5000 });
  return url.startsWith('file:') ? serializeWrites(client) : client;
}

/**
 * The absolute path of an embedded database's file (`file:…` addresses), or undefined for a
 * libSQL server.
 * @param {string} url
 */
export function databaseFilePath(url) {
  if (!url.startsWith('file:')) return undefined;
  return resolve(url.startsWith('file://') ? fileURLToPath(url) : url.slice('file:'.length));
}

const READ_ONLY = /^\s*(?:select|explain)\b/i;

/**
 * An embedded database runs SQLite in this thread, one connection per concurrent call. A
 * write that meets another connection's open transaction waits in SQLite's busy handler,
 * which blocks the thread, so the transaction can never finish: a stall of the whole busy
 * timeout, then SQLITE_BUSY. Queuing writes and transactions here, without blocking, avoids
 * that; reads go straight through (WAL lets them run beside a write).
 * @param {import('@libsql/client').Client} client
 * @returns {import('@libsql/client').Client}
 */
export function serializeWrites(client) {
  /** @type {Promise<void>} */
  let tail = Promise.resolve();
  /** @returns {Promise<() => void>} resolves with the function that ends this turn */
  const lock = () => {
    /** @type {() => void} */
    let release = () => {};
    /** @type {Promise<void>} */
    const ended = new Promise((resolve) => (release = resolve));
    const turn = tail.then(() => release);
    tail = tail.then(() => ended);
    return turn;
  };
  /** @template T @param {() => Promise<T>} work @returns {Promise<T>} */
  const exclusive = async (work) => {
    const release = await lock();
    try {
      return await work();
    } finally {
      release();
    }
  };
  return new Proxy(client, {
    get(target, property) {
      switch (property) {
        case 'execute':
          return (/** @type {any} */ statement, /** @type {any} */ args) => {
            const sql = typeof statement === 'string' ? statement : statement.sql;
            return READ_ONLY.test(sql) ? target.execute(statement, args) : exclusive(() => target.execute(statement, args));
          };
        case 'batch':
        case 'migrate':
        case 'executeMultiple':
          return (/** @type {any[]} */ ...args) => exclusive(() => /** @type {any} */ (target)[property](...args));
        case 'transaction':
          return async (/** @type {any} */ mode) => {
            const release = await lock();
            try {
              const transaction = await target.transaction(mode);
              let done = false;
              const finish = () => {
                if (!done) (done = true), release();
              };
              for (const end of /** @type {const} */ (['commit', 'rollback'])) {
                const original = transaction[end].bind(transaction);
                transaction[end] = async () => {
                  try {
                    return await original();
                  } finally {
                    finish();
                  }
                };
              }
              const close = transaction.close.bind(transaction);
              transaction.close = () => {
                close();
                finish();
              };
              return transaction;
            } catch (error) {
              release();
              throw error;
            }
          };
        default: {
          const value = Reflect.get(target, property, target);
          return typeof value === 'function' ? value.bind(target) : value;
        }
      }
    },
  });
}

/**
 * Applies the committed drizzle-kit migrations; already-applied ones are skipped.
 * @param {import('drizzle-orm/libsql').LibSQLDatabase<any> & { $client: import('@libsql/client').Client }} db
 * @param {string} [migrationsFolder]
 */
export async function applyMigrations(db, migrationsFolder = resolve(process.env.MIGRATIONS_DIR ?? 'db/migrations')) {
  if (db.$client.protocol === 'file') {
    // WAL lets readers work while a write is in progress; it is a property of the file.
    await db.$client.execute('PRAGMA journal_mode = WAL');
    // SQLite's memory in this process (page caches, sorts of the reports' large groupings):
    // past this, it reuses its cache pages and spills sorts to temporary files instead of
    // asking for more, which the C allocator would keep once freed.
    await db.$client.execute(`PRAGMA soft_heap_limit = ${SQLITE_HEAP_LIMIT_BYTES}`);
  }
  // Loaded when needed: a server's workers open the database without migrating it.
  const { migrate } = await import('drizzle-orm/libsql/migrator');
  await migrate(db, { migrationsFolder });
  // Table statistics let SQLite pick the right index for the agents' filtered queues (without
  // them it sorts whole categories). A sampled ANALYZE takes some 30 ms at 100,000 requests.
  await db.$client.execute('PRAGMA analysis_limit = 1000');
  await db.$client.execute('ANALYZE');
}
