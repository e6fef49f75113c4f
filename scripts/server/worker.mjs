// One server process (a worker of scripts/serve.mjs, or alone): Astro's standalone handler
// (the built static files, then pages and actions) behind what every answer needs — security
// headers, a request id and one JSON log line per request, `/health` for load balancers,
// request bodies read within their limits before Astro sees them — and a stop on SIGTERM or
// SIGINT that lets requests in flight finish before the process exits. The worker that the
// supervisor gives the jobs to (GUICHET_JOBS=1) also applies the retention periods, at
// start-up and every day.
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, get as httpGet } from 'node:http';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { format } from 'node:util';
import { createDatabaseClient } from '../../db/connection.mjs';
import { applyRetention, loadRetentionPolicy } from '../../db/retention.mjs';
import { actionName, bodyLimitFor, REFUSED_BODY_HEADER } from '../../src/lib/server/body-limits.mjs';
import { searchIndexFile } from '../../src/lib/server/help/search-files.mjs';
import { publicOrigin } from '../../src/lib/server/public-origin.mjs';
import { readBody } from './body.mjs';
import { flushLog, loggedPath, logger, scrubbed } from './log.mjs';

/** How long a stop waits for requests in flight before closing their connections. */
const DRAIN_MS = Number(process.env.GUICHET_DRAIN_MS) || 10_000;

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
  ...(publicOrigin().startsWith('https:') ? { 'Strict-Transport-Security': 'max-age=63072000; includeSubDomains' } : {}),
};

/** A request id from the proxy in front is kept when it looks like one; otherwise a new one. */
const requestId = (/** @type {unknown} */ header) => (typeof header === 'string' && /^[\w.-]{8,64}$/.test(header) ? header : randomUUID());

// What the application itself logs (Astro's errors, the mail worker) becomes JSON lines too,
// with the id of the request being served when there is one.
const requestContext = new AsyncLocalStorage();
for (const [method, level] of /** @type {const} */ ([['log', 'info'], ['info', 'info'], ['warn', 'warn'], ['error', 'error']])) {
  console[method] = (...args) => logger[level]({ id: requestContext.getStore() }, scrubbed(format(...args)));
}

// The texts of the refusal pages this process answers itself (src/i18n, content/authority.json).
const strings = {
  fr: JSON.parse(readFileSync(new URL('../../src/i18n/fr.json', import.meta.url), 'utf8')),
  en: JSON.parse(readFileSync(new URL('../../src/i18n/en.json', import.meta.url), 'utf8')),
};
const phone = JSON.parse(readFileSync(new URL('../../content/authority.json', import.meta.url), 'utf8')).contact?.phone ?? '';
const escapeHtml = (/** @type {string} */ text) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const STATUS = { 'too-large': 413, busy: 503, malformed: 400 };

/**
 * A refusal answered here, before Astro: a short page in the visitor's language saying what
 * happened and what to do, with no script and no style to load.
 * @param {import('node:http').IncomingMessage} req
 * @param {import('node:http').ServerResponse} res
 * @param {'too-large' | 'busy' | 'malformed'} reason
 */
function refusalPage(req, res, reason) {
  const locale = /^\/en(\/|$)/.test(req.url ?? '') ? 'en' : 'fr';
  const t = strings[locale];
  const html = `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(t['server.refused.title'])}</title></head><body><main><h1>${escapeHtml(t['server.refused.title'])}</h1><p>${escapeHtml(t[`server.refused.${reason}`])}</p><p>${escapeHtml(t['server.refused.help'].replace('{phone}', phone))}</p><p><a href="${locale === 'en' ? '/en/' : '/'}">${escapeHtml(t['server.refused.home'])}</a></p></main></body></html>`;
  res.writeHead(STATUS[reason], {
    'Content-Type': 'text/html; charset=utf-8',
    'Cache-Control': 'no-store',
    ...(reason === 'busy' ? { 'Retry-After': '30' } : {}),
  });
  res.end(html);
}

process.env.ASTRO_NODE_AUTOSTART = 'disabled';
const entry = pathToFileURL(resolve(process.env.GUICHET_OUT_DIR || 'dist', 'server/entry.mjs')).href;
const { handler } = await import(entry);
const database = createDatabaseClient();

/** Personal data past its retention period is removed at start-up, then every day. */
async function retention() {
  try {
    const done = await applyRetention(database, loadRetentionPolicy());
    logger.info(done, 'retention applied');
  } catch (error) {
    logger.error(`retention failed: ${error instanceof Error ? error.message : error}`);
  }
}

/** @param {import('node:http').ServerResponse} res */
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

const BODILESS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Yields the chunks once, letting go of each as it is read. @param {Buffer[]} chunks */
async function* bodyChunks(chunks) {
  while (chunks.length > 0) yield /** @type {Buffer} */ (chunks.shift());
}

/**
 * Reads the body within its limit and hands the request to Astro. A form posted to a page and
 * refused as too large still reaches that page, with an empty body and the refusal marked, so
 * that the page shows its own message next to the form; other refusals are answered here.
 * @param {import('node:http').IncomingMessage} req
 * @param {import('node:http').ServerResponse} res
 */
