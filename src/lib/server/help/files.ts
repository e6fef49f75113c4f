/**
 * content/ as the seed and the interchange format of the help content: where each kind of
 * entry lives there, and reading or writing those files byte for byte.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { HelpKind } from '../../../../db/schema';
import { LOCALES, type Locale } from '../../../i18n/routes';

export const KIND_FILES: Record<HelpKind, { dir: string; extension: '.md' | '.yaml'; perLocale: boolean }> = {
  faq: { dir: 'faq', extension: '.md', perLocale: true },
  tutorial: { dir: 'tutorials', extension: '.md', perLocale: true },
  topic: { dir: 'topics', extension: '.yaml', perLocale: true },
  glossary: { dir: 'glossary', extension: '.yaml', perLocale: true },
  // One file for both languages (French and English notes side by side).
  place: { dir: 'help-places', extension: '.yaml', perLocale: false },
};

export interface ContentFile {
  kind: HelpKind;
  locale: Locale;
  slug: string;
  source: string;
}

export function contentFilePath(root: string, file: Pick<ContentFile, 'kind' | 'locale' | 'slug'>): string {
  const { dir, extension, perLocale } = KIND_FILES[file.kind];
  return perLocale ? join(root, dir, file.locale, `${file.slug}${extension}`) : join(root, dir, `${file.slug}${extension}`);
}

/** Every entry file under `root`, in a stable order. */
export function readContentFiles(root: string): ContentFile[] {
  const files: ContentFile[] = [];
  for (const [kind, { dir, extension, perLocale }] of Object.entries(KIND_FILES) as [HelpKind, (typeof KIND_FILES)[HelpKind]][]) {
    const folders: [Locale, string][] = perLocale ? LOCALES.map((locale) => [locale, join(root, dir, locale)]) : [['fr', join(root, dir)]];
    for (const [locale, folder] of folders) {
      if (!existsSync(folder)) continue;
      for (const name of readdirSync(folder).sort()) {
        if (!name.endsWith(extension)) continue;
        const slug = name.slice(0, -extension.length);
        files.push({ kind, locale, slug, source: readFileSync(join(folder, name), 'utf8') });
      }
    }
  }
  return files;
}

/** Writes an entry's file; returns whether its bytes changed. */
export function writeContentFile(root: string, file: ContentFile): boolean {
  const path = contentFilePath(root, file);
  if (existsSync(path) && readFileSync(path, 'utf8') === file.source) return false;
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, file.source);
  return true;
}
