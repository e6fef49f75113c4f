// Bad input everywhere, generated (fast-check): every form action and the endpoint receive
// oversized fields and bodies, wrong types, control characters, invalid UTF-8, very long lines,
// markup and script, odd file names, files whose content is not what they claim, empty files,
// too many files. Each answer is a refusal (a 4xx or the form again), never a 500 nor a stack
// trace; nothing is stored; the server stays healthy. Then stored payloads are shown as text.
import { readFileSync } from 'node:fs';
import { request as nodeRequest } from 'node:http';
import { createClient } from '@libsql/client';
import { request as httpClient, expect, test } from '@playwright/test';
import fc from 'fast-check';
import { DEMO_ADMIN, DEMO_AGENT, DEMO_PASSWORD, signIn } from './agent-helpers';
import { fileRequest, sendRequest } from './request-helpers';
import { bodyLimitFor } from '../../src/lib/server/body-limits.mjs';
import { removeDatabase, startServerProcess } from './server-process';

const STACK = /\bat [\w.<>$]+ \(|node_modules|\.mjs:\d+|Error: [A-Z]/;

// Pieces of bad input.
// Control characters other than tab and line breaks (which text may hold).
const control = fc.string({ unit: fc.integer({ min: 0, max: 31 }).filter((c) => c !== 9 && c !== 10 && c !== 13).map((c) => String.fromCharCode(c)), minLength: 1, maxLength: 40 });
const markup = fc.constantFrom('<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', "javascript:alert('x')", '{{7*7}}', '${process.exit()}', '</textarea><svg onload=alert(1)>');
const traversal = fc.constantFrom('../../etc/passwd', '..\\..\\windows\\win.ini', '/etc/shadow', 'a/../../b.png', '%2e%2e%2fpasswd.png', 'CON.png', 'file.png\u0000.exe', '.htaccess');
const huge = fc.integer({ min: 1, max: 4 }).map((n) => 'é'.repeat(60_000 * n));
const longLine = fc.integer({ min: 1000, max: 20_000 }).map((n) => 'x'.repeat(n));
/** Marks what this test sends, so that it can look for it in the database afterwards (other tests write there too). */
const MARK = 'ZQX';
const marked = (value: string) => (value === '' ? '' : `${MARK}${value}`);
// What must be refused: control characters (alone, or after markup, a path or a long line),
// text far over any limit. (Markup alone is text a
// resident may write: it is kept and shown as text, see the last test.)
const badText = fc.oneof(control, huge, fc.tuple(fc.oneof(markup, traversal, longLine), control).map(([a, b]) => `${a}${b}`)).map(marked);

/** Bytes that are not UTF-8 (a lone continuation byte, an overlong form, a truncated sequence). */
const invalidUtf8 = fc.constantFrom(Buffer.from([0x80]), Buffer.from([0xc0, 0xaf]), Buffer.from([0xe2, 0x82]), Buffer.from([0xff, 0xfe, 0x00]));

interface Target {
  name: string;
  path: string;
  /** Fields the action reads; the generator fills them with bad values. */
  fields: string[];
  /** Fixed values that make the action look at the bad ones. */
  fixed?: Record<string, string>;
  files?: boolean;
}

const TARGETS: Target[] = [
  { name: 'request step 1', path: '/demande/demarche/?_action=request.step', fields: ['procedure', 'category', 'stage'], fixed: { step: 'procedure' } },
  { name: 'request step 2', path: '/demande/probleme/?_action=request.step', fields: ['description'], fixed: { step: 'problem' } },
  { name: 'request identity', path: '/demande/identite/?_action=request.step', fields: ['name', 'helperName', 'organisation'], fixed: { step: 'about' } },
  { name: 'request answer', path: '/demande/reponse/?_action=request.step', fields: ['channel', 'email', 'phone'], fixed: { step: 'answer' } },
  { name: 'request files', path: '/demande/pieces-jointes/?_action=request.files', fields: ['intent'], files: true },
  { name: 'request submit', path: '/demande/verification/?_action=request.submit', fields: ['consent'] },
  { name: 'reply', path: '/suivi/{token}/?_action=request.reply', fields: ['message'], fixed: { token: '{token}' }, files: true },
  { name: 'reply to an unknown link', path: `/suivi/${'a'.repeat(52)}/?_action=request.reply`, fields: ['token', 'message'], files: true },
  { name: 'resend link', path: '/suivi/?_action=request.resend', fields: ['reference', 'email'] },
  { name: 'sign-in', path: '/agent/connexion/?_action=agent.signIn', fields: ['email', 'password'] },
  { name: 'password reset', path: '/agent/mot-de-passe/?_action=agent.requestReset', fields: ['email'] },
  { name: 'article feedback', path: '/avis/?_action=feedback.answer', fields: ['collection', 'article', 'helpful'] },
  { name: 'feedback comment', path: '/avis/?_action=feedback.comment', fields: ['id', 'token', 'comment'] },
  { name: 'display settings', path: '/parametres-affichage/?_action=settings', fields: ['textSize', 'theme', 'spacing', 'motion', 'back'] },
  { name: 'survey answer', path: '/enquete/inexistante/?_action=survey.answer', fields: ['q1', 'q2'] },
  // The workspace, signed in as an administrator; each post goes to the page that shows its result.
  { name: 'agent reply', path: '/agent/demandes/{reference}/?_action=agent.write', fields: ['kind', 'body', 'status'], fixed: { reference: '{reference}' }, files: true },
  { name: 'agent note', path: '/agent/demandes/{reference}/?_action=agent.write', fields: ['body'], fixed: { reference: '{reference}', kind: 'note' } },
  { name: 'agent side changes', path: '/agent/demandes/{reference}/?_action=agent.write', fields: ['status', 'priority', 'category', 'assignee', 'body'], fixed: { reference: '{reference}', only: 'changes' } },
  { name: 'agent reply with changes', path: '/agent/demandes/{reference}/?_action=agent.write', fields: ['body', 'priority', 'assignee'], fixed: { reference: '{reference}', kind: 'reply', status: '', category: 'payment' } },
  { name: 'agent merge', path: '/agent/demandes/{reference}/?_action=agent.merge', fields: ['into'], fixed: { reference: '{reference}' } },
  { name: 'invitation', path: '/agent/admin/?_action=agent.invite', fields: ['name', 'email', 'role'] },
  { name: 'agent change', path: '/agent/admin/?_action=agent.changeAgent', fields: ['agent', 'role', 'active'] },
  { name: 'saved reply', path: '/agent/admin/reponses/?_action=agent.savedReply', fields: ['title', 'body', 'locale'] },
  { name: 'opening hours', path: '/agent/admin/reglages/?_action=agent.hours', fields: ['d1-a-open', 'd1-a-close', 'area', 'closures'] },
  { name: 'request for a resident', path: '/agent/demandes/nouvelle/?_action=agent.file', fields: ['intake', 'procedure', 'category', 'description', 'who', 'name', 'channel', 'email', 'phone'], files: true },
  { name: 'mailbox', path: '/agent/admin/courriel/?_action=agent.mailbox', fields: ['address', 'host', 'port', 'security', 'username', 'password', 'folder'], fixed: { enabled: '1' } },
  { name: 'answer on the spot', path: '/agent/accueil/?_action=agent.quickAnswer', fields: ['qa-channel', 'qa-category', 'qa-procedure', 'qa-note'] },
  { name: 'categories', path: '/agent/admin/reglages/?_action=agent.categories', fields: ['category-payment-fr', 'category-payment-en', 'category-other-fr'] },
  { name: 'survey', path: '/agent/enquetes/?_action=agent.survey', fields: ['title', 'intro', 'audience'], fixed: { intent: 'create' } },
  { name: 'erasure', path: '/agent/admin/donnees/?_action=agent.erasePerson', fields: ['contact', 'confirm'] },
  { name: 'help entry', path: '/agent/aide/nouveau/?_action=agent.helpEntry', fields: ['question', 'body', 'slug', 'keywords', 'note'], fixed: { kind: 'faq', intent: 'save', topic: 'paiement' } },
  { name: 'help entry, whole text', path: '/agent/aide/nouveau/?_action=agent.helpEntry', fields: ['source', 'slug'], fixed: { kind: 'glossary', intent: 'publish' } },
  { name: 'help image', path: '/agent/aide/nouveau/?_action=agent.helpEntry', fields: ['alt', 'body'], fixed: { kind: 'faq', intent: 'image' }, files: true },
  { name: 'announcement', path: '/agent/annonces/?_action=agent.announcement', fields: ['title', 'body', 'locale', 'starts', 'ends', 'id'] },
  { name: 'announcement removal', path: '/agent/annonces/?_action=agent.deleteAnnouncement', fields: ['id'] },
  { name: 'published results', path: '/agent/admin/reglages/?_action=agent.results', fields: ['results-comment-fr', 'results-comment-en', 'results-show'] },
  { name: 'help publishers', path: '/agent/admin/reglages/?_action=agent.helpPublishers', fields: ['publishers'] },
  { name: 'known problem', path: '/agent/problemes/?_action=agent.problem', fields: ['title', 'procedure', 'keywords', 'topic', 'meanwhile', 'expected', 'titleEn', 'meanwhileEn', 'id'] },
  { name: 'known problem, requests linked', path: '/agent/problemes/1/?_action=agent.problemLink', fields: ['problem', 'references', 'ref', 'back'] },
  { name: 'known problem, one answer', path: '/agent/problemes/1/?_action=agent.problemReply', fields: ['problem', 'body', 'bodyEn', 'status'] },
  { name: 'known problem, closing', path: '/agent/problemes/1/?_action=agent.problemClose', fields: ['problem', 'message', 'messageEn', 'resolveAll'] },
  { name: 'known problem subscription', path: '/problemes-connus/?_action=request.subscribe', fields: ['problem', 'contact', 'from'] },
  { name: 'chat start', path: '/discuter/?_action=chat.start', fields: ['name', 'procedure', 'message', 'email', 'phone', 'needs', 'needsLanguage'], fixed: { intent: 'written' } },
  { name: 'chat message', path: '/suivi/{token}/discussion/?_action=chat.send', fields: ['message'], fixed: { token: '{token}' } },
  { name: 'chat left for a call back', path: '/suivi/{token}/discussion/?_action=chat.leave', fields: ['message', 'phone'], fixed: { token: '{token}', intent: 'callback' } },
  { name: 'chat presence', path: '/agent/discussions/?_action=agent.chatPresence', fields: ['available', 'places'] },
  { name: 'chat settings', path: '/agent/admin/reglages/?_action=agent.chatSettings', fields: ['offerAfter'] },
  { name: 'chat taken', path: '/agent/discussions/?_action=agent.chatTake', fields: ['reference'] },
  { name: 'chat ended', path: '/agent/demandes/{reference}/?_action=agent.chatEnd', fields: ['reference', 'from'] },
  { name: 'chat handed over', path: '/agent/demandes/{reference}/?_action=agent.chatHandOver', fields: ['to'], fixed: { reference: '{reference}' } },
  { name: 'chat turned into a call back', path: '/agent/demandes/{reference}/?_action=agent.chatCallback', fields: ['phone'], fixed: { reference: '{reference}' } },
  { name: 'training path', path: '/agent/aide-interne/parcours/nouveau/?_action=agent.trainingPath', fields: ['title', 'description', 'position:faq:fr/agents-enregistrer-un-paiement-par-cheque', 'id'] },
  { name: 'training page read', path: '/agent/aide-interne/parcours/1/?_action=agent.trainingStep', fields: ['path', 'entry', 'read', 'back'] },
];

/** A file whose name, type or content is wrong. */
const badFile = fc.record({
  name: fc.oneof(traversal, markup, fc.constant(''), longLine.map((s) => `${s}.png`), fc.constant('capture.png')).map(marked),
  mimeType: fc.constantFrom('image/png', 'application/x-msdownload', 'text/html', 'image/svg+xml', ''),
  buffer: fc.oneof(
    fc.constant(Buffer.alloc(0)),
    fc.constant(Buffer.from('<html><script>alert(1)</script></html>')),
    fc.constant(Buffer.from('MZ\x90\x00 not an image')),
    fc.uint8Array({ minLength: 1, maxLength: 2000 }).map((a) => Buffer.from(a)),
  ),
});

/** Rows holding anything this test sent: there must be none. */
const STORED = [
  ['requests', 'procedure || description || coalesce(stage, \'\')'],
  ['requesters', 'name || coalesce(email, \'\') || coalesce(phone, \'\') || coalesce(helper_name, \'\')'],
  ['messages', 'body'],
  ['attachments', 'file_name'],
  ['article_feedback', 'article_id || coalesce(comment, \'\')'],
  ['search_misses', 'query'],
  ['request_drafts', 'data'],
  ['help_revisions', 'source || coalesce(note, \'\')'],
  ['quick_answers', 'coalesce(procedure, \'\') || coalesce(note, \'\')'],
  ['mail_intake', 'host || username || password || folder || address'],
  ['announcements', 'title || body'],
  ['known_problems', 'title || procedure || keywords || meanwhile'],
  ['known_problem_subscriptions', "coalesce(email, '') || coalesce(phone, '')"],
  ['training_paths', "title || description"],
  ['training_progress', 'entry_key'],
] as const;
/** Rows a workspace action would add or change: messages, agents, saved replies, surveys, settings, merges, erasures. */
const WORKSPACE_ROWS = `select (select count(*) from messages) + (select count(*) from agents) + (select count(*) from saved_replies) + (select count(*) from surveys)
  + (select count(*) from workspace_settings) + (select count(*) from requests where anonymized_at is not null or merged_into_id is not null)
  + (select count(*) from help_revisions) + (select count(*) from help_images) + (select count(*) from quick_answers) + (select count(*) from mail_intake) + (select count(*) from announcements) + (select count(*) from requests)
  + (select count(*) from known_problems) + (select count(*) from known_problem_requests) + (select count(*) from known_problem_subscriptions) + (select count(*) from training_paths) + (select count(*) from training_steps) + (select count(*) from training_progress)
  + (select count(*) from agent_presence) + (select count(*) from chats) + (select count(*) from chat_events) as n`;

async function storedMarks(dbFile: string) {
  const db = createClient({ url: `file:${dbFile}`, timeout: 5000 });
  try {
    const found: Record<string, number> = {};
    for (const [table, text] of STORED) found[table] = Number((await db.execute({ sql: `select count(*) as n from ${table} where instr(${text}, ?) > 0`, args: [MARK] })).rows[0]!.n);
    return found;
  } finally {
    db.close();
  }
}

const VALID_STEPS: [string, Record<string, string>][] = [
  ['/demande/demarche/?_action=request.step', { step: 'procedure', procedure: 'Payer la cantine', category: 'payment', stage: 'Paiement' }],
  ['/demande/probleme/?_action=request.step', { step: 'problem', description: 'Le paiement est refusé.' }],
  ['/demande/pieces-jointes/?_action=request.files', { intent: 'continue' }],
  ['/demande/qui/?_action=request.step', { step: 'who', who: 'resident' }],
  ['/demande/identite/?_action=request.step', { step: 'about', name: 'Martine Lefèvre' }],
  ['/demande/reponse/?_action=request.step', { step: 'answer', channel: 'email', email: 'bad-input@example.org' }],
];

test('generated bad input to every action and endpoint is refused cleanly, stores nothing, and the server stays healthy', async () => {
  // FC_RUNS=10000 for the long run (not in every CI run): the budget grows with the runs.
  test.setTimeout(120_000 + (Number(process.env.FC_RUNS) || 250) * 150);
  // A server of its own: these posts count against per-client limits that the other tests'
  // server must keep for them.
  const dbFile = `${process.env.GUICHET_E2E_DB}.bad-input.db`;
  removeDatabase(dbFile);
  const server = await startServerProcess(dbFile, { GUICHET_DEMO: '1' });
  const origin = server.origin;
  const request = await httpClient.newContext({ baseURL: origin });
  try {
    // A request sent, for its private link (replies), then a draft filled in and not sent (its
    // cookie stays with \`request\`): the bad posts reach each step's own checks.
    const post = (path: string, form: Record<string, string>) => request.post(path, { headers: { Origin: origin }, form, maxRedirects: 0 });
    for (const [path, form] of VALID_STEPS) expect((await post(path, form)).status(), path).toBe(303);
    expect((await post('/demande/verification/?_action=request.submit', { consent: 'yes' })).status()).toBe(303);
    const token = /\/suivi\/([a-z2-7]{52})\//.exec(await (await request.get('/demande/confirmation/')).text())?.[1];
    expect(token).toBeTruthy();
    for (const [path, form] of VALID_STEPS) expect((await post(path, form)).status(), path).toBe(303);
    // An administrator of the demo, signed in with the same client, and one of its requests.
    expect((await post('/agent/connexion/?_action=agent.signIn', { email: DEMO_ADMIN, password: DEMO_PASSWORD })).status()).toBe(303);
    const db = createClient({ url: `file:${dbFile}`, timeout: 5000 });
    const reference = String((await db.execute("select reference from requests where status = 'open' limit 1")).rows[0]!.reference);
    const before = (await db.execute(WORKSPACE_ROWS)).rows[0]!.n;
    const seen = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...TARGETS),
        fc.constantFrom('form', 'multipart', 'raw') as fc.Arbitrary<'form' | 'multipart' | 'raw'>,
        fc.array(badText, { minLength: 5, maxLength: 5 }),
        fc.array(badFile, { minLength: 0, maxLength: 12 }),
        invalidUtf8,
        async (target, encoding, values, files, invalid) => {
          const fill = (text: string) => text.replace('{token}', token!).replace('{reference}', reference);
          const path = fill(target.path);
          const fields: Record<string, string> = Object.fromEntries(Object.entries(target.fixed ?? {}).map(([k, v]) => [k, fill(v)]));
          target.fields.forEach((field, i) => (fields[field] = values[i % values.length]!));
          const headers = { Origin: origin };
          let response;
          if (encoding === 'raw') {
            // Invalid UTF-8 inside a form body, and a content type that says otherwise.
            const body = Buffer.concat([Buffer.from(`${target.fields[0]}=`), invalid, Buffer.from(`&${new URLSearchParams(Object.fromEntries(Object.keys(target.fixed ?? {}).map((k) => [k, fields[k]!])))}`)]);
            response = await request.post(path, { headers: { ...headers, 'Content-Type': 'application/x-www-form-urlencoded' }, data: body, maxRedirects: 0 });
          } else if (encoding === 'multipart' || (target.files && files.length > 0)) {
            const multipart: Record<string, string | { name: string; mimeType: string; buffer: Buffer }> = { ...fields };
            const form = Object.entries(multipart);
            const body = new FormData();
            for (const [name, value] of form) body.append(name, value as string);
            for (const file of target.files ? files : []) body.append('files', new Blob([file.buffer], { type: file.mimeType }), file.name);
            response = await request.post(path, { headers, multipart: body, maxRedirects: 0 });
          } else {
            response = await request.post(path, { headers, form: fields, maxRedirects: 0 });
          }
          const status = response.status();
          const text = await response.text();
          seen.set(`${target.name} ${status}`, (seen.get(`${target.name} ${status}`) ?? 0) + 1);
          expect(status, `${target.name} (${encoding})`).toBeLessThan(500);
          expect(text, `${target.name} (${encoding}) shows no stack trace`).not.toMatch(STACK);
          // A refusal, with a message: a page saying what is wrong (the error summary), or a short text.
          expect(status, `${target.name} (${encoding})`).toBeGreaterThanOrEqual(400);
          if (status === 400 && /text\/html/.test(response.headers()['content-type'] ?? '')) expect(text, `${target.name} (${encoding})`).toMatch(/id="error-summary"|role="alert"/);
        },
      ),
      { numRuns: Number(process.env.FC_RUNS) || 250, seed: Number(process.env.FC_SEED) || undefined, verbose: 1 },
    );
    // The search endpoint: bodies too long, not UTF-8, empty or with control characters.
    for (const body of [Buffer.from(`${MARK}${'x'.repeat(600)}`), Buffer.concat([Buffer.from(MARK), Buffer.from([0xc0, 0xaf])]), Buffer.alloc(0), Buffer.from(`${MARK}\u0001\u0002`)]) {
      const response = await request.post('/api/search-miss/', { headers: { Origin: origin, 'Content-Type': 'text/plain; charset=utf-8' }, data: body });
      // A refusal, or (what looks like anything but a search) dropped without a word: never kept.
      expect([204, 400, 413]).toContain(response.status());
    }
    console.log(`bad input: ${[...seen].map(([k, n]) => `${k}×${n}`).join(', ')}`);
    expect(await storedMarks(dbFile)).toEqual(Object.fromEntries(STORED.map(([table]) => [table, 0])));
    // Nor did any workspace post change anything.
    expect((await db.execute(WORKSPACE_ROWS)).rows[0]!.n).toBe(before);
    db.close();
    expect((await request.get('/health')).status()).toBe(200);
    expect(server.output()).not.toContain('"status":500');
  } finally {
    // The server's log beside the report, for a failure's story.
    await test.info().attach('server log', { body: server.output(), contentType: 'text/plain' });
    await request.dispose();
    server.signal('SIGTERM');
    await server.exited;
    removeDatabase(dbFile);
  }
});

