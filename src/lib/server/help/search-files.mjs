// The search index's files, served to browsers by the server in front of Astro
// (scripts/server/worker.mjs): /pagefind/<fingerprint>/pagefind/<file>. An index's folder is
// named after what it holds, so every file is cached for good; the search page names the
// current one. Plain JavaScript: the server reads it before anything is built.
import { readFile } from 'node:fs/promises';
import { join, normalize, resolve, sep } from 'node:path';

/** Where indexes are written: SEARCH_INDEX_DIR, or beside the build's output. */
export function searchIndexRoot(env = process.env) {
  return resolve(env.SEARCH_INDEX_DIR || join(env.GUICHET_OUT_DIR || 'dist', 'search-index'));
}

/** @type {Record<string, string>} */
const TYPES = {
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

/**
 * @param {string} url the request's path
 * @returns {Promise<{ status: number, headers: Record<string, string>, body?: Buffer }>}
 */
export async function searchIndexFile(url) {
  const notFound = { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' }, body: Buffer.from('Not found\n') };
  const match = /^\/pagefind\/([0-9a-f]{20})\/(pagefind\/[A-Za-z0-9._/-]{1,200})$/.exec(url.split('?')[0] ?? '');
  if (!match || match[2].includes('..')) return notFound;
  const root = searchIndexRoot();
  const file = normalize(join(root, match[1], match[2]));
  if (!file.startsWith(root + sep)) return notFound;
  try {
    const body = await readFile(file);
    const extension = /\.[a-z_]+$/.exec(file)?.[0] ?? '';
    const type = TYPES[extension] ?? (file.includes('/wasm.') ? 'application/wasm' : 'application/octet-stream');
    return { status: 200, headers: { 'Content-Type': type, 'Cache-Control': 'public, max-age=31536000, immutable' }, body };
  } catch {
    return notFound;
  }
}
