import type { APIRoute } from 'astro';
import { lexiconResponse } from '../../lib/server/search/lexicon-route';
import { cacheHelpPage, LIST_TAG } from '../../lib/server/help/pages';

export const prerender = false;
export const GET: APIRoute = (context) => {
  cacheHelpPage(context, [LIST_TAG]);
  return lexiconResponse('fr');
};
