/**
 * Due dates in working days: weekends and French public holidays do not count, so that a
 * request sent on a Friday evening is not "late" on Monday morning.
 */

function easterSunday(year: number): Date {
  // Anonymous Gregorian algorithm (Meeus/Jones/Butcher).
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return new Date(Date.UTC(year, month - 1, day));
}

const key = (date: Date) => date.toISOString().slice(0, 10);

const holidayCache = new Map<number, Set<string>>();
/** The eleven public holidays of metropolitan France. */
export function frenchHolidays(year: number): Set<string> {
  let holidays = holidayCache.get(year);
  if (!holidays) {
    const easter = easterSunday(year);
    const plus = (days: number) => key(new Date(easter.getTime() + days * 86_400_000));
    holidays = new Set([
      `${year}-01-01`, `${year}-05-01`, `${year}-05-08`, `${year}-07-14`, `${year}-08-15`, `${year}-11-01`, `${year}-11-11`, `${year}-12-25`,
      plus(1), plus(39), plus(50),
    ]);
    holidayCache.set(year, holidays);
  }
  return holidays;
}

/** When the authority works: ISO weekdays (1 = Monday) and opening hours, Paris time. */
export interface WorkingHours {
  days: number[];
  open: string;
  close: string;
}

export const DEFAULT_WORKING_HOURS: WorkingHours = { days: [1, 2, 3, 4, 5], open: '09:00', close: '17:00' };

const parisParts = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

export function inParis(date: Date) {
  const parts = Object.fromEntries(parisParts.formatToParts(date).map((p) => [p.type, p.value]));
  return { year: Number(parts.year), month: Number(parts.month), day: Number(parts.day), minutes: Number(parts.hour) * 60 + Number(parts.minute) };
}

/** The instant it is `minutes` past midnight, Paris time, on a calendar day. */
export function parisInstant(year: number, month: number, day: number, minutes: number): Date {
  const guess = Date.UTC(year, month - 1, day, 0, minutes);
  const seen = inParis(new Date(guess));
  const offset = Date.UTC(seen.year, seen.month - 1, seen.day, 0, seen.minutes) - guess;
  return new Date(guess - offset);
}

const toMinutes = (time: string) => {
  const [h, m] = time.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
};

function isOpenDay(date: Date, hours: WorkingHours): boolean {
  const isoDay = date.getUTCDay() === 0 ? 7 : date.getUTCDay();
  return hours.days.includes(isoDay) && !frenchHolidays(date.getUTCFullYear()).has(key(date));
}

/**
 * The end of the `days`-th working day after `from` (0: the end of the day it arrives), at
 * closing time. Something that arrives after closing, or on a day off, counts from the next
 * working day. With no working day in the week, `days` calendar days.
 */
export function dueAfter(from: Date, days: number, hours: WorkingHours = DEFAULT_WORKING_HOURS): Date {
  const local = inParis(from);
  const close = toMinutes(hours.close);
  if (hours.days.length === 0) return new Date(from.getTime() + Math.max(days, 1) * 86_400_000);
  const day = new Date(Date.UTC(local.year, local.month - 1, local.day));
  if (!isOpenDay(day, hours) || local.minutes >= close) {
    do day.setUTCDate(day.getUTCDate() + 1);
    while (!isOpenDay(day, hours));
  }
  let left = days;
  while (left > 0) {
    day.setUTCDate(day.getUTCDate() + 1);
    if (isOpenDay(day, hours)) left -= 1;
  }
  return parisInstant(day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate(), close);
}
