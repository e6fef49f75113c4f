/**
 * The figures of the reports (/agent/rapports/): what blocks residents, how fast they are
 * answered, whether they are satisfied, which help content is missing — for a period and the
 * one before it. Every figure is an SQL aggregate over indexed columns, so that a report
 * stays fast at hundreds of thousands of requests.
 *
 * Definitions (the reports page states them too):
 * - "received": requests sent in the period; duplicates merged into another request never count;
 * - first-response time: for requests first answered in the period (a reply, a call or a visit);
 * - resolution time: for requests resolved (or closed) in the period, from sending to resolution;
 * - percentiles use the nearest-rank method (median: the ⌈n/2⌉-th value; 90th: the ⌈0.9 n⌉-th);
 * - "answered within target": of the requests whose first-answer deadline fell in the period
 *   (and has passed), those answered or resolved by it; same for resolution deadlines;
 * - satisfaction, article usefulness and searches: answers given in the period.
 */
import { type SQL, sql } from 'drizzle-orm';
import { ANSWER_CHANNELS, REQUEST_CATEGORIES, REQUESTER_KINDS, SATISFACTION_LEVELS, type AnswerChannel, type RequestCategory, type RequesterKind, type SatisfactionLevel } from '../../../../db/schema';
import type { Db } from '../db';
import type { Objectives } from '../workspace/settings';
import { addDays, dayStart, daysBetween, type Period, type ReportPeriod } from './period';

type Conn = Pick<Db, 'all'>;

export interface Spread {
  count: number;
  /** Milliseconds; null when there is nothing to measure. */
  median: number | null;
  p90: number | null;
}

export interface Share {
  /** How many were concerned. */
  total: number;
  /** How many met the target. */
  met: number;
}

export interface PeriodFigures {
  received: number;
  resolved: number;
  byCategory: Record<RequestCategory, number>;
  byChannel: Record<AnswerChannel, number>;
  byKind: Record<RequesterKind, number>;
  firstResponse: Spread;
  resolution: Spread;
  firstResponseOnTime: Share;
  resolutionOnTime: Share;
  satisfaction: Record<SatisfactionLevel, number> & { answers: number; clarity: number[]; clarityMean: number | null };
  articles: { yes: number; no: number };
  misses: number;
}

const between = (column: SQL, period: Period) => sql`${column} >= ${period.from.getTime()} and ${column} < ${period.to.getTime()}`;
const zeros = <K extends string>(keys: readonly K[]) => Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;

async function spread(db: Conn, values: SQL): Promise<Spread> {
  const [row] = await db.all<{ n: number | null; median: number | null; p90: number | null }>(sql`
    with d(v) as (${values}),
    o as (select v, row_number() over (order by v) as rn, count(*) over () as n from d)
    select max(n) as n, max(case when rn = (n + 1) / 2 then v end) as median, max(case when rn = (9 * n + 9) / 10 then v end) as p90 from o`);
  return { count: row?.n ?? 0, median: row?.median ?? null, p90: row?.p90 ?? null };
}

