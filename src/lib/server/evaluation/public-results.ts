/**
 * The results the authority publishes (the Services Publics+ engagement): its promises, and
 * what it measured over the last 12 months beside the 12 before — requests answered within the
 * promised time, the median first answer, residents satisfied, the blocking situations that came
 * back most and the help written for them. Computed by the reports' own functions, so the figures
 * are the reports' figures; no personal data; a figure resting on fewer than 10 answers is not
 * shown. Read once a day per server process (the period moves by days).
 */
import type { RequestCategory } from '../../../../db/schema';
import type { Db } from '../db';
import { parisDay, periodFromQuery, type ReportPeriod } from './period';
import { blockingPoints, comparedFigures, receivedGroups } from './reports';

export { DEFAULT_RESULTS_SETTINGS, RESULT_BLOCKS, RESULTS_COMMENT_MAX, type ResultBlock, type ResultsSettings } from './results-settings';

/** Below this many answers a share or a median says more about chance than about the service. */
export const PUBLIC_MIN_ANSWERS = 10;

/** A share (per cent, one decimal) or a duration, with what it rests on; null under the threshold. */
export interface PublicFigure {
  value: number | null;
  /** How many answers or requests it rests on. */
  count: number;
}

export interface PublicPeriodResults {
  /** Share of first answers given within the promised time. */
  onTime: PublicFigure;
  /** Median time to a first answer, in milliseconds. */
  firstResponse: PublicFigure;
  /** Share of residents satisfied ("bien") among those who answered. */
  satisfaction: PublicFigure;
}

export interface PublicBlocking {
  procedure: string;
  category: RequestCategory;
  count: number;
  resolved: number;
  /** Help pages agents answered with: what was done about it. */
  articles: { collection: 'faq' | 'tutorials'; id: string }[];
}

export interface PublicResults {
  period: ReportPeriod;
  current: PublicPeriodResults;
  previous: PublicPeriodResults;
  /** Blocking situations met at least PUBLIC_MIN_ANSWERS times in the period. */
  blocking: PublicBlocking[];
  /** The day they were computed (Paris), YYYY-MM-DD. */
  day: string;
}

const share = (part: number, total: number): PublicFigure => ({ value: total >= PUBLIC_MIN_ANSWERS ? Math.round((1000 * part) / total) / 10 : null, count: total });

/** The published figures for the 12 months up to `now`'s day, and the 12 before. */
export async function computePublicResults(db: Db, now: number = Date.now()): Promise<PublicResults> {
  const period = periodFromQuery(new URLSearchParams('periode=12m'), new Date(now));
  const groups = await receivedGroups(db, period);
  const [{ current, previous }, blocking] = await Promise.all([comparedFigures(db, period, groups, now), blockingPoints(db, period, groups)]);
  const figures = (f: typeof current): PublicPeriodResults => ({
    onTime: share(f.firstResponseOnTime.met, f.firstResponseOnTime.total),
    firstResponse: { value: f.firstResponse.count >= PUBLIC_MIN_ANSWERS ? f.firstResponse.median : null, count: f.firstResponse.count },
    satisfaction: share(f.satisfaction.good, f.satisfaction.answers),
  });
  return {
    period,
    current: figures(current),
    previous: figures(previous),
    blocking: blocking
      .filter((b) => b.count >= PUBLIC_MIN_ANSWERS)
      .map((b) => ({ procedure: b.procedure, category: b.category, count: b.count, resolved: b.resolved, articles: b.articles.map(({ collection, id }) => ({ collection, id })) })),
    day: parisDay(new Date(now)),
  };
}

let cached: { day: string; results: Promise<PublicResults> } | undefined;

/** The figures of the day: computed at the first visit of each day, then kept by this process. */
export function publicResults(db: Db, now: number = Date.now()): Promise<PublicResults> {
  const day = parisDay(new Date(now));
  if (!cached || cached.day !== day) {
    const results = computePublicResults(db, now);
    cached = { day, results };
    // A failure is not kept: the next visit tries again.
    results.catch(() => {
      if (cached?.results === results) cached = undefined;
    });
  }
  return cached.results;
}
