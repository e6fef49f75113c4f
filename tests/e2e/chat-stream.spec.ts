// A chat's event stream (Server-Sent Events) on the built server, read as a browser's
// EventSource reads it: messages written by another process on the same database reach it, and
// a page that reconnects after a killed worker or a restarted server gets, from its
// Last-Event-ID, every message written meanwhile, exactly once and in order.
import { expect, test } from '@playwright/test';
import { chatWriter } from './chat-writer-client';
import { removeDatabase, type ServerProcess, startServerProcess } from './server-process';

test.describe.configure({ mode: 'serial' });

interface StreamEvent {
  id: number;
  event: string;
  data: unknown;
}

/** Reads a response's event stream as EventSource does: `id`, `event`, `data` lines, a blank line ends an event. */
function eventReader(response: Response) {
  const events: StreamEvent[] = [];
  let ended = false;
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let lastId = 0;
  void (async () => {
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const fields = new Map<string, string>();
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) continue;
            const colon = line.indexOf(':');
            fields.set(line.slice(0, colon), line.slice(colon + 1).trimStart());
          }
          if (fields.has('id')) lastId = Number(fields.get('id'));
          if (fields.has('data')) events.push({ id: lastId, event: fields.get('event') ?? 'message', data: JSON.parse(fields.get('data')!) });
        }
      }
    } catch {
      // Cut by the server going away.
    }
    ended = true;
  })();
  return { events, ended: () => ended, lastId: () => lastId, cancel: () => reader.cancel().catch(() => undefined) };
}

const messagesOf = (events: StreamEvent[]) => events.filter((e) => e.event === 'message').map((e) => (e.data as { body: string }).body);

test('messages written by another process reach the stream; internal notes never do', async () => {
  const dbFile = `${process.env.GUICHET_E2E_DB}.chat-stream.db`;
  removeDatabase(dbFile);
  const server = await startServerProcess(dbFile, { GUICHET_WORKERS: '2' });
  const db = chatWriter(dbFile);
  try {
    const request = await db.request();
    // Not a chat yet: no stream; an unknown link neither.
    expect((await fetch(`${server.origin}/suivi/${request.token}/evenements/`)).status).toBe(404);
    expect((await fetch(`${server.origin}/suivi/${'x'.repeat(43)}/evenements/`)).status).toBe(404);
    await db.chat(request.id, 'waiting');

    const response = await fetch(`${server.origin}/suivi/${request.token}/evenements/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-cache, no-transform');
    expect(response.headers.get('x-accel-buffering')).toBe('no');
    const stream = eventReader(response);
    await expect.poll(() => stream.events.map((e) => e.event)).toEqual(['state']);
    expect(stream.events[0]!.data).toEqual({ state: 'waiting', text: expect.stringContaining('n° 1 dans la file'), longWait: false });

    // This test's process is another process on the same file: its writes reach the server's stream.
    await db.agent(request.id, 'Note interne : vérifier le compte.', true);
    await db.agent(request.id, 'Bonjour, je regarde votre compte.');
    await db.reply(request.id, 'Merci beaucoup.');
    await expect.poll(() => messagesOf(stream.events), { timeout: 10_000 }).toEqual(['Bonjour, je regarde votre compte.', 'Merci beaucoup.']);
    expect(stream.events.find((e) => e.event === 'message')!.data).toMatchObject({ mine: false, who: 'Claire, service d’aide', time: expect.stringMatching(/^\d{1,2} h( \d\d)?$/), at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
    await stream.cancel();
    // A Last-Event-ID that is not an event's number counts as none: the whole chat, not an error.
    for (const forged of ['-1', 'abc; drop table chat_events', '9'.repeat(40)]) {
      const again = eventReader(await fetch(`${server.origin}/suivi/${request.token}/evenements/`, { headers: { 'Last-Event-ID': forged } }));
      await expect.poll(() => messagesOf(again.events).length, { message: forged }).toBe(2);
      await again.cancel();
    }
  } finally {
    db.close();
    server.signal('SIGTERM');
    await server.exited;
    removeDatabase(dbFile);
  }
});

test('a killed worker and a restarted server lose no message: the page reconnects from its Last-Event-ID', async () => {
  test.setTimeout(90_000);
  const dbFile = `${process.env.GUICHET_E2E_DB}.chat-resume.db`;
  removeDatabase(dbFile);
  let server: ServerProcess = await startServerProcess(dbFile, { GUICHET_WORKERS: '1' });
  const db = chatWriter(dbFile);
  const request = await db.request();
  const write = (body: string) => db.agent(request.id, body);
  try {
    await db.chat(request.id, 'active');
    const connect = (lastEventId?: number) => fetch(`${server.origin}/suivi/${request.token}/evenements/`, { headers: lastEventId ? { 'Last-Event-ID': String(lastEventId) } : {} });
    const heard: string[] = [];

    let stream = eventReader(await connect());
    await write('Premier message.');
    await expect.poll(() => messagesOf(stream.events), { timeout: 10_000 }).toEqual(['Premier message.']);
    heard.push(...messagesOf(stream.events));

    // The worker is killed mid-chat; a message is written while it is gone.
    const workers = () => [...server.output().matchAll(/"pid":(\d+),"msg":"listening"/g)].map((m) => Number(m[1]));
    const killed = workers().at(-1)!;
    process.kill(killed, 'SIGKILL');
    await expect.poll(stream.ended, { timeout: 10_000 }).toBe(true);
    await write('Écrit pendant la panne.');
    await expect.poll(() => workers().length, { timeout: 30_000 }).toBe(2); // the supervisor started another
    stream = eventReader(await connect(stream.lastId()));
    await write('Après la reprise.');
    await expect.poll(() => messagesOf(stream.events), { timeout: 10_000 }).toEqual(['Écrit pendant la panne.', 'Après la reprise.']);
    heard.push(...messagesOf(stream.events));

    // The whole server stops (its streams end at once, the stop is not held) and starts again.
    // (Held by a stream, the stop would end after the drain delay with exit status 1.)
    server.signal('SIGTERM');
    expect(await server.exited).toBe(0);
    await expect.poll(stream.ended).toBe(true);
    await write('Pendant le redémarrage.');
    server = await startServerProcess(dbFile, { GUICHET_WORKERS: '1' });
    stream = eventReader(await connect(stream.lastId()));
    await expect.poll(() => messagesOf(stream.events), { timeout: 10_000 }).toEqual(['Pendant le redémarrage.']);
    heard.push(...messagesOf(stream.events));
    expect(heard).toEqual(['Premier message.', 'Écrit pendant la panne.', 'Après la reprise.', 'Pendant le redémarrage.']);
    await stream.cancel();
  } finally {
    db.close();
    server.signal('SIGTERM');
    await server.exited;
    removeDatabase(dbFile);
  }
});