/** Every headline figure of one period. */
export async function periodFigures(db: Conn, period: Period, now: number = Date.now()): Promise<PeriodFigures> {
  const until = Math.min(period.to.getTime(), now);
  const [volumes, resolved, firstResponse, resolution, onTime, resolutionOnTime, satisfaction, clarity, articles, misses] = await Promise.all([
    db.all<{ category: RequestCategory; channel: AnswerChannel; kind: RequesterKind; n: number }>(sql`
      select r.category as category, r.channel as channel, q.kind as kind, count(*) as n
      from requests r join requesters q on q.id = r.requester_id
      where ${between(sql`r.created_at`, period)} and r.merged_into_id is null
      group by r.category, r.channel, q.kind`),
    db.all<{ n: number }>(sql`select count(*) as n from requests where ${between(sql`resolved_at`, period)} and merged_into_id is null`),
    spread(db, sql`select first_response_at - created_at from requests where ${between(sql`first_response_at`, period)} and merged_into_id is null`),
    spread(db, sql`select resolved_at - created_at from requests where ${between(sql`resolved_at`, period)} and merged_into_id is null`),
    db.all<{ total: number; met: number | null }>(sql`
      select count(*) as total, sum(min(coalesce(first_response_at, 9e15), coalesce(resolved_at, 9e15)) <= due_at) as met
      from requests where due_at >= ${period.from.getTime()} and due_at < ${until} and merged_into_id is null`),
    db.all<{ total: number; met: number | null }>(sql`
      select count(*) as total, sum(coalesce(resolved_at, 9e15) <= resolution_due_at) as met
      from requests where resolution_due_at >= ${period.from.getTime()} and resolution_due_at < ${until} and merged_into_id is null`),
    db.all<{ level: SatisfactionLevel; n: number }>(sql`select level, count(*) as n from satisfaction where ${between(sql`created_at`, period)} group by level`),
    db.all<{ clarity: number; n: number }>(sql`select clarity, count(*) as n from satisfaction where ${between(sql`created_at`, period)} and clarity is not null group by clarity`),
    db.all<{ yes: number | null; n: number }>(sql`select sum(helpful) as yes, count(*) as n from article_feedback where ${between(sql`created_at`, period)}`),
    db.all<{ n: number }>(sql`select count(*) as n from search_misses where ${between(sql`created_at`, period)}`),
  ]);
  const byCategory = zeros(REQUEST_CATEGORIES);
  const byChannel = zeros(ANSWER_CHANNELS);
  const byKind = zeros(REQUESTER_KINDS);
  let received = 0;
  for (const row of volumes) {
    received += row.n;
    byCategory[row.category] += row.n;
    byChannel[row.channel] += row.n;
    byKind[row.kind] += row.n;
  }
  const levels = zeros(SATISFACTION_LEVELS);
  for (const row of satisfaction) levels[row.level] = row.n;
  const clarityCounts = [1, 2, 3, 4, 5].map((score) => clarity.find((c) => c.clarity === score)?.n ?? 0);
  const clarityAnswers = clarityCounts.reduce((a, b) => a + b, 0);
  const articleRow = articles[0] ?? { yes: 0, n: 0 };
  return {
    received,
    resolved: resolved[0]?.n ?? 0,
    byCategory,
    byChannel,
    byKind,
    firstResponse,
    resolution,
    firstResponseOnTime: { total: onTime[0]?.total ?? 0, met: onTime[0]?.met ?? 0 },
    resolutionOnTime: { total: resolutionOnTime[0]?.total ?? 0, met: resolutionOnTime[0]?.met ?? 0 },
    satisfaction: {
      ...levels,
      answers: SATISFACTION_LEVELS.reduce((sum, l) => sum + levels[l], 0),
      clarity: clarityCounts,
      clarityMean: clarityAnswers > 0 ? clarityCounts.reduce((sum, n, i) => sum + n * (i + 1), 0) / clarityAnswers : null,
    },
    articles: { yes: articleRow.yes ?? 0, no: articleRow.n - (articleRow.yes ?? 0) },
    misses: misses[0]?.n ?? 0,
  };
}

export interface SeriesPoint {
  /** First day of the bucket, YYYY-MM-DD. */
  day: string;
  /** Last day of the bucket, YYYY-MM-DD. */
  lastDay: string;
  count: number;
}

/** Requests received per day (up to 62 days), per week (up to a year) or per 30-day span. */
export async function receivedSeries(db: Conn, period: ReportPeriod): Promise<{ unit: 'day' | 'week' | 'month'; points: SeriesPoint[] }> {
  const length = daysBetween(period.firstDay, period.lastDay);
  const unit = length <= 62 ? 'day' : length <= 371 ? 'week' : 'month';
  const step = unit === 'day' ? 1 : unit === 'week' ? 7 : 30;
  const buckets: { day: string; lastDay: string; from: number; to: number }[] = [];
  for (let day = period.firstDay; day <= period.lastDay; day = addDays(day, step)) {
    const last = addDays(day, step - 1) < period.lastDay ? addDays(day, step - 1) : period.lastDay;
    buckets.push({ day, lastDay: last, from: dayStart(day).getTime(), to: dayStart(addDays(last, 1)).getTime() });
  }
  const values = sql.join(buckets.map((b, i) => sql`(${i}, ${b.from}, ${b.to})`), sql`, `);
  const rows = await db.all<{ i: number; n: number }>(sql`
    with b(i, s, e) as (values ${values})
    select b.i as i, (select count(*) from requests r where r.created_at >= b.s and r.created_at < b.e and r.merged_into_id is null) as n from b`);
  const counts = new Map(rows.map((r) => [r.i, r.n]));
  return { unit, points: buckets.map((b, i) => ({ day: b.day, lastDay: b.lastDay, count: counts.get(i) ?? 0 })) };
}

