import { describe, expect, it } from 'vitest';
import { formatDate, formatDateTime, formatShortDate, formatShortDateTime, useTranslations } from '../../src/i18n';

describe('the forms French and English need', () => {
  it('writes counts in the singular or the plural by each language’s rules', () => {
    const fr = useTranslations('fr');
    const en = useTranslations('en');
    expect(fr('agent.privacy.found', { count: 0 })).toBe('0 demande trouvée');
    expect(fr('agent.privacy.found', { count: 1 })).toBe('1 demande trouvée');
    expect(fr('agent.privacy.found', { count: 2 })).toBe('2 demandes trouvées');
    expect(en('agent.privacy.found', { count: 0 })).toBe('0 requests found');
    expect(en('agent.privacy.found', { count: 1 })).toBe('1 request found');
    expect(fr('agent.queues.caption', { queue: 'À traiter', total: '1 234', from: 1, to: 50 })).toBe('À traiter : 1 234 demandes, 1 à 50 affichées');
  });

  it('writes the first of the month as French does', () => {
    expect(formatDate('fr', new Date('2026-12-01T12:00:00Z'))).toBe('1er décembre 2026');
    expect(formatDate('fr', new Date('2026-12-02T12:00:00Z'))).toBe('2 décembre 2026');
    expect(formatDate('fr', new Date('2026-12-11T12:00:00Z'))).toBe('11 décembre 2026');
    expect(formatDateTime('fr', new Date('2026-12-01T09:30:00Z'))).toMatch(/^1er décembre 2026 à 10:30$/);
    expect(formatDate('en', new Date('2026-12-01T12:00:00Z'))).toBe('1 December 2026');
  });

  it('finds the first of the month whatever the format and the hour (the text, read only when it may hold one)', () => {
    const byParts = (options: Intl.DateTimeFormatOptions, date: Date) =>
      new Intl.DateTimeFormat('fr-FR', { ...options, timeZone: 'Europe/Paris' })
        .formatToParts(date)
        .map((part) => (part.type === 'day' && part.value === '1' ? '1er' : part.value))
        .join('');
    const formats: [(locale: 'fr', date: Date) => string, Intl.DateTimeFormatOptions][] = [
      [formatDate, { dateStyle: 'long' }],
      [formatDateTime, { dateStyle: 'long', timeStyle: 'short' }],
      [formatShortDate, { day: 'numeric', month: 'short', year: '2-digit' }],
      [formatShortDateTime, { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' }],
    ];
    // Every hour and a minute of 2025 and 2026 (two changes of time each), in every format.
    let firsts = 0;
    for (let at = Date.UTC(2025, 0, 1, 0, 1); at < Date.UTC(2027, 0, 1); at += 3_600_000 + 60_000) {
      const date = new Date(at);
      for (const [format, options] of formats) {
        const text = format('fr', date);
        expect(text).toBe(byParts(options, date));
        if (text.startsWith('1er')) firsts++;
      }
    }
    expect(firsts).toBeGreaterThan(24 * 4 * 10);
  });
});
