/**
 * The support team's workflow on help content: save a revision (a draft), submit it for
 * review, publish it, withdraw an entry, restore an old revision as a new draft. Every step is
 * audit-logged; publishing and withdrawing add a `help_changes` row that every server reads
 * within a second (pages dropped from the cache, search index rebuilt).
 *
 * A save carries the revision its author started from: when someone else saved since, nothing
 * is overwritten and the caller gets both texts to show side by side.
 */
import { and, desc, eq, isNotNull, sql } from 'drizzle-orm';
import { type HELP_ORIGINS, type HelpKind, type HelpState, helpChanges, helpEntries, helpRevisions } from '../../../../db/schema';
import type { Locale } from '../../../i18n/routes';
import { contentDir } from '../../content-paths';
import { recordAudit, type Actor } from '../audit';
import type { Db } from '../db';
import { checkHelpChanges } from './changes';
import { sourceHtml } from './render';
import { changeTags, checkContext } from './store';
import { checkSource, type Problem } from './validate';

export interface EntryRow {
  id: number;
  kind: HelpKind;
  locale: Locale;
  slug: string;
  state: HelpState;
  headRevisionId: number | null;
  publishedRevisionId: number | null;
  translationOf: string | null;
  publishedAt: Date | null;
  updatedAt: Date;
}

export interface RevisionRow {
  id: number;
  entryId: number;
  baseRevisionId: number | null;
  source: string;
  html: string | null;
  authorName: string | null;
  note: string | null;
  origin: (typeof HELP_ORIGINS)[number];
  createdAt: Date;
}

const entryColumns = {
  id: helpEntries.id,
  kind: helpEntries.kind,
  locale: helpEntries.locale,
  slug: helpEntries.slug,
  state: helpEntries.state,
  headRevisionId: helpEntries.headRevisionId,
  publishedRevisionId: helpEntries.publishedRevisionId,
  translationOf: helpEntries.translationOf,
  publishedAt: helpEntries.publishedAt,
  updatedAt: helpEntries.updatedAt,
};

export async function findEntry(db: Db, id: number): Promise<EntryRow | undefined> {
  const [row] = await db.select(entryColumns).from(helpEntries).where(eq(helpEntries.id, id));
  return row;
}

export async function findEntryBySlug(db: Db, kind: HelpKind, locale: Locale, slug: string): Promise<EntryRow | undefined> {
  const [row] = await db.select(entryColumns).from(helpEntries).where(and(eq(helpEntries.kind, kind), eq(helpEntries.locale, locale), eq(helpEntries.slug, slug)));
  return row;
}

export async function findRevision(db: Db, id: number): Promise<RevisionRow | undefined> {
  const [row] = await db.select().from(helpRevisions).where(eq(helpRevisions.id, id));
  return row;
}

/** Every revision of an entry, newest first. */
export async function entryHistory(db: Db, entryId: number): Promise<RevisionRow[]> {
  return db.select().from(helpRevisions).where(eq(helpRevisions.entryId, entryId)).orderBy(desc(helpRevisions.id));
}

export interface EntryListItem extends EntryRow {
  /** The question, title, term or name, as the head revision says it. */
  title: string;
  /** The French entry changed (published) after this translation was. */
  translationOutOfDate: boolean;
}