/** A post as a script sends it: the body whole with its length, or chunked in pieces of `chunk` bytes. */
function rawPost(origin: string, path: string, headers: Record<string, string>, body: Buffer, chunk?: number) {
  return new Promise<{ status: number; text: string }>((resolve, reject) => {
    const req = nodeRequest(new URL(path, origin), { method: 'POST', agent: false, headers: { Origin: origin, ...headers, ...(chunk ? {} : { 'Content-Length': String(body.length) }) } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    if (!chunk) return void req.end(body);
    // Not millions of writes for a large body: the client would hold each one until sent.
    const piece = Math.max(chunk, Math.ceil(body.length / 5000));
    for (let i = 0; i < body.length; i += piece) req.write(body.subarray(i, i + piece));
    req.end();
  });
}

/** Resident memory of a process, in MB (Linux). */
const rssOf = (pid: number) => {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
};
/** What one worker may hold at most while refusing the worst bodies this test builds (measured: about 550 MB). */
const WORKER_BUDGET_MB = 640;

test('bodies at and just over every limit, whole or chunked, are refused cleanly; memory stays bounded; no worker dies', async () => {
  test.setTimeout(120_000 + (Number(process.env.FC_LIMIT_RUNS) || 80) * 1_000);
  const dbFile = `${process.env.GUICHET_E2E_DB}.limits.db`;
  removeDatabase(dbFile);
  const server = await startServerProcess(dbFile, { GUICHET_DEMO: '1', GUICHET_WORKERS: '2' });
  const origin = server.origin;
  const workers = () => [...server.output().matchAll(/"pid":(\d+),"msg":"listening"/g)].map((m) => Number(m[1]));
  await expect.poll(() => workers().length).toBe(2);
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, ...workers().map(rssOf))), 25);
  const seen = new Map<string, number>();
  try {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...TARGETS),
        fc.constantFrom('fields at the limit', 'fields over the limit', 'parts at the limit', 'parts over the limit', 'bytes over the limit', 'one field over its size', 'one field refused just past 1 MB'),
        fc.option(fc.integer({ min: 1, max: 70_000 }), { nil: undefined }),
        async (target, shape, chunk) => {
          const limit = bodyLimitFor(new URL(target.path, origin));
          const boundary = 'guichet-limits';
          const part = (name: string, value: string) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
          const urlencoded = { 'Content-Type': 'application/x-www-form-urlencoded' };
          const multipart = { 'Content-Type': `multipart/form-data; boundary=${boundary}` };
          const [headers, body, over] = ((): [Record<string, string>, Buffer, boolean] => {
            switch (shape) {
              case 'fields at the limit':
                return [urlencoded, Buffer.from(Array.from({ length: limit.parts }, (_, i) => `${MARK}${i}=1`).join('&')), false];
              case 'fields over the limit':
                return [urlencoded, Buffer.from(Array.from({ length: limit.parts + 1 }, (_, i) => `f${i}=1`).join('&')), true];
              case 'parts at the limit':
                return [multipart, Buffer.from(`${Array.from({ length: limit.parts }, (_, i) => part(`${MARK}${i}`, '1')).join('')}--${boundary}--\r\n`), false];
              case 'parts over the limit':
                return [multipart, Buffer.from(`${Array.from({ length: limit.parts + 1 }, (_, i) => part(`f${i}`, '1')).join('')}--${boundary}--\r\n`), true];
              case 'bytes over the limit':
                return [urlencoded, Buffer.concat([Buffer.from('a='), Buffer.alloc(limit.bytes, 0x61)]), true];
              case 'one field over its size':
                return [multipart, Buffer.from(`${part('a', 'x'.repeat(limit.fieldBytes + 1))}--${boundary}--\r\n`), true];
              default:
                // A field far over its size, which the parser refuses at its end, just past the size
                // at which a body waits its turn to be parsed (1 MB), and more after it.
                return [urlencoded, Buffer.from(`a=${'x'.repeat(1024 * 1024 + 4)}&b=${'y'.repeat(100_000)}`), true];
            }
          })();
          const fill = (text: string) => text.replace('{token}', 'a'.repeat(52)).replace('{reference}', '000000000');
          const answer = await rawPost(origin, fill(target.path), headers, body, chunk);
          seen.set(`${shape} ${answer.status}`, (seen.get(`${shape} ${answer.status}`) ?? 0) + 1);
          const what = `${target.name}: ${shape}${chunk ? `, chunked by ${chunk}` : ''}`;
          expect(answer.status, what).toBeLessThan(500);
          expect(answer.text, what).not.toMatch(STACK);
          if (over) {
            expect(answer.status, what).toBeGreaterThanOrEqual(400);
            // A page that says what happened: the form's own page, or the server's.
            expect(answer.text, what).toMatch(/id="error-summary"|role="alert"|<h1>/);
          }
        },
      ),
      { numRuns: Number(process.env.FC_LIMIT_RUNS) || 80, seed: Number(process.env.FC_SEED) || undefined },
    );
    console.log(`limits: ${[...seen].map(([k, n]) => `${k}×${n}`).join(', ')}; peak worker memory ${Math.round(peak)} MB`);
    expect(peak, 'peak worker memory (MB)').toBeLessThan(WORKER_BUDGET_MB);
    expect((await fetch(`${origin}/health`)).status).toBe(200);
    expect(server.output()).not.toContain('worker died');
    expect(server.output()).not.toContain('"status":500');
    expect(await storedMarks(dbFile)).toEqual(Object.fromEntries(STORED.map(([table]) => [table, 0])));
  } finally {
    clearInterval(sampler);
    server.signal('SIGTERM');
    await server.exited;
    removeDatabase(dbFile);
  }
});

