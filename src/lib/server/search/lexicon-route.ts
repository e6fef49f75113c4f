import type { Locale } from '../../../i18n';
import { searchLexicon } from '../catalog';

/** The lexicon as a file of the site, fetched by the browser's search when the reader turns to it. */
export async function lexiconResponse(locale: Locale): Promise<Response> {
  return new Response(JSON.stringify(await searchLexicon(locale)), {
    // It follows what is published: the browser asks again each time (a 304 when unchanged is up to the cache in front).
    headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-cache' },
  });
}

/** Where the browser finds it. */
export const lexiconPath = (locale: Locale) => (locale === 'fr' ? '/recherche/lexique.json' : '/en/search/lexicon.json');
