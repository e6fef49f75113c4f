// The authority's calendar: public holidays of its area (date-holidays), split days, exceptional
// closures, and what follows from them (due dates, "open now", the callback slots offered), and
// the settings form that writes it.
import { describe, expect, it } from 'vitest';
import { DEFAULT_WORKING_HOURS, dueAfter, isOpenAt, nextOpening, offeredCallbackSlots, publicHolidays, readWorkingHours, simpleHours, type WorkingHours } from '../../src/lib/server/requests/due';
import { closuresText, parseClosures, validateWorkingHours } from '../../src/lib/server/workspace/calendar-form';
import { formValues } from '../../src/lib/request-form';
import { describeWorkingHours, openNowText } from '../../src/lib/server/requests/hours-text';

const due = (iso: string, days: number, hours: WorkingHours) => dueAfter(new Date(iso), days, hours).toISOString();
const monFri = (area: WorkingHours['area'] = 'metropole', closures: WorkingHours['closures'] = []): WorkingHours => ({ ...DEFAULT_WORKING_HOURS, area, closures });

describe('public holidays by area', () => {
  it('Alsace-Moselle adds Good Friday and 26 December; metropolitan France does not have them', () => {
    for (const area of ['57', '67', '68'] as const) {
      expect(publicHolidays(2027, area).has('2027-03-26')).toBe(true);
      expect(publicHolidays(2028, area).has('2028-12-26')).toBe(true);
    }
    expect(publicHolidays(2027).has('2027-03-26')).toBe(false);
    expect(publicHolidays(2028).has('2028-12-26')).toBe(false);
    expect(publicHolidays(2027).size).toBe(11);
  });

  it('an authority open on public holidays (area none) has none: Christmas is a working day', () => {
    expect(publicHolidays(2026, 'none').size).toBe(0);
    const everyDay = simpleHours([1, 2, 3, 4, 5, 6, 7], '09:00', '17:00', 'none');
    expect(isOpenAt(new Date('2026-12-25T10:00:00Z'), everyDay)).toBe(true);
    expect(isOpenAt(new Date('2026-12-25T10:00:00Z'), simpleHours([1, 2, 3, 4, 5, 6, 7], '09:00', '17:00'))).toBe(false);
  });

  it('overseas departments have their own abolition-of-slavery day', () => {
    expect(publicHolidays(2027, 'RE').has('2027-12-20')).toBe(true);
    expect(publicHolidays(2027, 'GP').has('2027-05-27')).toBe(true);
    expect(publicHolidays(2027, 'MQ').has('2027-05-22')).toBe(true);
    expect(publicHolidays(2027, 'GF').has('2027-06-10')).toBe(true);
    expect(publicHolidays(2027, 'YT').has('2027-04-27')).toBe(true);
    expect(publicHolidays(2027).has('2027-12-20')).toBe(false);
  });

  it('due dates skip them: Good Friday in Moselle, 26 December in Alsace, 20 December in La Réunion', () => {
    // Thursday 25 March 2027, 10:00: Friday is day 1, Easter Monday is off everywhere.
    expect(due('2027-03-25T09:00:00Z', 2, monFri())).toBe('2027-03-30T15:00:00.000Z');
    expect(due('2027-03-25T09:00:00Z', 2, monFri('57'))).toBe('2027-03-31T15:00:00.000Z');
    // Friday 22 December 2028: Christmas is a Monday.
    expect(due('2028-12-22T09:00:00Z', 1, monFri())).toBe('2028-12-26T16:00:00.000Z');
    expect(due('2028-12-22T09:00:00Z', 1, monFri('67'))).toBe('2028-12-27T16:00:00.000Z');
    // Friday 17 December 2027.
    expect(due('2027-12-17T09:00:00Z', 1, monFri())).toBe('2027-12-20T16:00:00.000Z');
    expect(due('2027-12-17T09:00:00Z', 1, monFri('RE'))).toBe('2027-12-21T16:00:00.000Z');
  });
});