test('an oversized body is cut off with a clear page, not a 500', async ({ request, baseURL }) => {
  const origin = new URL(baseURL!).origin;
  const response = await request.post('/demande/demarche/?_action=request.step', { headers: { Origin: origin }, form: { step: 'procedure', procedure: 'x'.repeat(200_000) }, maxRedirects: 0 });
  expect(response.status()).toBeGreaterThanOrEqual(400);
  expect(response.status()).toBeLessThan(500);
  expect(await response.text()).not.toMatch(STACK);
});

test('markup and script sent by a resident are shown as text to the resident and to agents, and never run', async ({ page, browser }) => {
  test.setTimeout(90_000);
  const payload = `<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">"><svg onload="window.__pwned = 3">`;
  let dialogs = 0;
  page.on('dialog', (dialog) => {
    dialogs += 1;
    void dialog.dismiss();
  });
  await fileRequest(page, { name: `Nom ${payload}`.slice(0, 120), description: `Description ${payload}`, axe: false });
  const { reference, link } = await sendRequest(page, false);
  await page.goto(link);
  await page.getByLabel('Votre message', { exact: false }).fill(`Message ${payload}`);
  await page.getByRole('button', { name: 'Envoyer le message' }).click();
  await expect(page.locator('main')).toContainText(`Message ${payload}`);
  await expect(page.locator('main')).toContainText(`Description ${payload}`);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();

  const agent = await browser.newPage();
  agent.on('dialog', (dialog) => {
    dialogs += 1;
    void dialog.dismiss();
  });
  await signIn(agent, DEMO_AGENT, DEMO_PASSWORD);
  for (const path of [`/agent/demandes/${reference.replaceAll('-', '')}/`, `/agent/?q=${encodeURIComponent('Description')}`, '/agent/?file=all']) {
    await agent.goto(path);
    expect(await agent.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), path).toBeUndefined();
  }
  await agent.goto(`/agent/demandes/${reference.replaceAll('-', '')}/`);
  await expect(agent.locator('main')).toContainText(`Description ${payload}`);
  await expect(agent.locator('main')).toContainText(`Message ${payload}`);
  expect(dialogs).toBe(0);
  await agent.close();
});
