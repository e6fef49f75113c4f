/**
 * The help content residents see: the published revision of every entry, read from the
 * database, parsed and checked once per revision, and kept in memory until a change is seen
 * (./changes.ts). Pages, search and reports read it through src/lib/catalog.ts.
 */
import { eq } from 'drizzle-orm';
import type { z } from 'astro/zod';
import { type HelpKind, helpEntries, helpRevisions } from '../../../../db/schema';
import type { Locale } from '../../../i18n/routes';
import { faqSchema, glossarySchema, placeSchema, topicSchema, tutorialSchema } from '../../../schemas/content';
import { getDb } from '../db';
import { checkHelpChanges, onHelpChange } from './changes';
import { renderRevision } from './render';
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
  publishedAt: Date | null;
}

export interface HelpSnapshot {
  /** The last help change this snapshot includes. */
  changeId: number;
  items: HelpItem[];
  byKey: Map<string, HelpItem>;
}

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

async function load(changeId: number): Promise<HelpSnapshot> {
  const db = await getDb();
  const rows = await db
    .select({
      entryId: helpEntries.id,
      kind: helpEntries.kind,
      locale: helpEntries.locale,
      slug: helpEntries.slug,
      publishedAt: helpEntries.publishedAt,
      revisionId: helpRevisions.id,
      source: helpRevisions.source,
    })
    .from(helpEntries)
    .innerJoin(helpRevisions, eq(helpRevisions.id, helpEntries.publishedRevisionId));
  const items: HelpItem[] = [];
  const live = new Set<number>();
  for (const row of rows) {
    live.add(row.revisionId);
    const revision = parseRevision(row.kind, row.revisionId, row.source);
    if (!revision) continue;
    items.push({
      kind: row.kind,
      entryId: row.entryId,
      revisionId: row.revisionId,
      locale: row.locale,
      slug: row.slug,
      id: `${row.locale}/${row.slug}`,
      data: revision.data as HelpData<HelpKind>,
      body: revision.body,
      publishedAt: row.publishedAt,
    });
  }
  for (const id of parsed.keys()) if (!live.has(id)) parsed.delete(id);
  return { changeId, items, byKey: new Map(items.map((item) => [itemKey(item.kind, item.locale, item.slug), item])) };
}

let current: Promise<HelpSnapshot> | undefined;
let currentChange = -1;
const snapshotListeners = new Set<(snapshot: HelpSnapshot) => void>();

onHelpChange(() => {
  // Loaded again at the next read, which sees the new last change id.
  currentChange = -1;
});

/** Calls `listener` with every snapshot loaded from now on (the search index follows them). */
export function onSnapshot(listener: (snapshot: HelpSnapshot) => void): void {
  snapshotListeners.add(listener);
}

/** The published help content, as of the last change seen. */
export async function publishedHelp(): Promise<HelpSnapshot> {
  const changeId = await checkHelpChanges();
  if (!current || currentChange !== changeId) {
    currentChange = changeId;
    const loading = load(changeId);
    current = loading;
    loading.then(
      (snapshot) => {
        for (const listener of snapshotListeners) listener(snapshot);
      },
      () => {
        if (current === loading) {
          current = undefined;
          currentChange = -1;
        }
      },
    );
  }
  return current;
}

/** The HTML of an item's markdown body, sanitised (./render.ts). */
export const itemHtml = (item: HelpItem) => renderRevision(item.revisionId, item.body);

/** A revision, published or not, as the pages read an entry (the editor's preview); undefined when it does not read. */
export function previewItem(entry: { id: number; kind: HelpKind; locale: Locale; slug: string; publishedAt: Date | null }, revision: { id: number; source: string }): HelpItem | undefined {
  const read = parseRevision(entry.kind, revision.id, revision.source);
  if (!read) return undefined;
  return { kind: entry.kind, entryId: entry.id, revisionId: revision.id, locale: entry.locale, slug: entry.slug, id: `${entry.locale}/${entry.slug}`, data: read.data as HelpData<HelpKind>, body: read.body, publishedAt: entry.publishedAt };
}
