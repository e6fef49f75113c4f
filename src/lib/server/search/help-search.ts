/**
 * The residents' search on the server: the query read as residents type it (typos, missing
 * accents, synonyms; ../../search/understand.ts), run on the Pagefind index of the published
 * help (./pagefind.ts) and ranked (../../search/run.ts). The search page answers with it
 * without JavaScript, and the workspace suggests help articles with it.
 */
import type { Locale } from '../../../i18n';
import { runSearch } from '../../search/run';
import { understand } from '../../search/understand';
import { searchLexicon } from '../catalog';
import { currentSearchIndex } from '../help/search-index';
import { type PageData, pagefindEngine } from './pagefind';

export interface HelpSearch {
  /** How many pages answer. */
  total: number;
  /** The best `max` of them. */
  hits: PageData[];
  /** The query as corrected, when a word was not in the content. */
  corrected?: string;
}

export async function searchHelp(locale: Locale, query: string, max: number, options: { exact?: boolean } = {}): Promise<HelpSearch> {
  const lexicon = await searchLexicon(locale);
  const understood = understand(query, lexicon, { exact: options.exact ?? false });
  const ranked = await runSearch(pagefindEngine(locale), understood, lexicon.pages);
  const hits = await Promise.all(ranked.slice(0, max).map((hit) => hit.data()));
  return { total: ranked.length, hits, corrected: understood.corrected };
}

/** Answers kept per index: a request's page, opened again and again, asks the same. */
const recent = new Map<string, HelpSearch>();
const RECENT_MAX = 500;

/**
 * The same search, remembered (per index, language and query), or undefined at once when no
 * index is ready yet (a server starting) or the search fails.
 */
export async function searchHelpIfReady(locale: Locale, query: string, max: number): Promise<HelpSearch | undefined> {
  const index = currentSearchIndex();
  if (!index) return undefined;
  const key = `${index.fingerprint} ${locale} ${max} ${query}`;
  const known = recent.get(key);
  if (known) return known;
  try {
    const found = await searchHelp(locale, query, max);
    recent.set(key, found);
    if (recent.size > RECENT_MAX) recent.delete(recent.keys().next().value!);
    return found;
  } catch (error) {
    console.error(`help search failed: ${error instanceof Error ? error.message : error}`);
    return undefined;
  }
}
