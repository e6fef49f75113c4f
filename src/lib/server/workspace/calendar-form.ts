/**
 * The opening-hours form of the settings: two periods per weekday (a split day: morning and
 * afternoon), the holiday area, and exceptional closures written one per line
 * ("24/12/2026 au 02/01/2027 Fermeture de fin d'année", or one date). Every mistake is named
 * with its field (and its line for closures); nothing is saved until all is right.
 */
import type { FormMessage } from '../../../actions/request';
import { type FormValues, hasControlCharacters } from '../../request-form';
import { type Closure, HOLIDAY_AREAS, type HolidayArea, type OpeningPeriod, type WorkingHours } from '../requests/due';

export const CLOSURES_MAX = 100;
export const CLOSURE_LABEL_MAX = 120;
/** A closure longer than this is a typing mistake (a wrong year), not a closure. */
export const CLOSURE_MAX_DAYS = 366;

export const periodField = (day: number, part: 'a' | 'b', end: 'open' | 'close') => `d${day}-${part}-${end}`;

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

/** The day d/m/y as YYYY-MM-DD, or undefined when it does not exist (31/02). */
export function isoDate(d: string, m: string, y: string): string | undefined {
  const date = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
  if (date.getUTCFullYear() !== Number(y) || date.getUTCMonth() !== Number(m) - 1 || date.getUTCDate() !== Number(d)) return undefined;
  return date.toISOString().slice(0, 10);
}

const CLOSURE_LINE = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:\s*(?:au|à|to|-|–|—)\s*(\d{1,2})\/(\d{1,2})\/(\d{4}))?(?:\s+(.*))?$/i;

/** Closures as the form shows them: one per line, French dates. */
export function closuresText(closures: Closure[]): string {
  const fr = (iso: string) => iso.split('-').reverse().join('/');
  return closures.map((c) => [fr(c.from), c.to !== c.from ? `au ${fr(c.to)}` : '', c.label ?? ''].filter(Boolean).join(' ')).join('\n');
}

export function parseClosures(text: string): { closures: Closure[] } | { error: FormMessage } {
  const lines = text.replace(/\r\n?/g, '\n').split('\n').map((l) => l.trim());
  const closures: Closure[] = [];
  for (const [index, line] of lines.entries()) {
    if (!line) continue;
    const at = { line: index + 1 };
    const m = CLOSURE_LINE.exec(line);
    const from = m && isoDate(m[1]!, m[2]!, m[3]!);
    const to = m && (m[4] ? isoDate(m[4], m[5]!, m[6]!) : from);
    if (!m || !from || !to) return { error: { field: 'closures', message: 'agent.errors.closureLine', params: at } };
    if (to < from) return { error: { field: 'closures', message: 'agent.errors.closureOrder', params: at } };
    if ((Date.parse(to) - Date.parse(from)) / 86_400_000 >= CLOSURE_MAX_DAYS) return { error: { field: 'closures', message: 'agent.errors.closureLong', params: { ...at, max: CLOSURE_MAX_DAYS } } };
    const label = m[7]?.trim();
    if (label && label.length > CLOSURE_LABEL_MAX) return { error: { field: 'closures', message: 'agent.errors.closureLabel', params: { ...at, max: CLOSURE_LABEL_MAX } } };
    closures.push({ from, to, ...(label ? { label } : {}) });
    if (closures.length > CLOSURES_MAX) return { error: { field: 'closures', message: 'agent.errors.closuresTooMany', params: { max: CLOSURES_MAX } } };
  }
  return { closures: closures.sort((a, b) => a.from.localeCompare(b.from)) };
}

export function validateWorkingHours(values: FormValues): { ok: true; hours: WorkingHours } | { ok: false; errors: FormMessage[] } {
  const errors: FormMessage[] = [];
  const week: OpeningPeriod[][] = [];
  for (let day = 1; day <= 7; day += 1) {
    const periods: OpeningPeriod[] = [];
    for (const part of ['a', 'b'] as const) {
      const [openName, closeName] = [periodField(day, part, 'open'), periodField(day, part, 'close')];
      const open = values.get(openName).trim();
      const close = values.get(closeName).trim();
      if (!open && !close) continue;
      if (!open || !close) {
        errors.push({ field: open ? closeName : openName, message: 'agent.errors.periodHalf' });
        continue;
      }
      if (!TIME.test(open)) errors.push({ field: openName, message: 'agent.errors.time' });
      if (!TIME.test(close)) errors.push({ field: closeName, message: 'agent.errors.time' });
      if (!TIME.test(open) || !TIME.test(close)) continue;
      if (close <= open) errors.push({ field: closeName, message: 'agent.errors.closeBeforeOpen' });
      else if (periods.length > 0 && open < periods[0]![1]) errors.push({ field: openName, message: 'agent.errors.periodOverlap' });
      else periods.push([open, close]);
    }
    week.push(periods);
  }
  if (errors.length === 0 && week.every((periods) => periods.length === 0)) errors.push({ field: periodField(1, 'a', 'open'), message: 'agent.errors.daysRequired' });
  const area = values.get('area');
  if (!HOLIDAY_AREAS.includes(area as HolidayArea)) errors.push({ field: 'area', message: 'agent.errors.unknownValue' });
  const rawClosures = values.get('closures');
  if (hasControlCharacters(rawClosures)) errors.push({ field: 'closures', message: 'request.errors.controlCharacters' });
  const parsed = parseClosures(rawClosures);
  if ('error' in parsed) errors.push(parsed.error);
  if (errors.length > 0 || 'error' in parsed) return { ok: false, errors };
  return { ok: true, hours: { week, area: area as HolidayArea, closures: parsed.closures } };
}
