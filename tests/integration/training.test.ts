import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditLog } from '../../db/schema';
import type { Db } from '../../src/lib/server/db';
import { markStep, pathFor, pathsFor, positionField, savePath, teamProgress, validatePath } from '../../src/lib/server/training';
import { addAgent } from '../helpers/agents';
import { freshDatabase } from '../helpers/db';

let db: Db;
let cleanup: () => void;
beforeEach(async () => {
  ({ db, cleanup } = await freshDatabase());
});
afterEach(() => cleanup());

const KEYS = new Set(['faq:fr/a', 'faq:fr/b', 'tutorial:fr/c']);
const values = (fields: Record<string, string>) => ({ get: (name: string) => fields[name] ?? '' });

describe('training paths', () => {
  it('read the pages in the order given, refuse a path without title or page, and ignore places forged for other pages', () => {
    expect(validatePath(values({ title: 'Cantine', [positionField('tutorial:fr/c')]: '1', [positionField('faq:fr/a')]: '2', [positionField('faq:fr/zzz')]: '1' }), KEYS)).toEqual({ ok: true, input: { title: 'Cantine', description: '', steps: ['tutorial:fr/c', 'faq:fr/a'] } });
    const refused = validatePath(values({ title: '', [positionField('faq:fr/a')]: 'premier' }), KEYS);
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.errors.map((e) => [e.field, e.message])).toEqual([['title', 'agent.training.errors.titleRequired'], ['steps', 'agent.training.errors.position']]);
    const empty = validatePath(values({ title: 'Vide' }), KEYS);
    expect(empty.ok || empty.errors.map((e) => e.message)).toEqual(['agent.training.errors.noStep']);
  });

  it('keep what each agent has read, for them and for the team', async () => {
    const claire = await addAgent(db, 'claire@example.org', 'admin');
    const paul = await addAgent(db, 'paul@example.org');
    const id = (await savePath(db, claire, { title: 'Cantine', description: 'Avant l’ouverture', steps: ['tutorial:fr/c', 'faq:fr/a', 'faq:fr/b'] })) as number;
    expect(await markStep(db, paul.id, id, 'faq:fr/a', true)).toBe(true);
    expect(await markStep(db, paul.id, id, 'faq:fr/a', true)).toBe(true); // twice: once
    expect(await markStep(db, paul.id, id, 'faq:fr/zzz', true)).toBe(false);
    expect((await pathsFor(db, paul.id))[0]).toMatchObject({ title: 'Cantine', steps: 3, done: 1 });
    expect((await pathsFor(db, claire.id))[0]).toMatchObject({ done: 0 });
    expect((await pathFor(db, id, paul.id))!.steps.map((s) => [s.position, s.entryKey, s.doneAt !== null])).toEqual([
      [1, 'tutorial:fr/c', false],
      [2, 'faq:fr/a', true],
      [3, 'faq:fr/b', false],
    ]);
    expect((await teamProgress(db, id)).map((m) => [m.name, m.done, m.of])).toEqual([['claire', 0, 3], ['paul', 1, 3]]);
    // A page taken out of the path no longer counts; put back, what was read is still there.
    await savePath(db, claire, { title: 'Cantine', description: '', steps: ['tutorial:fr/c', 'faq:fr/b'] }, id);
    expect((await pathsFor(db, paul.id))[0]).toMatchObject({ steps: 2, done: 0 });
    await savePath(db, claire, { title: 'Cantine', description: '', steps: ['faq:fr/a', 'tutorial:fr/c'] }, id);
    expect((await pathsFor(db, paul.id))[0]).toMatchObject({ steps: 2, done: 1 });
    expect(await markStep(db, paul.id, id, 'faq:fr/a', false)).toBe(true);
    expect((await pathsFor(db, paul.id))[0]).toMatchObject({ done: 0 });
    expect((await db.select().from(auditLog)).filter((a) => a.action === 'training.save')).toHaveLength(3);
  });
});
