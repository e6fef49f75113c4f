/**
 * Announcements: the form's rules, which are shown on a given day (Paris days, inclusive), how
 * long a page showing them may be cached, and that every change tells the servers and the audit log.
 */
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditLog, helpChanges } from '../../db/schema';
import { formValues } from '../../src/lib/request-form';
import type { Db } from '../../src/lib/server/db';
import { deleteAnnouncement, publicAnnouncements, readDay, saveAnnouncement, secondsUntilNextChange, validateAnnouncement } from '../../src/lib/server/announcements';
import { addAgent } from '../helpers/agents';
import { freshDatabase } from '../helpers/db';

let db: Db;
let cleanup: () => void;
beforeEach(async () => {
  ({ db, cleanup } = await freshDatabase());
});
afterEach(() => cleanup());

const form = (fields: Record<string, string>) => {
  const data = new FormData();
  for (const [k, v] of Object.entries({ locale: 'fr', title: 'Cantine en ligne', body: 'Inscrivez vos enfants en ligne.', starts: '', ends: '', ...fields })) data.append(k, v);
  return formValues(data);
};
// Wednesday 25 November 2026, 23:30 in Paris (22:30 UTC): the next midnight is in 30 minutes.
const NOW = Date.parse('2026-11-25T22:30:00Z');

describe('announcements', () => {
  it('the form takes a date field’s day or a French one, and names every mistake', () => {
    expect(readDay('2027-01-05')).toBe('2027-01-05');
    expect(readDay('5/1/2027')).toBe('2027-01-05');
    expect(readDay('31/02/2027')).toBeUndefined();
    expect(validateAnnouncement(form({ starts: '05/01/2027', ends: '2027-01-31' }))).toEqual({ ok: true, input: { locale: 'fr', title: 'Cantine en ligne', body: 'Inscrivez vos enfants en ligne.', startsOn: '2027-01-05', endsOn: '2027-01-31' } });
    const refused = validateAnnouncement(form({ title: '', body: 'x'.repeat(2001), locale: 'de', starts: '2027-02-30', ends: 'demain' }));
    expect(refused.ok ? [] : refused.errors.map((e) => [e.field, e.message])).toEqual([
      ['locale', 'agent.announcements.errors.locale'],
      ['title', 'agent.announcements.errors.titleRequired'],
      ['body', 'agent.errors.tooLong'],
      ['starts', 'agent.announcements.errors.day'],
      ['ends', 'agent.announcements.errors.day'],
    ]);
    const reversed = validateAnnouncement(form({ starts: '2027-01-31', ends: '2027-01-05' }));
    expect(reversed.ok ? [] : reversed.errors.map((e) => e.field)).toEqual(['ends']);
    const twoLines = validateAnnouncement(form({ title: 'Un\nDeux', starts: '2027-01-05' }));
    expect(twoLines.ok).toBe(false);
  });

  it('are shown from their first to their last Paris day, in their language; a change tells every server and the audit log', async () => {
    const admin = await addAgent(db, 'admin@example.org', 'admin');
    const make = (title: string, startsOn: string, endsOn: string | null, locale: 'fr' | 'en' = 'fr') => saveAnnouncement(db, admin, { locale, title, body: 'Texte.', startsOn, endsOn }, undefined, NOW);
    const today = await make('Aujourd’hui seulement', '2026-11-25', '2026-11-25');
    await make('Sans fin', '2026-11-01', null);
    await make('Demain', '2026-11-26', '2026-12-31');
    await make('Finie hier', '2026-11-01', '2026-11-24');
    await make('Finie il y a deux ans', '2024-01-01', '2024-01-31');
    await make('Tomorrow in English', '2026-11-25', null, 'en');
    const shown = await publicAnnouncements(db, 'fr', NOW);
    expect(shown.current.map((a) => a.title).sort()).toEqual(['Aujourd’hui seulement', 'Sans fin']);
    expect(shown.past.map((a) => a.title)).toEqual(['Finie hier']);
    // 30 minutes later, in Paris it is Thursday: today's is over, tomorrow's is shown.
    const thursday = await publicAnnouncements(db, 'fr', NOW + 30 * 60_000);
    expect(thursday.current.map((a) => a.title).sort()).toEqual(['Demain', 'Sans fin']);
    // The home page is cached until that midnight, no longer.
    expect(await secondsUntilNextChange(db, 'fr', 86_400, NOW)).toBe(30 * 60);
    expect(await secondsUntilNextChange(db, 'fr', 600, NOW)).toBe(600);

    await saveAnnouncement(db, admin, { locale: 'fr', title: 'Aujourd’hui seulement', body: 'Texte.', startsOn: '2026-11-20', endsOn: '2026-11-24' }, today as number, NOW);
    expect((await publicAnnouncements(db, 'fr', NOW)).current.map((a) => a.title)).toEqual(['Sans fin']);
    expect(await saveAnnouncement(db, admin, { locale: 'fr', title: 'x', body: 'y', startsOn: '2026-11-20', endsOn: null }, 9999, NOW)).toBe(false);
    expect(await deleteAnnouncement(db, admin, today as number, NOW)).toBe(true);
    expect(await deleteAnnouncement(db, admin, today as number, NOW)).toBe(false);
    const changes = await db.select().from(helpChanges);
    expect(changes.every((c) => c.entryId === null && JSON.stringify(c.tags) === '["announcements"]')).toBe(true);
    expect(changes).toHaveLength(8);
    expect(await db.select().from(auditLog).where(eq(auditLog.action, 'admin.announcement'))).toHaveLength(8);
  });
});
