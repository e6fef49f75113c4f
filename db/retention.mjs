// How long personal data is kept, and the job that removes it when its time is over, shared by
// the server (once at start-up, then daily) and `npm run retention`. Periods come from
// content/authority.json (`requests.retentionMonths`, `retention.*`), with the defaults below.
//
// A request closed (or resolved) longer ago than its period is anonymised, not deleted: what
// identifies or describes the person goes (name, contact, helper, description, messages'
// text, files, private links, mails, draft, satisfaction comment), and what the reports count
// stays (dates, category, procedure, channel, kind of requester, deadlines, satisfaction level).

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const DAY = 86_400_000;
const MONTH = 30 * DAY;

/** The stated defaults: what the README and the personal-data page promise. */
export const RETENTION_DEFAULTS = Object.freeze({
  /** A request's personal data, counted from its closing. */
  requestMonths: 12,
  /** Mails sent (their bodies hold names and answers), counted from sending. */
  sentMailDays: 30,
  /** The agents' audit log. */
  auditLogMonths: 24,
  /** Readers' free comments on articles (the yes/no votes stay). */
  feedbackCommentMonths: 24,
});

/**
 * The periods in force for an authority's settings (content/authority.json, as parsed).
 * @param {{ requests?: { retentionMonths?: number }, retention?: Partial<Record<'sentMailDays' | 'auditLogMonths' | 'feedbackCommentMonths', number>> } | undefined} authority
 */
export function retentionPolicy(authority) {
  return {
    requestMonths: authority?.requests?.retentionMonths ?? RETENTION_DEFAULTS.requestMonths,
    sentMailDays: authority?.retention?.sentMailDays ?? RETENTION_DEFAULTS.sentMailDays,
    auditLogMonths: authority?.retention?.auditLogMonths ?? RETENTION_DEFAULTS.auditLogMonths,
    feedbackCommentMonths: authority?.retention?.feedbackCommentMonths ?? RETENTION_DEFAULTS.feedbackCommentMonths,
  };
}

/**
 * The periods of the authority whose content is in `root` (content/authority.json). Without
 * that file nothing is known of the promises made to residents: the job must not run.
 */
export function loadRetentionPolicy(root = process.cwd()) {
  const file = resolve(root, 'content/authority.json');
  let authority;
  try {
    authority = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`cannot read ${file}: ${error instanceof Error ? error.message : error}`);
  }
  return retentionPolicy(authority);
}

const ANONYMOUS = 'Anonymisé';
const BATCH = 50;

/**
 * A pause between two batches, as long as the batch took (at least 5 ms): SQLite works on this
 * process's main thread, so the requests being served here (and, for the write lock, in other
 * processes) get at least half of the time while a backlog is worked through, and the batch's
 * memory is freed.
 * @param {number} since when the batch started (performance.now())
 */
const breather = (since) => new Promise((resolve) => setTimeout(resolve, Math.max(5, performance.now() - since)));

/**
 * Removes the personal data of the requests in `ids` (numbers) in one transaction of `client`
 * (@libsql/client). Used by the retention job and by an administrator's erasure.
 * @param {import('@libsql/client').Transaction} tx
 * @param {number[]} ids
 * @param {number} now
 */
