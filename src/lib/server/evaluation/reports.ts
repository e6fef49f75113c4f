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
import { AGENT_INTAKE_CHANNELS, ANSWER_CHANNELS, INTAKE_CHANNELS, type IntakeChannel, REQUEST_CATEGORIES, REQUESTER_KINDS, SATISFACTION_LEVELS, type AnswerChannel, type RequestCategory, type RequesterKind, type SatisfactionLevel } from '../../../../db/schema';
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
  /** Requests received per channel they arrived by (online, phone, counter…). */
  byIntake: Record<IntakeChannel, number>;
  /** Questions settled on the spot per channel (none online). */
  quickByChannel: Record<IntakeChannel, number>;
  /** Median first-response time of the requests first answered in the period, per intake channel. */
  firstResponseByIntake: Record<IntakeChannel, number | null>;
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

function emptyFigures(): PeriodFigures {
  return {
    received: 0,
    resolved: 0,
    byCategory: zeros(REQUEST_CATEGORIES),
    byChannel: zeros(ANSWER_CHANNELS),
    byKind: zeros(REQUESTER_KINDS),
    byIntake: zeros(INTAKE_CHANNELS),
    quickByChannel: zeros(INTAKE_CHANNELS),
    firstResponseByIntake: Object.fromEntries(INTAKE_CHANNELS.map((c) => [c, null])) as Record<IntakeChannel, number | null>,
    firstResponse: { count: 0, median: null, p90: null },
    resolution: { count: 0, median: null, p90: null },
    firstResponseOnTime: { total: 0, met: 0 },
    resolutionOnTime: { total: 0, met: 0 },
    satisfaction: { ...zeros(SATISFACTION_LEVELS), answers: 0, clarity: [0, 0, 0, 0, 0], clarityMean: null },
    articles: { yes: 0, no: 0 },
    misses: 0,
  };
}

/**
 * Median and 90th percentile (nearest rank) of `value` over the rows whose `time` falls in the
 * period: count them, then ask for the value at each rank. A sort with a limit keeps only the
 * rows up to that rank (the 90th from the top: a tenth of them), faster than numbering them all.
 */
async function spread(db: Conn, index: string, time: string, value: SQL, period: Period): Promise<Spread> {
  const rows = sql`from requests indexed by ${sql.identifier(index)} where ${sql.identifier(time)} >= ${period.from.getTime()} and ${sql.identifier(time)} < ${period.to.getTime()} and merged_into_id is null`;
  const [counted] = await db.all<{ n: number }>(sql`select count(*) as n ${rows}`);
  const n = counted?.n ?? 0;
  if (n === 0) return { count: 0, median: null, p90: null };
  const [median, p90] = await Promise.all([
    db.all<{ v: number }>(sql`select ${value} as v ${rows} order by v limit 1 offset ${Math.ceil(n / 2) - 1}`),
    db.all<{ v: number }>(sql`select ${value} as v ${rows} order by v desc limit 1 offset ${n - Math.ceil((9 * n) / 10)}`),
  ]);
  return { count: n, median: median[0]?.v ?? null, p90: p90[0]?.v ?? null };
}

/** Median first-response time of one intake channel's requests first answered in the period (nearest rank). */
async function intakeSpread(db: Conn, intake: IntakeChannel, period: Period): Promise<number | null> {
  const rows = sql`from requests indexed by requests_intake_response_idx where intake = ${intake} and first_response_at >= ${period.from.getTime()} and first_response_at < ${period.to.getTime()} and merged_into_id is null`;
  const [counted] = await db.all<{ n: number }>(sql`select count(*) as n ${rows}`);
  const n = counted?.n ?? 0;
  if (n === 0) return null;
  const [median] = await db.all<{ v: number }>(sql`select first_response_at - created_at as v ${rows} order by v limit 1 offset ${Math.ceil(n / 2) - 1}`);
  return median?.v ?? null;
}

async function spreads(db: Conn, index: string, time: string, value: SQL, period: ReportPeriod): Promise<Record<0 | 1, Spread>> {
  const [previous, current] = await Promise.all([spread(db, index, time, value, period.previous), spread(db, index, time, value, period.current)]);
  return { 0: previous, 1: current };
}

