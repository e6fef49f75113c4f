import en from './en.json';
import fr from './fr.json';
import type { Locale } from './routes';

export * from './routes';

export type UiKey = keyof typeof fr;
const dictionaries: Record<Locale, Record<UiKey, string>> = { fr, en };

export type Translate = (key: UiKey, params?: Record<string, string | number>) => string;

/** `{count, plural, one {# demande} other {# demandes}}`: ICU's plural form, its two cases, `#` the number. */
const PLURAL = /\{(\w+), plural, one \{([^{}]*)\} other \{([^{}]*)\}\}/g;
/** The language's plural rules (CLDR, through Intl): in French 0 and 1 are singular, in English only 1. */
const plurals: Record<Locale, Intl.PluralRules> = { fr: new Intl.PluralRules('fr-FR'), en: new Intl.PluralRules('en-GB') };

/**
 * The UI strings of a locale; `{name}` placeholders are filled from `params`, and
 * `{name, plural, one {…} other {…}}` takes the form the number needs.
 */
export function useTranslations(locale: Locale): Translate {
  const dictionary = dictionaries[locale];
  return (key, params) => {
    const template = dictionary[key];
    if (template === undefined) throw new Error(`Missing UI string "${key}" in src/i18n/${locale}.json`);
    if (!params) return template;
    return template
      .replace(PLURAL, (match, name: string, one: string, other: string) => {
        if (!(name in params)) return match;
        const count = Number(String(params[name]).replace(/[^\d.-]/g, ''));
        return (plurals[locale].select(count) === 'one' ? one : other).replaceAll('#', String(params[name]));
      })
      .replace(/\{(\w+)\}/g, (match, name: string) => (name in params ? String(params[name]) : match));
  };
}

/** Looks up a key that comes from data (zod messages, enum values); unknown keys fall back to `fallback`. */
export function translateKey(locale: Locale, key: string, fallback: UiKey, params?: Record<string, string | number>): string {
  const t = useTranslations(locale);
  return key in dictionaries[locale] ? t(key as UiKey, params) : t(fallback, params);
}

const dateFormats: Record<Locale, Intl.DateTimeFormat> = {
  fr: new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeZone: 'Europe/Paris' }),
  en: new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeZone: 'Europe/Paris' }),
};

/** A date in `format`, where French writes the first day of a month as an ordinal: "1er décembre", not "1 décembre". */
export function written(locale: Locale, format: Intl.DateTimeFormat, date: Date): string {
  const text = format.format(date);
  // Only a text holding a lone "1" may be a first of the month: the parts (a dozen objects, a
  // queue page formats a hundred dates) say whether it is the day.
  if (locale !== 'fr' || !/(?:^|\s)1(?=\s|$)/.test(text)) return text;
  return format.formatToParts(date).map((part) => (part.type === 'day' && part.value === '1' ? '1er' : part.value)).join('');
}

export const formatDate = (locale: Locale, date: Date) => written(locale, dateFormats[locale], date);

const dateTimeFormats: Record<Locale, Intl.DateTimeFormat> = {
  fr: new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeStyle: 'short', timeZone: 'Europe/Paris' }),
  en: new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeStyle: 'short', timeZone: 'Europe/Paris' }),
};

export const formatDateTime = (locale: Locale, date: Date) => written(locale, dateTimeFormats[locale], date);

const shortDateFormats: Record<Locale, Intl.DateTimeFormat> = {
  fr: new Intl.DateTimeFormat('fr-FR', { day: 'numeric', month: 'short', year: '2-digit', timeZone: 'Europe/Paris' }),
  en: new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: '2-digit', timeZone: 'Europe/Paris' }),
};
const shortDateTimeFormats: Record<Locale, Intl.DateTimeFormat> = {
  fr: new Intl.DateTimeFormat('fr-FR', { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', timeZone: 'Europe/Paris' }),
  en: new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', timeZone: 'Europe/Paris' }),
};
/** Dates in a dense table ("16 déc. 26", "2 déc. 09:11"); the full date is in the element's title. */
export const formatShortDate = (locale: Locale, date: Date) => written(locale, shortDateFormats[locale], date);
export const formatShortDateTime = (locale: Locale, date: Date) => written(locale, shortDateTimeFormats[locale], date);

/** A number as people read it in the locale: digits grouped, at most `digits` decimals ("1 234,5"). */
export const formatNumber = (locale: Locale, value: number, digits = 1) => value.toLocaleString(locale === 'fr' ? 'fr-FR' : 'en-GB', { maximumFractionDigits: digits });

/** A calendar day written YYYY-MM-DD, as a date in words ("28 novembre 2026"). */
export const formatDay = (locale: Locale, day: string) => formatDate(locale, new Date(`${day}T12:00:00Z`));

/** A file size as people read it: "350 Ko", "2,4 Mo". */
export function formatFileSize(locale: Locale, bytes: number): string {
  const t = useTranslations(locale);
  return bytes >= 1024 * 1024
    ? t('request.files.mb', { n: (bytes / 1024 / 1024).toLocaleString(locale, { maximumFractionDigits: 1 }) })
    : t('request.files.kb', { n: Math.max(1, Math.round(bytes / 1024)) });
}
