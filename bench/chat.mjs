// Live chat's transport on the built server (one worker): the hub's read of new events at
// `events` chat events (the query every process runs a few times a second while it streams);
// `streams` residents' event streams held open at once (the worker's extra memory, and /health
// answered meanwhile while messages flow: the event loop's delay seen from outside); and the
// delivery of a message written by another process on the same file (this one, through
// @libsql/client, as the workspace of another server would; the database adds its event) to its
// open stream; and within one process: a resident's message posted to the worker (the chat
// page's form, as a browser without JavaScript posts it) reaching the chat's open stream.
import { createClient } from '@libsql/client';
import { createHash, randomInt } from 'node:crypto';
import { rmSync } from 'node:fs';
import { get as httpGet } from 'node:http';
import { join } from 'node:path';
import { projectRoot } from '../scripts/project-copy.mjs';
import { fillDatabase } from './dataset.mjs';
import { buildCopy, freePort, memoryOf, percentile, startServer } from './lib.mjs';
import { migrate } from './requests.mjs';

export const CHAT_BUDGETS = { pollP99Ms: 5, withinP99Ms: 300, acrossP99Ms: 2000, streamsExtraBytes: 150 * 1024 * 1024, healthP99Ms: 50 };
const MB = 1024 * 1024;
const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';
const newToken = () => Array.from({ length: 52 }, () => BASE32[randomInt(32)]).join('');
const pause = (ms) => new Promise((done) => setTimeout(done, ms));
const p50p99 = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), n: sorted.length };
};

/** The hub's statement (chatEventsSince), as Drizzle writes it. */
const POLL = 'select "id", "request_id", "kind", "message_id", "at" from "chat_events" where "chat_events"."id" > ? order by "chat_events"."id" asc limit ?';

/** Opens a resident's event stream at `path`; calls `onEvent(id, data)` for each event with data. */
function openStream(origin, path, onEvent) {
  return new Promise((resolve, reject) => {
    const request = httpGet(`${origin}${path}`, { agent: false }, (response) => {
      if (response.statusCode !== 200) return reject(new Error(`stream answered ${response.statusCode}`));
      response.setEncoding('utf8');
      let buffer = '';
      response.on('data', (chunk) => {
        buffer += chunk;
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const id = /^id: (\d+)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (id && data) onEvent(Number(id), JSON.parse(data));
        }
      });
      response.on('error', () => {});
      resolve(() => request.destroy());
    });
    request.on('error', reject);
  });
}

async function timedHealth(origin) {
  const start = performance.now();
  await new Promise((resolve, reject) => httpGet(`${origin}/health`, { agent: false }, (r) => r.resume().on('end', resolve)).on('error', reject));
  return performance.now() - start;
}

