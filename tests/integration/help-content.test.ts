import { mkdtempSync, readFileSync, rmSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readContentFiles, contentFilePath } from '../../src/lib/server/help/files';
import { exportHelpContent, importHelpContent, seedHelpContent } from '../../src/lib/server/help/store';
import { findEntryBySlug, publishRevision, saveRevision, withdrawEntry } from '../../src/lib/server/help/workflow';
import { freshDatabase } from '../helpers/db';

const CONTENT = resolve(import.meta.dirname, '../../content');
const actor = { id: null, name: 'Test' };

describe('help content in the database, content/ as seed and interchange format', () => {
  let database: Awaited<ReturnType<typeof freshDatabase>>;
  let dir: string;
  beforeEach(async () => {
    database = await freshDatabase();
    dir = mkdtempSync(join(tmpdir(), 'guichet-content-'));
  });
  afterEach(() => {
    database.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it('content:export after content:import of the demo content reproduces content/ byte for byte', async () => {
    const files = readContentFiles(CONTENT);
    expect(files.length).toBeGreaterThan(100);
    expect(await seedHelpContent(database.db, CONTENT)).toBe(files.length);
    const out = join(dir, 'out');
    const exported = await exportHelpContent(database.db, out);
    expect(exported).toEqual({ written: files.length, unchanged: 0, removed: 0 });
    for (const file of files) expect(readFileSync(contentFilePath(out, file), 'utf8'), contentFilePath(out, file)).toBe(file.source);
    // Importing the same files again changes nothing.
    const again = await importHelpContent(database.db, out);
    expect(again).toMatchObject({ added: 0, updated: 0, unchanged: files.length, conflicts: [], problems: [] });
  });

  it('an import brings a changed file in as a new published revision, and refuses to overwrite a change made in the workspace unless forced', async () => {
    const copy = join(dir, 'content');
    cpSync(CONTENT, copy, { recursive: true });
    await seedHelpContent(database.db, copy);
    await exportHelpContent(database.db, copy);
    const path = join(copy, 'faq/fr/carte-refusee.md');
    const edited = readFileSync(path, 'utf8').replace('Ma carte bancaire est refusée', 'Ma carte bancaire (CB) est refusée');
    expect(edited).toContain('(CB)');
    writeFileSync(path, edited);
    const imported = await importHelpContent(database.db, copy);
    expect(imported).toMatchObject({ updated: 1, added: 0, conflicts: [] });

    // An agent edits the entry in the workspace: the file no longer holds the latest text.
    const entry = (await findEntryBySlug(database.db, 'faq', 'fr', 'carte-refusee'))!;
    const saved = await saveRevision(database.db, actor, { entryId: entry.id, kind: 'faq', locale: 'fr', slug: 'carte-refusee', source: readFileSync(path, 'utf8') + '\nUne phrase de plus.\n', baseRevisionId: entry.headRevisionId });
    expect(saved.ok).toBe(true);
    writeFileSync(path, readFileSync(path, 'utf8') + '\nAutre chose.\n');
    const refused = await importHelpContent(database.db, copy);
    expect(refused.conflicts).toEqual([path]);
    expect(refused.updated).toBe(0);
    const forced = await importHelpContent(database.db, copy, { force: true });
    expect(forced).toMatchObject({ updated: 1, conflicts: [] });
  });

  it('a file that fails the checks stops the whole import: nothing is written', async () => {
    const copy = join(dir, 'content');
    cpSync(CONTENT, copy, { recursive: true });
    await seedHelpContent(database.db, copy);
    await exportHelpContent(database.db, copy);
    writeFileSync(join(copy, 'faq/fr/nouvelle-question.md'), '---\nquestion: "Une question toute neuve ?"\ntopic: paiement\nlastReviewed: 2026-12-01\n---\nRéponse.\n');
    const good = join(copy, 'faq/fr/carte-refusee.md');
    writeFileSync(good, readFileSync(good, 'utf8') + '\nAjout.\n');
    writeFileSync(join(copy, 'faq/fr/mauvaise.md'), '---\nquestion: "Une question sans thème connu ?"\ntopic: inconnu\nlastReviewed: 2026-12-01\n---\nVoir [ici](/faq/page-absente/).\n');
    const result = await importHelpContent(database.db, copy);
    expect(result.added + result.updated).toBe(0);
    expect(result.problems.map((p) => p.file)).toEqual([join(copy, 'faq/fr/mauvaise.md')]);
    expect(result.problems[0]!.problems.map((p) => p.field).sort()).toEqual(['body', 'topic']);
    expect(await findEntryBySlug(database.db, 'faq', 'fr', 'nouvelle-question')).toBeUndefined();
  });

  it('the second of two saves started from the same revision gets a conflict with both texts, and nothing is overwritten', async () => {
    await seedHelpContent(database.db, CONTENT);
    const entry = (await findEntryBySlug(database.db, 'faq', 'fr', 'carte-refusee'))!;
    const source = readFileSync(join(CONTENT, 'faq/fr/carte-refusee.md'), 'utf8');
    const first = await saveRevision(database.db, actor, { entryId: entry.id, kind: 'faq', locale: 'fr', slug: entry.slug, source: `${source}\nPremier.\n`, baseRevisionId: entry.headRevisionId });
    const second = await saveRevision(database.db, { id: null, name: 'Autre' }, { entryId: entry.id, kind: 'faq', locale: 'fr', slug: entry.slug, source: `${source}\nSecond.\n`, baseRevisionId: entry.headRevisionId });
    expect(first.ok).toBe(true);
    expect(second).toMatchObject({ ok: false, conflict: { mine: `${source}\nSecond.\n` } });
    expect('conflict' in second && second.conflict.theirs.source).toBe(`${source}\nPremier.\n`);
  });

  it('publishing makes the head revision the published one; withdrawing removes it and the export removes its file', async () => {
    const copy = join(dir, 'content');
    cpSync(CONTENT, copy, { recursive: true });
    await seedHelpContent(database.db, copy);
    const entry = (await findEntryBySlug(database.db, 'faq', 'fr', 'carte-refusee'))!;
    const source = readFileSync(join(copy, 'faq/fr/carte-refusee.md'), 'utf8');
    const saved = await saveRevision(database.db, actor, { entryId: entry.id, kind: 'faq', locale: 'fr', slug: entry.slug, source: `${source}\nNouveau.\n`, baseRevisionId: entry.headRevisionId });
    if (!saved.ok) throw new Error('not saved');
    expect((await findEntryBySlug(database.db, 'faq', 'fr', 'carte-refusee'))!.state).toBe('draft');
    expect(await publishRevision(database.db, actor, entry.id, saved.revisionId)).toEqual({ ok: true });
    const published = (await findEntryBySlug(database.db, 'faq', 'fr', 'carte-refusee'))!;
    expect(published).toMatchObject({ state: 'published', publishedRevisionId: saved.revisionId });
    await exportHelpContent(database.db, copy);
    expect(readFileSync(join(copy, 'faq/fr/carte-refusee.md'), 'utf8')).toBe(`${source}\nNouveau.\n`);
    expect(await withdrawEntry(database.db, actor, entry.id)).toEqual({ ok: true });
    expect(await exportHelpContent(database.db, copy)).toMatchObject({ removed: 1 });
  });

  it('a save that fails the checks is refused with the fields named, and stores nothing', async () => {
    await seedHelpContent(database.db, CONTENT);
    const result = await saveRevision(database.db, actor, { kind: 'faq', locale: 'fr', slug: 'essai', source: '---\nquestion: "Court"\ntopic: nulle-part\nlastReviewed: 2026-12-01\n---\n![](/tutoriels/absent.svg)\n', baseRevisionId: null });
    expect(result.ok).toBe(false);
    expect('problems' in result && result.problems.map((p) => p.field).sort()).toEqual(['body', 'body', 'question', 'topic']);
    expect(await findEntryBySlug(database.db, 'faq', 'fr', 'essai')).toBeUndefined();
  });
});
