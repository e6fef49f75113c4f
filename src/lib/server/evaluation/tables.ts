/**
 * Every table of the reports, built once from the figures: the page renders it as an HTML
 * table (next to its chart) and the CSV export writes the same rows, so that what an
 * authority downloads is exactly what it read.
 */
import { ANSWER_CHANNELS, INTAKE_CHANNELS, REQUEST_CATEGORIES, REQUESTER_KINDS, SATISFACTION_LEVELS } from '../../../../db/schema';
import { formatNumber, type Locale, type Translate, type UiKey, written } from '../../../i18n';
import type { ArticleRow, MissRow, Report } from './reports';
import { rankArticles } from './reports';

/** How a column's numbers read: counts, per cent, hours, a score, or a change in per cent. */
export type ColumnKind = 'text' | 'count' | 'percent' | 'hours' | 'minutes' | 'score' | 'change';
export type Cell = string | number | null;

export interface ReportTable {
  id: TableId;
  caption: string;
  columns: { label: string; kind: ColumnKind }[];
  rows: Cell[][];
  /** What an agent can do about each row (write an entry, edit an article): a last column on screen, not in the CSV. */
  actions?: { column: string; links: ({ text: string; context: string; href: string } | null)[] };
}

/** The help editor's pages for a report's rows. */
export const editArticleHref = (a: { collection: string; articleId: string }) => `/agent/aide/?ouvrir=${encodeURIComponent(`${a.collection}:${a.articleId}`)}`;
export const writeForSearchHref = (m: { query: string; locales: string }) =>
  `/agent/aide/nouveau/?${new URLSearchParams({ type: 'faq', langue: m.locales.split(',')[0] === 'en' ? 'en' : 'fr', recherche: m.query })}`;

export const TABLE_IDS = ['received', 'categories', 'procedures', 'intake', 'chats', 'chat-waits', 'channels', 'requesters', 'times', 'deadlines', 'objectives', 'satisfaction', 'clarity', 'articles-most', 'articles-least', 'articles', 'searches', 'searches-all', 'blocking'] as const;
export type TableId = (typeof TABLE_IDS)[number];
/** The tables of the main report; `articles` and `searches-all` have pages (and loaders) of their own. */
export type ReportTableId = Exclude<TableId, 'articles' | 'searches-all'>;

const HOUR = 3_600_000;
const hours = (ms: number | null) => (ms === null ? null : Math.round((ms / HOUR) * 10) / 10);
const minutes = (ms: number | null) => (ms === null ? null : Math.round(ms / 6_000) / 10);
const share = (part: number, total: number) => (total > 0 ? Math.round((1000 * part) / total) / 10 : null);
/** Change from the previous period, in per cent; null when there was nothing before. */
export const change = (current: number, previous: number) => (previous > 0 ? Math.round((1000 * (current - previous)) / previous) / 10 : null);
const round1 = (value: number | null) => (value === null ? null : Math.round(value * 10) / 10);

/** Article titles by `collection:id`, looked up by the page in the content collections. */
export type Titles = Map<string, string>;
export const articleTitle = (titles: Titles, a: { collection: string; articleId?: string; id?: string }) => {
  const id = a.articleId ?? a.id ?? '';
  return titles.get(`${a.collection}:${id}`) ?? id;
};

