import type { APIRoute } from 'astro';
import { getDb } from '../../lib/server/db';
import { recordSearchMiss } from '../../lib/server/evaluation/search-misses';
import { clientKey } from '../../lib/server/rate-limit';

export const prerender = false;

/** Longer than any query kept (100 characters, up to 4 bytes each): refused unread. */
const MAX_BYTES = 512;

const answer = (status: number, message?: string) =>
  new Response(message ?? null, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' } });

async function readAtMost(request: Request, limit: number): Promise<Uint8Array> {
  const reader = request.body?.getReader();
  if (!reader) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
    if (size >= limit) {
      await reader.cancel();
      break;
    }
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/**
 * The search page says a query found nothing: the body is the query, as plain text, and the
 * address says the language (`?lang=en`). Nothing else is read or kept — no identifier, no
 * address (the rate limit counts a hash of it, forgotten with its window).
 */
export const POST: APIRoute = async ({ request, url, clientAddress }) => {
  const type = request.headers.get('content-type') ?? '';
  if (!/^text\/plain(;|$)/i.test(type)) return answer(415, 'text/plain only');
  if (Number(request.headers.get('content-length') ?? 0) > MAX_BYTES) return answer(413, 'too long');
  // Read at most MAX_BYTES + 1, whatever the body claims to be (a chunked body has no length).
  const bytes = await readAtMost(request, MAX_BYTES + 1);
  if (bytes.byteLength > MAX_BYTES) return answer(413, 'too long');
  let query: string;
  try {
    query = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return answer(400, 'not UTF-8');
  }
  const locale = url.searchParams.get('lang') === 'en' ? 'en' : 'fr';
  const result = await recordSearchMiss(await getDb(), { query, locale }, clientKey(clientAddress));
  // A query that looks like personal data is dropped without saying so: the page has nothing to change.
  if (result === 'rate-limited') return answer(429, 'too many');
  if (result === 'refused' && (query.trim().length === 0 || query.length > 100)) return answer(400, 'empty or too long');
  return answer(204);
};

export const GET: APIRoute = () => new Response(null, { status: 405, headers: { Allow: 'POST' } });
