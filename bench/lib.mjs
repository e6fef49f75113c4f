// What the benchmarks share: a free port, percentiles and medians, a build in a throwaway copy
// of the project, starting the built server and watching its memory, signing an agent in, a
// gzipping front server, and Chromium.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { Agent as HttpAgent, createServer as createHttpServer, get as httpGet, request as httpRequest } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { chromium } from '@playwright/test';
import { copyProjectTo, projectRoot } from '../scripts/project-copy.mjs';
import { serverNodeFlags } from '../scripts/server-flags.mjs';

export { freePort } from '../scripts/free-port.mjs';

/**
 * The p-th percentile of numbers sorted in increasing order, by nearest rank (the ⌈p n / 100⌉-th
 * value), as the reports compute theirs: the 99th of 100 values is the 99th, not the largest.
 */
export const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];

/** Copies the project to `dir` (emptied first) and builds it there, with `env` at build time. */
export function buildCopy(dir, env = {}) {
  rmSync(dir, { recursive: true, force: true });
  copyProjectTo(dir);
  console.log('Building the portal in a throwaway copy…');
  const build = spawnSync(process.execPath, [join(projectRoot, 'node_modules/astro/bin/astro.mjs'), 'build'], { cwd: dir, env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1', ...env }, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`build failed:\n${build.stderr.slice(-3000)}`);
}

/** Resolves once `url` answers, or fails after about twenty seconds. */
export async function waitForServer(url) {
  for (let i = 0; ; i += 1) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    if (i > 200) throw new Error('the server did not start');
    await new Promise((done) => setTimeout(done, 100));
  }
}

/** Signs an agent in through the sign-in form; returns the session cookie. */
export async function signInAgent(origin, email, password) {
  const response = await fetch(`${origin}/agent/connexion/?_action=agent.signIn`, {
    method: 'POST',
    headers: { Origin: origin, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ email, password, retour: '/agent/' }),
    redirect: 'manual',
  });
  const cookie = response.headers.get('set-cookie')?.split(';')[0];
  if (response.status !== 303 || !cookie) throw new Error(`sign-in failed: ${response.status}`);
  return cookie;
}

/** One kept-alive connection per origin for the timed pages, as a browser keeps one. */
const timedAgents = new Map();

/**
 * GETs `path` with the cookie, as a browser would; fails unless 200; returns the time to the
 * last byte and the body. Through node:http rather than fetch: at 100 pages one at a time,
 * fetch's own work in this process (undici, its streams and their garbage) added about 12 ms to
 * the p99 of the same server (42 ms against 30 ms for the main queue at 100,000 requests).
 */
export function timedGet(origin, cookie, path, retry = true) {
  if (!timedAgents.has(origin)) timedAgents.set(origin, new HttpAgent({ keepAlive: true, maxSockets: 1 }));
  const { hostname, port } = new URL(origin);
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const request = httpGet({ host: hostname, port, path, agent: timedAgents.get(origin), headers: { Cookie: cookie } }, (response) => {
      const chunks = [];
      response.on('data', (chunk) => chunks.push(chunk));
      response.on('error', reject);
      response.on('end', () => {
        const ms = performance.now() - start;
        if (response.statusCode !== 200) reject(new Error(`${path} answered ${response.statusCode}`));
        else resolve({ ms, body: Buffer.concat(chunks).toString('utf8') });
      });
    });
    // A kept connection the server closed while idle (its keep-alive timeout, between the
    // measures) fails at once: once, on a new connection, as a browser does.
    request.on('error', (error) => (retry && request.reusedSocket && error.code === 'ECONNRESET' ? resolve(timedGet(origin, cookie, path, false)) : reject(error)));
  });
}

/** The median of a list of numbers (any order). */
export const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

const COMPRESSIBLE = /^(text\/|application\/(javascript|json|xml|manifest\+json)|image\/svg\+xml)/;
const TYPES = { '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript', '.mjs': 'text/javascript', '.json': 'application/json', '.svg': 'image/svg+xml', '.xml': 'application/xml', '.txt': 'text/plain', '.woff2': 'font/woff2', '.png': 'image/png', '.ico': 'image/x-icon', '.webmanifest': 'application/manifest+json' };

/**
 * What a production front server (nginx, a CDN) does for both sites measured: serves `root`'s
 * files (a folder's index.html for a path ending in /), or forwards to `upstream` what is not a
 * file, and gzips text as it goes (level 6, nginx's usual setting). Pagefind's own files are
 * already compressed and pass as they are. Resolves with the server once it listens on `port`.
 */
