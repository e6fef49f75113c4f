import { expect, it } from 'vitest';
import { easyReadPath, faqPath, localeFromPath, otherLocale, splitId, useTranslations } from '../../src/i18n';

it('maps paths to locales and back', () => {
  expect(localeFromPath('/en/faq/x/')).toBe('en');
  expect(localeFromPath('/en')).toBe('en');
  expect(localeFromPath('/enquete/')).toBe('fr');
  expect(otherLocale('fr')).toBe('en');
  expect(otherLocale('en')).toBe('fr');
  expect(faqPath('en', 'card-refused')).toBe('/en/faq/card-refused/');
  expect(easyReadPath('fr', 'creer-son-compte')).toBe('/tutoriels/creer-son-compte/facile/');
  expect(splitId('fr/mot-de-passe-oublie')).toEqual({ locale: 'fr', slug: 'mot-de-passe-oublie' });
  expect(() => splitId('de/x')).toThrow('must start with fr/ or en/');
});

it('fills placeholders in UI strings, in each language', () => {
  expect(useTranslations('en')('search.resultsMany', { count: 3, query: 'card' })).toBe('3 results for “card”');
  expect(useTranslations('fr')('tutorials.duration', { minutes: 5 })).toBe('Durée\u00a0: environ 5 minutes');
});
