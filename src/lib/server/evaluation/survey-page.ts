/**
 * What both survey routes (`/enquete/…`, `/en/survey/…`) do before rendering: follow a
 * successful answer to the thanks page, send a survey shared at the other language's address
 * to its own, and set the status the page deserves (404 unknown or draft, 410 closed, 4xx for
 * a refused answer).
 */
import type { AstroGlobal } from 'astro';
import { actions } from 'astro:actions';
import { type Locale, surveyPath } from '../../../i18n';
import { getDb } from '../db';
import type { ActionResult } from '../requests/page-flow';
import { findSurvey, type LoadedSurvey } from './surveys';

export async function prepareSurveyPage(Astro: AstroGlobal, locale: Locale): Promise<{ redirect?: Response; survey?: LoadedSurvey; result?: ActionResult }> {
  const result = Astro.getActionResult(actions.survey.answer) as ActionResult | undefined;
  if (result?.data?.ok && result.data.next) return { redirect: Astro.redirect(result.data.next, 303) };
  const slug = Astro.params.slug ?? '';
  const survey = /^[A-Za-z0-9_-]{6,40}$/.test(slug) ? await findSurvey(await getDb(), { slug }) : undefined;
  if (survey && survey.locale !== locale) return { redirect: Astro.redirect(surveyPath(survey.locale, survey.slug), 301) };
  if (!survey || survey.status === 'draft') Astro.response.status = 404;
  else if (survey.status === 'closed') Astro.response.status = 410;
  else if (result?.error) Astro.response.status = result.error.code === 'CONTENT_TOO_LARGE' ? 413 : 400;
  else if (result?.data && !result.data.ok) Astro.response.status = result.data.errors.some((e) => e.message === 'request.errors.rateLimited') ? 429 : 400;
  return { survey, result };
}
