import type { APIRoute } from 'astro';
import { signInPath } from '../../../../lib/server/auth/guard';
import { can } from '../../../../lib/server/auth/permissions';
import { getDb } from '../../../../lib/server/db';
import { findSurvey, surveyResponseRows } from '../../../../lib/server/evaluation/surveys';
import { tableCsv } from '../../../../lib/server/evaluation/tables';
import { useTranslations, type UiKey } from '../../../../i18n';

export const prerender = false;

/** Every response to a survey, one row each, answers in question order (choices and yes/no as their wording). */
export const GET: APIRoute = async ({ params, locals, redirect, url }) => {
  if (!locals.agent) return redirect(signInPath(url), 303);
  if (!can(locals.agent, 'admin:surveys')) return new Response('Forbidden', { status: 403 });
  const id = /^\d{1,9}$/.test(params.id ?? '') ? Number(params.id) : 0;
  const db = await getDb();
  const survey = id ? await findSurvey(db, { id }) : undefined;
  if (!survey) return new Response('Not found', { status: 404 });
  const t = useTranslations(locals.agent.locale);
  const rows = await surveyResponseRows(db, survey);
  const words = (q: (typeof survey.questions)[number], value: string | null) =>
    value === null ? null : q.kind === 'yes-no' ? t(`surveys.answer.${value}` as UiKey) : q.kind === 'choice' ? (q.choices[Number(value)] ?? value) : q.kind === 'scale' ? Number(value) : value;
  const csv = tableCsv(locals.agent.locale, {
    id: 'received',
    caption: survey.title,
    columns: [{ label: t('surveys.col.day'), kind: 'text' }, ...survey.questions.map((q, i) => ({ label: `${i + 1}. ${q.label}`, kind: q.kind === 'scale' ? ('count' as const) : ('text' as const) }))],
    rows: rows.map((r) => [r.day, ...survey.questions.map((q, i) => words(q, r.values[i] ?? null))]),
  });
  return new Response(csv, {
    headers: { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': `attachment; filename="enquete-${survey.id}.csv"`, 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-store' },
  });
};