export async function frontServer({ port, root, upstream }) {
  const compress = promisify(gzip);
  const send = async (req, res, status, headers, body) => {
    const type = String(headers['content-type'] ?? '');
    const out = { ...headers };
    delete out['content-length'];
    delete out['transfer-encoding'];
    delete out.connection;
    if (COMPRESSIBLE.test(type) && /\bgzip\b/.test(req.headers['accept-encoding'] ?? '') && body.length > 0) {
      body = await compress(body, { level: 6 });
      out['content-encoding'] = 'gzip';
      out.vary = 'Accept-Encoding';
    }
    out['content-length'] = body.length;
    res.writeHead(status, out);
    res.end(req.method === 'HEAD' ? undefined : body);
  };
  const fromFile = async (path) => {
    const clean = normalize(decodeURIComponent(path.split('?')[0])).replace(/^(\.\.[/\\])+/, '');
    for (const candidate of [join(root, clean), join(root, clean, 'index.html')]) {
      try {
        if ((await stat(candidate)).isFile()) return { file: await readFile(candidate), type: TYPES[extname(candidate)] ?? 'application/octet-stream' };
      } catch {
        // try the next form
      }
    }
    return undefined;
  };
  const server = createHttpServer(async (req, res) => {
    try {
      const found = req.method === 'GET' && root ? await fromFile(req.url) : undefined;
      if (found) return await send(req, res, 200, { 'content-type': found.type }, found.file);
      if (!upstream) return await send(req, res, 404, { 'content-type': 'text/plain' }, Buffer.from('not found'));
      const chunks = [];
      for await (const chunk of req) chunks.push(chunk);
      const target = new URL(req.url, upstream);
      const answer = await new Promise((done, fail) => {
        const forward = httpRequest(target, { method: req.method, headers: { ...req.headers, host: target.host, 'accept-encoding': 'identity' } }, done);
        forward.on('error', fail);
        forward.end(Buffer.concat(chunks));
      });
      const body = [];
      for await (const chunk of answer) body.push(chunk);
      await send(req, res, answer.statusCode, answer.headers, Buffer.concat(body));
    } catch (error) {
      res.writeHead(502).end(String(error));
    }
  });
  await new Promise((done) => server.listen(port, '127.0.0.1', done));
  return server;
}

/** Debian's Chromium, started as the tests start it (no background traffic on a closed network). */
export async function launchChromium() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/**
 * The resident memory of the server started as `pid` now and at its peak so far (VmRSS,
 * VmHWM), in bytes: of its largest worker (the supervisor's children), or of the process itself
 * when it has none.
 */
export function memoryOf(pid) {
  const of = (one) => {
    const status = readFileSync(`/proc/${one}/status`, 'utf8');
    const field = (name) => Number(new RegExp(`${name}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0) * 1024;
    return { rss: field('VmRSS'), peak: field('VmHWM') };
  };
  const workers = workerPids(pid).map((worker) => {
    try {
      return of(worker);
    } catch {
      return { rss: 0, peak: 0 }; // ended between the listing and the reading
    }
  });
  if (workers.length === 0) return of(pid);
  return { rss: Math.max(...workers.map((w) => w.rss)), peak: Math.max(...workers.map((w) => w.peak)) };
}

/** The worker processes of the supervisor `pid` (Linux). */
export function workerPids(pid) {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** Starts the built server in `dir` on `dbFile` and resolves once it answers `readyPath`. */
export async function startServer(dir, dbFile, { port, env = {}, readyPath = '/' }) {
  const origin = `http://127.0.0.1:${port}`;
  // The flags `npm run serve` gives; BENCH_NODE_OPTIONS adds others (e.g. to take a profile).
  const nodeArgs = [...serverNodeFlags(), ...(process.env.BENCH_NODE_OPTIONS?.split(' ').filter(Boolean) ?? [])];
  const child = spawn(process.execPath, [...nodeArgs, join(projectRoot, 'scripts/serve.mjs')], {
    cwd: dir,
    // The generated datasets span two years: the retention job would anonymise a year of them
    // during the measures (a real server applies it daily, so its backlog is small).
    env: { ...process.env, DATABASE_URL: `file:${dbFile}`, HOST: '127.0.0.1', PORT: String(port), GUICHET_DEMO: '0', SMTP_URL: '', GUICHET_RETENTION: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // The log says when each worker listens (the supervisor's replacements included).
  const listening = [];
  child.stdout.on('data', (chunk) => {
    const text = String(chunk);
    if (text.includes('"msg":"listening"')) for (const match of text.matchAll(/"pid":(\d+),"msg":"listening"/g)) listening.push(Number(match[1]));
  });
  // A load that stops mid-request makes the server log "aborted"; anything else is shown.
  let errors = '';
  child.stderr.on('data', (chunk) => (errors += chunk));
  const exited = new Promise((done) => child.on('exit', done));
  await Promise.race([waitForServer(`${origin}${readyPath}`), exited.then(() => Promise.reject(new Error(`the server stopped while starting:\n${errors}`)))]);
  return {
    origin,
    child,
    /** The pids of the workers that have listened, in order. */
    listening,
    stop: async () => {
      child.kill();
      await exited;
      const unexpected = errors.split(/\n(?=\S)/).filter((entry) => entry.trim() && !/Error: aborted/.test(entry));
      if (unexpected.length > 0) process.stderr.write(`The server logged:\n${unexpected.join('\n')}\n`);
    },
  };
}

/**
 * The search index the server serves now (it is built by the server, after each publish):
 * the path of its pagefind.js and, for a server run in `dir`, the folder holding `pagefind/`.
 */
export async function searchIndexOf(origin, dir) {
  const html = await (await fetch(`${origin}/recherche/`)).text();
  const script = /data-pagefind="([^"]+)"/.exec(html)?.[1];
  if (!script) throw new Error('the search page names no search index');
  const fingerprint = /\/pagefind\/([0-9a-f]{20})\//.exec(script)[1];
  return { script, fingerprint, dir: join(dir ?? '.', 'dist/search-index', fingerprint) };
}
