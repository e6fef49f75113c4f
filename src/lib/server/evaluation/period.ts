/**
 * The period a report covers, chosen from presets or two dates (Paris calendar days), and the
 * period it is compared with: the same length, just before.
 */
import { inParis, parisInstant } from '../requests/due';

export const PRESETS = ['7j', '30j', '90j', 'mois', 'mois-precedent', '12m', 'perso'] as const;
export type Preset = (typeof PRESETS)[number];
export const DEFAULT_PRESET: Preset = '30j';
/** The longest period a report covers: two years. */
export const MAX_PERIOD_DAYS = 731;

export interface Period {
  /** First instant included (Paris midnight). */
  from: Date;
  /** First instant excluded (Paris midnight). */
  to: Date;
}

export interface ReportPeriod {
  preset: Preset;
  current: Period;
  previous: Period;
  /** The period's days, YYYY-MM-DD. */
  firstDay: string;
  lastDay: string;
  /** What the date fields show: the period's days, or what was typed when it was refused. */
  typed: { du: string; au: string };
  /** The previous period's days. */
  previousFirstDay: string;
  previousLastDay: string;
  errors: { field: 'du' | 'au'; message: string }[];
}

const DAY_MS = 86_400_000;
const isDay = (value: string) => /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value);

/** YYYY-MM-DD of a Paris calendar day. */
export function parisDay(date: Date): string {
  const p = inParis(date);
  return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
}

/** Paris midnight starting a calendar day. */
export function dayStart(day: string): Date {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return parisInstant(y, m, d, 0);
}

/** The calendar day `n` days after `day` (n may be negative). */
export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

export const daysBetween = (first: string, last: string) => Math.round((Date.parse(`${last}T00:00:00Z`) - Date.parse(`${first}T00:00:00Z`)) / DAY_MS) + 1;

/** From the report's address (`periode`, `du`, `au`): the period, the one before it, and what was wrong with the dates. */
export function periodFromQuery(params: URLSearchParams, now: Date = new Date()): ReportPeriod {
  const today = parisDay(now);
  const asked = params.get('periode') ?? '';
  const preset: Preset = (PRESETS as readonly string[]).includes(asked) ? (asked as Preset) : params.has('du') || params.has('au') ? 'perso' : DEFAULT_PRESET;
  let firstDay: string;
  let lastDay = today;
  const errors: ReportPeriod['errors'] = [];
  switch (preset) {
    case '7j': firstDay = addDays(today, -6); break;
    case '90j': firstDay = addDays(today, -89); break;
    case 'mois': firstDay = `${today.slice(0, 8)}01`; break;
    case 'mois-precedent': {
      lastDay = addDays(`${today.slice(0, 8)}01`, -1);
      firstDay = `${lastDay.slice(0, 8)}01`;
      break;
    }
    case '12m': firstDay = addDays(today, -364); break;
    case 'perso': {
      const du = (params.get('du') ?? '').trim();
      const au = (params.get('au') ?? '').trim();
      firstDay = du;
      lastDay = au;
      if (!isDay(du)) errors.push({ field: 'du', message: du ? 'reports.errors.badDate' : 'reports.errors.dateRequired' });
      if (!isDay(au)) errors.push({ field: 'au', message: au ? 'reports.errors.badDate' : 'reports.errors.dateRequired' });
      if (errors.length === 0 && du > au) errors.push({ field: 'au', message: 'reports.errors.endBeforeStart' });
      if (errors.length === 0 && daysBetween(du, au) > MAX_PERIOD_DAYS) errors.push({ field: 'au', message: 'reports.errors.tooLong' });
      break;
    }
    default: firstDay = addDays(today, -29);
  }
  if (errors.length > 0) {
    // The report still answers, for the default period, with the messages next to the dates.
    const fallback = periodFromQuery(new URLSearchParams(), now);
    return { ...fallback, typed: { du: (params.get('du') ?? '').slice(0, 40), au: (params.get('au') ?? '').slice(0, 40) }, errors };
  }
  const length = daysBetween(firstDay, lastDay);
  const current = { from: dayStart(firstDay), to: dayStart(addDays(lastDay, 1)) };
  const previous = { from: dayStart(addDays(firstDay, -length)), to: current.from };
  return { preset, current, previous, firstDay, lastDay, typed: { du: firstDay, au: lastDay }, previousFirstDay: addDays(firstDay, -length), previousLastDay: addDays(firstDay, -1), errors };
}

/** The query string that gives this period again (for links between report pages and the CSV files). */
export function periodQuery(period: ReportPeriod): string {
  const params = new URLSearchParams(period.preset === 'perso' ? { periode: 'perso', du: period.firstDay, au: period.lastDay } : { periode: period.preset });
  return params.toString();
}