async function serve(req, res) {
  delete req.headers[REFUSED_BODY_HEADER];
  if (!BODILESS.has(req.method ?? 'GET')) {
    const url = new URL(req.url ?? '/', 'http://server');
    const read = await readBody(req, res, bodyLimitFor(url));
    if ('aborted' in read) return;
    if ('refused' in read) {
      // The residents' forms show it on their own page; the workspace (whose pages first check
      // the session) and anything else get the page of refusals.
      const action = url.searchParams.has('_action') ? actionName(url) : undefined;
      if (read.refused !== 'too-large' || !action || action.startsWith('agent.')) return refusalPage(req, res, read.refused);
      req.headers[REFUSED_BODY_HEADER] = read.refused;
    }
    const chunks = 'body' in read ? read.body : [];
    // Astro reads the body from here (an iterable: the parser behind it joins the chunks
    // itself); the headers say what it really is.
    Object.assign(req, { body: bodyChunks(chunks) });
    delete req.headers['transfer-encoding'];
    req.headers['content-length'] = String(chunks.reduce((sum, chunk) => sum + chunk.length, 0));
  }
  return handler(req, res);
}

let stopping = false;
const server = createServer((req, res) => {
  const started = performance.now();
  const id = requestId(req.headers['x-request-id']);
  res.setHeader('X-Request-Id', id);
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
  res.on('finish', () => logger[res.statusCode === 503 ? 'warn' : res.statusCode >= 500 ? 'error' : 'info']({ id, method: req.method, path: loggedPath(req.url), status: res.statusCode, ms: Math.round(performance.now() - started) }));
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
  if (req.url?.startsWith('/pagefind/') && (req.method === 'GET' || req.method === 'HEAD')) {
    // The search index, rebuilt in this server after each publish (src/lib/server/help/search-index.ts).
    void searchIndexFile(req.url).then(({ status, headers, body }) => {
      res.writeHead(status, { ...headers, 'Content-Length': String(body?.length ?? 0) });
      res.end(req.method === 'HEAD' ? undefined : body);
    });
    return;
  }
  requestContext.run(id, () => {
    serve(req, res).catch((error) => {
      logger.error({ id }, scrubbed(`could not serve: ${error instanceof Error ? error.message : error}`));
      if (!res.headersSent) refusalPage(req, res, 'malformed');
      else res.destroy();
    });
  });
});

/**
 * The app's first request loads its pages' code and opens its database: about a second, which
 * a visitor would wait (or, with one worker, find the service gone for) after a restart. A new
 * worker makes those requests itself, on a port of its own, before it takes any visitor.
 */
async function warmUp() {
  const warm = createServer((req, res) => void serve(req, res).catch(() => res.destroy()));
  /** @type {Promise<unknown>} */
  let background = Promise.resolve();
  try {
    // `exclusive`: the worker's own port, not one shared through the supervisor.
    await new Promise((listening, failed) => warm.once('error', failed).listen({ port: 0, host: '127.0.0.1', exclusive: true }, () => listening(undefined)));
    const address = warm.address();
    const warmPort = typeof address === 'object' && address ? address.port : 0;
    const get = (/** @type {string} */ path) =>
      new Promise((done, failed) => {
        const req = httpGet({ host: '127.0.0.1', port: warmPort, path, headers: { Host: new URL(publicOrigin()).host }, timeout: 10_000 }, (res) => res.resume().on('end', done).on('error', failed));
        req.on('timeout', () => req.destroy(new Error(`${path} took over 10 s`))).on('error', failed);
      });
    for (const path of ['/demande/', '/agent/connexion/']) await get(path);
    // The search's thread loads Pagefind and each language's index (seconds for a large help
    // centre): started here, finished while the worker already serves.
    background = Promise.allSettled([get('/recherche/?q=aide'), get('/en/search/?q=help')]);
  } catch (error) {
    // Not warmed: the first visitors wait instead.
    logger.warn(`warm-up failed: ${error instanceof Error ? error.message : error}`);
  } finally {
    void background.then(() => {
      warm.closeAllConnections();
      warm.close();
    });
  }
}

// The handlers come before the warm-up: a stop asked for while it runs is a clean stop too.
/** @param {string} signal */
function stop(signal) {
  if (stopping) return;
  stopping = true;
  logger.info({ signal, pid: process.pid }, 'stopping');
  // Stopped while it warmed up: it never listened, nothing is in flight.
  if (!server.listening) {
    logger.info({ pid: process.pid }, 'stopped');
    flushLog();
    process.exit(0);
  }
  // Long-lived answers (chats' event streams) end now: their pages reconnect to another worker.
  process.emit('guichet:stopping');
  // No new connection; idle keep-alive ones close now, busy ones once their answer is sent.
  server.close(() => {
    logger.info({ pid: process.pid }, 'stopped');
    flushLog();
    process.exit(0);
  });
  server.closeIdleConnections();
  setTimeout(() => {
    logger.error(`requests still running after ${DRAIN_MS} ms: closed`);
    server.closeAllConnections();
    flushLog();
    process.exit(1);
  }, DRAIN_MS).unref();
}
process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));

const host = process.env.HOST || 'localhost';
const port = Number(process.env.PORT) || 4321;
await warmUp();
server.listen(port, host, () => {
  logger.info({ host, port, pid: process.pid }, 'listening');
  // GUICHET_RETENTION=0 turns the job off (the benchmarks do; then run `npm run retention` yourself).
  if (process.env.GUICHET_RETENTION === '0' || process.env.GUICHET_JOBS === '0') return;
  void retention();
  setInterval(() => void retention(), 86_400_000).unref();
});
server.on('error', (error) => {
  logger.error(error.message);
  flushLog();
  process.exit(1);
});

