/**
 * What every report page and CSV file starts from: the period in the address, the figures,
 * and the tables worded in the agent's language with article titles from the help centre.
 */
import { formatNumber, type Locale, type UiKey, useTranslations } from '../../i18n';
import { faqEntries, tutorials } from './catalog';
import { getDb } from './db';
import { periodFromQuery, periodQuery } from './evaluation/period';
import { ALL_MISSES, articleComments, articleUsefulness, buildReport, topMisses, usefulnessAroundLastChange } from './evaluation/reports';
import { articlesTable, missesTable, type ReportTable, reportTables, type Titles } from './evaluation/tables';
import { loadWorkspaceSettings } from './workspace/settings';

/** Titles of every FAQ entry and tutorial, by `collection:id`. */
export async function articleTitles(): Promise<Titles> {
  const [faqFr, faqEn, tutoFr, tutoEn] = await Promise.all([faqEntries('fr'), faqEntries('en'), tutorials('fr'), tutorials('en')]);
  return new Map([...[...faqFr, ...faqEn].map((e) => [`faq:${e.id}`, e.data.question] as const), ...[...tutoFr, ...tutoEn].map((e) => [`tutorials:${e.id}`, e.data.title] as const)]);
}

export async function loadReport(url: URL, locale: Locale) {
  const db = await getDb();
  const period = periodFromQuery(url.searchParams);
  const settings = await loadWorkspaceSettings(db);
  const [report, titles] = await Promise.all([buildReport(db, period, settings.objectives), articleTitles()]);
  const t = useTranslations(locale);
  const tables = reportTables(report, t, titles, (c) => t(`agent.category.${c}` as UiKey));
  return { period, report, tables, titles, query: periodQuery(period), objectives: settings.objectives };
}

/**
 * The articles page reads only the articles' answers and the readers' comments (of one article
 * when the address names it, `?article=faq:fr/carte-refusee`), not the whole report.
 */
export async function loadArticles(url: URL, locale: Locale) {
  const period = periodFromQuery(url.searchParams);
  const match = /^(faq|tutorials):((?:fr|en)\/[a-z0-9-]{1,150})$/.exec(url.searchParams.get('article') ?? '');
  const only = match ? { collection: match[1]!, id: match[2]! } : undefined;
  const db = await getDb();
  const [rows, comments, titles, around] = await Promise.all([articleUsefulness(db, period.current), articleComments(db, period.current, only), articleTitles(), usefulnessAroundLastChange(db)]);
  const t = useTranslations(locale);
  const table: ReportTable = { id: 'articles', ...articlesTable(t, titles, t('reports.articles.allCaption'), rows, around) };
  return { period, titles, table, comments, only, query: periodQuery(period) };
}

/** The searches page reads only the searches that found nothing. */
export async function loadMisses(url: URL, locale: Locale) {
  const period = periodFromQuery(url.searchParams);
  const misses = await topMisses(await getDb(), period, ALL_MISSES);
  const t = useTranslations(locale);
  const table: ReportTable = { id: 'searches-all', ...missesTable(t, t('reports.searches.allCaption', { count: misses.length }), misses) };
  return { period, table, query: periodQuery(period) };
}

const HOUR = 3_600_000;
/** A duration as people read it: minutes under an hour, hours under two days, then days. */
export function formatDuration(locale: Locale, ms: number | null): string {
  const t = useTranslations(locale);
  if (ms === null) return t('reports.noData');
  const n = (value: number) => formatNumber(locale, value);
  if (ms < HOUR) return t('reports.duration.minutes', { n: Math.max(1, Math.round(ms / 60_000)) });
  if (ms < 48 * HOUR) return t('reports.duration.hours', { n: n(ms / HOUR) });
  return t('reports.duration.days', { n: n(ms / (24 * HOUR)) });
}

export const formatPercent = (locale: Locale, part: number, total: number) =>
  total > 0 ? useTranslations(locale)('reports.unit.percent', { value: Math.round((100 * part) / total).toLocaleString(locale) }) : useTranslations(locale)('reports.noData');
