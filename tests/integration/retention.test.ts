// The retention job on a real database: requests closed longer ago than their period lose
// every personal datum and keep what the reports count; others are untouched.
import { spawnSync } from 'node:child_process';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { RETENTION_DEFAULTS, applyRetention, retentionPolicy } from '../../db/retention.mjs';
import type { Db } from '../../src/lib/server/db';
import { addRequesterReply, changeStatus, submitDraft } from '../../src/lib/server/requests';
import { addDraftFiles } from '../../src/lib/server/requests/drafts';
import { freshDatabase } from '../helpers/db';
import { completeDraft, png, settings } from '../helpers/requests';

let db: Db;
let url: string;
let cleanup: () => void;
beforeEach(async () => {
  ({ db, url, cleanup } = await freshDatabase());
});
afterEach(() => cleanup());

const DAY = 86_400_000;
const one = async (sql: string, args: (string | number)[] = []) => (await db.$client.execute({ sql, args })).rows[0]!;

async function fileAndClose(email: string, closedDaysAgo: number | null, now: number) {
  const { token, draftId } = await completeDraft(db, { email, name: `Personne ${email}`, description: `Description écrite par ${email}` });
  await addDraftFiles(db, draftId, [png('capture.png')]);
  const at = now - (closedDaysAgo ?? 0) * DAY - 5 * DAY;
  const result = await submitDraft(db, draftId, token, 'fr', settings, at);
  if (!result.ok) throw new Error('not filed');
  await addRequesterReply(db, result.requestId, `Réponse privée de ${email}`, [png('piece.png')], at + DAY);
  if (closedDaysAgo !== null) await changeStatus(db, result.requestId, 'closed', 'Agent', settings, now - closedDaysAgo * DAY, false);
  return result.requestId;
}

it('anonymises requests closed past the period, keeping their figures; leaves recent and open ones alone', async () => {
  const now = Date.parse('2026-11-28T12:00:00Z');
  const old = await fileAndClose('ancien@example.org', 400, now);
  const recent = await fileAndClose('recent@example.org', 100, now);
  const open = await fileAndClose('ouvert@example.org', null, now);
  const before = await one('select category, procedure_key, channel, requester_kind, created_at, resolved_at, first_response_at from requests where id = ?', [old]);

  const done = await applyRetention(db.$client, retentionPolicy({ requests: { retentionMonths: 12 } }), now);
  expect(done.requests).toBe(1);

  // Nothing of the person is left on the old request...
  const request = await one('select r.description, r.anonymized_at, p.name, p.email, p.phone from requests r join requesters p on p.id = r.requester_id where r.id = ?', [old]);
  expect(request).toMatchObject({ description: 'Anonymisé', anonymized_at: now, name: 'Anonymisé', email: null, phone: null });
  for (const [table, where] of [
    ['attachments', 'request_id = ?'],
    ['request_access_tokens', 'request_id = ?'],
    ['mail_outbox', 'request_id = ?'],
    ['request_drafts', 'request_id = ?'],
    ['messages', "request_id = ? and body <> ''"],
  ] as const) {
    expect(Number((await one(`select count(*) as n from ${table} where ${where}`, [old])).n), table).toBe(0);
  }
  // ...not even in the agents' full-text search.
  expect(Number((await one("select count(*) as n from request_search where request_search match '\"ancien\"'")).n)).toBe(0);
  // What the reports count is unchanged.
  expect(await one('select category, procedure_key, channel, requester_kind, created_at, resolved_at, first_response_at from requests where id = ?', [old])).toEqual(before);

  // The recent and the open requests keep everything.
  for (const id of [recent, open]) {
    const kept = await one('select r.description, r.anonymized_at, p.email from requests r join requesters p on p.id = r.requester_id where r.id = ?', [id]);
    expect(kept.anonymized_at).toBeNull();
    expect(String(kept.description)).toContain('Description écrite par');
    expect(Number((await one('select count(*) as n from attachments where request_id = ?', [id])).n)).toBe(2);
  }
  expect(Number((await one("select count(*) as n from request_search where request_search match '\"recent\"'")).n)).toBeGreaterThan(0);

  // The run is in the audit log, in counts; a second run finds nothing more to do.
  expect(JSON.parse(String((await one("select details from audit_log where action = 'retention'")).details))).toMatchObject({ requests: 1 });
  expect((await applyRetention(db.$client, retentionPolicy(undefined), now)).requests).toBe(0);
});

it('deletes sent mails, audit entries and comments past their own periods, with the stated defaults', async () => {
  expect(retentionPolicy(undefined)).toEqual(RETENTION_DEFAULTS);
  const now = Date.parse('2026-11-28T12:00:00Z');
  const id = await fileAndClose('mail@example.org', null, now);
  await db.$client.execute({ sql: "update mail_outbox set status = 'sent', sent_at = ? where request_id = ?", args: [now - 31 * DAY, id] });
  await db.$client.execute({ sql: "insert into audit_log (at, action) values (?, 'sign-in'), (?, 'sign-in')", args: [now - 800 * DAY, now - 10 * DAY] });
  await db.$client.execute({
    sql: "insert into article_feedback (collection, article_id, locale, helpful, comment, created_at) values ('faq', 'x', 'fr', 0, 'vieux commentaire', ?), ('faq', 'x', 'fr', 0, 'commentaire récent', ?)",
    args: [now - 800 * DAY, now - 10 * DAY],
  });
  const done = await applyRetention(db.$client, retentionPolicy(undefined), now);
  expect(done).toMatchObject({ requests: 0, mails: 1, auditEntries: 1, comments: 1 });
  expect((await db.$client.execute("select comment from article_feedback order by created_at")).rows.map((r) => r.comment)).toEqual([null, 'commentaire récent']);
});

it('npm run retention applies the periods of content/authority.json and says what it did', () => {
  const run = spawnSync(process.execPath, ['scripts/retention.mjs'], { env: { ...process.env, DATABASE_URL: url }, encoding: 'utf8' });
  expect(run.status, run.stderr).toBe(0);
  expect(run.stdout).toMatch(/Retention applied \(requests 12 months after closing, sent mails 30 days, audit log 24 months, comments 24 months\): 0 requests anonymised/);
});