export function reportTables(report: Report, t: Translate, titles: Titles, categoryLabel: (c: (typeof REQUEST_CATEGORIES)[number]) => string): Record<ReportTableId, ReportTable> {
  const { current: cur, previous: prev } = report;
  const comparison = (caption: UiKey, first: UiKey, rows: [string, number, number][]): Omit<ReportTable, 'id'> => ({
    caption: t(caption),
    columns: [
      { label: t(first), kind: 'text' },
      { label: t('reports.col.period'), kind: 'count' },
      { label: t('reports.col.previous'), kind: 'count' },
      { label: t('reports.col.change'), kind: 'change' },
    ],
    rows: rows.map(([label, c, p]) => [label, c, p, change(c, p)]),
  });
  const dateFormat = new Intl.DateTimeFormat(t('reports.dateLocale'), { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
  const day = (value: string) => written(t('reports.dateLocale').startsWith('fr') ? 'fr' : 'en', dateFormat, new Date(`${value}T00:00:00Z`));
  const articles = (caption: string, rows: ArticleRow[]) => articlesTable(t, titles, caption, rows);
  const ranked = rankArticles(report.articles);
  const tables: Record<ReportTableId, Omit<ReportTable, 'id'>> = {
    received: {
      caption: t(`reports.received.caption.${report.series.unit}` as UiKey),
      columns: [
        { label: t('reports.col.from'), kind: 'text' },
        { label: t('reports.col.to'), kind: 'text' },
        { label: t('reports.col.received'), kind: 'count' },
      ],
      rows: report.series.points.map((p) => [day(p.day), day(p.lastDay), p.count]),
    },
    categories: comparison('reports.categories.caption', 'reports.col.category', REQUEST_CATEGORIES.map((c) => [categoryLabel(c), cur.byCategory[c], prev.byCategory[c]])),
    procedures: comparison('reports.procedures.caption', 'reports.col.procedure', [
      ...report.procedures.rows.map((p): [string, number, number] => [p.label, p.count, p.previous]),
      ...(report.procedures.others.count + report.procedures.others.previous > 0 ? [[t('reports.procedures.others'), report.procedures.others.count, report.procedures.others.previous] as [string, number, number]] : []),
    ]),
    intake: intakeTable(t, cur, prev),
    chats: {
      caption: t('reports.chats.caption'),
      columns: [
        { label: t('reports.col.measure'), kind: 'text' },
        { label: t('reports.col.period'), kind: 'count' },
        { label: t('reports.col.previous'), kind: 'count' },
        { label: t('reports.col.change'), kind: 'change' },
      ],
      rows: [
        [t('reports.chats.started'), report.chats.current.started, report.chats.previous.started, change(report.chats.current.started, report.chats.previous.started)],
        [t('reports.chats.taken'), report.chats.current.taken, report.chats.previous.taken, change(report.chats.current.taken, report.chats.previous.taken)],
        [t('reports.chats.untaken'), report.chats.current.untaken, report.chats.previous.untaken, change(report.chats.current.untaken, report.chats.previous.untaken)],
      ],
    },
    'chat-waits': {
      caption: t('reports.chatWaits.caption'),
      columns: [
        { label: t('reports.col.measure'), kind: 'text' },
        { label: t('reports.col.measured'), kind: 'count' },
        { label: t('reports.col.median'), kind: 'minutes' },
        { label: t('reports.col.p90'), kind: 'minutes' },
        { label: t('reports.col.previousMedian'), kind: 'minutes' },
        { label: t('reports.col.previousP90'), kind: 'minutes' },
      ],
      rows: [[t('reports.chatWaits.taken'), report.chats.current.taken, minutes(report.chats.current.wait.median), minutes(report.chats.current.wait.p90), minutes(report.chats.previous.wait.median), minutes(report.chats.previous.wait.p90)]],
    },
    channels: comparison('reports.channels.caption', 'reports.col.channel', ANSWER_CHANNELS.map((c) => [t(`reports.channel.${c}` as UiKey), cur.byChannel[c], prev.byChannel[c]])),
    requesters: comparison('reports.requesters.caption', 'reports.col.requester', REQUESTER_KINDS.map((k) => [t(`reports.requester.${k}` as UiKey), cur.byKind[k], prev.byKind[k]])),
    times: {
      caption: t('reports.times.caption'),
      columns: [
        { label: t('reports.col.measure'), kind: 'text' },
        { label: t('reports.col.measured'), kind: 'count' },
        { label: t('reports.col.median'), kind: 'hours' },
        { label: t('reports.col.p90'), kind: 'hours' },
        { label: t('reports.col.previousMedian'), kind: 'hours' },
        { label: t('reports.col.previousP90'), kind: 'hours' },
      ],
      rows: [
        [t('reports.times.firstResponse'), cur.firstResponse.count, hours(cur.firstResponse.median), hours(cur.firstResponse.p90), hours(prev.firstResponse.median), hours(prev.firstResponse.p90)],
        [t('reports.times.resolution'), cur.resolution.count, hours(cur.resolution.median), hours(cur.resolution.p90), hours(prev.resolution.median), hours(prev.resolution.p90)],
      ],
    },
    deadlines: {
      caption: t('reports.deadlines.caption'),
      columns: [
        { label: t('reports.col.deadline'), kind: 'text' },
        { label: t('reports.col.concerned'), kind: 'count' },
        { label: t('reports.col.onTime'), kind: 'count' },
        { label: t('reports.col.share'), kind: 'percent' },
        { label: t('reports.col.previousShare'), kind: 'percent' },
      ],
      rows: [
        [t('reports.deadlines.firstResponse'), cur.firstResponseOnTime.total, cur.firstResponseOnTime.met, share(cur.firstResponseOnTime.met, cur.firstResponseOnTime.total), share(prev.firstResponseOnTime.met, prev.firstResponseOnTime.total)],
        [t('reports.deadlines.resolution'), cur.resolutionOnTime.total, cur.resolutionOnTime.met, share(cur.resolutionOnTime.met, cur.resolutionOnTime.total), share(prev.resolutionOnTime.met, prev.resolutionOnTime.total)],
      ],
    },
    objectives: {
      caption: t('reports.objectives.caption'),
      columns: [
        { label: t('reports.col.objective'), kind: 'text' },
        { label: t('reports.col.target'), kind: 'score' },
        { label: t('reports.col.achieved'), kind: 'score' },
        { label: t('reports.col.previous'), kind: 'score' },
        { label: t('reports.col.result'), kind: 'text' },
      ],
      rows: report.objectives.map((o) => [t(`reports.objective.${o.id}` as UiKey), o.target, round1(o.achieved), round1(o.previous), t(`reports.objectiveStatus.${o.status}` as UiKey)]),
    },
    satisfaction: {
      caption: t('reports.satisfaction.caption'),
      columns: [
        { label: t('reports.col.answer'), kind: 'text' },
        { label: t('reports.col.period'), kind: 'count' },
        { label: t('reports.col.share'), kind: 'percent' },
        { label: t('reports.col.previous'), kind: 'count' },
        { label: t('reports.col.previousShare'), kind: 'percent' },
      ],
      rows: SATISFACTION_LEVELS.map((l) => [t(`satisfaction.level.${l}` as UiKey), cur.satisfaction[l], share(cur.satisfaction[l], cur.satisfaction.answers), prev.satisfaction[l], share(prev.satisfaction[l], prev.satisfaction.answers)]),
    },
    clarity: {
      caption: t('reports.clarity.caption'),
      columns: [
        { label: t('reports.col.score'), kind: 'text' },
        { label: t('reports.col.period'), kind: 'count' },
        { label: t('reports.col.previous'), kind: 'count' },
      ],
      rows: [1, 2, 3, 4, 5].map((score) => [t('reports.clarity.score', { score }), cur.satisfaction.clarity[score - 1]!, prev.satisfaction.clarity[score - 1]!]),
    },
    'articles-most': articles(t('reports.articles.mostCaption'), ranked.most),
    'articles-least': articles(t('reports.articles.leastCaption'), ranked.least),
    searches: missesTable(t, t('reports.searches.caption'), report.misses),
    blocking: {
      caption: t('reports.blocking.caption'),
      columns: [
        { label: t('reports.col.procedure'), kind: 'text' },
        { label: t('reports.col.problem'), kind: 'text' },
        { label: t('reports.col.period'), kind: 'count' },
        { label: t('reports.col.previous'), kind: 'count' },
        { label: t('reports.col.resolved'), kind: 'count' },
        { label: t('reports.col.medianResolution'), kind: 'hours' },
        { label: t('reports.col.answeredWith'), kind: 'text' },
      ],
      rows: report.blocking.map((b) => [
        b.procedure,
        categoryLabel(b.category),
        b.count,
        b.previous,
        b.resolved,
        hours(b.medianResolution),
        b.articles.map((a) => t('reports.blocking.article', { title: articleTitle(titles, a), count: a.count })).join(' ; '),
      ]),
    },
  };
  return Object.fromEntries(Object.entries(tables).map(([id, table]) => [id, { id, ...table }])) as Record<ReportTableId, ReportTable>;
}

/**
 * The whole support load per channel: requests received and questions settled on the spot, the
 * channel's share of everything, the same total in the period before, and how fast its requests
 * were first answered.
 */
function intakeTable(t: Translate, cur: Report['current'], prev: Report['previous']): Omit<ReportTable, 'id'> {
  const all = INTAKE_CHANNELS.reduce((sum, c) => sum + cur.byIntake[c] + cur.quickByChannel[c], 0);
  return {
    caption: t('reports.intake.caption'),
    columns: [
      { label: t('reports.col.intake'), kind: 'text' },
      { label: t('reports.col.requests'), kind: 'count' },
      { label: t('reports.col.quick'), kind: 'count' },
      { label: t('reports.col.total'), kind: 'count' },
      { label: t('reports.col.share'), kind: 'percent' },
      { label: t('reports.col.previousTotal'), kind: 'count' },
      { label: t('reports.col.medianFirst'), kind: 'hours' },
    ],
    rows: INTAKE_CHANNELS.map((c) => {
      const total = cur.byIntake[c] + cur.quickByChannel[c];
      return [t(`agent.intake.channel.${c}` as UiKey), cur.byIntake[c], cur.quickByChannel[c], total, share(total, all), prev.byIntake[c] + prev.quickByChannel[c], hours(cur.firstResponseByIntake[c])];
    }),
  };
}

export function missesTable(t: Translate, caption: string, misses: MissRow[]): Omit<ReportTable, 'id'> {
  return {
    actions: { column: t('reports.col.action'), links: misses.map((m) => ({ text: t('reports.searches.write'), context: m.query, href: writeForSearchHref(m) })) },
    caption,
    columns: [
      { label: t('reports.col.search'), kind: 'text' },
      { label: t('reports.col.times'), kind: 'count' },
      { label: t('reports.col.previous'), kind: 'count' },
      { label: t('reports.col.language'), kind: 'text' },
    ],
    rows: misses.map((m) => [m.query, m.count, m.previous, m.locales.toUpperCase().split(',').sort().join(', ')]),
  };
}

/** "Useful" answers before and after an article's last published change, all time (by `collection:articleId`). */
export type AroundLastChange = Map<string, { changedAt: Date; beforeYes: number; beforeNo: number; afterYes: number; afterNo: number }>;

export function articlesTable(t: Translate, titles: Titles, caption: string, rows: ArticleRow[], around?: AroundLastChange): Omit<ReportTable, 'id'> {
  const at = (a: ArticleRow) => around?.get(`${a.collection}:${a.articleId}`);
  return {
    caption,
    columns: [
      { label: t('reports.col.article'), kind: 'text' },
      { label: t('reports.col.kind'), kind: 'text' },
      { label: t('reports.col.language'), kind: 'text' },
      { label: t('reports.col.yes'), kind: 'count' },
      { label: t('reports.col.no'), kind: 'count' },
      { label: t('reports.col.usefulShare'), kind: 'percent' },
      { label: t('reports.col.comments'), kind: 'count' },
      ...(around
        ? [
            { label: t('reports.col.usefulBeforeChange'), kind: 'percent' as const },
            { label: t('reports.col.usefulAfterChange'), kind: 'percent' as const },
          ]
        : []),
    ],
    rows: rows.map((a) => [
      articleTitle(titles, a),
      t(a.collection === 'faq' ? 'reports.article.faq' : 'reports.article.tutorial'),
      a.locale.toUpperCase(),
      a.yes,
      a.no,
      share(a.yes, a.yes + a.no),
      a.comments,
      ...(around ? [share(at(a)?.beforeYes ?? 0, (at(a)?.beforeYes ?? 0) + (at(a)?.beforeNo ?? 0)), share(at(a)?.afterYes ?? 0, (at(a)?.afterYes ?? 0) + (at(a)?.afterNo ?? 0))] : []),
    ]),
    actions: { column: t('reports.col.action'), links: rows.map((a) => ({ text: t('reports.articles.edit'), context: articleTitle(titles, a), href: editArticleHref(a) })) },
  };
}

/** A cell as read on screen: grouped digits, decimal comma in French, units, a dash for "no data". */
export function formatCell(locale: Locale, t: Translate, kind: ColumnKind, value: Cell): string {
  if (value === null) return t('reports.noData');
  if (typeof value === 'string') return value;
  const number = (digits: number) => formatNumber(locale, value, digits);
  switch (kind) {
    case 'percent': return t('reports.unit.percent', { value: number(1) });
    case 'hours': return t('reports.unit.hours', { value: number(1) });
    case 'minutes': return t('reports.unit.minutes', { value: number(1) });
    case 'change': return value > 0 ? `+${t('reports.unit.percent', { value: number(1) })}` : t('reports.unit.percent', { value: number(1) });
    case 'score': return number(1);
    default: return number(0);
  }
}

/**
 * The CSV file of a table, as spreadsheets in the agent's language open it: French files use
 * semicolons and decimal commas; a byte-order mark tells Excel the file is UTF-8. Numbers are
 * written without units or digit grouping; "no data" is an empty cell.
 */
export function tableCsv(locale: Locale, table: ReportTable): string {
  const separator = locale === 'fr' ? ';' : ',';
  const quote = (value: string) => {
    // A cell a spreadsheet would run as a formula is written as text (spreadsheets read the
    // full-width signs as formulas too).
    const safe = /^[=+\-@\t\r\uff1d\uff0b\uff0d\uff20]/.test(value) ? `'${value}` : value;
    return /[";,\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
  };
  const cell = (value: Cell) => (value === null ? '' : typeof value === 'number' ? (locale === 'fr' ? String(value).replace('.', ',') : String(value)) : quote(value));
  const lines = [table.columns.map((c) => quote(c.label)), ...table.rows.map((row) => row.map(cell))];
  return `\uFEFF${lines.map((line) => line.join(separator)).join('\r\n')}\r\n`;
}
