import type { APIRoute } from 'astro';

/** Help pages are public; the pages that answer form posts are not worth crawling. */
export const GET: APIRoute = ({ site }) =>
  new Response(
    ['User-agent: *', 'Disallow: /avis/', 'Disallow: /en/feedback/', `Sitemap: ${new URL('/sitemap.xml', site ?? 'http://localhost:4321').href}`, ''].join('\n'),
    { headers: { 'Content-Type': 'text/plain; charset=utf-8' } },
  );
