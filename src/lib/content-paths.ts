import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { LOCALES } from '../i18n/routes';

/**
 * Where the editable content lives. `GUICHET_CONTENT_DIR` lets the benchmarks and the
 * content-schema tests build from another folder; everything else uses `content/`.
 */
export function contentDir(): string {
  return resolve(process.env.GUICHET_CONTENT_DIR ?? 'content');
}

export function publicDir(): string {
  return resolve('public');
}

/** Entry ids (file names without extension) found directly in `dir`. */
export function idsIn(dir: string, extension: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith(extension))
    .map((name) => name.slice(0, -extension.length));
}

export function topicIds(root = contentDir()): Set<string> {
  return new Set(LOCALES.flatMap((locale) => idsIn(join(root, 'topics', locale), '.yaml')));
}
