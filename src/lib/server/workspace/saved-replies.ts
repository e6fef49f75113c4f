import { asc, eq } from 'drizzle-orm';
import { savedReplies } from '../../../../db/schema';
import type { Locale } from '../../../i18n/routes';
import { type Actor, recordAudit } from '../audit';
import type { Db } from '../db';

/** Saved replies, by language and title; `locale`: only those written in that language (a request's). */
export const listSavedReplies = (db: Db, locale?: Locale) =>
  db
    .select()
    .from(savedReplies)
    .where(locale ? eq(savedReplies.locale, locale) : undefined)
    .orderBy(asc(savedReplies.locale), asc(savedReplies.title));

export async function findSavedReply(db: Db, id: number) {
  const [row] = await db.select().from(savedReplies).where(eq(savedReplies.id, id));
  return row;
}

export async function saveSavedReply(db: Db, actor: Actor, input: { id?: number; title: string; body: string; locale: Locale }, now: number = Date.now()) {
  return db.transaction(async (tx) => {
    if (input.id) {
      const updated = await tx.update(savedReplies).set({ title: input.title, body: input.body, locale: input.locale, updatedAt: new Date(now) }).where(eq(savedReplies.id, input.id)).returning({ id: savedReplies.id });
      if (updated.length === 0) return undefined;
      await recordAudit(tx, actor, 'admin.saved-reply.update', { now, details: { title: input.title } });
      return input.id;
    }
    const [row] = await tx.insert(savedReplies).values({ title: input.title, body: input.body, locale: input.locale, updatedAt: new Date(now) }).returning({ id: savedReplies.id });
    await recordAudit(tx, actor, 'admin.saved-reply.create', { now, details: { title: input.title } });
    return row!.id;
  });
}

export async function deleteSavedReply(db: Db, actor: Actor, id: number, now: number = Date.now()) {
  return db.transaction(async (tx) => {
    const [row] = await tx.delete(savedReplies).where(eq(savedReplies.id, id)).returning({ title: savedReplies.title });
    if (row) await recordAudit(tx, actor, 'admin.saved-reply.delete', { now, details: { title: row.title } });
    return Boolean(row);
  });
}
