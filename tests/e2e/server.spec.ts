// The production server around Astro (scripts/serve.mjs): headers on every kind of answer,
// /health, request ids, logs without personal data, and a stop that lets requests finish.
import { spawn } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { createClient } from '@libsql/client';
import { expect, test } from '@playwright/test';
import { countRows } from './request-helpers';
import { serverNodeFlags } from '../../scripts/server-flags.mjs';
import { freePort, removeDatabase, startServerProcess } from './server-process';

test('every kind of answer carries the security headers and a request id', async ({ request }) => {
  // A prerendered page, a cached help page, a page rendered on demand, a private page, a static
  // file, a search index file (served by the worker itself), a missing page.
  for (const path of ['/aide/', '/', '/', '/demande/', '/suivi/', '/favicon.svg', '/pagefind/0123456789abcdef0123/pagefind/pagefind.js', '/nulle-part/']) {
    const response = await request.get(path);
    const headers = response.headers();
    expect(headers['x-content-type-options'], path).toBe('nosniff');
    expect(headers['content-security-policy'], path).toContain("frame-ancestors 'none'");
    expect(headers['content-security-policy'], path).toContain("object-src 'none'");
    expect(headers['x-frame-options'], path).toBe('DENY');
    expect(headers['permissions-policy'], path).toContain('camera=()');
    expect(headers['referrer-policy'], path).toMatch(/^(strict-origin-when-cross-origin|same-origin)$/);
    expect(headers['x-request-id'], path).toMatch(/^[\w.-]{8,64}$/);
    // The server's public address here is plain http: no HSTS, which would lock browsers out.
    expect(headers['strict-transport-security'], path).toBeUndefined();
  }
  // Private pages keep their narrower referrer policy.
  expect((await request.get('/suivi/')).headers()['referrer-policy']).toBe('same-origin');
  // A proxy's request id is kept; a malformed one is replaced.
  expect((await request.get('/', { headers: { 'X-Request-Id': 'proxy-id-12345' } })).headers()['x-request-id']).toBe('proxy-id-12345');
  expect((await request.get('/', { headers: { 'X-Request-Id': 'bad id <script>' } })).headers()['x-request-id']).not.toContain('script');
});

test('/health answers for load balancers, with and without the trailing slash', async ({ request }) => {
  for (const path of ['/health', '/health/']) {
    const response = await request.get(path, { maxRedirects: 0 });
    expect(response.status(), path).toBe(200);
    expect(response.headers()['cache-control']).toBe('no-store');
    expect(await response.json()).toEqual({ status: 'ok' });
  }
});

test('SIGTERM lets a request in flight finish, then the server stops; logs are JSON without personal data', async () => {
  test.setTimeout(60_000);
  const dbFile = `${process.env.GUICHET_E2E_DB}.drain.db`;
  const server = await startServerProcess(dbFile);
  const { origin } = server;
  try {
    // A private link and a search, which must not reach the log.
    const token = 'a'.repeat(20) + 'b7c2d9e4f5g6h7i2j3k4l5m6n7o2p3q4';
    await fetch(`${origin}/suivi/${token}/?q=Diallo`);

    // A search without result, its body sent in two halves with the stop in between.
    const query = 'horaires de la déchetterie mobile';
    const body = Buffer.from(query);
    const answer = new Promise<{ status: number; text: string }>((resolve, reject) => {
      const post = httpRequest(`${origin}/api/search-miss/?lang=fr`, { method: 'POST', headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': body.length, Origin: origin } }, (res) => {
        let text = '';
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      });
      post.on('error', reject);
      post.write(body.subarray(0, 10));
      setTimeout(() => {
        server.signal('SIGTERM');
        setTimeout(() => post.end(body.subarray(10)), 500);
      }, 200);
    });
    const { status } = await answer;
    expect(status).toBe(204);
    expect(await server.exited).toBe(0);

    const client = createClient({ url: `file:${dbFile}` });
    const rows = (await client.execute({ sql: 'select count(*) as n from search_misses where query = ?', args: [query] })).rows;
    client.close();
    expect(Number(rows[0]!.n)).toBe(1);

    const output = server.output();
    const lines = output.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.find((l) => l.path === '/api/search-miss/')).toMatchObject({ method: 'POST', status: 204 });
    expect(lines.find((l) => String(l.path).startsWith('/suivi/'))?.path).toBe('/suivi/:secret/');
    expect(lines.map((l) => l.msg)).toEqual(expect.arrayContaining(['listening', 'stopping', 'stopped']));
    expect(output).not.toContain('Diallo');
    expect(output).not.toContain(token);
  } finally {
    server.signal('SIGKILL');
    removeDatabase(dbFile);
  }
});