export interface ProcedureRow {
  /** As most often written. */
  label: string;
  count: number;
  previous: number;
}

/** The procedures residents were stuck on, as they named them (case and spaces folded), most frequent first. */
export async function procedures(db: Conn, period: ReportPeriod, limit = 10): Promise<{ rows: ProcedureRow[]; others: { count: number; previous: number } }> {
  const rows = await db.all<{ label: string; cur: number; prev: number }>(sql`
    select min(procedure) as label, sum(created_at >= ${period.current.from.getTime()}) as cur, sum(created_at < ${period.current.from.getTime()}) as prev
    from requests
    where created_at >= ${period.previous.from.getTime()} and created_at < ${period.current.to.getTime()} and merged_into_id is null
    group by lower(trim(procedure))
    order by cur desc, prev desc, label`);
  const top = rows.filter((r) => r.cur > 0).slice(0, limit);
  const rest = rows.filter((r) => !top.includes(r));
  return {
    rows: top.map((r) => ({ label: r.label, count: r.cur, previous: r.prev })),
    others: { count: rest.reduce((s, r) => s + r.cur, 0), previous: rest.reduce((s, r) => s + r.prev, 0) },
  };
}

export interface BlockingPoint {
  category: RequestCategory;
  procedure: string;
  count: number;
  previous: number;
  resolved: number;
  /** Median time from sending to resolution, of those resolved. */
  medianResolution: number | null;
  /** Help pages agents linked in their answers, most often first: `faq/fr/slug` style keys. */
  articles: { collection: 'faq' | 'tutorials'; id: string; count: number }[];
}

const ARTICLE_LINK = /\/(en\/)?(faq|tutoriels|tutorials)\/([a-z0-9-]{1,150})\//g;

/**
 * The blocking situations that came back most: a procedure and what went wrong with it, how
 * many times, how many were resolved, how long it took, and which help pages agents answered with.
 */
export async function blockingPoints(db: Conn, period: ReportPeriod, limit = 8): Promise<BlockingPoint[]> {
  const from = period.current.from.getTime();
  const to = period.current.to.getTime();
  const groups = await db.all<{ category: RequestCategory; k: string; label: string; cur: number; prev: number; resolved: number }>(sql`
    select category, lower(trim(procedure)) as k, min(procedure) as label,
      sum(created_at >= ${from}) as cur, sum(created_at < ${from}) as prev, sum(created_at >= ${from} and resolved_at is not null) as resolved
    from requests
    where created_at >= ${period.previous.from.getTime()} and created_at < ${to} and merged_into_id is null
    group by category, lower(trim(procedure))
    having cur > 0
    order by cur desc, prev desc, label
    limit ${limit}`);
  if (groups.length === 0) return [];
  const keys = sql.join(groups.map((g) => sql`(${g.category}, ${g.k})`), sql`, `);
  const [medians, links] = await Promise.all([
    db.all<{ category: string; k: string; median: number }>(sql`
      with d as (
        select category as c, lower(trim(procedure)) as k, resolved_at - created_at as v from requests
        where created_at >= ${from} and created_at < ${to} and resolved_at is not null and merged_into_id is null and (category, lower(trim(procedure))) in (values ${keys})
      ),
      o as (select c, k, v, row_number() over (partition by c, k order by v) as rn, count(*) over (partition by c, k) as n from d)
      select c as category, k, max(case when rn = (n + 1) / 2 then v end) as median from o group by c, k`),
    db.all<{ category: string; k: string; body: string }>(sql`
      select r.category as category, lower(trim(r.procedure)) as k, m.body as body
      from requests r join messages m on m.request_id = r.id
      where r.created_at >= ${from} and r.created_at < ${to} and r.merged_into_id is null and (r.category, lower(trim(r.procedure))) in (values ${keys})
        and m.author = 'agent' and m.internal = 0 and (m.body like '%/faq/%' or m.body like '%/tutoriels/%' or m.body like '%/tutorials/%')`),
  ]);
  return groups.map((g) => {
    const linked = new Map<string, number>();
    for (const message of links.filter((l) => l.category === g.category && l.k === g.k)) {
      // One request counts once per page, however many times the page was linked.
      const seen = new Set<string>();
      for (const match of message.body.matchAll(ARTICLE_LINK)) {
        const collection = match[2] === 'faq' ? 'faq' : 'tutorials';
        seen.add(`${collection}:${match[1] ? 'en' : 'fr'}/${match[3]}`);
      }
      for (const key of seen) linked.set(key, (linked.get(key) ?? 0) + 1);
    }
    return {
      category: g.category,
      procedure: g.label,
      count: g.cur,
      previous: g.prev,
      resolved: g.resolved,
      medianResolution: medians.find((m) => m.category === g.category && m.k === g.k)?.median ?? null,
      articles: [...linked]
        .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
        .slice(0, 3)
        .map(([key, count]) => {
          const [collection, id] = key.split(':') as ['faq' | 'tutorials', string];
          return { collection, id, count };
        }),
    };
  });
}

