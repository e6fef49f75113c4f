/**
 * The help content residents see: the published revision of every entry, read from the
 * database, parsed and checked once per revision, and kept in memory until a change is seen
 * (./changes.ts). Pages, search and reports read it through src/lib/server/catalog.ts.
 */
import { eq, inArray } from 'drizzle-orm';
import type { z } from 'astro/zod';
import { type HelpKind, helpEntries, helpRevisions } from '../../../../db/schema';
import type { Locale } from '../../../i18n/routes';
import { faqSchema, glossarySchema, placeSchema, topicSchema, tutorialSchema } from '../../../schemas/content';
import { getDb } from '../db';
import { checkHelpChanges, onHelpChange } from './changes';
import { onlyNotices } from './change-tags';
import { renderMarkdown } from './render';
import { parseSource } from './source';

// Read without the cross-checks (topics, links, images): those ran when the revision was published.
export const readSchemas = {
  faq: faqSchema(),
  tutorial: tutorialSchema(),
  topic: topicSchema,
  glossary: glossarySchema,
  place: placeSchema,
} as const;

export type HelpData<K extends HelpKind> = z.output<(typeof readSchemas)[K]>;

export interface HelpItem<K extends HelpKind = HelpKind> {
  kind: K;
  entryId: number;
  revisionId: number;
  locale: Locale;
  slug: string;
  /** `fr/slug`, as content collection ids were (feedback and reports keep using them). */
  id: string;
  data: HelpData<K>;
  /** The markdown body ('' for YAML entries). */
  body: string;
  /** The body as sanitised HTML, stored with the revision (null: rendered when first asked for). */
  html: string | null;
  publishedAt: Date | null;
}

export interface HelpSnapshot {
  /** The last help change this snapshot includes. */
  changeId: number;
  items: HelpItem[];
  byKey: Map<string, HelpItem>;
}

/** Internal help for the authority's staff: served in the workspace only, never to residents, their search, lists or sitemap. */
export const forStaff = (item: Pick<HelpItem, 'kind' | 'data'>) => (item.kind === 'faq' || item.kind === 'tutorial') && (item.data as { audience?: string }).audience === 'staff';

export const itemKey = (kind: HelpKind, locale: Locale, slug: string) => `${kind}:${locale}/${slug}`;

const parsed = new Map<number, { data: unknown; body: string } | null>();

