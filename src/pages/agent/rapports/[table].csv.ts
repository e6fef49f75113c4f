import type { APIRoute } from 'astro';
import { loadArticles, loadMisses, loadReport } from '../../../lib/server/reports';
import { can } from '../../../lib/server/auth/permissions';
import { signInPath } from '../../../lib/server/auth/guard';
import { type ReportTableId, TABLE_IDS, type TableId, tableCsv } from '../../../lib/server/evaluation/tables';

export const prerender = false;

/** One table of the reports as a CSV file, for the period in the address: the rows the page shows. */
export const GET: APIRoute = async ({ params, locals, redirect, url }) => {
  if (!locals.agent) return redirect(signInPath(url), 303);
  if (!can(locals.agent, 'reports:read')) return new Response('Forbidden', { status: 403, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
  const id = params.table as TableId;
  if (!(TABLE_IDS as readonly string[]).includes(id)) return new Response('Not found', { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
  // The two tables of their own pages read only what they need; the others come with the report.
  const { table, period } =
    id === 'articles' ? await loadArticles(url, locals.agent.locale)
    : id === 'searches-all' ? await loadMisses(url, locals.agent.locale)
    : await loadReport(url, locals.agent.locale).then((r) => ({ table: r.tables[id as ReportTableId], period: r.period }));
  const name = `guichet-${id}-${period.firstDay}-${period.lastDay}.csv`;
  return new Response(tableCsv(locals.agent.locale, table), {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${name}"`,
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'no-store',
    },
  });
};