/** Requests received, by category, channel, kind of requester and procedure, in both periods: one pass over an index. */
export interface ReceivedGroup {
  cur: 0 | 1;
  category: RequestCategory;
  channel: AnswerChannel;
  kind: RequesterKind;
  /** Case and spaces folded (`procedure_key`). */
  procedure: string;
  n: number;
  resolved: number;
}

export async function receivedGroups(db: Conn, period: ReportPeriod): Promise<ReceivedGroup[]> {
  return db.all<ReceivedGroup>(sql`
    select created_at >= ${period.current.from.getTime()} as cur, category, channel, requester_kind as kind, procedure_key as procedure, count(*) as n, sum(resolved_at is not null) as resolved
    from requests indexed by requests_groups_idx
    where created_at >= ${period.previous.from.getTime()} and created_at < ${period.current.to.getTime()} and merged_into_id is null
    group by category, channel, requester_kind, procedure_key, 1`);
}

/** Every headline figure of the period and of the previous one. */
export async function comparedFigures(db: Conn, period: ReportPeriod, groups: ReceivedGroup[], now: number = Date.now()): Promise<Record<'current' | 'previous', PeriodFigures>> {
  const from = period.current.from.getTime();
  const start = period.previous.from.getTime();
  const end = period.current.to.getTime();
  // A deadline counts once it has passed.
  const until = Math.min(end, now);
  const [firstResponse, resolution, onTime, resolutionOnTime, opinions, articles, misses, intakes, quick, intakeMedians] = await Promise.all([
    spreads(db, 'requests_first_response_idx', 'first_response_at', sql`first_response_at - created_at`, period),
    spreads(db, 'requests_resolved_idx', 'resolved_at', sql`resolved_at - created_at`, period),
    db.all<{ cur: number; total: number; met: number | null }>(sql`
      select due_at >= ${from} as cur, count(*) as total, sum(min(coalesce(first_response_at, 9e15), coalesce(resolved_at, 9e15)) <= due_at) as met
      from requests indexed by requests_due_idx where due_at >= ${start} and due_at < ${until} and merged_into_id is null group by 1`),
    db.all<{ cur: number; total: number; met: number | null }>(sql`
      select resolution_due_at >= ${from} as cur, count(*) as total, sum(coalesce(resolved_at, 9e15) <= resolution_due_at) as met
      from requests indexed by requests_resolution_due_idx where resolution_due_at >= ${start} and resolution_due_at < ${until} and merged_into_id is null group by 1`),
    db.all<{ cur: number; level: SatisfactionLevel; clarity: number | null; n: number }>(sql`select created_at >= ${from} as cur, level, clarity, count(*) as n from satisfaction where created_at >= ${start} and created_at < ${end} group by 1, 2, 3`),
    db.all<{ cur: number; yes: number; n: number }>(sql`select created_at >= ${from} as cur, sum(helpful) as yes, count(*) as n from article_feedback indexed by article_feedback_report_idx where created_at >= ${start} and created_at < ${end} group by 1`),
    db.all<{ cur: number; n: number }>(sql`select created_at >= ${from} as cur, count(*) as n from search_misses where created_at >= ${start} and created_at < ${end} group by 1`),
    db.all<{ intake: IntakeChannel; cur: number; prev: number }>(sql`
      select intake, sum(created_at >= ${from}) as cur, sum(created_at < ${from}) as prev from requests indexed by requests_intake_idx
      where intake in ${sql.raw(`(${INTAKE_CHANNELS.map((c) => `'${c}'`).join(', ')})`)} and created_at >= ${start} and created_at < ${end} and merged_into_id is null group by intake`),
    db.all<{ channel: IntakeChannel; cur: number; prev: number }>(sql`
      select channel, sum(created_at >= ${from}) as cur, sum(created_at < ${from}) as prev from quick_answers indexed by quick_answers_channel_idx
      where channel in ${sql.raw(`(${AGENT_INTAKE_CHANNELS.map((c) => `'${c}'`).join(', ')})`)} and created_at >= ${start} and created_at < ${end} group by channel`),
    Promise.all(INTAKE_CHANNELS.map(async (intake) => ({ intake, spread: await intakeSpread(db, intake, period.current) }))),
  ]);
  const result = { current: emptyFigures(), previous: emptyFigures() };
  const of = (cur: number) => (cur ? result.current : result.previous);
  for (const g of groups) {
    const f = of(g.cur);
    f.received += g.n;
    f.byCategory[g.category] += g.n;
    f.byChannel[g.channel] += g.n;
    f.byKind[g.kind] += g.n;
  }
  for (const cur of [0, 1] as const) {
    of(cur).firstResponse = firstResponse[cur];
    of(cur).resolution = resolution[cur];
    // Requests resolved in the period are the ones whose resolution time was measured.
    of(cur).resolved = resolution[cur].count;
  }
  for (const r of onTime) of(r.cur).firstResponseOnTime = { total: r.total, met: r.met ?? 0 };
  for (const r of resolutionOnTime) of(r.cur).resolutionOnTime = { total: r.total, met: r.met ?? 0 };
  for (const r of opinions) {
    const s = of(r.cur).satisfaction;
    s[r.level] += r.n;
    s.answers += r.n;
    if (r.clarity !== null) s.clarity[r.clarity - 1]! += r.n;
  }
  for (const f of [result.current, result.previous]) {
    const answered = f.satisfaction.clarity.reduce((a, b) => a + b, 0);
    f.satisfaction.clarityMean = answered > 0 ? f.satisfaction.clarity.reduce((sum, n, i) => sum + n * (i + 1), 0) / answered : null;
  }
  for (const r of articles) of(r.cur).articles = { yes: r.yes ?? 0, no: r.n - (r.yes ?? 0) };
  for (const r of misses) of(r.cur).misses = r.n;
  for (const r of intakes) {
    result.current.byIntake[r.intake] += r.cur;
    result.previous.byIntake[r.intake] += r.prev;
  }
  for (const r of quick) {
    result.current.quickByChannel[r.channel] += r.cur;
    result.previous.quickByChannel[r.channel] += r.prev;
  }
  for (const m of intakeMedians) result.current.firstResponseByIntake[m.intake] = m.spread;
  return result;
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
  /** The procedure as counted (case and spaces folded), with a capital first letter. */
  label: string;
  count: number;
  previous: number;
}