function parseRevision(kind: HelpKind, revisionId: number, source: string): { data: unknown; body: string } | null {
  if (parsed.has(revisionId)) return parsed.get(revisionId)!;
  let result: { data: unknown; body: string } | null = null;
  try {
    const { data, body } = parseSource(kind, source);
    const checked = readSchemas[kind].safeParse(data);
    if (checked.success) result = { data: checked.data, body };
    else console.error(`help content: revision ${revisionId} (${kind}) does not read: ${checked.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  } catch (error) {
    console.error(`help content: revision ${revisionId} (${kind}) does not read: ${String(error)}`);
  }
  parsed.set(revisionId, result);
  return result;
}

const columns = {
  entryId: helpEntries.id,
  kind: helpEntries.kind,
  locale: helpEntries.locale,
  slug: helpEntries.slug,
  publishedAt: helpEntries.publishedAt,
  revisionId: helpRevisions.id,
  source: helpRevisions.source,
  html: helpRevisions.html,
};
type Row = { entryId: number; kind: HelpKind; locale: Locale; slug: string; publishedAt: Date | null; revisionId: number; source: string; html: string | null };

function toItem(row: Row): HelpItem | undefined {
  const revision = parseRevision(row.kind, row.revisionId, row.source);
  if (!revision) return undefined;
  return {
    kind: row.kind,
    entryId: row.entryId,
    revisionId: row.revisionId,
    locale: row.locale,
    slug: row.slug,
    id: `${row.locale}/${row.slug}`,
    data: revision.data as HelpData<HelpKind>,
    body: revision.body,
    html: row.html,
    publishedAt: row.publishedAt,
  };
}

const snapshotOf = (changeId: number, items: HelpItem[]): HelpSnapshot => ({ changeId, items, byKey: new Map(items.map((item) => [itemKey(item.kind, item.locale, item.slug), item])) });

/** Every published entry, read and checked (revisions already parsed are not parsed again). */
async function loadAll(changeId: number): Promise<HelpSnapshot> {
  const db = await getDb();
  const rows = await db.select(columns).from(helpEntries).innerJoin(helpRevisions, eq(helpRevisions.id, helpEntries.publishedRevisionId));
  const items = rows.map(toItem).filter((item): item is HelpItem => item !== undefined);
  const live = new Set(rows.map((r) => r.revisionId));
  for (const id of parsed.keys()) if (!live.has(id)) parsed.delete(id);
  return snapshotOf(changeId, items);
}

/** `previous` with the entries `entryIds` read again: a publish reads one row, not thousands. */
async function loadChanged(previous: HelpSnapshot, changeId: number, entryIds: ReadonlySet<number>): Promise<HelpSnapshot> {
  const db = await getDb();
  const ids = [...entryIds];
  const rows = await db.select(columns).from(helpEntries).innerJoin(helpRevisions, eq(helpRevisions.id, helpEntries.publishedRevisionId)).where(inArray(helpEntries.id, ids));
  const fresh = rows.map(toItem).filter((item): item is HelpItem => item !== undefined);
  for (const item of previous.items) if (entryIds.has(item.entryId)) parsed.delete(item.revisionId);
  for (const row of rows) if (!fresh.some((item) => item.revisionId === row.revisionId)) parsed.delete(row.revisionId);
  return snapshotOf(changeId, [...previous.items.filter((item) => !entryIds.has(item.entryId)), ...fresh]);
}

let current: Promise<HelpSnapshot> | undefined;
let currentChange = -1;
/** Entries changed since the snapshot, or 'all' (the seed, an import, a change not read in full). */
let stale: Set<number> | 'all' = 'all';

onHelpChange(({ entryIds, tags }) => {
  // Announcements use the same channel to drop cached home pages; the help content is as it was.
  if (onlyNotices(tags)) return;
  // Read again at the next read, which sees the new last change id.
  currentChange = -1;
  if (stale === 'all') return;
  if (entryIds.includes(null) || entryIds.length >= 1000) stale = 'all';
  else for (const id of entryIds) stale.add(id!);
});

/** The published help content, as of the last change seen. */
export async function publishedHelp(): Promise<HelpSnapshot> {
  const changeId = await checkHelpChanges();
  if (!current || currentChange !== changeId) {
    currentChange = changeId;
    const previous = current;
    const changed = stale;
    stale = new Set();
    const loading = changed === 'all' || !previous ? loadAll(changeId) : previous.then((snapshot) => loadChanged(snapshot, changeId, changed), () => loadAll(changeId));
    current = loading;
    loading.catch(() => {
      if (current === loading) {
        current = undefined;
        currentChange = -1;
        stale = 'all';
      }
    });
  }
  return current;
}

/** The HTML of an item's markdown body, sanitised (./render.ts): stored with its revision (rendered here only for a revision written before it was stored). */
export const itemHtml = (item: HelpItem) => item.html ?? renderMarkdown(item.body);

/** A revision, published or not, as the pages read an entry (the editor's preview); undefined when it does not read. */
export function previewItem(entry: { id: number; kind: HelpKind; locale: Locale; slug: string; publishedAt: Date | null }, revision: { id: number; source: string; html: string | null }): HelpItem | undefined {
  const read = parseRevision(entry.kind, revision.id, revision.source);
  if (!read) return undefined;
  return { kind: entry.kind, entryId: entry.id, revisionId: revision.id, locale: entry.locale, slug: entry.slug, id: `${entry.locale}/${entry.slug}`, data: read.data as HelpData<HelpKind>, body: read.body, html: revision.html, publishedAt: entry.publishedAt };
}
