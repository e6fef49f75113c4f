import { formatDay, type Locale, type Translate } from '../i18n';

/** An announcement's period in words: "Du 5 janvier 2027 au 31 janvier 2027", "À partir du 5 janvier 2027". */
export function announcementDates(t: Translate, locale: Locale, a: { startsOn: string; endsOn: string | null }): string {
  if (a.endsOn === null) return t('announcements.from', { from: formatDay(locale, a.startsOn) });
  if (a.endsOn === a.startsOn) return t('announcements.on', { day: formatDay(locale, a.startsOn) });
  return t('announcements.fromTo', { from: formatDay(locale, a.startsOn), to: formatDay(locale, a.endsOn) });
}
