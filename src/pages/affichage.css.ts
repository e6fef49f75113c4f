import type { APIRoute } from 'astro';
import { authority } from '../lib/server/catalog';
import { isDefault, parseSettings, SETTINGS_COOKIE, serializeSettings, settingsCss } from '../lib/display-settings';

export const prerender = false;

/**
 * The visitor's display settings as a stylesheet. Every page links it, so settings apply
 * to prerendered pages too, without JavaScript, from the first paint.
 */
export const GET: APIRoute = async ({ cookies, request }) => {
  const settings = parseSettings(cookies.get(SETTINGS_COOKIE)?.value);
  const etag = `"${serializeSettings(settings)}"`;
  const headers = {
    'Content-Type': 'text/css; charset=utf-8',
    // Private: it depends on the visitor's cookie. Revalidated on each page, answered 304.
    'Cache-Control': 'private, no-cache',
    Vary: 'Cookie',
    ETag: etag,
  };
  if (request.headers.get('if-none-match') === etag) return new Response(null, { status: 304, headers });
  const body = isDefault(settings) ? '' : settingsCss(settings, (await authority()).colors);
  return new Response(body, { headers });
};
