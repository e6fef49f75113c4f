// A person's rights over their data (GDPR articles 15 and 17): an administrator finds what is
// held about someone by their email address or phone number, exports all of it as one file, or
// erases it. Each action is written to the audit log — in counts and references, never with the
// contact searched for.
import { type SQL, sql } from 'drizzle-orm';
import { anonymizeRequests } from '../../../db/retention.mjs';
import { isValidEmail, isValidPhone, normalizePhone } from '../request-form';
import { type Actor, type AuditAction, recordAudit } from './audit';
import type { Db } from './db';

export type Contact = { email: string } | { phone: string };

/** An email address or a phone number as typed, or undefined when it is neither. */
export function parseContact(input: string): Contact | undefined {
  const value = input.trim();
  if (isValidEmail(value)) return { email: value.toLowerCase() };
  if (isValidPhone(value)) return { phone: normalizePhone(value) };
  return undefined;
}

const matchSql = (contact: Contact) => ('email' in contact ? { sql: 'lower(p.email) = ?', arg: contact.email } : { sql: 'p.phone = ?', arg: contact.phone });

export interface PersonRequest {
  id: number;
  reference: string;
  status: string;
  createdAt: number;
  anonymized: boolean;
}

/** The requests made by, or for, the person with this contact. */
export async function personRequests(db: Db, contact: Contact): Promise<PersonRequest[]> {
  const match = matchSql(contact);
  const rows = await db.$client.execute({
    sql: `select r.id, r.reference, r.status, r.created_at, r.anonymized_at from requests r join requesters p on p.id = r.requester_id where ${match.sql} order by r.created_at desc`,
    args: [match.arg],
  });
  return rows.rows.map((r) => ({ id: Number(r.id), reference: String(r.reference), status: String(r.status), createdAt: Number(r.created_at), anonymized: r.anonymized_at !== null }));
}

/** The rows a query over a list of request ids returns; the ids are bound as parameters. */
const rowsOf = async (db: Db, query: (ids: SQL) => SQL, ids: number[]): Promise<Record<string, unknown>[]> =>
  ids.length === 0 ? [] : db.all<Record<string, unknown>>(query(sql.join(ids.map((id) => sql`${id}`), sql`, `)));

/**
 * Everything held about the person, as plain data: who they are, their requests with the
 * conversation (internal notes included: they are about the person too), files (content in
 * base64), history, satisfaction answers and the mails sent to them.
 */
export async function exportPerson(db: Db, actor: Actor, contact: Contact, now: number = Date.now()) {
  const requests = await personRequests(db, contact);
  const ids = requests.map((r) => r.id);
  const match = matchSql(contact);
  const people = (await db.$client.execute({ sql: `select p.* from requesters p where ${match.sql}`, args: [match.arg] })).rows.map((row) => ({ ...row }));
  const data = {
    exportedAt: new Date(now).toISOString(),
    contact,
    people,
    requests: await rowsOf(db, (list) => sql`select * from requests where id in (${list}) order by created_at`, ids),
    messages: await rowsOf(db, (list) => sql`select * from messages where request_id in (${list}) order by created_at, id`, ids),
    files: (await rowsOf(db, (list) => sql`select id, request_id, message_id, file_name, content_type, size, created_at, data from attachments where request_id in (${list}) order by id`, ids)).map((file) => ({
      ...file,
      data: Buffer.from(file.data as ArrayBuffer).toString('base64'),
    })),
    history: await rowsOf(db, (list) => sql`select * from status_history where request_id in (${list}) order by id`, ids),
    satisfaction: await rowsOf(db, (list) => sql`select * from satisfaction where request_id in (${list})`, ids),
    mails:
      'email' in contact
        ? (await db.$client.execute({ sql: 'select kind, to_address, subject, text_body, status, created_at, sent_at from mail_outbox where lower(to_address) = ? order by id', args: [contact.email] })).rows.map((row) => ({ ...row }))
        : [],
  };
  await recordAudit(db, actor, 'privacy.export', { now, details: { requests: requests.length, references: requests.map((r) => r.reference).join(' ') } });
  return data;
}

/**
 * Erases the person's data: every request of theirs is anonymised as the retention job does
 * (and closed if it was still being handled), mails to their address are deleted. Returns how
 * many requests were erased.
 */
export async function erasePerson(db: Db, actor: Actor, contact: Contact, now: number = Date.now()): Promise<number> {
  const requests = await personRequests(db, contact);
  const ids = requests.map((r) => r.id);
  const tx = await db.$client.transaction('write');
  try {
    if (ids.length > 0) {
      await tx.execute(`update requests set status = 'closed', closed_at = ${now}, resolved_at = coalesce(resolved_at, ${now}), updated_at = ${now} where id in (${ids.join(',')}) and status <> 'closed'`);
      await anonymizeRequests(tx, ids, now);
    }
    if ('email' in contact) {
      await tx.execute({ sql: 'delete from mail_outbox where lower(to_address) = ?', args: [contact.email] });
      await tx.execute({ sql: 'update inbound_mails set from_address = null where from_address = ?', args: [contact.email] });
    }
    // In the same transaction (recordAudit writes through drizzle, outside it).
    const action: AuditAction = 'privacy.erase';
    await tx.execute({
      sql: 'insert into audit_log (at, agent_id, actor_name, action, request_id, details) values (?, ?, ?, ?, null, ?)',
      args: [now, actor.id, actor.name, action, JSON.stringify({ requests: ids.length, references: requests.map((r) => r.reference).join(' ') })],
    });
    await tx.commit();
  } finally {
    tx.close();
  }
  return ids.length;
}
