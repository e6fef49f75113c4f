import type { APIRoute } from 'astro';
import { getDb } from '../../lib/server/db';
import { readImage } from '../../lib/server/help/images';

export const prerender = false;
/** An image uploaded from the help editor, named by the hash of its bytes: cached for good. */
export const GET: APIRoute = async ({ params }) => {
  const image = await readImage(await getDb(), String(params.id ?? ''));
  if (!image) return new Response(null, { status: 404 });
  return new Response(new Uint8Array(image.bytes), { headers: { 'Content-Type': image.mime, 'Cache-Control': 'public, max-age=31536000, immutable', 'X-Content-Type-Options': 'nosniff' } });
};
