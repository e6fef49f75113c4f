/**
 * The authority's opening hours in words, from the settings administrators keep (the same
 * ones due dates and callback slots follow): "du lundi au vendredi de 9 h à 12 h 30 et de
 * 13 h 30 à 17 h", and whether the line is open now ("ouvert jusqu'à 17 h").
 */
import { formatDate, type Locale, useTranslations, type UiKey } from '../../../i18n';
import { type OpeningPeriod, openingState, type WorkingHours } from './due';

/** A time as the locale says it: "9 h", "12 h 30"; "9 am", "12:30 pm". */
export function spokenTime(locale: Locale, time: string): string {
  const [h = 0, m = 0] = time.split(':').map(Number);
  if (locale === 'fr') return m === 0 ? `${h} h` : `${h} h ${String(m).padStart(2, '0')}`;
  const suffix = h < 12 || h === 24 ? 'am' : 'pm';
  const hour = h % 12 === 0 ? 12 : h % 12;
  return m === 0 ? `${hour} ${suffix}` : `${hour}:${String(m).padStart(2, '0')} ${suffix}`;
}

const same = (a: OpeningPeriod[], b: OpeningPeriod[]) => a.length === b.length && a.every(([o, c], i) => o === b[i]![0] && c === b[i]![1]);

/** The week in words: consecutive days with the same periods grouped ("du lundi au vendredi"). */
export function describeWorkingHours(hours: WorkingHours, locale: Locale): string {
  const t = useTranslations(locale);
  const day = (d: number) => t(`hours.day.${d}` as UiKey);
  const groups: { from: number; to: number; periods: OpeningPeriod[] }[] = [];
  hours.week.forEach((periods, i) => {
    if (periods.length === 0) return;
    const last = groups.at(-1);
    if (last && last.to === i && same(last.periods, periods)) last.to = i + 1;
    else groups.push({ from: i + 1, to: i + 1, periods });
  });
  if (groups.length === 0) return t('hours.none');
  return groups
    .map((g) => {
      const days = g.from === g.to ? t('hours.oneDay', { day: day(g.from) }) : t('hours.dayRange', { from: day(g.from), to: day(g.to) });
      const periods = g.periods.map(([open, close]) => t('hours.period', { open: spokenTime(locale, open), close: spokenTime(locale, close) })).join(t('hours.and'));
      return t('hours.group', { days, periods });
    })
    .join(t('hours.separator'));
}

/** "Open now, until 5 pm." / "Closed now (end-of-year closure); opens again on Monday 4 January at 9 am." */
export function openNowText(hours: WorkingHours, locale: Locale, at: Date = new Date()): string {
  const t = useTranslations(locale);
  const state = openingState(at, hours);
  if (state.open) return t('hours.openUntil', { time: clockText(locale, state.until) });
  const why = state.closure?.label ? t('hours.closedFor', { label: state.closure.label }) : t('hours.closed');
  if (!state.next) return why;
  return t('hours.closedUntil', { closed: why, when: openingWhen(locale, state.next, at) });
}

/** When the authority opens next, in words ("aujourd'hui à 13 h 30", "mardi 8 décembre à 9 h"); null when open now or never. */
export function nextOpeningText(hours: WorkingHours, locale: Locale, at: Date = new Date()): string | null {
  const state = openingState(at, hours);
  return state.open || !state.next ? null : openingWhen(locale, state.next, at);
}

function openingWhen(locale: Locale, next: Date, at: Date): string {
  const t = useTranslations(locale);
  const sameDay = formatDate(locale, next) === formatDate(locale, at);
  return sameDay ? t('hours.todayAt', { time: clockText(locale, next) }) : t('hours.dayAt', { day: weekdayDate(locale, next), time: clockText(locale, next) });
}

const timeFormat = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: 'Europe/Paris' });
const timeOf = (date: Date) => timeFormat.format(date);
/** The time of an instant in Paris, as the locale says it ("14 h 32", "2:32 pm"). */
export const clockText = (locale: Locale, date: Date) => spokenTime(locale, timeOf(date));
const weekdayFormats: Record<Locale, Intl.DateTimeFormat> = {
  fr: new Intl.DateTimeFormat('fr-FR', { weekday: 'long', day: 'numeric', month: 'long', timeZone: 'Europe/Paris' }),
  en: new Intl.DateTimeFormat('en-GB', { weekday: 'long', day: 'numeric', month: 'long', timeZone: 'Europe/Paris' }),
};
const weekdayDate = (locale: Locale, date: Date) => {
  const text = weekdayFormats[locale].format(date);
  return locale === 'fr' ? text.replace(/ 1 /, ' 1er ') : text;
};