export async function anonymizeRequests(tx, ids, now) {
  if (ids.length === 0) return;
  const list = ids.map((id) => Number(id)).filter(Number.isInteger).join(',');
  await tx.batch([
    // The description and whatever else the person wrote; procedure and category stay (counted).
    `update requests set description = '${ANONYMOUS}', stage = null, needs_language = null, callback_slots = null, anonymized_at = ${Number(now)} where id in (${list})`,
    `update messages set body = '', author_name = case when author = 'requester' then null else author_name end where request_id in (${list})`,
    `delete from attachments where request_id in (${list}) or message_id in (select id from messages where request_id in (${list}))`,
    `delete from request_access_tokens where request_id in (${list})`,
    `delete from mail_outbox where request_id in (${list})`,
    // What tied mail to the request (Message-IDs) and who wrote to the mailbox.
    `delete from mail_threads where request_id in (${list})`,
    `update inbound_mails set from_address = null where request_id in (${list})`,
    `delete from request_drafts where request_id in (${list})`,
    `update satisfaction set comment = null where request_id in (${list})`,
    // The person, once none of their requests keeps data (a helper keeps a placeholder name,
    // which the table requires; a staff member's service is not personal).
    `update requesters set name = '${ANONYMOUS}', email = null, phone = null,
       helper_name = case when kind = 'helper' then '${ANONYMOUS}' else null end, helper_organisation = null
     where id in (select requester_id from requests where id in (${list}))
       and not exists (select 1 from requests r where r.requester_id = requesters.id and r.anonymized_at is null)`,
  ]);
}

/**
 * Applies `policy` at `now`: anonymises the requests past their period, deletes old sent
 * mails and audit entries, clears old comments. Returns what it did, in counts.
 * @param {import('@libsql/client').Client} client
 * @param {ReturnType<typeof retentionPolicy>} policy
 */
export async function applyRetention(client, policy, now = Date.now()) {
  const done = { requests: 0, mails: 0, auditEntries: 0, comments: 0, subscriptions: 0 };
  const requestCutoff = now - policy.requestMonths * MONTH;
  for (;;) {
    const started = performance.now();
    const due = await client.execute({
      sql: `select id from requests where anonymized_at is null and resolved_at < ? and status in ('resolved', 'closed') limit ${BATCH}`,
      args: [requestCutoff],
    });
    if (due.rows.length === 0) break;
    const tx = await client.transaction('write');
    try {
      await anonymizeRequests(tx, due.rows.map((row) => Number(row.id)), now);
      await tx.commit();
    } finally {
      tx.close();
    }
    done.requests += due.rows.length;
    await breather(started);
  }
  // The rest in batches too, so that a first run on a large backlog neither holds the write
  // lock for long nor builds a large transaction.
  const inBatches = async (/** @type {string} */ sql, /** @type {number} */ cutoff) => {
    let affected = 0;
    for (;;) {
      const started = performance.now();
      const result = await client.execute({ sql, args: [cutoff, BATCH * 10] });
      affected += result.rowsAffected;
      if (result.rowsAffected < BATCH * 10) return affected;
      await breather(started);
    }
  };
  done.mails = await inBatches("delete from mail_outbox where id in (select id from mail_outbox where status = 'sent' and sent_at < ? limit ?)", now - policy.sentMailDays * DAY);
  // The senders of the messages read from the mailbox (those set aside included), as long as sent mails are kept.
  done.mails += await inBatches('update inbound_mails set from_address = null where id in (select id from inbound_mails where from_address is not null and received_at < ? limit ?)', now - policy.sentMailDays * DAY);
  done.auditEntries = await inBatches('delete from audit_log where id in (select id from audit_log where at < ? limit ?)', now - policy.auditLogMonths * MONTH);
  done.comments = await inBatches('update article_feedback set comment = null where id in (select id from article_feedback where comment is not null and created_at < ? limit ?)', now - policy.feedbackCommentMonths * MONTH);
  // Phone numbers left to be told a known problem was fixed, a month after it was (nobody called).
  done.subscriptions = await inBatches(
    "delete from known_problem_subscriptions where id in (select s.id from known_problem_subscriptions s join known_problems p on p.id = s.problem_id where p.status = 'closed' and p.closed_at < ? limit ?)",
    now - 30 * DAY,
  );
  if (done.requests + done.mails + done.auditEntries + done.comments + done.subscriptions > 0) {
    await client.execute({
      sql: "insert into audit_log (at, agent_id, actor_name, action, request_id, details) values (?, null, null, 'retention', null, ?)",
      args: [now, JSON.stringify({ ...done, policy })],
    });
  }
  return done;
}
