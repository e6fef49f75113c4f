/**
 * Answering a published evaluation survey, anonymously: no account, nothing that identifies
 * the person; the answers are checked against the questions and stored together, or not at all.
 */
import { defineAction } from 'astro:actions';
import { authority } from '../lib/server/catalog';
import { formValues } from '../lib/request-form';
import { getDb } from '../lib/server/db';
import { checkAnswers, findSurvey, submitSurveyResponse } from '../lib/server/evaluation/surveys';
import { clientKey, consumeRateLimit } from '../lib/server/rate-limit';
import { surveyPath } from '../i18n/routes';
import type { FormMessage, FormOutcome } from './request';

/** A help place may hand one tablet to many people: generous, but a script is stopped. */
const ANSWER_LIMIT = { name: 'survey-answer', limit: 60, windowMs: 60 * 60_000 };

export const surveyActions = {
  answer: defineAction({
    accept: 'form',
    handler: async (form: FormData, context): Promise<FormOutcome> => {
      const values = formValues(form);
      const db = await getDb();
      const survey = await findSurvey(db, { slug: values.get('survey') });
      if (!survey || survey.status === 'draft') return { ok: false, errors: [], gone: 'unknown' };
      if (survey.status === 'closed') return { ok: false, errors: [{ message: 'surveys.errors.closed' }], gone: 'expired' };
      const site = await authority();
      if (values.get('website')) return { ok: false, errors: [{ message: 'request.errors.rejected', params: { phone: site.contact.phone } }] };
      const limit = await consumeRateLimit(db, ANSWER_LIMIT, clientKey(context.clientAddress));
      if (!limit.allowed) return { ok: false, errors: [{ message: 'request.errors.rateLimited', params: { minutes: Math.max(1, Math.ceil(limit.retryAfter / 60)), phone: site.contact.phone } }] };
      const { answers, errors } = checkAnswers(survey.questions, (id) => values.get(`q${id}`));
      if (errors.length > 0) {
        return { ok: false, errors: errors.map((e): FormMessage => ({ field: `q${e.question}`, message: `surveys.errors.${e.message}`, params: { max: 2000 } })) };
      }
      if (!(await submitSurveyResponse(db, survey, answers))) return { ok: false, errors: [{ message: 'surveys.errors.closed' }], gone: 'expired' };
      return { ok: true, next: `${surveyPath(survey.locale, survey.slug)}?merci=1` };
    },
  }),
};