export interface ArticleRow {
  collection: 'faq' | 'tutorials';
  articleId: string;
  locale: 'fr' | 'en';
  yes: number;
  no: number;
  comments: number;
}

/** "Was this page useful?" per article and language in the period. */
export async function articleUsefulness(db: Conn, period: Period): Promise<ArticleRow[]> {
  return db.all<ArticleRow>(sql`
    select collection, article_id as articleId, locale, sum(helpful) as yes, count(*) - sum(helpful) as no, count(comment) as comments
    from article_feedback where ${between(sql`created_at`, period)}
    group by collection, article_id, locale
    order by count(*) desc, article_id`);
}

/** Enough answers for a share to mean something: below this, an article is not ranked. */
export const MIN_ANSWERS_TO_RANK = 3;

/** The most and least useful articles: ranked by share of "yes" (then by number of answers), those with enough answers only. */
export function rankArticles(rows: ArticleRow[], limit = 5): { most: ArticleRow[]; least: ArticleRow[] } {
  const ranked = rows.filter((r) => r.yes + r.no >= MIN_ANSWERS_TO_RANK);
  const share = (r: ArticleRow) => r.yes / (r.yes + r.no);
  const most = [...ranked].sort((a, b) => share(b) - share(a) || b.yes + b.no - (a.yes + a.no) || a.articleId.localeCompare(b.articleId)).slice(0, limit);
  const least = [...ranked].sort((a, b) => share(a) - share(b) || b.yes + b.no - (a.yes + a.no) || a.articleId.localeCompare(b.articleId)).slice(0, limit);
  return { most, least };
}

export interface ArticleComment {
  collection: 'faq' | 'tutorials';
  articleId: string;
  locale: 'fr' | 'en';
  helpful: boolean;
  comment: string;
  createdAt: Date;
}

export async function articleComments(db: Conn, period: Period, article?: { collection: string; id: string }, limit = 200): Promise<ArticleComment[]> {
  const rows = await db.all<{ collection: 'faq' | 'tutorials'; articleId: string; locale: 'fr' | 'en'; helpful: number; comment: string; createdAt: number }>(sql`
    select collection, article_id as articleId, locale, helpful, comment, created_at as createdAt from article_feedback
    where ${between(sql`created_at`, period)} and comment is not null ${article ? sql`and collection = ${article.collection} and article_id = ${article.id}` : sql``}
    order by created_at desc limit ${limit}`);
  return rows.map((r) => ({ ...r, helpful: r.helpful === 1, createdAt: new Date(r.createdAt) }));
}

export interface MissRow {
  /** As most recently typed. */
  query: string;
  normalized: string;
  count: number;
  previous: number;
  locales: string;
}

/** The searches page lists this many. */
export const ALL_MISSES = 200;

