/**
 * Writing help content: seeding an empty database from content/, importing and exporting
 * files, and the editor's workflow (save a revision, submit, publish, withdraw, restore).
 * Every change residents will see adds a `help_changes` row naming the pages it touches.
 */
import { existsSync, rmSync } from 'node:fs';
import { count, eq, inArray } from 'drizzle-orm';
import { type HelpKind, helpChanges, helpEntries, helpImages, helpRevisions } from '../../../../db/schema';
import type { Db } from '../db';
import { type ContentFile, contentFilePath, readContentFiles, writeContentFile } from './files';
import { entryTag, HELP_TAG, LIST_TAG, pairTag, topicTag } from './pages';
import { sourceHtml } from './render';
import { parseSource } from './source';
import { checkFiles, type FileProblem, folderContext, formatProblems } from './check-files';
import type { CheckContext } from './validate';

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/** The checks' context for a set of entries (topics, addresses), with the images uploaded to the database. */
export async function checkContext(db: Db, root: string, entries: Iterable<{ kind: HelpKind; locale: 'fr' | 'en'; slug: string }>): Promise<CheckContext> {
  const uploaded = new Set((await db.select({ id: helpImages.id }).from(helpImages)).map((r) => r.id));
  return folderContext(root, entries, (id) => uploaded.has(id));
}

/** The cache tags of the pages an entry's text appears on (`sources`: its text before and after). */
export function changeTags(kind: HelpKind, locale: 'fr' | 'en', slug: string, sources: (string | undefined)[]): string[] {
  // Topics, glossary terms and places appear on many pages (breadcrumbs, lists, the glossary).
  if (kind !== 'faq' && kind !== 'tutorial') return [HELP_TAG];
  const tags = new Set([LIST_TAG, entryTag(kind, locale, slug)]);
  if (locale === 'fr') tags.add(pairTag(kind, slug));
  for (const source of sources) {
    if (!source) continue;
    try {
      const { data } = parseSource(kind, source);
      if (typeof data.topic === 'string') tags.add(topicTag(locale, data.topic));
      if (typeof data.translationOf === 'string') tags.add(pairTag(kind, data.translationOf));
    } catch {}
  }
  return [...tags];
}

/** Checks files against each other (topics and links among them), as an import or a seed would store them. */
async function checkFilesIn(db: Db, root: string, files: ContentFile[], alsoExisting: { kind: HelpKind; locale: 'fr' | 'en'; slug: string }[]) {
  return checkFiles(root, files, await checkContext(db, root, [...files, ...alsoExisting]));
}

async function insertPublished(tx: Tx, file: ContentFile, origin: 'seed' | 'import', now: Date, entryId?: number): Promise<number> {
  let id = entryId;
  if (id === undefined) {
    const [entry] = await tx
      .insert(helpEntries)
      .values({ kind: file.kind, locale: file.locale, slug: file.slug, state: 'published', createdAt: now, updatedAt: now })
      .returning({ id: helpEntries.id });
    id = entry!.id;
  }
  const [revision] = await tx.insert(helpRevisions).values({ entryId: id, source: file.source, html: sourceHtml(file.kind, file.source), origin, createdAt: now }).returning({ id: helpRevisions.id });
  await tx
    .update(helpEntries)
    .set({
      state: 'published',
      headRevisionId: revision!.id,
      publishedRevisionId: revision!.id,
      exportedRevisionId: revision!.id,
      translationOf: translationOf(file.kind, file.source),
      publishedAt: now,
      updatedAt: now,
    })
    .where(eq(helpEntries.id, id));
  return id;
}

function translationOf(kind: HelpKind, source: string): string | null {
  try {
    const value = parseSource(kind, source).data.translationOf;
    return typeof value === 'string' ? value : null;
  } catch {
    return null;
  }
}

/** Fills an empty database with the content of `root`; returns the number of entries added (0 if it held some). */
export async function seedHelpContent(db: Db, root: string): Promise<number> {
  const [existing] = await db.select({ n: count() }).from(helpEntries);
  if ((existing?.n ?? 0) > 0) return 0;
  const files = readContentFiles(root);
  const problems = await checkFilesIn(db, root, files, []);
  if (problems.length > 0) throw new Error(`The help content in ${root} has problems; nothing was added:\n${formatProblems(problems)}`);
  const now = new Date();
  await db.transaction(async (tx) => {
    for (const file of files) await insertPublished(tx, file, 'seed', now);
    await tx.insert(helpChanges).values({ tags: [HELP_TAG], at: now });
  });
  return files.length;
}

