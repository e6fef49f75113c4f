import type { APIRoute } from 'astro';
import { getDb } from '../db';
import { findPublicAttachment, findRequestByToken } from '.';

export const notFound = () =>
  new Response('Fichier introuvable. / File not found.', { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' } });

/**
 * A file of a request, for whoever holds the request's link, and only if it is not attached
 * to an internal note. The type was detected from the content when the file was received.
 */
export const serveAttachment: APIRoute = async ({ params }) => {
  const db = await getDb();
  const found = await findRequestByToken(db, params.token ?? '');
  const id = Number(params.id);
  if (!found.ok || !Number.isInteger(id) || id <= 0) return notFound();
  const file = await findPublicAttachment(db, found.request.id, id);
  return file ? fileResponse(file) : notFound();
};

/**
 * A stored file as a response that can never run as a page of this site: always a download,
 * never sniffed, and sandboxed should a browser open it anyway.
 */
export function fileResponse(file: { fileName: string; contentType: string; data: Buffer }): Response {
  return new Response(new Uint8Array(file.data), {
    headers: {
      'Content-Type': file.contentType,
      'Content-Length': String(file.data.byteLength),
      'Content-Disposition': `attachment; filename*=UTF-8''${encodeURIComponent(file.fileName)}`,
      'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy': "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'none'; sandbox",
      'Cache-Control': 'private, no-store',
      'Referrer-Policy': 'same-origin',
    },
  });
}