/** Searches that found nothing, most frequent first, with how often they came up in the period before. */
export async function topMisses(db: Conn, period: ReportPeriod, limit = 20): Promise<MissRow[]> {
  const from = period.current.from.getTime();
  return db.all<MissRow>(sql`
    select (select s.query from search_misses s where s.normalized = m.normalized and s.created_at >= ${from} and s.created_at < ${period.current.to.getTime()} order by s.created_at desc limit 1) as query,
      normalized, sum(created_at >= ${from}) as count, sum(created_at < ${from}) as previous, group_concat(distinct locale) as locales
    from search_misses m
    where created_at >= ${period.previous.from.getTime()} and created_at < ${period.current.to.getTime()}
    group by normalized
    having count > 0
    order by count desc, previous desc, normalized
    limit ${limit}`);
}

export interface SatisfactionComment {
  reference: string;
  level: SatisfactionLevel;
  clarity: number | null;
  comment: string;
  createdAt: Date;
}

export async function satisfactionComments(db: Conn, period: Period, limit = 20): Promise<SatisfactionComment[]> {
  const rows = await db.all<{ reference: string; level: SatisfactionLevel; clarity: number | null; comment: string; createdAt: number }>(sql`
    select r.reference as reference, s.level as level, s.clarity as clarity, s.comment as comment, s.created_at as createdAt
    from satisfaction s join requests r on r.id = s.request_id
    where ${between(sql`s.created_at`, period)} and s.comment is not null
    order by s.created_at desc limit ${limit}`);
  return rows.map((r) => ({ ...r, createdAt: new Date(r.createdAt) }));
}

export type ObjectiveStatus = 'met' | 'missed' | 'no-data';

export interface ObjectiveResult {
  id: keyof Objectives;
  target: number;
  /** What was achieved, in the objective's unit (per cent, or out of 5); null without data. */
  achieved: number | null;
  previous: number | null;
  status: ObjectiveStatus;
}

const percent = (share: { met: number; total: number }) => (share.total > 0 ? (100 * share.met) / share.total : null);

/** What each objective measures, from a period's figures. */
export function objectiveValue(id: keyof Objectives, f: PeriodFigures): number | null {
  switch (id) {
    case 'firstResponseOnTime': return percent(f.firstResponseOnTime);
    case 'resolutionOnTime': return percent(f.resolutionOnTime);
    case 'satisfied': return percent({ met: f.satisfaction.good, total: f.satisfaction.answers });
    case 'clarity': return f.satisfaction.clarityMean;
    case 'usefulArticles': return percent({ met: f.articles.yes, total: f.articles.yes + f.articles.no });
  }
}

export function objectiveResults(objectives: Objectives, current: PeriodFigures, previous: PeriodFigures): ObjectiveResult[] {
  return (Object.keys(objectives) as (keyof Objectives)[])
    .filter((id) => objectives[id] !== null)
    .map((id) => {
      const target = objectives[id]!;
      const achieved = objectiveValue(id, current);
      return { id, target, achieved, previous: objectiveValue(id, previous), status: achieved === null ? 'no-data' : achieved >= target ? 'met' : 'missed' };
    });
}

export interface Report {
  period: ReportPeriod;
  current: PeriodFigures;
  previous: PeriodFigures;
  series: Awaited<ReturnType<typeof receivedSeries>>;
  procedures: Awaited<ReturnType<typeof procedures>>;
  blocking: BlockingPoint[];
  articles: ArticleRow[];
  misses: MissRow[];
  comments: SatisfactionComment[];
  objectives: ObjectiveResult[];
}

/** The whole report: its parts are read side by side. */
export async function buildReport(db: Conn, period: ReportPeriod, objectives: Objectives, now: number = Date.now()): Promise<Report> {
  const [current, previous, series, procedureRows, blocking, articles, misses, comments] = await Promise.all([
    periodFigures(db, period.current, now),
    periodFigures(db, period.previous, now),
    receivedSeries(db, period),
    procedures(db, period),
    blockingPoints(db, period),
    articleUsefulness(db, period.current),
    topMisses(db, period, ALL_MISSES),
    satisfactionComments(db, period.current),
  ]);
  return { period, current, previous, series, procedures: procedureRows, blocking, articles, misses, comments, objectives: objectiveResults(objectives, current, previous) };
}