/** An entry's title read from its text without parsing all of it (for long lists). */
export function titleOf(source: string): string {
  const match = /^(?:question|title|term|name):[ \t]*(.+)$/m.exec(source);
  if (!match) return '';
  const value = match[1]!.trim();
  return /^(["']).*\1$/.test(value) ? value.slice(1, -1).replace(/\\"/g, '"').replace(/''/g, "'") : value;
}

/** The entries of the workspace's list, most recently changed first. */
export async function listEntries(db: Db, filter: { kind?: HelpKind; state?: HelpState; locale?: Locale; text?: string } = {}): Promise<EntryListItem[]> {
  const rows = await db
    // The title is on the first lines of the text: the rest is not read for a list.
    .select({ ...entryColumns, source: sql<string | null>`substr(${helpRevisions.source}, 1, 600)` })
    .from(helpEntries)
    .leftJoin(helpRevisions, eq(helpRevisions.id, helpEntries.headRevisionId))
    .where(and(filter.kind ? eq(helpEntries.kind, filter.kind) : undefined, filter.state ? eq(helpEntries.state, filter.state) : undefined, filter.locale ? eq(helpEntries.locale, filter.locale) : undefined))
    .orderBy(desc(helpEntries.updatedAt), helpEntries.slug);
  const french = new Map(
    (await db.select({ kind: helpEntries.kind, slug: helpEntries.slug, publishedAt: helpEntries.publishedAt }).from(helpEntries).where(eq(helpEntries.locale, 'fr'))).map((r) => [`${r.kind}:${r.slug}`, r.publishedAt]),
  );
  const list = rows.map(({ source, ...row }) => ({ ...row, title: titleOf(source ?? '') || row.slug, translationOutOfDate: isOutOfDate(row, french.get(`${row.kind}:${row.translationOf}`)) }));
  const words = fold(filter.text ?? '').split(/\s+/).filter(Boolean);
  return words.length === 0 ? list : list.filter((entry) => words.every((word) => fold(`${entry.title} ${entry.slug}`).includes(word)));
}

/** Case and accents ignored, as residents' search does. */
const fold = (text: string) => text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();

function isOutOfDate(row: EntryRow, frenchPublishedAt: Date | null | undefined): boolean {
  if (row.locale !== 'en' || !row.translationOf || !row.publishedAt || !frenchPublishedAt) return false;
  return frenchPublishedAt.getTime() > row.publishedAt.getTime();
}

/** Whether an English entry's French original was published after it. */
export async function translationOutOfDate(db: Db, entry: EntryRow): Promise<boolean> {
  if (entry.locale !== 'en' || !entry.translationOf) return false;
  const original = await findEntryBySlug(db, entry.kind, 'fr', entry.translationOf);
  return isOutOfDate(entry, original?.publishedAt);
}

/** The checks of a text as it would be published now (published topics and pages, plus this entry). */
export async function checkEntrySource(db: Db, entry: { kind: HelpKind; locale: Locale; slug: string }, source: string) {
  const published = await db
    .select({ kind: helpEntries.kind, locale: helpEntries.locale, slug: helpEntries.slug })
    .from(helpEntries)
    .where(isNotNull(helpEntries.publishedRevisionId));
  const context = await checkContext(db, contentDir(), [...published, entry]);
  return checkSource(entry.kind, source, context);
}

export type SaveResult =
  | { ok: true; entryId: number; revisionId: number }
  | { ok: false; problems: Problem[] }
  | { ok: false; conflict: { theirs: RevisionRow; mine: string } }
  | { ok: false; slugTaken: true };

export const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/**
 * Saves `source` as the entry's new head revision (a draft). A new entry (no `entryId`) gets
 * `slug`. Nothing is written when the checks fail or someone saved since `baseRevisionId`.
 */
export async function saveRevision(
  db: Db,
  actor: Actor,
  input: { entryId?: number; kind: HelpKind; locale: Locale; slug: string; source: string; baseRevisionId: number | null; note?: string; origin?: 'editor' | 'restore' },
): Promise<SaveResult> {
  const source = input.source.replace(/\r\n/g, '\n');
  const existing = input.entryId ? await findEntry(db, input.entryId) : undefined;
  if (input.entryId && !existing) throw new Error(`help entry ${input.entryId} not found`);
  const target = existing ?? { kind: input.kind, locale: input.locale, slug: input.slug };
  const checked = await checkEntrySource(db, target, source);
  if (!checked.ok) return { ok: false, problems: checked.problems };
  const now = new Date();
  return db.transaction(async (tx) => {
    let entryId = existing?.id;
    if (existing) {
      const [fresh] = await tx.select({ head: helpEntries.headRevisionId }).from(helpEntries).where(eq(helpEntries.id, existing.id));
      if (fresh?.head !== input.baseRevisionId) {
        const [theirs] = await tx.select().from(helpRevisions).where(eq(helpRevisions.id, fresh!.head!));
        return { ok: false as const, conflict: { theirs: theirs!, mine: source } };
      }
    } else {
      const [taken] = await tx.select({ id: helpEntries.id }).from(helpEntries).where(and(eq(helpEntries.kind, input.kind), eq(helpEntries.locale, input.locale), eq(helpEntries.slug, input.slug)));
      if (taken) return { ok: false as const, slugTaken: true as const };
      const [created] = await tx.insert(helpEntries).values({ kind: input.kind, locale: input.locale, slug: input.slug, state: 'draft', createdAt: now, updatedAt: now }).returning({ id: helpEntries.id });
      entryId = created!.id;
    }
    const [revision] = await tx
      .insert(helpRevisions)
      .values({ entryId: entryId!, baseRevisionId: input.baseRevisionId, source, html: sourceHtml(target.kind, source), authorId: actor.id, authorName: actor.name, note: input.note?.trim() || null, origin: input.origin ?? 'editor', createdAt: now })
      .returning({ id: helpRevisions.id });
    await tx.update(helpEntries).set({ headRevisionId: revision!.id, state: 'draft', updatedAt: now }).where(eq(helpEntries.id, entryId!));
    await recordAudit(tx, actor, input.origin === 'restore' ? 'help.restore' : existing ? 'help.save' : 'help.create', {
      details: { entry: `${target.kind}:${target.locale}/${target.slug}`, revision: revision!.id },
    });
    return { ok: true as const, entryId: entryId!, revisionId: revision!.id };
  });
}

/** Why a step was refused: the head moved on, or the entry is not in a state for it. */
export type StepResult = { ok: true } | { ok: false; reason: 'stale' | 'state' } | { ok: false; problems: Problem[] };

export async function submitForReview(db: Db, actor: Actor, entryId: number, revisionId: number): Promise<StepResult> {
  const entry = await findEntry(db, entryId);
  if (!entry || entry.headRevisionId !== revisionId) return { ok: false, reason: 'stale' };
  if (entry.state !== 'draft') return { ok: false, reason: 'state' };
  await db.transaction(async (tx) => {
    await tx.update(helpEntries).set({ state: 'review', updatedAt: new Date() }).where(eq(helpEntries.id, entryId));
    await recordAudit(tx, actor, 'help.submit', { details: { entry: `${entry.kind}:${entry.locale}/${entry.slug}`, revision: revisionId } });
  });
  return { ok: true };
}

/** Publishes the head revision `revisionId` (checked again: a topic or page it needs may have gone since). */
export async function publishRevision(db: Db, actor: Actor, entryId: number, revisionId: number): Promise<StepResult> {
  const entry = await findEntry(db, entryId);
  if (!entry || entry.headRevisionId !== revisionId) return { ok: false, reason: 'stale' };
  if (entry.state === 'published' && entry.publishedRevisionId === revisionId) return { ok: false, reason: 'state' };
  const revision = (await findRevision(db, revisionId))!;
  const checked = await checkEntrySource(db, entry, revision.source);
  if (!checked.ok) return { ok: false, problems: checked.problems };
  const before = entry.publishedRevisionId ? (await findRevision(db, entry.publishedRevisionId))?.source : undefined;
  const now = new Date();
  await db.transaction(async (tx) => {
    await tx
      .update(helpEntries)
      .set({
        state: 'published',
        publishedRevisionId: revisionId,
        publishedAt: now,
        translationOf: typeof checked.data.translationOf === 'string' ? checked.data.translationOf : null,
        updatedAt: now,
      })
      .where(eq(helpEntries.id, entryId));
    await tx.insert(helpChanges).values({ entryId, tags: changeTags(entry.kind, entry.locale, entry.slug, [before, revision.source]), at: now });
    await recordAudit(tx, actor, 'help.publish', { details: { entry: `${entry.kind}:${entry.locale}/${entry.slug}`, revision: revisionId } });
  });
  // This process sees its own publish at once; the others within a second.
  await checkHelpChanges(0, db);
  return { ok: true };
}

/** Takes an entry off the site: its pages answer 410 and it leaves the search index. */
export async function withdrawEntry(db: Db, actor: Actor, entryId: number): Promise<StepResult> {
  const entry = await findEntry(db, entryId);
  if (!entry) return { ok: false, reason: 'stale' };
  if (entry.publishedRevisionId === null) return { ok: false, reason: 'state' };
  const before = (await findRevision(db, entry.publishedRevisionId))?.source;
  const now = new Date();
  await db.transaction(async (tx) => {
    await tx.update(helpEntries).set({ state: 'withdrawn', publishedRevisionId: null, updatedAt: now }).where(eq(helpEntries.id, entryId));
    await tx.insert(helpChanges).values({ entryId, tags: changeTags(entry.kind, entry.locale, entry.slug, [before]), at: now });
    await recordAudit(tx, actor, 'help.withdraw', { details: { entry: `${entry.kind}:${entry.locale}/${entry.slug}` } });
  });
  await checkHelpChanges(0, db);
  return { ok: true };
}

/** An old revision's text as a new draft on top of the head. */
export async function restoreRevision(db: Db, actor: Actor, entryId: number, revisionId: number): Promise<SaveResult> {
  const entry = await findEntry(db, entryId);
  const revision = await findRevision(db, revisionId);
  if (!entry || !revision || revision.entryId !== entryId) throw new Error('revision not found');
  return saveRevision(db, actor, { entryId, kind: entry.kind, locale: entry.locale, slug: entry.slug, source: revision.source, baseRevisionId: entry.headRevisionId, note: `#${revisionId}`, origin: 'restore' });
}