describe('split days', () => {
  it('closed at lunch, open in the afternoon; a request at lunch counts the same day, one after closing the next', () => {
    const lunch = new Date('2026-12-01T11:45:00Z'); // Tuesday 12:45 Paris
    expect(isOpenAt(lunch, DEFAULT_WORKING_HOURS)).toBe(false);
    expect(isOpenAt(new Date('2026-12-01T09:00:00Z'), DEFAULT_WORKING_HOURS)).toBe(true);
    expect(nextOpening(lunch, DEFAULT_WORKING_HOURS)?.toISOString()).toBe('2026-12-01T12:30:00.000Z');
    expect(due('2026-12-01T11:45:00Z', 0, DEFAULT_WORKING_HOURS)).toBe('2026-12-01T16:00:00.000Z');
    expect(due('2026-12-01T16:10:00Z', 0, DEFAULT_WORKING_HOURS)).toBe('2026-12-02T16:00:00.000Z');
    // Friday evening: Monday 9:00.
    expect(nextOpening(new Date('2026-12-04T17:00:00Z'), DEFAULT_WORKING_HOURS)?.toISOString()).toBe('2026-12-07T08:00:00.000Z');
  });

  it('each day closes at its own time', () => {
    const week = DEFAULT_WORKING_HOURS.week.map((periods, i) => (i === 2 ? [['09:00', '12:00']] : periods)) as WorkingHours['week'];
    // Tuesday 18:00: Wednesday is day 0, closing at noon.
    expect(due('2026-12-01T17:00:00Z', 0, { ...DEFAULT_WORKING_HOURS, week })).toBe('2026-12-02T11:00:00.000Z');
  });
});

describe('exceptional closures', () => {
  const holidays = monFri('metropole', [{ from: '2026-12-24', to: '2027-01-01', label: 'Fermeture de fin d’année' }]);
  it('move due dates past them and say the authority is closed', () => {
    expect(due('2026-12-23T09:00:00Z', 1, monFri())).toBe('2026-12-24T16:00:00.000Z');
    expect(due('2026-12-23T09:00:00Z', 1, holidays)).toBe('2027-01-04T16:00:00.000Z');
    expect(isOpenAt(new Date('2026-12-28T09:00:00Z'), holidays)).toBe(false);
    expect(nextOpening(new Date('2026-12-28T09:00:00Z'), holidays)?.toISOString()).toBe('2027-01-04T08:00:00.000Z');
  });

  it('a calendar closed for years falls back to calendar days instead of searching forever', () => {
    const closures = Array.from({ length: 5 }, (_, k) => ({ from: `${2027 + k}-01-01`, to: `${2027 + k}-12-31` }));
    expect(due('2026-12-31T17:00:00Z', 2, monFri('metropole', closures))).toBe('2027-01-02T17:00:00.000Z');
  });
});

describe('callback slots', () => {
  it('follow the opening hours: no Saturday when Saturday is closed, no afternoon when afternoons are', () => {
    expect(offeredCallbackSlots(DEFAULT_WORKING_HOURS)).toEqual(['weekday-morning', 'weekday-afternoon', 'any-time']);
    expect(offeredCallbackSlots(simpleHours([1, 2, 3, 4, 5, 6], '08:30', '12:00'))).toEqual(['weekday-morning', 'saturday-morning', 'any-time']);
    expect(offeredCallbackSlots(simpleHours([1, 2], '14:00', '18:00'))).toEqual(['weekday-afternoon', 'any-time']);
  });
});

