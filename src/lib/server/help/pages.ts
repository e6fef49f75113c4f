/**
 * Help pages are rendered on demand from the published content and kept by Astro's route
 * cache until a change names them (cache tags; ./changes.ts tells every server). A page that
 * was withdrawn answers 410 Gone, one that never existed 404.
 */
import type { AstroGlobal } from 'astro';
import { and, eq } from 'drizzle-orm';
import { type HelpKind, helpEntries } from '../../../../db/schema';
import type { Locale } from '../../../i18n/routes';
import { getDb } from '../db';
import { KNOWN_PROBLEMS_TAG } from './change-tags';
import { forStaff, type HelpItem, type HelpData, itemKey, publishedHelp } from './published';

/** Long: pages leave the cache when a change names them, not by age. */
export const HELP_CACHE_SECONDS = 24 * 3600;

/** Every help page carries this tag; lists (home, indexes, topics, sitemap) carry LIST_TAG too. */
export const HELP_TAG = 'help';
export const LIST_TAG = 'help:lists';
export const entryTag = (kind: HelpKind, locale: Locale, slug: string) => `help:${kind}:${locale}/${slug}`;
export const topicTag = (locale: Locale, topic: string) => `help:topic:${locale}/${topic}`;
/** A French entry and its translation share it: each page links to the other. */
export const pairTag = (kind: HelpKind, frenchSlug: string) => `help:pair:${kind}:${frenchSlug}`;

type Cacheable = Pick<AstroGlobal, 'cache'>;

export function cacheHelpPage(astro: Cacheable, tags: string[] = [], maxAge: number = HELP_CACHE_SECONDS): void {
  if (!astro.cache?.enabled) return;
  astro.cache.set({ maxAge, tags: [HELP_TAG, ...tags] });
}

/** The tags of an FAQ entry's or tutorial's pages. */
export function itemTags(item: { kind: HelpKind; locale: Locale; slug: string; data: { topic?: string; translationOf?: string } }): string[] {
  const french = item.locale === 'fr' ? item.slug : item.data.translationOf;
  return [
    entryTag(item.kind, item.locale, item.slug),
    // The notices of the known problems of its topic.
    KNOWN_PROBLEMS_TAG,
    ...(item.data.topic ? [topicTag(item.locale, item.data.topic)] : []),
    ...(french ? [pairTag(item.kind, french)] : []),
  ];
}

/** Where an internal help page is read, in the workspace. */
export const staffHelpPath = (kind: 'faq' | 'tutorial', slug: string) => `/agent/aide-interne/${kind === 'faq' ? 'faq' : 'tutoriel'}/${slug}/`;

export type EntryPage<K extends HelpKind> = { item: HelpItem<K> & { data: HelpData<K> } } | { response: Response } | { gone: true };

/**
 * The published entry a page shows, its cache tags set; or, for an address with no entry,
 * whether it was withdrawn (410) or never existed (404).
 */
export async function helpEntryPage<K extends 'faq' | 'tutorial'>(astro: Cacheable & Pick<AstroGlobal, 'params' | 'response'>, kind: K, locale: Locale): Promise<EntryPage<K>> {
  const slug = String(astro.params.slug ?? '');
  const item = /^[a-z0-9-]{1,150}$/.test(slug) ? ((await publishedHelp()).byKey.get(itemKey(kind, locale, slug)) as HelpItem<K> | undefined) : undefined;
  // Internal help lives in the workspace (which sends visitors to sign in); never cached here.
  if (item && forStaff(item)) return { response: new Response(null, { status: 303, headers: { Location: staffHelpPath(kind, slug), 'Cache-Control': 'no-store' } }) };
  if (item) {
    cacheHelpPage(astro, itemTags(item));
    return { item };
  }
  if (slug && (await wasWithdrawn(kind, locale, slug))) {
    cacheHelpPage(astro, [entryTag(kind, locale, slug)]);
    astro.response.status = 410;
    return { gone: true };
  }
  return { response: new Response(null, { status: 404 }) };
}

async function wasWithdrawn(kind: HelpKind, locale: Locale, slug: string): Promise<boolean> {
  if (!/^[a-z0-9-]{1,150}$/.test(slug)) return false;
  const db = await getDb();
  const [row] = await db
    .select({ published: helpEntries.publishedRevisionId, publishedAt: helpEntries.publishedAt })
    .from(helpEntries)
    .where(and(eq(helpEntries.kind, kind), eq(helpEntries.locale, locale), eq(helpEntries.slug, slug)));
  // Published once (publishedAt stays), not any more.
  return row !== undefined && row.published === null && row.publishedAt !== null;
}