export async function runChat({ quick, keep = false, log }) {
  const streams = quick ? 200 : 2000;
  const events = quick ? 10_000 : 100_000;
  const messages = quick ? 20 : 200;
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const dir = join(projectRoot, 'bench/.work/chat');
  buildCopy(dir, { PUBLIC_ORIGIN: origin });
  const dbFile = join(dir, 'chat.db');
  migrate(dir, dbFile);
  const client = createClient({ url: `file:${dbFile}`, timeout: 5000 });
  const figures = { streams, events, messages };
  let app;
  const closers = [];
  try {
    await fillDatabase(client, { requests: streams, messagesPerRequest: 1 });
    const ids = (await client.execute(`select id from requests order by id limit ${streams}`)).rows.map((r) => Number(r.id));
    const tokens = new Map();
    const now = Date.now();
    const tx = await client.transaction('write');
    // Chats in progress: their requests open (the generated ones span two years, some closed
    // long ago, whose links have expired).
    await tx.execute(`update requests set status = 'open', closed_at = null where id in (${ids.join(',')})`);
    for (const id of ids) {
      const token = newToken();
      tokens.set(id, token);
      await tx.execute({ sql: 'insert into request_access_tokens (request_id, token_hash, created_at) values (?, ?, ?)', args: [id, createHash('sha256').update(token).digest('hex'), now] });
      await tx.execute({ sql: "insert into chats (request_id, state, agent_id, started_at, accepted_at) values (?, 'active', null, ?, ?)", args: [id, now, now] });
    }
    // The events so far: state changes spread over the chats (what the hub reads past).
    await tx.execute({ sql: `with recursive n(i) as (select 0 union all select i + 1 from n where i < ? - 1) insert into chat_events (request_id, kind, message_id, at) select ? + (i % ?), 'state', null, ? from n`, args: [events, ids[0], streams, now] });
    await tx.commit();

    // The hub's read: the few events written since its last read (here three), at `events` events.
    const reads = [];
    for (let i = 0; i < (quick ? 200 : 2000); i += 1) {
      const last = Number((await client.execute('select max(id) as id from chat_events')).rows[0].id);
      const start = performance.now();
      await client.execute({ sql: POLL, args: [last - 3, 500] });
      reads.push(performance.now() - start);
    }
    figures.poll = p50p99(reads);
    log(`  the hub's read at ${events.toLocaleString('en')} events: p50 ${figures.poll.p50.toFixed(2)} ms, p99 ${figures.poll.p99.toFixed(2)} ms`);

    app = await startServer(dir, dbFile, { port, env: { PUBLIC_ORIGIN: origin, GUICHET_WORKERS: '1' }, readyPath: '/health' });
    await timedHealth(origin);
    await pause(1000);
    const before = memoryOf(app.child.pid).rss;
    // When each event reached its stream, and who waits for one.
    const arrived = new Map();
    const waiting = new Map();
    // Messages posted to the worker are waited for by their text.
    const byText = new Map();
    const received = (eventId, data) => {
      arrived.set(eventId, performance.now());
      waiting.get(eventId)?.();
      if (typeof data?.body === 'string') byText.get(data.body)?.(performance.now());
    };
    // Each stream replays its chat's events first (`?apres=` the last one: none), then listens.
    const last = Number((await client.execute('select max(id) as id from chat_events')).rows[0].id);
    for (let i = 0; i < ids.length; i += 50) {
      closers.push(...(await Promise.all(ids.slice(i, i + 50).map((id) => openStream(origin, `/suivi/${tokens.get(id)}/evenements/?apres=${last}`, received)))));
    }
    await pause(2000);
    figures.extraBytes = memoryOf(app.child.pid).rss - before;
    log(`  ${streams} open streams: ${(figures.extraBytes / MB).toFixed(0)} MB more resident memory in the worker`);

    // Messages written by this process (another process on the same file), one every 50 ms to
    // a random open chat, while /health is asked every 20 ms.
    const latencies = [];
    const health = [];
    let flowing = true;
    const asking = (async () => {
      while (flowing) {
        health.push(await timedHealth(origin));
        await pause(20);
      }
    })();
    for (let i = 0; i < messages; i += 1) {
      const requestId = ids[randomInt(ids.length)];
      const write = await client.transaction('write');
      const sent = performance.now();
      const message = await write.execute({ sql: "insert into messages (request_id, author, author_name, public_name, channel, internal, body, created_at) values (?, 'agent', 'Claire', 'Claire', 'web', 0, ?, ?) returning id", args: [requestId, `Message ${i}`, Date.now()] });
      // Its event is the database's (the trigger chat_events_message_ai), in the same transaction.
      const event = await write.execute({ sql: 'select id from chat_events where message_id = ?', args: [message.rows[0].id] });
      await write.commit();
      const eventId = Number(event.rows[0].id);
      if (!arrived.has(eventId)) {
        const reached = new Promise((resolve) => waiting.set(eventId, () => resolve(true)));
        if (!(await Promise.race([reached, pause(10_000).then(() => false)]))) throw new Error(`chat: event ${eventId} never reached its stream in 10 s`);
        waiting.delete(eventId);
      }
      latencies.push(arrived.get(eventId) - sent);
      // A pause out of step with the hub's reads (every 250 ms): a fixed one would always write
      // at the same point of their cycle, and time that point only.
      await pause(50 + randomInt(250));
    }
    // Within the process: a resident's message posted to the worker, until it reaches the stream.
    const within = [];
    for (let i = 0; i < messages; i += 1) {
      const requestId = ids[randomInt(ids.length)];
      const body = `Réponse ${i} ${newToken().slice(0, 8)}`;
      const reached = new Promise((resolve) => byText.set(body, resolve));
      const sent = performance.now();
      const response = await fetch(`${origin}/suivi/${tokens.get(requestId)}/discussion/?_action=chat.send`, {
        method: 'POST',
        headers: { Origin: origin, 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token: tokens.get(requestId), message: body }),
        redirect: 'manual',
      });
      if (response.status !== 303) throw new Error(`chat: posting a message answered ${response.status}`);
      const at = await Promise.race([reached, pause(10_000).then(() => undefined)]);
      if (at === undefined) throw new Error(`chat: a posted message never reached its stream in 10 s`);
      byText.delete(body);
      within.push(at - sent);
      await pause(50);
    }
    flowing = false;
    await asking;
    figures.within = p50p99(within);
    log(`  delivery within the process (posted, then streamed): p50 ${figures.within.p50.toFixed(0)} ms, p99 ${figures.within.p99.toFixed(0)} ms`);
    figures.across = p50p99(latencies);
    figures.health = p50p99(health);
    log(`  delivery across processes: p50 ${figures.across.p50.toFixed(0)} ms, p99 ${figures.across.p99.toFixed(0)} ms; /health meanwhile p99 ${figures.health.p99.toFixed(1)} ms`);
  } finally {
    for (const close of closers) close();
    if (app) await app.stop();
    client.close();
    if (!keep) rmSync(dir, { recursive: true, force: true });
  }
  const rows = [
    { what: `Chat: the hub's read of new events at ${events.toLocaleString('en')} chat events, p50 / p99 of ${figures.poll.n} (@libsql/client, the hub's statement)`, ours: `${figures.poll.p50.toFixed(2)} ms / ${figures.poll.p99.toFixed(2)} ms`, reference: '—', budget: `p99 ≤ ${CHAT_BUDGETS.pollP99Ms} ms`, pass: figures.poll.p99 <= CHAT_BUDGETS.pollP99Ms },
    { what: `Chat: a resident's message posted to the worker, to its chat's open stream, p50 / p99 of ${figures.within.n}`, ours: `${figures.within.p50.toFixed(0)} ms / ${figures.within.p99.toFixed(0)} ms`, reference: '—', budget: `p99 ≤ ${CHAT_BUDGETS.withinP99Ms} ms`, pass: figures.within.p99 <= CHAT_BUDGETS.withinP99Ms },
    { what: `Chat: a message written by another process on the same file, to its open stream, p50 / p99 of ${figures.across.n}`, ours: `${figures.across.p50.toFixed(0)} ms / ${figures.across.p99.toFixed(0)} ms`, reference: '—', budget: `p99 ≤ ${CHAT_BUDGETS.acrossP99Ms} ms`, pass: figures.across.p99 <= CHAT_BUDGETS.acrossP99Ms },
    { what: `Chat: ${streams.toLocaleString('en')} residents' streams open on one worker, its extra resident memory`, ours: `${(figures.extraBytes / MB).toFixed(0)} MB`, reference: '—', budget: `≤ ${CHAT_BUDGETS.streamsExtraBytes / MB} MB`, pass: figures.extraBytes <= CHAT_BUDGETS.streamsExtraBytes },
    { what: `Chat: /health answered meanwhile, with messages flowing (the event loop's delay seen from outside), p50 / p99 of ${figures.health.n}`, ours: `${figures.health.p50.toFixed(1)} ms / ${figures.health.p99.toFixed(1)} ms`, reference: '—', budget: `p99 ≤ ${CHAT_BUDGETS.healthP99Ms} ms`, pass: figures.health.p99 <= CHAT_BUDGETS.healthP99Ms },
  ];
  return { rows, figures };
}
