/**
 * Announcements to residents ("From 5 January, canteen registration is online — here is how,
 * and where to get help"): written by administrators, shown on the home page from their first
 * to their last day (Paris days, inclusive), listed on their own page and in an Atom feed. A
 * change is told to every server like a help change (the cached home pages are dropped), and the
 * home page is cached no longer than the next midnight at which one starts or ends.
 */
import { and, desc, eq, gte, isNull, lte, or } from 'drizzle-orm';
import { ANNOUNCEMENT_LIMITS, announcements, helpChanges } from '../../../db/schema';
import type { Locale } from '../../i18n/routes';
import { type Actor, recordAudit } from './audit';
import { isoDate } from './workspace/calendar-form';
import type { Db } from './db';
import { checkedText, type FieldProblem } from './form-text';
import { addDays, dayStart, parisDay } from './evaluation/period';
import { ANNOUNCEMENTS_TAG } from './help/change-tags';

export { ANNOUNCEMENTS_TAG };

export type Announcement = typeof announcements.$inferSelect;
export interface AnnouncementInput {
  locale: Locale;
  title: string;
  body: string;
  startsOn: string;
  endsOn: string | null;
}

type Values = { get(name: string): string };
type Problem = FieldProblem;

/** A day typed as 2027-01-05 (a date field) or 05/01/2027; undefined when it is not a real day. */
export function readDay(value: string): string | undefined {
  const typed = value.trim();
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(typed);
  if (iso) return isoDate(iso[3]!, iso[2]!, iso[1]!);
  const french = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(typed);
  return french ? isoDate(french[1]!, french[2]!, french[3]!) : undefined;
}

/** The form, checked: a message next to each field, or the announcement. */
export function validateAnnouncement(values: Values): { ok: true; input: AnnouncementInput } | { ok: false; errors: Problem[] } {
  const errors: Problem[] = [];
  const locale = values.get('locale') === 'en' ? 'en' : values.get('locale') === 'fr' ? 'fr' : undefined;
  if (!locale) errors.push({ field: 'locale', message: 'agent.announcements.errors.locale' });
  const title = checkedText(values, errors, 'title', ANNOUNCEMENT_LIMITS.title, { required: 'agent.announcements.errors.titleRequired' });
  const body = checkedText(values, errors, 'body', ANNOUNCEMENT_LIMITS.body, { required: 'agent.announcements.errors.bodyRequired', multiline: true });
  const startsOn = readDay(values.get('starts'));
  if (!startsOn) errors.push({ field: 'starts', message: values.get('starts').trim() ? 'agent.announcements.errors.day' : 'agent.announcements.errors.startsRequired' });
  const endsTyped = values.get('ends').trim();
  const endsOn = endsTyped ? readDay(endsTyped) : null;
  if (endsOn === undefined) errors.push({ field: 'ends', message: 'agent.announcements.errors.day' });
  else if (endsOn && startsOn && endsOn < startsOn) errors.push({ field: 'ends', message: 'agent.announcements.errors.endsBefore' });
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, input: { locale: locale!, title, body, startsOn: startsOn!, endsOn: endsOn ?? null } };
}

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
/** Every server drops its cached home pages (the help changes' channel, with a tag of its own). */
const tellServers = (tx: Tx, now: number) => tx.insert(helpChanges).values({ entryId: null, tags: [ANNOUNCEMENTS_TAG], at: new Date(now) });

/** Creates (no `id`) or changes an announcement; audit-logged; false when `id` does not exist. */
export async function saveAnnouncement(db: Db, actor: Actor, input: AnnouncementInput, id?: number, now: number = Date.now()): Promise<number | false> {
  return db.transaction(async (tx) => {
    let saved: number | undefined;
    if (id === undefined) {
      const [row] = await tx.insert(announcements).values({ ...input, createdBy: actor.id, createdAt: new Date(now), updatedAt: new Date(now) }).returning({ id: announcements.id });
      saved = row?.id;
    } else {
      const [row] = await tx.update(announcements).set({ ...input, updatedAt: new Date(now) }).where(eq(announcements.id, id)).returning({ id: announcements.id });
      saved = row?.id;
    }
    if (saved === undefined) return false;
    await recordAudit(tx, actor, 'admin.announcement', { now, details: { id: saved, title: input.title, startsOn: input.startsOn, endsOn: input.endsOn, change: id === undefined ? 'create' : 'update' } });
    await tellServers(tx, now);
    return saved;
  });
}

export async function deleteAnnouncement(db: Db, actor: Actor, id: number, now: number = Date.now()): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [row] = await tx.delete(announcements).where(eq(announcements.id, id)).returning({ id: announcements.id, title: announcements.title });
    if (!row) return false;
    await recordAudit(tx, actor, 'admin.announcement', { now, details: { id, title: row.title, change: 'delete' } });
    await tellServers(tx, now);
    return true;
  });
}

/** Every announcement, for the administrators' list: the latest first. */
export const allAnnouncements = (db: Db) => db.select().from(announcements).orderBy(desc(announcements.startsOn), desc(announcements.id));

export const findAnnouncement = async (db: Db, id: number) => (await db.select().from(announcements).where(eq(announcements.id, id)))[0];

/** Where an announcement stands on a day: not yet shown, shown, or over. */
export const announcementState = (a: Pick<Announcement, 'startsOn' | 'endsOn'>, today: string): 'upcoming' | 'current' | 'past' =>
  a.startsOn > today ? 'upcoming' : a.endsOn !== null && a.endsOn < today ? 'past' : 'current';

/** What residents see in a language: the announcements of the day, and those over in the last year. */
export async function publicAnnouncements(db: Db, locale: Locale, now: number = Date.now()): Promise<{ current: Announcement[]; past: Announcement[] }> {
  const today = parisDay(new Date(now));
  const rows = await db
    .select()
    .from(announcements)
    .where(and(eq(announcements.locale, locale), lte(announcements.startsOn, today), or(isNull(announcements.endsOn), gte(announcements.endsOn, addDays(today, -365)))))
    .orderBy(desc(announcements.startsOn), desc(announcements.id));
  return { current: rows.filter((a) => announcementState(a, today) === 'current'), past: rows.filter((a) => announcementState(a, today) === 'past') };
}

/**
 * Seconds until the next Paris midnight at which an announcement of `locale` starts or stops
 * being shown (at most `max`): how long a page showing them may be cached.
 */
export async function secondsUntilNextChange(db: Db, locale: Locale, max: number, now: number = Date.now()): Promise<number> {
  const today = parisDay(new Date(now));
  const rows = await db.select({ startsOn: announcements.startsOn, endsOn: announcements.endsOn }).from(announcements).where(and(eq(announcements.locale, locale), or(gte(announcements.startsOn, today), gte(announcements.endsOn, today))));
  const days = rows.flatMap((a) => [a.startsOn > today ? a.startsOn : undefined, a.endsOn !== null && a.endsOn >= today ? addDays(a.endsOn, 1) : undefined]).filter((d): d is string => d !== undefined);
  if (days.length === 0) return max;
  const next = dayStart(days.sort()[0]!).getTime();
  return Math.max(1, Math.min(max, Math.ceil((next - now) / 1000)));
}