export interface ImportResult {
  added: number;
  updated: number;
  unchanged: number;
  /** Entries changed in the database since the last export: not overwritten unless forced. */
  conflicts: string[];
  problems: FileProblem[];
}

/**
 * Brings the files of `root` in as new published revisions. An entry edited in the database
 * since the last export or import is left alone (listed in `conflicts`) unless `force`; a file
 * that does not pass the checks stops the whole import (nothing is written).
 */
export async function importHelpContent(db: Db, root: string, options: { force?: boolean } = {}): Promise<ImportResult> {
  const files = readContentFiles(root);
  const entries = await db
    .select({ id: helpEntries.id, kind: helpEntries.kind, locale: helpEntries.locale, slug: helpEntries.slug, head: helpEntries.headRevisionId, exported: helpEntries.exportedRevisionId, published: helpEntries.publishedRevisionId })
    .from(helpEntries);
  const byKey = new Map(entries.map((e) => [`${e.kind}:${e.locale}/${e.slug}`, e]));
  const heads = new Map(
    (await db.select({ id: helpRevisions.id, source: helpRevisions.source }).from(helpRevisions).where(inArray(helpRevisions.id, entries.map((e) => e.published ?? e.head ?? 0)))).map((r) => [r.id, r.source]),
  );
  const fileKeys = new Set(files.map((f) => `${f.kind}:${f.locale}/${f.slug}`));
  const result: ImportResult = { added: 0, updated: 0, unchanged: 0, conflicts: [], problems: [] };
  const toWrite: { file: ContentFile; entryId?: number }[] = [];
  for (const file of files) {
    const entry = byKey.get(`${file.kind}:${file.locale}/${file.slug}`);
    if (!entry) {
      toWrite.push({ file });
      continue;
    }
    if (entry.published !== null && heads.get(entry.published) === file.source && entry.head === entry.published) {
      result.unchanged += 1;
      continue;
    }
    if (entry.head !== entry.exported && !options.force) {
      result.conflicts.push(contentFilePath(root, file));
      continue;
    }
    toWrite.push({ file, entryId: entry.id });
  }
  const published = entries.filter((e) => e.published !== null && !fileKeys.has(`${e.kind}:${e.locale}/${e.slug}`));
  result.problems = await checkFilesIn(db, root, toWrite.map((w) => w.file), [...files, ...published]);
  if (result.problems.length > 0 || toWrite.length === 0) return result;
  const now = new Date();
  await db.transaction(async (tx) => {
    for (const { file, entryId } of toWrite) {
      await insertPublished(tx, file, 'import', now, entryId);
      await tx.insert(helpChanges).values({ entryId: entryId ?? null, tags: changeTags(file.kind, file.locale, file.slug, [file.source]), at: now });
      if (entryId === undefined) result.added += 1;
      else result.updated += 1;
    }
  });
  return result;
}

/**
 * Writes the published content to `root` as its files (unchanged entries byte for byte), and
 * removes the files of entries no longer published. Marks what was written as exported.
 */
export async function exportHelpContent(db: Db, root: string): Promise<{ written: number; unchanged: number; removed: number }> {
  const rows = await db
    .select({ id: helpEntries.id, kind: helpEntries.kind, locale: helpEntries.locale, slug: helpEntries.slug, published: helpEntries.publishedRevisionId, source: helpRevisions.source })
    .from(helpEntries)
    .leftJoin(helpRevisions, eq(helpRevisions.id, helpEntries.publishedRevisionId));
  let written = 0;
  let unchanged = 0;
  let removed = 0;
  const exported: { id: number; revision: number }[] = [];
  for (const row of rows) {
    if (row.published === null || row.source === null) {
      const path = contentFilePath(root, row);
      if (existsSync(path)) {
        rmSync(path);
        removed += 1;
      }
      continue;
    }
    if (writeContentFile(root, { kind: row.kind, locale: row.locale, slug: row.slug, source: row.source })) written += 1;
    else unchanged += 1;
    exported.push({ id: row.id, revision: row.published });
  }
  // One commit for all of them (thousands of entries), the revision each file was written from.
  await db.transaction(async (tx) => {
    for (const { id, revision } of exported) await tx.update(helpEntries).set({ exportedRevisionId: revision }).where(eq(helpEntries.id, id));
  });
  return { written, unchanged, removed };
}
