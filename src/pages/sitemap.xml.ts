import type { APIRoute } from 'astro';
import { publicOrigin } from '../lib/server/public-origin.mjs';
import { easyReadTutorials, faqEntries, slugOf, topics, tutorials } from '../lib/server/catalog';
import { cacheHelpPage, LIST_TAG } from '../lib/server/help/pages';
import { easyReadPath, faqPath, LOCALES, routes, topicPath, tutorialPath } from '../i18n';

/** Pages that only make sense after a form post, or are not to be indexed, are left out. */
const ON_DEMAND: (keyof typeof routes)[] = ['feedback', 'track'];

/** Rendered on demand: its addresses follow the public address set where the server runs. */
export const prerender = false;

/** Every public page in both languages: for search engines, and for the accessibility tests. */
export const GET: APIRoute = async (context) => {
  cacheHelpPage(context, [LIST_TAG]);
  const paths: string[] = [];
  for (const locale of LOCALES) {
    for (const [name, route] of Object.entries(routes)) {
      if (!ON_DEMAND.includes(name as keyof typeof routes)) paths.push(route[locale]);
    }
    for (const entry of await faqEntries(locale)) paths.push(faqPath(locale, slugOf(entry)));
    for (const topic of await topics(locale)) paths.push(topicPath(locale, slugOf(topic)));
    for (const tutorial of await tutorials(locale)) paths.push(tutorialPath(locale, slugOf(tutorial)));
    for (const { params } of await easyReadTutorials(locale)) {
      paths.push(easyReadPath(locale, params.slug));
    }
  }
  const origin = publicOrigin();
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${paths
    .map((path) => `  <url><loc>${origin}${path}</loc></url>`)
    .join('\n')}\n</urlset>\n`;
  return new Response(body, { headers: { 'Content-Type': 'application/xml; charset=utf-8' } });
};
