import { WEEK_DAYS } from '../schemas/content';
import type { Locale, useTranslations } from '../i18n';

type Day = (typeof WEEK_DAYS)[number];

/** How a help place's opening hours read: "lundi au vendredi : 9 h – 12 h". */
export function placeHours(locale: Locale, t: ReturnType<typeof useTranslations>) {
  const dayName = (day: Day) => t(`days.${day}`);
  /** "lundi au vendredi" for consecutive days, "mardi, jeudi" otherwise. */
  function days(selected: Day[]) {
    const indexes = selected.map((d) => WEEK_DAYS.indexOf(d)).sort((a, b) => a - b);
    const consecutive = indexes.every((d, i) => i === 0 || d === indexes[i - 1]! + 1);
    if (consecutive && indexes.length > 2) return t('places.dayRange', { from: dayName(WEEK_DAYS[indexes[0]!]!), to: dayName(WEEK_DAYS[indexes.at(-1)!]!) });
    return indexes.map((i) => dayName(WEEK_DAYS[i]!)).join(', ');
  }
  /** 09:30 → "9 h 30" in French, "9:30" in English. */
  const time = (value: string) => {
    const [hours, minutes] = value.split(':').map(Number) as [number, number];
    if (locale === 'fr') return minutes === 0 ? `${hours}\u00a0h` : `${hours}\u00a0h\u00a0${String(minutes).padStart(2, '0')}`;
    return `${hours}:${String(minutes).padStart(2, '0')}`;
  };
  const colon = locale === 'fr' ? '\u00a0: ' : ': ';
  return (h: { days: Day[]; opens: string; closes: string }) => `${days(h.days)}${colon}${time(h.opens)} – ${time(h.closes)}`;
}
