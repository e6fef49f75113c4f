/**
 * The authority's calendar: when it works (opening periods per weekday, split days allowed),
 * its public holidays (from `date-holidays`, for its area: Alsace-Moselle and the overseas
 * departments have their own), and its exceptional closures. Due dates count working days on
 * it, so that a request sent on a Friday evening is not "late" on Monday morning; the callback
 * slots a resident is offered follow it too. Times are Paris time.
 */
import Holidays from 'date-holidays';
import type { CallbackSlot } from '../../request-form';

/** Where the authority is: which public holidays apply (date-holidays' state codes for France). */
/** Where the authority is, for its public holidays; `none`: it opens on public holidays too (a helpline that never closes for them). */
export const HOLIDAY_AREAS = ['metropole', '57', '67', '68', 'GP', 'MQ', 'GF', 'RE', 'YT', 'none'] as const;
export type HolidayArea = (typeof HOLIDAY_AREAS)[number];

/** An opening period, 'HH:MM' to 'HH:MM'. */
export type OpeningPeriod = [string, string];

/** Days the authority is closed on top of its holidays, inclusive (YYYY-MM-DD), with what it says. */
export interface Closure {
  from: string;
  to: string;
  label?: string;
}

/** When the authority works. */
export interface WorkingHours {
  /** Opening periods from Monday (index 0) to Sunday (6), in order; none: closed that day. */
  week: OpeningPeriod[][];
  area: HolidayArea;
  closures: Closure[];
}

/** What the settings held before split days: one period on the same days. Still read. */
export interface LegacyWorkingHours {
  days: number[];
  open: string;
  close: string;
}

/** Monday to Friday, 9:00–12:30 and 13:30–17:00, metropolitan France's holidays, no closure. */
export const DEFAULT_WORKING_HOURS: WorkingHours = {
  week: [1, 2, 3, 4, 5, 6, 7].map((d) => (d <= 5 ? [['09:00', '12:30'], ['13:30', '17:00']] : [])),
  area: 'metropole',
  closures: [],
};

/** The same period on the given ISO weekdays (1 = Monday). */
export const simpleHours = (days: number[], open: string, close: string, area: HolidayArea = 'metropole', closures: Closure[] = []): WorkingHours => ({
  week: [1, 2, 3, 4, 5, 6, 7].map((d) => (days.includes(d) ? [[open, close]] : [])),
  area,
  closures,
});

/** Settings as stored (today's shape, or the one before split days), with defaults for what is missing. */
export function readWorkingHours(stored: Partial<WorkingHours & LegacyWorkingHours> | undefined): WorkingHours {
  if (!stored) return DEFAULT_WORKING_HOURS;
  const base = stored.week ? { ...DEFAULT_WORKING_HOURS, week: stored.week } : stored.days && stored.open && stored.close ? simpleHours(stored.days, stored.open, stored.close) : DEFAULT_WORKING_HOURS;
  return {
    week: base.week,
    area: HOLIDAY_AREAS.includes(stored.area as HolidayArea) ? (stored.area as HolidayArea) : 'metropole',
    closures: Array.isArray(stored.closures) ? stored.closures : [],
  };
}

const key = (date: Date) => date.toISOString().slice(0, 10);

const calendars = new Map<HolidayArea, Holidays>();
const holidayCache = new Map<string, Set<string>>();
/** The public holidays of a year in the authority's area, as YYYY-MM-DD. */
export function publicHolidays(year: number, area: HolidayArea = 'metropole'): Set<string> {
  const cacheKey = `${area}:${year}`;
  let holidays = holidayCache.get(cacheKey);
  if (!holidays && area === 'none') holidays = new Set();
  if (!holidays) {
    let calendar = calendars.get(area);
    if (!calendar) {
      calendar = area === 'metropole' ? new Holidays('FR') : new Holidays('FR', area);
      calendars.set(area, calendar);
    }
    holidays = new Set(calendar.getHolidays(year).filter((h) => h.type === 'public').map((h) => h.date.slice(0, 10)));
    holidayCache.set(cacheKey, holidays);
  }
  return holidays;
}

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

export const toMinutes = (time: string) => {
  const [h, m] = time.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
};

/** A calendar day (a Date at 00:00 UTC standing for that day in Paris): its opening periods, in minutes; none on a day off. */
function periodsOf(day: Date, hours: WorkingHours): [number, number][] {
  const iso = day.getUTCDay() === 0 ? 7 : day.getUTCDay();
  const periods = hours.week[iso - 1] ?? [];
  if (periods.length === 0) return [];
  const date = key(day);
  if (publicHolidays(day.getUTCFullYear(), hours.area).has(date)) return [];
  if (hours.closures.some((c) => c.from <= date && date <= c.to)) return [];
  return periods.map(([open, close]) => [toMinutes(open), toMinutes(close)]);
}

