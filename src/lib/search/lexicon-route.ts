import type { Locale } from '../../i18n';
import { searchLexicon } from '../catalog';

/** The lexicon as a file of the site, fetched by the browser's search when the reader turns to it. */
export async function lexiconResponse(locale: Locale): Promise<Response> {
  return new Response(JSON.stringify(await searchLexicon(locale)), { headers: { 'Content-Type': 'application/json; charset=utf-8' } });
}

/** Where the browser finds it. */
export const lexiconPath = (locale: Locale) => (locale === 'fr' ? '/recherche/lexique.json' : '/en/search/lexicon.json');
