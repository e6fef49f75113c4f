// Requests and the agents' workspace beside the bare database. One build of the server (in
// bench/.work/requests, with PUBLIC_ORIGIN set so that it trusts X-Forwarded-For: each simulated
// resident has its own address, as behind a reverse proxy, and the per-client rate limits apply
// to each as in production) is measured twice:
//
// 1. Filing: residents file requests through the seven form posts of the guided form, as a
//    browser without JavaScript posts them (draft cookie carried, with or without a 20 KB
//    screenshot), from concurrent clients (autocannon, in this process: not the server's);
//    in turn, the same rows are written through @libsql/client alone into another database.
// 2. The workspace at 100,000 requests: the main queue, a filtered queue, a full-text search,
//    opening a request and the 30-day report, one request at a time (latency) and from
//    concurrent clients (throughput); in turn, the same SQL through @libsql/client alone.
//
// The server's resident memory is sampled throughout; its peak is reported.
import { spawnSync } from 'node:child_process';
import { randomBytes, createHash } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { createClient } from '@libsql/client';
import autocannon from 'autocannon';
import { projectRoot } from '../scripts/project-copy.mjs';
import { BENCH_PASSWORD, CATEGORIES, fillDatabase } from './dataset.mjs';
import { buildCopy, freePort, median, memoryOf, percentile, signInAgent, startServer, timedGet } from './lib.mjs';

export const BUDGETS = { filingShareOfBare: 0.5, workspaceP99Ms: 50, reportP99Ms: 500, serverMemoryBytes: 200 * 1024 * 1024 };
const MB = 1024 * 1024;

