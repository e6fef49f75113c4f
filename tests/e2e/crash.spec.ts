// Crash safety: residents file requests (some with a file) and reply to them from several
// clients while the server is killed (SIGKILL) at random moments and started again. Whatever
// the server confirmed is stored whole — the request, its file, its acknowledgement mail, the
// reply — nothing is half-written, and the server starts cleanly every time.
import { createClient } from '@libsql/client';
import { expect, test } from '@playwright/test';
import { answeredAgain } from '../../scripts/answered-again.mjs';
import { freePort, removeDatabase, type ServerProcess, startServerProcess } from './server-process';

const PNG = Buffer.alloc(8 * 1024);
PNG.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const CLIENTS = 4;
/** CRASH_KILLS=20 for the long run (not in every CI run). */
const KILLS = Number(process.env.CRASH_KILLS) || 4;

interface Confirmed {
  email: string;
  withFile: boolean;
}

/**
 * Residents file and reply from several clients while `disrupt` runs; then every request and
 * reply the server confirmed is checked in the database.
 */
async function underLoad(name: string, env: Record<string, string>, disrupt: (server: ServerProcess) => Promise<ServerProcess>, clients = CLIENTS) {
  const dbFile = `${process.env.GUICHET_E2E_DB}.${name}.db`;
  removeDatabase(dbFile);
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  env = { PUBLIC_ORIGIN: origin, ...env };
  let server: ServerProcess = await startServerProcess(dbFile, env, port);
  const filed: Confirmed[] = [];
  const replies: string[] = [];
  let attempts = 0;
  let running = true;

  /** One post as a browser without JavaScript sends it; resolves with the answer or undefined if the server was gone. */
  async function post(path: string, body: BodyInit, headers: Record<string, string>) {
    try {
      const response = await fetch(`${origin}${path}`, { method: 'POST', body, headers: { Origin: origin, ...headers }, redirect: 'manual', signal: AbortSignal.timeout(15_000) });
      await response.arrayBuffer();
      return response;
    } catch {
      // The server is down (killed, not yet restarted): try again shortly.
      await new Promise((resolve) => setTimeout(resolve, 20));
      return undefined;
    }
  }

  async function resident(client: number) {
    for (let n = 0; running; n += 1) {
      attempts += 1;
      const email = `crash-${client}-${n}@example.org`;
      const withFile = n % 2 === 0;
      let cookie = '';
      const send = async (path: string, fields: Record<string, string>, file = false) => {
        let body: BodyInit = new URLSearchParams(fields);
        if (file) {
          const form = new FormData();
          for (const [name, value] of Object.entries(fields)) form.append(name, value);
          form.append('files', new Blob([PNG], { type: 'image/png' }), 'capture.png');
          body = form;
        }
        const response = await post(path, body, cookie ? { Cookie: cookie } : {});
        const set = response?.headers.getSetCookie().find((c) => c.startsWith('guichet_demande='));
        if (set) cookie = set.split(';')[0]!;
        return response;
      };
      const steps: [string, Record<string, string>, boolean?][] = [
        ['/demande/demarche/?_action=request.step', { step: 'procedure', procedure: 'Payer la cantine', category: 'payment', stage: 'Paiement' }],
        ['/demande/probleme/?_action=request.step', { step: 'problem', description: `Panne ${client}-${n} : le paiement est refusé.` }],
        ['/demande/pieces-jointes/?_action=request.files', { intent: 'continue' }, withFile],
        ['/demande/qui/?_action=request.step', { step: 'who', who: 'resident' }],
        ['/demande/identite/?_action=request.step', { step: 'about', name: 'Martine Lefèvre' }],
        ['/demande/reponse/?_action=request.step', { step: 'answer', channel: 'email', email }],
      ];
      let ok = true;
      for (const [path, fields, file] of steps) {
        const response = await send(path, fields, file);
        if (response?.status !== 303) {
          ok = false;
          break;
        }
      }
      if (!ok) continue;
      const sent = await send('/demande/verification/?_action=request.submit', { consent: 'yes' });
      if (sent?.status !== 303 || !sent.headers.get('location')?.includes('/confirmation/')) continue;
      filed.push({ email, withFile });
      // The confirmation shows the private link; the resident replies through it.
      const page = await fetch(`${origin}/demande/confirmation/`, { headers: { Cookie: cookie }, signal: AbortSignal.timeout(15_000) })
        .then((r) => r.text())
        .catch(() => '');
      const token = /\/suivi\/([a-z2-7]{52})\//.exec(page)?.[1];
      if (!token) continue;
      const message = `Précision ${client}-${n}`;
      const form = new FormData();
      form.append('token', token);
      form.append('message', message);
      const reply = await post(`/suivi/${token}/?_action=request.reply`, form, {});
      if (reply?.status === 303 && reply.headers.get('location')?.includes('envoye=1')) replies.push(message);
    }
  }

  // All clients come from 127.0.0.1 (this build trusts no proxy), whose hourly limits would stop
  // the stream after 20 requests: the test empties the counters as it goes.
  const counters = createClient({ url: `file:${dbFile}`, timeout: 5000 });
  const resetLimits = setInterval(() => void counters.execute('delete from rate_limit_hits').catch(() => {}), 100);
  const residents = Array.from({ length: clients }, (_, client) => resident(client));
  try {
    server = await disrupt(server);
    await new Promise((resolve) => setTimeout(resolve, 500));
  } finally {
    running = false;
    await Promise.all(residents);
    clearInterval(resetLimits);
    counters.close();
    server.signal('SIGTERM');
    await server.exited;
  }

  console.log(`${name}: ${attempts} filings attempted, ${filed.length} confirmed, ${replies.length} replies confirmed`);
  expect(filed.length, `${attempts} filings attempted`).toBeGreaterThan(10);
  expect(replies.length).toBeGreaterThan(5);
  const db = createClient({ url: `file:${dbFile}`, timeout: 5000 });
  try {
    const one = async (sql: string, args: (string | number)[] = []) => Number((await db.execute({ sql, args })).rows[0]![0]);
    expect((await db.execute('PRAGMA integrity_check')).rows[0]![0]).toBe('ok');
    for (const { email, withFile } of filed) {
      const id = await one('select r.id from requests r join requesters p on p.id = r.requester_id where p.email = ?', [email]);
      expect(id, email).toBeGreaterThan(0);
      expect(await one("select count(*) from attachments where request_id = ? and size = ? and length(data) = size", [id, PNG.length]), email).toBe(withFile ? 1 : 0);
      expect(await one("select count(*) from mail_outbox where request_id = ? and kind = 'acknowledgement'", [id]), email).toBe(1);
    }
    for (const message of replies) expect(await one('select count(*) from messages where body = ?', [message]), message).toBe(1);
    // Nothing half-written: every request has its requester, history, private link and mail;
    // no file belongs to neither a draft nor a request.
    expect(await one('select count(*) from requests r where not exists (select 1 from requesters p where p.id = r.requester_id)')).toBe(0);
    expect(await one('select count(*) from requests r where not exists (select 1 from status_history h where h.request_id = r.id)')).toBe(0);
    expect(await one("select count(*) from requests r where not exists (select 1 from mail_outbox m where m.request_id = r.id and m.kind = 'acknowledgement')")).toBe(0);
    expect(await one('select count(*) from attachments where request_id is null and draft_id is null')).toBe(0);
  } finally {
    db.close();
    removeDatabase(dbFile);
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// These two load the machine most: one after the other, not side by side.
test.describe.configure({ mode: 'default' });

test('requests and replies the server confirmed survive SIGKILL, whole, across restarts', async () => {
  test.setTimeout(60_000 + KILLS * 15_000);
  await underLoad('crash', {}, async (first) => {
    let server = first;
    for (let kill = 0; kill < KILLS; kill += 1) {
      await pause(400 + Math.random() * 1200);
      server.signal('SIGKILL');
      expect(await server.exited).toBeNull(); // killed by the signal, not exited
      server = await startServerProcess(server.dbFile, server.env, server.port);
      expect(server.output(), `start ${kill + 2}`).not.toMatch(/"level":"error"|Error/);
    }
    return server;
  });
});

test('a worker killed under load is replaced at once, the other keeps answering, and nothing confirmed is lost', async () => {
  test.setTimeout(120_000);
  // Two residents filing and replying: the load is there, without starving the one worker left
  // on a small machine.
  await underLoad('worker-kill', { GUICHET_WORKERS: '2' }, async (server) => {
    const killed = new Set<number>();
    const workers = () => [...server.output().matchAll(/"pid":(\d+),"msg":"listening"/g)].map((m) => Number(m[1])).filter((pid) => !killed.has(pid));
    await expect.poll(() => workers().length, { timeout: 10_000 }).toBe(2);
    for (let kill = 0; kill < 3; kill += 1) {
      await pause(500 + Math.random() * 1000);
      // The older and the newer worker in turn.
      const victim = workers()[kill % 2]!;
      killed.add(victim);
      const killedAt = performance.now();
      process.kill(victim, 'SIGKILL');
      // The service answers again within 2 s (here at once: the other worker is there)…
      const answered = await answeredAgain(`${server.origin}/health`, 2_000);
      expect(answered - killedAt, 'time to the next answer').toBeLessThan(2_000);
      console.log(`worker ${victim} killed: the service answered again after ${Math.round(answered - killedAt)} ms`);
      // …and a new worker takes the dead one's place.
      await expect.poll(() => workers().length, { timeout: 15_000 }).toBe(2);
      // A moment before the next kill.
      await pause(500);
      expect(server.output()).toContain('"msg":"worker died: starting another"');
    }
    return server;
  }, 2);
});
