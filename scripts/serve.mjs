// The production server (`npm run serve`, `npm start`): Astro's standalone handler (the built
// static files, then pages and actions) behind what every answer needs — security headers, a
// request id and one JSON log line per request, `/health` for load balancers, the retention
// job at start-up and every day — and a stop on SIGTERM or SIGINT that lets requests in flight
// finish before the process exits.
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { format } from 'node:util';
import { createDatabaseClient } from '../db/connection.mjs';
import { applyRetention, loadRetentionPolicy } from '../db/retention.mjs';
import { runMigrations } from './migrate.mjs';

/** How long a stop waits for requests in flight before closing their connections. */
const DRAIN_MS = Number(process.env.GUICHET_DRAIN_MS) || 10_000;

const publicOrigin = process.env.PUBLIC_ORIGIN ? new URL(process.env.PUBLIC_ORIGIN) : undefined;

/** Sent with every answer, static or not; pages may narrow them (private pages do). */
const SECURITY_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'strict-origin-when-cross-origin',
  // What a meta element cannot say: no framing by any site, no plugins, forms to this site only.
  'Content-Security-Policy': "frame-ancestors 'none'; object-src 'none'; base-uri 'self'; form-action 'self'",
  'X-Frame-Options': 'DENY',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=(), browsing-topics=()',
  'Cross-Origin-Opener-Policy': 'same-origin',
  // Only when the public address is https: a browser then never tries plain http again.
  ...(publicOrigin?.protocol === 'https:' ? { 'Strict-Transport-Security': 'max-age=63072000; includeSubDomains' } : {}),
};

/** A request id from the proxy in front is kept when it looks like one; otherwise a new one. */
const requestId = (header) => (typeof header === 'string' && /^[\w.-]{8,64}$/.test(header) ? header : randomUUID());

/**
 * The path as logged: no query string (searches hold what residents typed) and no secret
 * (a private link's token, a one-time sign-in link), so that logs hold no personal data.
 */
function loggedPath(url = '/') {
  const path = url.split('?')[0] ?? '/';
  return path
    .split('/')
    // A token is a long run of letters and digits; a content slug is lowercase words and hyphens.
    .map((segment) => (/^[\w-]{24,}$/.test(segment) && !/^[a-z0-9]+(?:-[a-z0-9]+)+$/.test(segment) ? ':secret' : segment))
    .join('/');
}

const log = (entry) => process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), ...entry })}\n`);

// What the application itself logs (Astro's errors, the mail worker) becomes JSON lines too,
// with the id of the request being served when there is one.
const requestContext = new AsyncLocalStorage();
for (const [method, level] of /** @type {const} */ ([['log', 'info'], ['info', 'info'], ['warn', 'warn'], ['error', 'error']])) {
  // An error may quote an address (a mail server refusing a recipient): never kept in the logs.
  console[method] = (...args) => log({ level, id: requestContext.getStore(), msg: format(...args).replace(/[^\s@<>"'()]+@[^\s@<>"'()]+\.[a-z]{2,}/gi, '[email]') });
}

process.env.ASTRO_NODE_AUTOSTART = 'disabled';
const entry = pathToFileURL(resolve(process.env.GUICHET_OUT_DIR || 'dist', 'server/entry.mjs')).href;
const { handler } = await import(entry);
await runMigrations();
const database = createDatabaseClient();

/** Personal data past its retention period is removed at start-up, then every day. */
async function retention() {
  try {
    const done = await applyRetention(database, loadRetentionPolicy());
    log({ level: 'info', msg: 'retention applied', ...done });
  } catch (error) {
    log({ level: 'error', msg: `retention failed: ${error instanceof Error ? error.message : error}` });
  }
}

async function health(res) {
  let ok = true;
  try {
    await database.execute('select 1');
  } catch {
    ok = false;
  }
  res.writeHead(ok ? 200 : 503, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
  res.end(JSON.stringify({ status: ok ? 'ok' : 'database unavailable' }));
}

let stopping = false;
const server = createServer((req, res) => {
  const started = performance.now();
  const id = requestId(req.headers['x-request-id']);
  res.setHeader('X-Request-Id', id);
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
  res.on('finish', () => log({ level: res.statusCode >= 500 ? 'error' : 'info', id, method: req.method, path: loggedPath(req.url), status: res.statusCode, ms: Math.round(performance.now() - started) }));
  if (req.url === '/health' || req.url === '/health/') {
    // A stopping server says so, and the load balancer sends no more to it.
    if (stopping) {
      res.writeHead(503, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
      res.end('{"status":"stopping"}');
      return;
    }
    void health(res);
    return;
  }
  if (stopping) res.setHeader('Connection', 'close');
  requestContext.run(id, () => handler(req, res));
});

const host = process.env.HOST || 'localhost';
const port = Number(process.env.PORT) || 4321;
server.listen(port, host, () => {
  log({ level: 'info', msg: 'listening', host, port });
  // GUICHET_RETENTION=0 turns the job off (the benchmarks do; then run `npm run retention` yourself).
  if (process.env.GUICHET_RETENTION === '0') return;
  void retention();
  setInterval(() => void retention(), 86_400_000).unref();
});
server.on('error', (error) => {
  log({ level: 'error', msg: error.message });
  process.exit(1);
});

function stop(signal) {
  if (stopping) return;
  stopping = true;
  log({ level: 'info', msg: 'stopping', signal });
  // No new connection; idle keep-alive ones close now, busy ones once their answer is sent.
  server.close(() => {
    log({ level: 'info', msg: 'stopped' });
    process.exit(0);
  });
  server.closeIdleConnections();
  setTimeout(() => {
    log({ level: 'error', msg: `requests still running after ${DRAIN_MS} ms: closed` });
    server.closeAllConnections();
    process.exit(1);
  }, DRAIN_MS).unref();
}
process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));