export const migrate = (dir, dbFile) => {
  const run = spawnSync(process.execPath, [join(projectRoot, 'scripts/migrate.mjs')], { cwd: dir, env: { ...process.env, DATABASE_URL: `file:${dbFile}` }, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`migration failed:\n${run.stderr}`);
};

/** Samples the server's resident memory every 100 ms; `stop()` returns the highest seen. */
function watchMemory(pid) {
  let highest = 0;
  const sample = () => {
    try {
      highest = Math.max(highest, memoryOf(pid).rss);
    } catch {
      // the process has ended
    }
  };
  sample();
  const timer = setInterval(sample, 100);
  return () => {
    clearInterval(timer);
    sample();
    try {
      highest = Math.max(highest, memoryOf(pid).peak);
    } catch {
      // the process has ended
    }
    return highest;
  };
}

/** Runs autocannon and fails on any error, timeout or unexpected status. */
async function load(options, expectStatus) {
  const result = await autocannon({ ...options, timeout: 30 });
  const bad = result.errors + result.timeouts + (expectStatus === 200 ? result.non2xx : result['2xx'] + result['4xx'] + result['5xx']);
  if (bad > 0 || result.requests.total === 0) throw new Error(`the load on ${options.url} went wrong: ${result.errors} errors, ${result.timeouts} timeouts, status counts 2xx ${result['2xx']} 3xx ${result['3xx']} 4xx ${result['4xx']} 5xx ${result['5xx']}`);
  return result;
}

// ---- Filing -------------------------------------------------------------------------------

const PNG = (() => {
  const png = Buffer.alloc(20 * 1024);
  png.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return png;
})();
const BOUNDARY = '----guichetbench';
const MULTIPART = Buffer.concat([
  Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="intent"\r\n\r\ncontinue\r\n--${BOUNDARY}\r\nContent-Disposition: form-data; name="files"; filename="capture.png"\r\nContent-Type: image/png\r\n\r\n`),
  PNG,
  Buffer.from(`\r\n--${BOUNDARY}--\r\n`),
]);
const form = (entries) => new URLSearchParams(entries).toString();
const DESCRIPTION = 'Le paiement est refusé. Le site affiche « transaction refusée » après la saisie de ma carte.';

/** The seven posts of one filing, for autocannon: the draft cookie is carried in its context. */
export function filingSequence(origin, withFile, tally) {
  const urlencoded = { 'content-type': 'application/x-www-form-urlencoded' };
  const steps = [
    ['/demande/demarche/?_action=request.step', urlencoded, form({ step: 'procedure', procedure: 'Payer la cantine', category: 'payment', stage: 'Paiement' })],
    ['/demande/probleme/?_action=request.step', urlencoded, form({ step: 'problem', description: DESCRIPTION })],
    withFile ? ['/demande/pieces-jointes/?_action=request.files', { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` }, MULTIPART] : ['/demande/pieces-jointes/?_action=request.files', urlencoded, form({ intent: 'continue' })],
    ['/demande/qui/?_action=request.step', urlencoded, form({ step: 'who', who: 'resident' })],
    ['/demande/identite/?_action=request.step', urlencoded, form({ step: 'about', name: 'Martine Lefèvre' })],
    ['/demande/reponse/?_action=request.step', urlencoded, form({ step: 'answer', channel: 'email', email: 'martine.lefevre@example.org' })],
    ['/demande/verification/?_action=request.submit', urlencoded, form({ consent: 'yes' })],
  ];
  return steps.map(([path, headers, body], index) => ({
    method: 'POST',
    path,
    body,
    setupRequest: (request, context) => {
      if (index === 0) {
        tally.started += 1;
        const n = tally.started + tally.offset;
        context.address = `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
        context.cookie = '';
      }
      return { ...request, headers: { ...headers, origin, 'x-forwarded-for': context.address, ...(context.cookie ? { cookie: context.cookie } : {}) } };
    },
    onResponse: (status, _body, context, responseHeaders) => {
      const set = responseHeaders['set-cookie'];
      const cookie = (Array.isArray(set) ? set : set ? [set] : []).find((c) => c.startsWith('guichet_demande='));
      if (cookie) context.cookie = cookie.split(';')[0];
      if (status !== 303) tally.refused += 1;
      else if (index === steps.length - 1 && String(responseHeaders.location ?? '').includes('/confirmation/')) tally.filed += 1;
    },
  }));
}

/**
 * What one filing writes, through @libsql/client alone: the rate-limit counter of each post,
 * the draft and its six saved steps, the file, then the request itself in one transaction
 * (requester, request, private link, history, acknowledgement mail, file and draft moved).
 */
async function bareFiling(client, n, withFile) {
  const now = Date.now();
  const address = `bare-${n}`;
  // As the server counts a hit: one statement that checks the last hour and adds one.
  const limit = (name) =>
    client.execute({
      sql: 'insert into rate_limit_hits (bucket, at) select ?, ? where (select count(*) from rate_limit_hits where bucket = ? and at > ?) < 300 returning id',
      args: [`${name}:${address}`, now, `${name}:${address}`, now - 3_600_000],
    });
  const token = createHash('sha256').update(randomBytes(20)).digest('hex');
  await limit('request-step');
  const draft = await client.execute({ sql: 'insert into request_drafts (token_hash, data, created_at, updated_at) values (?, ?, ?, ?) returning id', args: [token, '{}', now, now] });
  const draftId = draft.rows[0].id;
  const data = { procedure: 'Payer la cantine', category: 'payment', stage: 'Paiement', description: DESCRIPTION, who: 'resident', name: 'Martine Lefèvre', channel: 'email', email: 'martine.lefevre@example.org', done: [] };
  const save = (step) => {
    data.done.push(step);
    return client.execute({ sql: 'update request_drafts set data = ?, updated_at = ? where id = ?', args: [JSON.stringify(data), now, draftId] });
  };
  await save('procedure');
  for (const step of ['problem', 'attachments', 'who', 'about', 'answer']) {
    await limit(step === 'attachments' ? 'request-upload' : 'request-step');
    if (step === 'attachments' && withFile) await client.execute({ sql: 'insert into attachments (draft_id, file_name, content_type, size, data, created_at) values (?, ?, ?, ?, ?, ?)', args: [draftId, 'capture.png', 'image/png', PNG.length, PNG, now] });
    await save(step);
  }
  await limit('request-submit');
  const tx = await client.transaction('write');
  try {
    const person = await tx.execute({ sql: "insert into requesters (kind, name, email, created_at) values ('resident', ?, ?, ?) returning id", args: [data.name, data.email, now] });
    const request = await tx.execute({
      sql: "insert into requests (reference, requester_id, requester_kind, status, locale, procedure, category, stage, description, channel, needs, consent_at, created_at, updated_at, due_at, resolution_due_at) values (?, ?, 'resident', 'new', 'fr', ?, ?, ?, ?, 'email', '[]', ?, ?, ?, ?, ?) returning id",
      args: [String(800_000_000 + n), person.rows[0].id, data.procedure, data.category, data.stage, data.description, now, now, now, now + 2 * 86_400_000, now + 10 * 86_400_000],
    });
    const id = request.rows[0].id;
    await tx.execute({ sql: 'insert into request_access_tokens (request_id, token_hash, created_at) values (?, ?, ?)', args: [id, token, now] });
    await tx.execute({ sql: "insert into status_history (request_id, to_status, actor, actor_name, created_at) values (?, 'new', 'requester', ?, ?)", args: [id, data.name, now] });
    await tx.execute({ sql: "insert into mail_outbox (request_id, kind, locale, to_address, subject, text_body, html_body, status, next_attempt_at, created_at) values (?, 'acknowledgement', 'fr', ?, ?, ?, ?, 'pending', ?, ?)", args: [id, data.email, 'Votre demande est bien reçue', 'Bonjour, votre demande est bien reçue. '.repeat(20), '<p>Bonjour, votre demande est bien reçue.</p>'.repeat(20), now, now] });
    await tx.execute({ sql: 'update attachments set request_id = ?, draft_id = null where draft_id = ?', args: [id, draftId] });
    await tx.execute({ sql: 'update request_drafts set request_id = ?, submitted_at = ?, updated_at = ? where id = ?', args: [id, now, now, draftId] });
    await tx.commit();
  } finally {
    tx.close();
  }
}

/** Filings per second through @libsql/client alone, for `seconds`, one after the other. */
async function bareFilingRate(client, seconds, withFile, counter) {
  const started = performance.now();
  let done = 0;
  while (performance.now() - started < seconds * 1000) {
    await bareFiling(client, counter.n++, withFile);
    done += 1;
  }
  return done / ((performance.now() - started) / 1000);
}

// ---- The workspace ------------------------------------------------------------------------

const SEARCHES = ['paiement refusé', 'capture', 'lecteur d’écran', 'Diallo', 'allocataire', 'fichier trop lourd', 'navigateur', 'crèche'];

/** The statements the server runs for each page, written out for @libsql/client alone. */
function bareStatements(sessionId, reference, i) {
  const session = { sql: 'select s.id, s.agent_id, s.expires_at, a.email, a.name, a.role, a.locale, a.active from agent_sessions s join agents a on a.id = s.agent_id where s.id = ?', args: [sessionId] };
  const counts = {
    sql: `select (select count(*) from requests where status in ('new','open')) as todo, (select count(*) from requests where assignee_id = 2 and status in ('new','open','waiting')) as mine,
      (select count(*) from requests where assignee_id is null and status in ('new','open','waiting')) as unassigned, (select count(*) from requests where status = 'new') as new,
      (select count(*) from requests where status = 'waiting') as waiting, (select count(*) from requests where status in ('new','open') and next_due_at < ?) as overdue, (select count(*) from requests) as all_`,
    args: [Date.now()],
  };
  const columns = 'r.id, r.reference, r.status, r.priority, r.category, r.channel, r.procedure, substr(r.description, 1, 160), p.name, r.created_at, r.updated_at, r.next_due_at, r.first_response_at, a.name, r.needs';
  const list = (where, args, order) => [
    { sql: `select count(*) from requests r where ${where}`, args },
    // The page's ids from the requests alone, then their rows (as listQueue does).
    { sql: `select ${columns} from requests r join requesters p on p.id = r.requester_id left join agents a on a.id = r.assignee_id where r.id in (select r.id from requests r where ${where} order by ${order} limit 25) order by ${order}`, args },
  ];
  const category = CATEGORIES[i % CATEGORIES.length];
  const words = SEARCHES[i % SEARCHES.length].match(/[\p{L}\p{N}]+/gu);
  const match = words.map((w, k) => `"${w}"${k === words.length - 1 ? '*' : ''}`).join(' ');
  // The unread marks of a page's rows: the agent's last view and the resident's last message.
  const unread = (where, args, order) => ({
    sql: `select r.id, v.at, (select max(m.created_at) from messages m where m.request_id = r.id and m.author = 'requester') from requests r left join request_views v on v.request_id = r.id and v.agent_id = 2
      where r.id in (select r.id from requests r where ${where} order by ${order} limit 25) and r.status in ('new','open','waiting')`,
    args,
  });
  const filteredWhere = ["r.category = ? and r.priority = 'high' and r.created_at >= ? and r.created_at < ?", [category, Date.parse('2025-06-01'), Date.parse('2027-01-01')], 'r.updated_at desc, r.id desc'];
  return {
    queue: [session, counts, ...list("r.status in ('new','open')", [], 'r.next_due_at, r.id'), unread("r.status in ('new','open')", [], 'r.next_due_at, r.id')],
    filtered: [session, counts, ...list(...filteredWhere), unread(...filteredWhere)],
    search: [session, counts, { sql: 'select json_group_array(request_id) as hits from (select request_id from request_search where request_search match ? order by rowid desc limit 2000)', args: [match], ids: true }],
    open: [
      session,
      { sql: 'select r.*, p.* from requests r join requesters p on p.id = r.requester_id where r.reference = ?', args: [reference] },
      { sql: 'select m.* from messages m where m.request_id = (select id from requests where reference = ?) order by m.id', args: [reference] },
      { sql: 'select * from status_history where request_id = (select id from requests where reference = ?) order by id', args: [reference] },
      { sql: 'select id, file_name, content_type, size from attachments where request_id = (select id from requests where reference = ?)', args: [reference] },
      { sql: 'select reference from requests where merged_into_id = (select id from requests where reference = ?)', args: [reference] },
      { sql: 'insert into request_views (request_id, agent_id, at) values ((select id from requests where reference = ?), 2, ?) on conflict (request_id, agent_id) do update set at = excluded.at', args: [reference, Date.now()] },
      { sql: 'select a.name, v.at from request_views v join agents a on a.id = v.agent_id where v.request_id = (select id from requests where reference = ?) and v.agent_id <> 2 and v.at > ?', args: [reference, Date.now() - 120_000] },
      { sql: 'select at, actor_name, action, details from audit_log where request_id = (select id from requests where reference = ?) order by id desc limit 20', args: [reference] },
      { sql: 'select id, name from agents where active = 1 order by name' },
      { sql: 'select id, title, body, locale, updated_at from saved_replies order by locale, title' },
      // The requester's other requests (same email or phone).
      {
        sql: `select r.reference, r.status, r.procedure, r.category, r.created_at, r.merged_into_id is not null from requests r join requesters p on p.id = r.requester_id
          where r.id <> (select id from requests where reference = ?) and (p.email = (select p2.email from requests r2 join requesters p2 on p2.id = r2.requester_id where r2.reference = ?)
          or p.phone = (select p2.phone from requests r2 join requesters p2 on p2.id = r2.requester_id where r2.reference = ?)) order by r.id desc limit 10`,
        args: [reference, reference, reference],
      },
    ],
  };
}

/** Runs one page's statements through the bare client (a search's ids feed its list query). */
async function bareRun(client, statements) {
  for (const statement of statements) {
    const result = await client.execute(statement);
    if (statement.ids) {
      const ids = [...new Set(JSON.parse(String(result.rows[0]?.hits ?? '[]')))];
      if (ids.length === 0) continue;
      // As listQueue: the ids as one JSON parameter, the count, then the page.
      const where = 'r.id in (select value from json_each(?))';
      const args = [JSON.stringify(ids)];
      await client.execute({ sql: `select count(*) from requests r where ${where}`, args });
      await client.execute({ sql: `select r.id, r.reference, r.status, p.name, a.name from requests r join requesters p on p.id = r.requester_id left join agents a on a.id = r.assignee_id where ${where} order by r.updated_at desc, r.id desc limit 25`, args });
    }
  }
}

const latencies = (times) => {
  const sorted = [...times].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
};

/**
 * Runs the filing part, the workspace part or both on one build of the server. Returns the
 * suite's rows and the raw figures. `requests` is the size of the workspace's database;
 * `seconds` the length of each load.
 */
export async function runRequests({ filing = true, workspace = true, requests: size, runs, seconds, connections, latencyRuns, keep = false, log }) {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const dir = join(projectRoot, 'bench/.work/requests');
  buildCopy(dir, { PUBLIC_ORIGIN: origin });
  const context = { dir, port, origin, env: { PUBLIC_ORIGIN: origin }, runs, seconds, connections, latencyRuns, log };
  const figures = { size, connections, memory: {} };
  if (filing) Object.assign(figures, await measureFiling(context, figures.memory));
  if (workspace) Object.assign(figures, await measureWorkspace(context, size, figures.memory));
  if (!keep) rmSync(dir, { recursive: true, force: true });
  return { rows: requestRows(figures), figures };
}

/** Filing, on an empty database; the reference writes to its own file. */
async function measureFiling({ dir, port, origin, env, runs, seconds, connections, log }, memory) {
  const figures = {};
  const filingDb = join(dir, 'filing.db');
  const bareDb = join(dir, 'bare.db');
  migrate(dir, filingDb);
  migrate(dir, bareDb);
  const bare = createClient({ url: `file:${bareDb}` });
  await bare.execute('PRAGMA journal_mode = WAL');
  const app = await startServer(dir, filingDb, { port, env, readyPath: '/demande/' });
  const stopWatching = watchMemory(app.child.pid);
  const tally = { started: 0, filed: 0, refused: 0, offset: 0 };
  const counter = { n: 0 };
  try {
    // Warm-up: the first filings load the server's modules.
    await load({ url: origin, connections: 1, amount: 7 * 5, requests: filingSequence(origin, true, tally) }, 303);
    for (const withFile of [false, true]) {
      const ours = [];
      const reference = [];
      for (let run = 0; run < runs; run += 1) {
        const before = tally.filed;
        const result = await load({ url: origin, connections, duration: seconds, requests: filingSequence(origin, withFile, tally) }, 303);
        ours.push((tally.filed - before) / (result.duration || seconds));
        reference.push(await bareFilingRate(bare, seconds, withFile, counter));
        log(`  filing${withFile ? ' with a file' : ''}, run ${run + 1}: ${ours.at(-1).toFixed(0)} per second through HTTP, ${reference.at(-1).toFixed(0)} bare`);
      }
      figures[withFile ? 'filingWithFile' : 'filing'] = { ours: median(ours), reference: median(reference), oursRuns: ours, referenceRuns: reference };
    }
    // A bare two-row transaction (requester and request), the issue's own yardstick.
    const started = performance.now();
    let twoRow = 0;
    while (performance.now() - started < seconds * 1000) {
      const tx = await bare.transaction('write');
      const person = await tx.execute({ sql: "insert into requesters (kind, name, email, created_at) values ('resident', 'Brut', 'brut@example.org', ?) returning id", args: [Date.now()] });
      await tx.execute({ sql: "insert into requests (reference, requester_id, requester_kind, status, locale, procedure, category, description, channel, needs, consent_at, created_at, updated_at, due_at) values (?, ?, 'resident', 'new', 'fr', 'Brut', 'other', 'Insertion brute', 'email', '[]', ?, ?, ?, ?)", args: [String(700_000_000 + twoRow), person.rows[0].id, Date.now(), Date.now(), Date.now(), Date.now()] });
      await tx.commit();
      twoRow += 1;
    }
    figures.twoRowPerSecond = twoRow / ((performance.now() - started) / 1000);
  } finally {
    memory.filing = stopWatching();
    await app.stop();
    bare.close();
  }
  log(`  server memory while filing: at most ${(memory.filing / MB).toFixed(0)} MB resident`);
  const stored = createClient({ url: `file:${filingDb}` });
  const storedCount = Number((await stored.execute("select count(*) as n from requests where procedure = 'Payer la cantine'")).rows[0].n);
  const storedFiles = Number((await stored.execute('select count(*) as n from attachments where request_id is not null')).rows[0].n);
  const storedMail = Number((await stored.execute("select count(*) as n from mail_outbox where kind = 'acknowledgement'")).rows[0].n);
  stored.close();
  // A load stops by closing its connections: a last "send" may have been stored without its
  // answer being read, one per client at most. Nothing confirmed may be missing.
  const unconfirmed = storedCount - tally.filed;
  if (tally.refused > 0 || unconfirmed < 0 || unconfirmed > connections * (runs * 2 + 1) || storedMail !== storedCount) throw new Error(`filing: ${tally.filed} confirmed, ${tally.refused} posts refused, ${storedCount} requests and ${storedMail} mails stored`);
  figures.filed = { filed: tally.filed, storedFiles };
  log(`  ${tally.filed} requests filed through HTTP and stored (${storedFiles} with their file), each with its acknowledgement mail`);
  return figures;
}

/** The workspace at `size` requests; the reference runs the same SQL on the same file. */
async function measureWorkspace({ dir, port, origin, env, runs, seconds, connections, latencyRuns, log }, size, memory) {
  const figures = {};
  const workspaceDb = join(dir, 'workspace.db');
  migrate(dir, workspaceDb);
  const filler = createClient({ url: `file:${workspaceDb}` });
  const fillStart = performance.now();
  const { references, messageCount } = await fillDatabase(filler, { requests: size, evaluation: true });
  filler.close();
  log(`  filled ${size.toLocaleString('en')} requests and ${messageCount.toLocaleString('en')} messages in ${((performance.now() - fillStart) / 1000).toFixed(0)} s`);
  migrate(dir, workspaceDb); // as the server's start does: migrations, then table statistics
  const app = await startServer(dir, workspaceDb, { port, env, readyPath: '/agent/connexion/' });
  const stopWatching = watchMemory(app.child.pid);
  // Opening a request writes (the agent's presence), as the server does on the same file: wait
  // for the server's write lock rather than fail, as the server does.
  const client = createClient({ url: `file:${workspaceDb}`, timeout: 5000 });
  try {
    const cookie = await signInAgent(origin, 'agent1@bench.example', BENCH_PASSWORD);
    const sessionId = (await client.execute('select id from agent_sessions limit 1')).rows[0].id;
    const scenarios = [
      { key: 'queue', name: 'main queue (to do, soonest due, with the counts)', path: () => '/agent/', budget: BUDGETS.workspaceP99Ms },
      { key: 'filtered', name: 'filtered queue (all, category + priority + dates)', path: (i) => `/agent/?file=all&categorie=${CATEGORIES[i % CATEGORIES.length]}&priorite=high&du=2025-06-01&au=2026-12-31`, budget: BUDGETS.workspaceP99Ms },
      { key: 'search', name: 'full-text search (requests and messages)', path: (i) => `/agent/?q=${encodeURIComponent(SEARCHES[i % SEARCHES.length])}`, budget: BUDGETS.workspaceP99Ms },
      { key: 'open', name: 'opening one request', path: (i) => `/agent/demandes/${references[(i * 7919) % references.length]}/`, budget: BUDGETS.workspaceP99Ms },
      { key: 'report', name: 'report, last 30 days (the default)', path: () => '/agent/rapports/', budget: BUDGETS.reportP99Ms },
      // The longer reports read far more rows: timed one at a time, fewer times, not loaded.
      ...[
        ['report12m', 'report, last 12 months', '/agent/rapports/?periode=12m'],
        ['report2y', 'report, two years (the longest period)', `/agent/rapports/?periode=perso&du=${new Date(Date.now() - 730 * 86_400_000).toISOString().slice(0, 10)}&au=${new Date().toISOString().slice(0, 10)}`],
        ['summary', 'printable summary, 12 months', '/agent/rapports/synthese/?periode=12m'],
        ['csv', 'CSV of the blocking situations, 12 months', '/agent/rapports/blocking.csv?periode=12m'],
        ['articles', 'articles and readers’ comments, 12 months', '/agent/rapports/articles/?periode=12m'],
        ['misses', 'searches with no result, 12 months', '/agent/rapports/recherches/?periode=12m'],
      ].map(([key, name, path]) => ({ key, name, path: () => path, budget: BUDGETS.reportP99Ms, timed: Math.max(5, Math.round(latencyRuns / 5)), loaded: false })),
    ];
    for (const scenario of scenarios) {
      for (let i = 0; i < 5; i += 1) await timedGet(origin, cookie, scenario.path(i));
      const ours = { p50: [], p99: [], throughput: [], loadedP99: [] };
      const reference = { p50: [], p99: [], throughput: [] };
      for (let run = 0; run < runs; run += 1) {
        // One request at a time: the latency an agent sees.
        const times = [];
        for (let i = 0; i < (scenario.timed ?? latencyRuns); i += 1) times.push((await timedGet(origin, cookie, scenario.path(i + run * latencyRuns))).ms);
        const one = latencies(times);
        ours.p50.push(one.p50);
        ours.p99.push(one.p99);
        if (scenario.loaded === false) continue;
        // Concurrent agents from autocannon: throughput, and the latency under that load.
        const paths = Array.from({ length: 64 }, (_, i) => ({ method: 'GET', path: scenario.path(i) }));
        const loaded = await load({ url: origin, connections, duration: seconds, headers: { cookie }, requests: paths }, 200);
        ours.throughput.push(loaded.requests.average);
        ours.loadedP99.push(loaded.latency.p99);
        // The same SQL through the bare client, in turn.
        if (scenario.key in bareStatements(sessionId, references[0], 0)) {
          const bareTimes = [];
          const started = performance.now();
          for (let i = 0; i < latencyRuns; i += 1) {
            const t = performance.now();
            await bareRun(client, bareStatements(sessionId, references[((i + run * latencyRuns) * 7919) % references.length], i + run * latencyRuns)[scenario.key]);
            bareTimes.push(performance.now() - t);
          }
          const b = latencies(bareTimes);
          reference.p50.push(b.p50);
          reference.p99.push(b.p99);
          reference.throughput.push(latencyRuns / ((performance.now() - started) / 1000));
        }
      }
      const figure = { name: scenario.name, budget: scenario.budget, timed: scenario.timed ?? latencyRuns, loaded: scenario.loaded !== false };
      for (const side of ['ours', 'reference']) figure[side] = Object.fromEntries(Object.entries(side === 'ours' ? ours : reference).map(([k, v]) => [k, v.length ? median(v) : undefined]));
      figures[scenario.key] = figure;
      log(`  ${scenario.name}: p50 ${figure.ours.p50.toFixed(1)} ms, p99 ${figure.ours.p99.toFixed(1)} ms${figure.loaded ? `, ${figure.ours.throughput.toFixed(0)}/s with ${connections} clients (p99 ${figure.ours.loadedP99} ms)` : ''}`);
    }
  } finally {
    memory.workspace = stopWatching();
    client.close();
    await app.stop();
  }
  log(`  server memory in the workspace: at most ${(memory.workspace / MB).toFixed(0)} MB resident`);
  return figures;
}

const per = (value) => `${value.toFixed(0)}/s`;
const msf = (value) => (value === undefined ? '—' : `${value.toFixed(1)} ms`);

function requestRows(f) {
  const rows = [];
  for (const [key, label] of [['filing', 'without an attachment'], ['filingWithFile', 'with a 20 KB attachment']]) {
    const x = f[key];
    if (!x) continue;
    const share = x.ours / x.reference;
    rows.push({
      what: `Requests: filing through the 7 form posts, ${label}, ${f.connections} clients (vs the same rows written by @libsql/client alone)`,
      ours: per(x.ours),
      reference: per(x.reference),
      ratio: share,
      budget: `≥ ${BUDGETS.filingShareOfBare * 100} % of bare`,
      pass: share >= BUDGETS.filingShareOfBare,
    });
  }
  if (f.twoRowPerSecond) rows.push({ what: 'Requests: bare two-row transaction (requester + request), @libsql/client alone', ours: '—', reference: per(f.twoRowPerSecond), budget: '—' });
  const n = f.size.toLocaleString('en');
  for (const key of ['queue', 'filtered', 'search', 'open', 'report', 'report12m', 'report2y', 'summary', 'csv', 'articles', 'misses']) {
    const x = f[key];
    if (!x) continue;
    rows.push({
      what: `Workspace at ${n} requests: ${x.name}, p50 / p99 of ${x.timed} one at a time${x.reference.p99 === undefined ? '' : ' (vs its SQL through @libsql/client alone)'}`,
      ours: `${msf(x.ours.p50)} / ${msf(x.ours.p99)}`,
      reference: x.reference.p99 === undefined ? '—' : `${msf(x.reference.p50)} / ${msf(x.reference.p99)}`,
      ratio: x.reference.p99 === undefined ? undefined : x.ours.p99 / x.reference.p99,
      budget: `p99 < ${x.budget} ms`,
      pass: x.ours.p99 < x.budget,
    });
    if (x.loaded) rows.push({
      what: `Workspace at ${n} requests: ${x.name}, throughput with ${f.connections} clients (p99 under that load)`,
      ours: `${per(x.ours.throughput)} (${x.ours.loadedP99} ms)`,
      reference: x.reference.throughput === undefined ? '—' : `${per(x.reference.throughput)} (one client)`,
      ratio: x.reference.throughput === undefined ? undefined : x.ours.throughput / x.reference.throughput,
      budget: '—',
    });
  }
  for (const [key, label] of [['filing', 'filing'], ['workspace', `the workspace at ${n} requests`]]) {
    const peak = f.memory[key];
    if (peak !== undefined) rows.push({ what: `Server: peak resident memory during ${label} (sampled every 100 ms)`, ours: `${(peak / MB).toFixed(0)} MB`, reference: '—', budget: `< ${BUDGETS.serverMemoryBytes / MB} MB`, pass: peak < BUDGETS.serverMemoryBytes });
  }
  return rows;
}
