import { and, asc, eq, isNull, lt, lte, or, sql } from 'drizzle-orm';
import { randomBytes } from 'node:crypto';
import { mailOutbox, mailThreads } from '../../../../db/schema';
import type { Db } from '../db';
import type { Mail } from './templates';

type Writer = Pick<Db, 'insert'>;

/** The domain of the sender's address (MAIL_FROM), for the Message-IDs of the mails sent. */
export function senderDomain(env: NodeJS.ProcessEnv = process.env): string {
  const address = env.MAIL_FROM?.trim().match(/@([A-Za-z0-9.-]+)>?\s*$/);
  return address?.[1]?.toLowerCase() || 'guichet.invalid';
}

/** A new Message-ID: random, so that an answer naming it in `In-Reply-To` cannot be forged. */
export const newMessageId = () => `<${randomBytes(16).toString('hex')}@${senderDomain()}>`;

/**
 * Queues a mail; called inside the transaction that makes it necessary, so it is never lost.
 * A mail about a request gets a Message-ID remembered with the request, so that an answer to it
 * from the resident's mailbox joins the request (when a mailbox is connected).
 */
export async function enqueueMail(
  db: Writer,
  mail: Mail & { to: string; kind: string; locale: 'fr' | 'en'; requestId?: number; replyTo?: string | null },
  now: number = Date.now(),
): Promise<void> {
  const messageId = newMessageId();
  if (mail.requestId) await db.insert(mailThreads).values({ messageId, requestId: mail.requestId, createdAt: new Date(now) });
  await db.insert(mailOutbox).values({
    messageId,
    replyTo: mail.replyTo ?? null,
    requestId: mail.requestId ?? null,
    kind: mail.kind,
    locale: mail.locale,
    toAddress: mail.to,
    subject: mail.subject,
    textBody: mail.text,
    htmlBody: mail.html,
    status: 'pending',
    attempts: 0,
    nextAttemptAt: new Date(now),
    createdAt: new Date(now),
  });
}

/** Delay before the next try: one minute, doubling, at most an hour; it never gives up. */
export const retryDelay = (attempts: number) => Math.min(60_000 * 2 ** Math.max(0, attempts - 1), 60 * 60_000);

const LEASE_MS = 2 * 60_000;

/**
 * Takes up to `limit` mails due for sending, leasing each one so that another server does
 * not send it at the same time. A lease that runs out (a server died mid-send) frees the mail.
 */
export async function claimDueMails(db: Db, now: number, limit = 20) {
  const due = await db
    .select({ id: mailOutbox.id })
    .from(mailOutbox)
    .where(and(eq(mailOutbox.status, 'pending'), lte(mailOutbox.nextAttemptAt, new Date(now)), or(isNull(mailOutbox.lockedUntil), lt(mailOutbox.lockedUntil, new Date(now)))))
    .orderBy(asc(mailOutbox.nextAttemptAt))
    .limit(limit);
  const claimed = [];
  for (const { id } of due) {
    const [row] = await db
      .update(mailOutbox)
      .set({ lockedUntil: new Date(now + LEASE_MS) })
      .where(and(eq(mailOutbox.id, id), eq(mailOutbox.status, 'pending'), or(isNull(mailOutbox.lockedUntil), lt(mailOutbox.lockedUntil, new Date(now)))))
      .returning();
    if (row) claimed.push(row);
  }
  return claimed;
}

/** Private links are removed from a mail once it has left: the outbox is not a store of secrets. */
export const redactLinks = (body: string) => body.replace(/(\/(?:suivi|en\/track|agent\/mot-de-passe)\/)[a-z2-7]{52}\//g, '$1…/');

export async function markSent(db: Db, mail: { id: number; textBody: string; htmlBody: string }, now: number) {
  await db
    .update(mailOutbox)
    .set({
      status: 'sent',
      sentAt: new Date(now),
      lockedUntil: null,
      lastError: null,
      attempts: sql`${mailOutbox.attempts} + 1`,
      textBody: redactLinks(mail.textBody),
      htmlBody: redactLinks(mail.htmlBody),
    })
    .where(eq(mailOutbox.id, mail.id));
}

export async function markFailed(db: Db, id: number, attempts: number, error: string, now: number) {
  await db
    .update(mailOutbox)
    .set({ attempts: attempts + 1, lockedUntil: null, lastError: error.slice(0, 500), nextAttemptAt: new Date(now + retryDelay(attempts + 1)) })
    .where(eq(mailOutbox.id, id));
}