describe('settings', () => {
  it('still read the shape saved before split days', () => {
    const hours = readWorkingHours({ days: [1, 2], open: '08:00', close: '12:00' });
    expect(hours.week[0]).toEqual([['08:00', '12:00']]);
    expect(hours.week[2]).toEqual([]);
    expect(hours.area).toBe('metropole');
    expect(readWorkingHours(undefined)).toEqual(DEFAULT_WORKING_HOURS);
  });

  const form = (fields: Record<string, string>) => {
    const data = new FormData();
    for (const [k, v] of Object.entries({ area: 'metropole', closures: '', ...fields })) data.append(k, v);
    return formValues(data);
  };

  it('the form takes two periods a day, the area and closures, and names every mistake', () => {
    const ok = validateWorkingHours(form({ 'd1-a-open': '09:00', 'd1-a-close': '12:30', 'd1-b-open': '13:30', 'd1-b-close': '17:00', 'd6-a-open': '09:00', 'd6-a-close': '12:00', area: '57', closures: '24/12/2026 au 2/1/2027 Fin d’année\n\n14/07/2027' }));
    expect(ok).toEqual({
      ok: true,
      hours: {
        week: [[['09:00', '12:30'], ['13:30', '17:00']], [], [], [], [], [['09:00', '12:00']], []],
        area: '57',
        closures: [{ from: '2026-12-24', to: '2027-01-02', label: 'Fin d’année' }, { from: '2027-07-14', to: '2027-07-14' }],
      },
    });
    const refused = validateWorkingHours(form({ 'd1-a-open': '09:00', 'd2-a-open': '10:00', 'd2-a-close': '09:00', 'd3-a-open': '09:00', 'd3-a-close': '13:00', 'd3-b-open': '12:00', 'd3-b-close': '17:00', 'd4-a-open': '9h', 'd4-a-close': '12:00', area: 'XX', closures: '31/02/2027' }));
    expect(refused.ok === false && refused.errors.map((e) => [e.field, e.message])).toEqual([
      ['d1-a-close', 'agent.errors.periodHalf'],
      ['d2-a-close', 'agent.errors.closeBeforeOpen'],
      ['d3-b-open', 'agent.errors.periodOverlap'],
      ['d4-a-open', 'agent.errors.time'],
      ['area', 'agent.errors.unknownValue'],
      ['closures', 'agent.errors.closureLine'],
    ]);
    const empty = validateWorkingHours(form({}));
    expect(empty.ok === false && empty.errors.map((e) => e.message)).toEqual(['agent.errors.daysRequired']);
  });

  it('closures: reversed, too long, one per line, and shown back as typed', () => {
    expect(parseClosures('02/01/2027 au 24/12/2026')).toEqual({ error: { field: 'closures', message: 'agent.errors.closureOrder', params: { line: 1 } } });
    expect(parseClosures('\n01/01/2027 au 01/01/2029')).toEqual({ error: { field: 'closures', message: 'agent.errors.closureLong', params: { line: 2, max: 366 } } });
    const parsed = parseClosures('15/08/2027 Pont\n24/12/2026 – 02/01/2027');
    expect('closures' in parsed && closuresText(parsed.closures)).toBe('24/12/2026 au 02/01/2027\n15/08/2027 Pont');
  });
});

describe('opening hours in words, and whether the line is open now', () => {
  const split = DEFAULT_WORKING_HOURS;
  it('groups the days with the same periods, in French and in English', () => {
    expect(describeWorkingHours(split, 'fr')).toBe('du lundi au vendredi de 9 h à 12 h 30 et de 13 h 30 à 17 h');
    expect(describeWorkingHours(split, 'en')).toBe('Monday to Friday, 9 am to 12:30 pm and 1:30 pm to 5 pm');
    const withSaturday: WorkingHours = { ...split, week: [...split.week.slice(0, 4), [['09:00', '12:00']], [['09:00', '12:00']], []] };
    expect(describeWorkingHours(withSaturday, 'fr')).toBe('du lundi au jeudi de 9 h à 12 h 30 et de 13 h 30 à 17 h, du vendredi au samedi de 9 h à 12 h');
  });

  it('says until when it is open, or when it opens again and why it is closed', () => {
    // Wednesday 2 December 2026, 10:00 and 12:45 in Paris (UTC+1).
    expect(openNowText(split, 'fr', new Date('2026-12-02T09:00:00Z'))).toBe('ouvert en ce moment, jusqu’à 12 h 30');
    expect(openNowText(split, 'fr', new Date('2026-12-02T11:45:00Z'))).toBe('fermé en ce moment, réouverture aujourd’hui à 13 h 30');
    // Friday evening: Monday morning.
    expect(openNowText(split, 'en', new Date('2026-12-04T17:00:00Z'))).toBe('closed now, opens again on Monday 7 December at 9 am');
    // An exceptional closure, with its label; it reopens after it (and after New Year's Day).
    const closed: WorkingHours = { ...split, closures: [{ from: '2026-12-24', to: '2027-01-02', label: 'fermeture de fin d’année' }] };
    expect(openNowText(closed, 'fr', new Date('2026-12-28T09:00:00Z'))).toBe('fermé en ce moment (fermeture de fin d’année), réouverture le lundi 4 janvier à 9 h');
  });
});