test('form posts from another site are refused, to every action and to the endpoint, whatever their encoding', async ({ request }) => {
  const actions = ['settings', 'feedback.answer', 'feedback.comment', 'request.step', 'request.files', 'request.submit', 'request.reply', 'request.resend', 'agent.signIn', 'agent.requestReset', 'agent.write', 'survey.answer'];
  for (const action of actions) {
    for (const [encoding, body] of [
      ['form', { form: { email: 'forged@example.org', message: 'Message forgé' } }],
      ['multipart', { multipart: { email: 'forged@example.org', message: 'Message forgé' } }],
    ] as const) {
      const response = await request.post(`/demande/?_action=${action}`, { headers: { Origin: 'https://evil.example' }, maxRedirects: 0, ...body });
      expect(response.status(), `${action} (${encoding})`).toBe(403);
    }
  }
  const endpoint = await request.post('/api/search-miss/', { headers: { Origin: 'https://evil.example', 'Content-Type': 'text/plain' }, data: 'requête forgée' });
  expect(endpoint.status()).toBe(403);
  // Nothing of them was kept.
  expect(await countRows('messages', 'body = ?', ['Message forgé'])).toBe(0);
  expect(await countRows('search_misses', 'query = ?', ['requête forgée'])).toBe(0);
});

test('behind an https address the server asks browsers to keep to https (HSTS)', async () => {
  const dbFile = `${process.env.GUICHET_E2E_DB}.hsts.db`;
  const server = await startServerProcess(dbFile, { PUBLIC_ORIGIN: 'https://aide.example.fr' });
  try {
    const response = await fetch(`${server.origin}/`);
    expect(response.headers.get('strict-transport-security')).toBe('max-age=63072000; includeSubDomains');
    expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  } finally {
    server.signal('SIGTERM');
    await server.exited;
    removeDatabase(dbFile);
  }
});

test('a server that cannot listen (its port taken) says why and stops, instead of restarting forever', async () => {
  test.setTimeout(60_000);
  const dbFile = `${process.env.GUICHET_E2E_DB}.taken.db`;
  const holder = createNetServer();
  const port = await freePort();
  await new Promise<void>((listening) => holder.listen(port, '127.0.0.1', listening));
  const child = spawn(process.execPath, [...serverNodeFlags(), 'scripts/serve.mjs'], {
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), DATABASE_URL: `file:${dbFile}`, GUICHET_DEMO: '0', GUICHET_WORKERS: '1', SMTP_URL: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  try {
    const code = await new Promise<number | null>((exited) => child.on('exit', exited));
    expect(code).toBe(1);
    expect(output).toContain('EADDRINUSE');
    // Three tries, waiting longer after each (1 s, then 2 s), then a message for the operator.
    expect(output.match(/"msg":"worker died: starting another"/g)).toHaveLength(3);
    expect(output).toContain('the server could not start');
  } finally {
    child.kill('SIGKILL');
    holder.close();
    removeDatabase(dbFile);
  }
});

test('a stop asked for while the workers are still starting is a clean stop', async () => {
  test.setTimeout(90_000);
  // At the supervisor's first line (the workers just forked), then while they load and warm up.
  for (const delay of [0, 400, 900]) {
    const dbFile = `${process.env.GUICHET_E2E_DB}.early-stop-${delay}.db`;
    const child = spawn(process.execPath, [...serverNodeFlags(), 'scripts/serve.mjs'], {
      env: { ...process.env, HOST: '127.0.0.1', PORT: String(await freePort()), DATABASE_URL: `file:${dbFile}`, GUICHET_DEMO: '0', GUICHET_WORKERS: '2', SMTP_URL: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const started = new Promise<void>((resolve) =>
      child.stdout.on('data', (chunk) => {
        output += chunk;
        if (output.includes('"msg":"supervisor started"')) resolve();
      }),
    );
    child.stderr.on('data', (chunk) => (output += chunk));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    try {
      await started;
      await new Promise((resolve) => setTimeout(resolve, delay));
      child.kill('SIGTERM');
      expect(await exited, `stopped ${delay} ms after the start:\n${output}`).toBe(0);
      expect(output).toContain('"msg":"supervisor stopped"');
      expect(output).not.toContain('still running after');
    } finally {
      child.kill('SIGKILL');
      removeDatabase(dbFile);
    }
  }
});