const closingOf = (periods: [number, number][]) => Math.max(...periods.map(([, close]) => close));
/** Beyond this many days without a working day (closures over years), the calendar is taken as empty. */
const SEARCH_DAYS = 3 * 366;

/**
 * The end of the `days`-th working day after `from` (0: the end of the day it arrives), at
 * that day's closing time. Something that arrives after closing, or on a day off, counts from
 * the next working day. With no working day in the week, `days` calendar days.
 */
export function dueAfter(from: Date, days: number, hours: WorkingHours = DEFAULT_WORKING_HOURS): Date {
  const calendarDays = () => new Date(from.getTime() + Math.max(days, 1) * 86_400_000);
  if (hours.week.every((periods) => periods.length === 0)) return calendarDays();
  const local = inParis(from);
  const day = new Date(Date.UTC(local.year, local.month - 1, local.day));
  let periods = periodsOf(day, hours);
  let searched = 0;
  const nextWorkingDay = () => {
    do {
      day.setUTCDate(day.getUTCDate() + 1);
      periods = periodsOf(day, hours);
      searched += 1;
    } while (periods.length === 0 && searched < SEARCH_DAYS);
  };
  if (periods.length === 0 || local.minutes >= closingOf(periods)) nextWorkingDay();
  for (let left = days; left > 0 && searched < SEARCH_DAYS; left -= 1) nextWorkingDay();
  if (periods.length === 0) return calendarDays();
  return parisInstant(day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate(), closingOf(periods));
}

/** Whether the authority is open at that instant (inside one of the day's periods). */
export function isOpenAt(at: Date, hours: WorkingHours = DEFAULT_WORKING_HOURS): boolean {
  const local = inParis(at);
  return periodsOf(new Date(Date.UTC(local.year, local.month - 1, local.day)), hours).some(([open, close]) => open <= local.minutes && local.minutes < close);
}

/** When it next opens after `at` (`at` itself when open), or null when nothing opens within three years. */
export function nextOpening(at: Date, hours: WorkingHours = DEFAULT_WORKING_HOURS): Date | null {
  if (isOpenAt(at, hours)) return at;
  const local = inParis(at);
  const day = new Date(Date.UTC(local.year, local.month - 1, local.day));
  for (let searched = 0; searched < SEARCH_DAYS; searched += 1) {
    const later = periodsOf(day, hours).filter(([open]) => searched > 0 || open > local.minutes);
    if (later.length > 0) return parisInstant(day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate(), Math.min(...later.map(([open]) => open)));
    day.setUTCDate(day.getUTCDate() + 1);
  }
  return null;
}

const NOON = 12 * 60;
/**
 * The callback slots a resident may ask for: a morning or an afternoon on weekdays when some
 * weekday is open then, Saturday morning when Saturday is, "any time" always.
 */
export function offeredCallbackSlots(hours: WorkingHours = DEFAULT_WORKING_HOURS): CallbackSlot[] {
  const weekdays = hours.week.slice(0, 5).flat();
  const slots: CallbackSlot[] = [];
  if (weekdays.some(([open]) => toMinutes(open) < NOON)) slots.push('weekday-morning');
  if (weekdays.some(([, close]) => toMinutes(close) > 14 * 60)) slots.push('weekday-afternoon');
  if ((hours.week[5] ?? []).some(([open]) => toMinutes(open) < NOON)) slots.push('saturday-morning');
  slots.push('any-time');
  return slots;
}

/** A closure that covers the day of `at`, if any (its label is what the authority wrote). */
export function closureOn(at: Date, hours: WorkingHours): Closure | undefined {
  const local = inParis(at);
  const date = `${local.year}-${String(local.month).padStart(2, '0')}-${String(local.day).padStart(2, '0')}`;
  return hours.closures.find((c) => c.from <= date && date <= c.to);
}

/** Open now and until when, or closed and when it opens next (and the closure that explains it). */
export type OpeningState = { open: true; until: Date } | { open: false; next: Date | null; closure?: Closure };

export function openingState(at: Date, hours: WorkingHours = DEFAULT_WORKING_HOURS): OpeningState {
  const local = inParis(at);
  const period = periodsOf(new Date(Date.UTC(local.year, local.month - 1, local.day)), hours).find(([open, close]) => open <= local.minutes && local.minutes < close);
  if (period) return { open: true, until: parisInstant(local.year, local.month, local.day, period[1]) };
  return { open: false, next: nextOpening(at, hours), closure: closureOn(at, hours) };
}
