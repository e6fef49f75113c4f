// The production server (`npm run serve`, `npm start`): a supervisor (Node's cluster module)
// that applies the database migrations, then runs one worker per core (scripts/server/worker.mjs,
// at most GUICHET_MAX_WORKERS, or exactly GUICHET_WORKERS) on one port, and starts a new worker
// at once when one dies, so that one request that brings a process down is not an outage. The
// workers share the database as separate servers would (see db/connection.mjs). SIGTERM or
// SIGINT stops every worker, each letting its requests in flight finish.
import cluster from 'node:cluster';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { publicOriginProblem } from '../src/lib/server/public-origin.mjs';
import { runMigrations } from './migrate.mjs';
import { flushLog, logger } from './server/log.mjs';

/** @param {string} message */
function fail(message) {
  logger.error(message);
  flushLog();
  process.exit(1);
}

/** How many workers: GUICHET_WORKERS, or one per core up to GUICHET_MAX_WORKERS (default 4). */
function workerCount(env = process.env, cores = availableParallelism()) {
  const exact = Number(env.GUICHET_WORKERS);
  if (Number.isInteger(exact) && exact > 0) return exact;
  const max = Number(env.GUICHET_MAX_WORKERS);
  return Math.max(1, Math.min(cores, Number.isInteger(max) && max > 0 ? max : 4));
}

/** Waits before starting a worker again after deaths before listening in a row: 0, 1, 2, 4… 30 s. */
const backoff = (/** @type {number} */ failures) => (failures === 0 ? 0 : Math.min(30_000, 1000 * 2 ** (failures - 1)));
/** A stop waits this long for the workers to finish their requests (theirs, plus a margin). */
const STOP_MS = (Number(process.env.GUICHET_DRAIN_MS) || 10_000) + 5_000;

const problem = publicOriginProblem();
if (problem) fail(problem);
try {
  await runMigrations();
} catch (error) {
  fail(`the database could not be prepared: ${error instanceof Error ? error.message : error}`);
}

const count = workerCount();
cluster.setupPrimary({ exec: fileURLToPath(new URL('./server/worker.mjs', import.meta.url)) });

/** Per slot: how many of its workers in a row died before they listened. */
const slots = Array.from({ length: count }, () => ({ failures: 0 }));
let listened = false;
let stopping = false;

/** @param {number} slot */
function startWorker(slot) {
  // The first slot's worker runs the jobs (retention); the others only serve.
  const worker = cluster.fork({
    GUICHET_JOBS: slot === 0 ? '1' : '0',
    GUICHET_WORKER_SLOT: String(slot),
    // glibc's allocator raises its threshold for giving large blocks back to the system after
    // each one it frees, so a process that once parsed a large upload kept hundreds of MB;
    // a fixed threshold gives every block over 128 KB back as soon as it is freed.
    MALLOC_MMAP_THRESHOLD_: process.env.MALLOC_MMAP_THRESHOLD_ ?? '131072',
  });
  let ready = false;
  worker.on('listening', () => {
    listened = ready = true;
    slots[slot].failures = 0;
  });
  worker.on('exit', (code, signal) => {
    if (stopping) return;
    // A worker that served and then died is replaced at once; one that died before it could
    // listen failed to start, and the next waits longer each time.
    const early = !ready;
    slots[slot].failures = early ? slots[slot].failures + 1 : 0;
    logger.error({ pid: worker.process.pid, code, signal, slot }, 'worker died: starting another');
    // A worker that cannot even start (port taken, build missing) is not restarted forever.
    if (!listened && slots[slot].failures >= 3) fail('the server could not start: see the messages above');
    setTimeout(() => stopping || startWorker(slot), backoff(early ? slots[slot].failures : 0));
  });
}

for (let slot = 0; slot < count; slot += 1) startWorker(slot);
logger.info({ workers: count, pid: process.pid }, 'supervisor started');

/** @param {NodeJS.Signals} signal */
function stop(signal) {
  if (stopping) return;
  stopping = true;
  const workers = Object.values(cluster.workers ?? {}).filter((w) => w !== undefined);
  let failed = false;
  let running = workers.length;
  const done = () => {
    logger.info({ pid: process.pid }, 'supervisor stopped');
    flushLog();
    process.exit(failed ? 1 : 0);
  };
  if (running === 0) done();
  for (const worker of workers) {
    worker.once('exit', (code, exitSignal) => {
      // Ended by the signal passed on (it had not yet set its handlers: it was starting, with
      // nothing in flight) is a clean stop too.
      failed ||= code !== 0 && exitSignal !== signal;
      running -= 1;
      if (running === 0) done();
    });
    // A terminal's Ctrl+C reaches the workers itself; a service manager's SIGTERM may not.
    worker.process.kill(signal);
  }
  setTimeout(() => {
    logger.error('workers still running after the stop delay: ended');
    for (const worker of workers) worker.process.kill('SIGKILL');
    failed = true;
    done();
  }, STOP_MS).unref();
}
process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));