/** A procedure's key as a label: its first letter in capitals ("payer la cantine" → "Payer la cantine"). */
const capitalise = (key: string) => key.charAt(0).toLocaleUpperCase('fr') + key.slice(1);

interface Tally<T> {
  key: T;
  count: number;
  previous: number;
  /** Of `count`, those resolved since. */
  resolved: number;
}

/** Adds up the received groups by `keyOf`, most frequent in the period first (then in the one before). */
function tally<T>(groups: ReceivedGroup[], keyOf: (g: ReceivedGroup) => T, id: (key: T) => string): Tally<T>[] {
  const totals = new Map<string, Tally<T>>();
  for (const g of groups) {
    const key = keyOf(g);
    const entry = totals.get(id(key)) ?? { key, count: 0, previous: 0, resolved: 0 };
    if (g.cur) {
      entry.count += g.n;
      entry.resolved += g.resolved;
    } else entry.previous += g.n;
    totals.set(id(key), entry);
  }
  return [...totals.entries()].sort(([ia, a], [ib, b]) => b.count - a.count || b.previous - a.previous || ia.localeCompare(ib)).map(([, t]) => t);
}

/** The procedures residents were stuck on, as they named them (case and spaces folded), most frequent first. */
export function procedures(groups: ReceivedGroup[], limit = 10): { rows: ProcedureRow[]; others: { count: number; previous: number } } {
  const sorted = tally(groups, (g) => g.procedure, (key) => key);
  const top = sorted.filter((t) => t.count > 0).slice(0, limit);
  const rest = sorted.filter((t) => !top.includes(t));
  return {
    rows: top.map((t) => ({ label: capitalise(t.key), count: t.count, previous: t.previous })),
    others: { count: rest.reduce((s, t) => s + t.count, 0), previous: rest.reduce((s, t) => s + t.previous, 0) },
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
  /** Help pages agents linked in their answers (in how many requests), most often first. */
  articles: { collection: 'faq' | 'tutorials'; id: string; count: number }[];
}

/**
 * The blocking situations that came back most: a procedure and what went wrong with it, how
 * many times, how many were resolved, how long it took, and which help pages agents answered with.
 */
export async function blockingPoints(db: Conn, period: ReportPeriod, received: ReceivedGroup[], limit = 8): Promise<BlockingPoint[]> {
  const from = period.current.from.getTime();
  const to = period.current.to.getTime();
  const groups = tally(received, (g) => ({ category: g.category, k: g.procedure }), (key) => `${key.k}\u0000${key.category}`)
    .filter((t) => t.count > 0)
    .slice(0, limit)
    .map((t) => ({ ...t.key, label: capitalise(t.key.k), cur: t.count, prev: t.previous, resolved: t.resolved }));
  if (groups.length === 0) return [];
  const keys = sql.join(groups.map((g) => sql`(${g.category}, ${g.k})`), sql`, `);
  const [medians, links] = await Promise.all([
    // Each group's median resolution: the middle value of its resolved requests, whose number
    // the grouping already counted (a sort with a limit is faster than a window per group).
    Promise.all(
      groups.map(async (g) => {
        if (g.resolved === 0) return { category: g.category, k: g.k, median: null };
        const [row] = await db.all<{ v: number }>(sql`
          select resolved_at - created_at as v from requests indexed by requests_groups_idx
          where category = ${g.category} and procedure_key = ${g.k} and created_at >= ${from} and created_at < ${to} and resolved_at is not null and merged_into_id is null
          order by v limit 1 offset ${Math.ceil(g.resolved / 2) - 1}`);
        return { category: g.category, k: g.k, median: row?.v ?? null };
      }),
    ),
    // One request counts once per page, however many replies linked it.
    db.all<{ category: string; k: string; collection: 'faq' | 'tutorials'; articleId: string; n: number }>(sql`
      select r.category as category, r.procedure_key as k, l.collection as collection, l.article_id as articleId, count(distinct l.request_id) as n
      from requests r indexed by requests_groups_idx join message_links l on l.request_id = r.id
      where r.created_at >= ${from} and r.created_at < ${to} and r.merged_into_id is null and (r.category, r.procedure_key) in (values ${keys})
      group by r.category, r.procedure_key, l.collection, l.article_id`),
  ]);
  return groups.map((g) => ({
    category: g.category,
    procedure: g.label,
    count: g.cur,
    previous: g.prev,
    resolved: g.resolved,
    medianResolution: medians.find((m) => m.category === g.category && m.k === g.k)?.median ?? null,
    articles: links
      .filter((l) => l.category === g.category && l.k === g.k)
      .sort((a, b) => b.n - a.n || `${a.collection}:${a.articleId}`.localeCompare(`${b.collection}:${b.articleId}`))
      .slice(0, 3)
      .map((l) => ({ collection: l.collection, id: l.articleId, count: l.n })),
  }));
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
  // Answers from one index, comments from another (only rows with a comment are in it).
  const [answers, comments] = await Promise.all([
    db.all<Omit<ArticleRow, 'comments'>>(sql`
      select collection, article_id as articleId, locale, sum(helpful) as yes, count(*) - sum(helpful) as no
      from article_feedback indexed by article_feedback_report_idx where ${between(sql`created_at`, period)}
      group by collection, article_id, locale`),
    db.all<{ collection: string; articleId: string; locale: string; n: number }>(sql`
      select collection, article_id as articleId, locale, count(*) as n
      from article_feedback indexed by article_feedback_comments_idx where ${between(sql`created_at`, period)} and comment is not null
      group by collection, article_id, locale`),
  ]);
  const commented = new Map(comments.map((c) => [`${c.collection}:${c.articleId}:${c.locale}`, c.n]));
  return answers
    .map((a) => ({ ...a, comments: commented.get(`${a.collection}:${a.articleId}:${a.locale}`) ?? 0 }))
    .sort((a, b) => b.yes + b.no - (a.yes + a.no) || a.articleId.localeCompare(b.articleId) || a.locale.localeCompare(b.locale));
}

/**
 * "Was this page useful?" answers before and after each article's last published change, all
 * time: whether the change helped. (The entry's publish date is its last change; entries
 * seeded from files count from the day they were seeded.) Each answer finds its entry through
 * the entry's unique index (an article id is `<locale>/<slug>`): joining on `locale || '/' || slug`
 * compared every answer with every entry (1 s for 50,000 answers, 53 ms this way).
 */
export async function usefulnessAroundLastChange(db: Conn): Promise<Map<string, { changedAt: Date; beforeYes: number; beforeNo: number; afterYes: number; afterNo: number }>> {
  const rows = await db.all<{ collection: string; articleId: string; changedAt: number; beforeYes: number; beforeNo: number; afterYes: number; afterNo: number }>(sql`
    select f.collection, f.article_id as articleId, e.published_at as changedAt,
      sum(case when f.created_at < e.published_at and f.helpful = 1 then 1 else 0 end) as beforeYes,
      sum(case when f.created_at < e.published_at and f.helpful = 0 then 1 else 0 end) as beforeNo,
      sum(case when f.created_at >= e.published_at and f.helpful = 1 then 1 else 0 end) as afterYes,
      sum(case when f.created_at >= e.published_at and f.helpful = 0 then 1 else 0 end) as afterNo
    from article_feedback f
    join help_entries e on e.kind = (case f.collection when 'faq' then 'faq' else 'tutorial' end) and e.locale = substr(f.article_id, 1, 2) and e.slug = substr(f.article_id, 4)
    where e.published_at is not null
    group by f.collection, f.article_id`);
  return new Map(rows.map((r) => [`${r.collection}:${r.articleId}`, { ...r, changedAt: new Date(r.changedAt) }]));
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

/** The main report lists this many searches that found nothing; the searches page, up to `ALL_MISSES`. */
export const TOP_MISSES = 20;
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

/** A share in per cent, or null when nothing was concerned. */
export const percent = (share: { met: number; total: number }) => (share.total > 0 ? (100 * share.met) / share.total : null);

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

/** Live chats started in a period: how many, how many an agent took, how many went on in writing untaken, and the wait before one was taken. */
export interface ChatFigures {
  started: number;
  taken: number;
  untaken: number;
  wait: { median: number | null; p90: number | null };
}

async function chatFigures(db: Conn, period: Period): Promise<ChatFigures> {
  const inPeriod = sql`started_at >= ${period.from.getTime()} and started_at < ${period.to.getTime()}`;
  const [counts] = await db.all<{ started: number; taken: number | null; untaken: number | null }>(
    sql`select count(*) as started, sum(accepted_at is not null) as taken, sum(accepted_at is null and state = 'written') as untaken from chats where ${inPeriod}`,
  );
  // Chats are a few dozen a day: their waits are read whole and ranked here (nearest rank).
  const waits = (await db.all<{ v: number }>(sql`select accepted_at - started_at as v from chats where ${inPeriod} and accepted_at is not null order by v`)).map((r) => Number(r.v));
  const rank = (p: number) => (waits.length === 0 ? null : waits[Math.ceil((p / 100) * waits.length) - 1]!);
  return { started: Number(counts?.started ?? 0), taken: Number(counts?.taken ?? 0), untaken: Number(counts?.untaken ?? 0), wait: { median: rank(50), p90: rank(90) } };
}

export interface Report {
  chats: Record<'current' | 'previous', ChatFigures>;
  period: ReportPeriod;
  current: PeriodFigures;
  previous: PeriodFigures;
  series: Awaited<ReturnType<typeof receivedSeries>>;
  procedures: ReturnType<typeof procedures>;
  blocking: BlockingPoint[];
  articles: ArticleRow[];
  misses: MissRow[];
  comments: SatisfactionComment[];
  objectives: ObjectiveResult[];
}

/** The whole report: its parts are read side by side. */
export async function buildReport(db: Conn, period: ReportPeriod, objectives: Objectives, now: number = Date.now()): Promise<Report> {
  const groups = await receivedGroups(db, period);
  const [{ current, previous }, series, blocking, articles, misses, comments, chatsNow, chatsBefore] = await Promise.all([
    comparedFigures(db, period, groups, now),
    receivedSeries(db, period),
    blockingPoints(db, period, groups),
    articleUsefulness(db, period.current),
    topMisses(db, period, TOP_MISSES),
    satisfactionComments(db, period.current),
    chatFigures(db, period.current),
    chatFigures(db, period.previous),
  ]);
  return { chats: { current: chatsNow, previous: chatsBefore }, period, current, previous, series, procedures: procedures(groups), blocking, articles, misses, comments, objectives: objectiveResults(objectives, current, previous) };
}
