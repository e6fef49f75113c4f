/** Evaluation: the surveys an administrator writes and publishes. */
import { defineAction } from 'astro:actions';
import { EVALUATION_LIMITS, QUESTION_KINDS, SURVEY_AUDIENCES } from '../../../db/schema';
import { formValues } from '../../lib/request-form';
import { requireAgent } from '../../lib/server/auth/guard';
import { getDb } from '../../lib/server/db';
import { changeSurveyStatus, createSurvey, deleteSurvey, moveQuestion, removeQuestion, saveQuestion, type SurveyDetails, templateQuestions, updateSurveyDetails } from '../../lib/server/evaluation/surveys';
import type { FormMessage } from '../request';
import { type AgentOutcome, fail, pick, id, text } from './shared';

/** What a survey change that was refused tells the administrator (anything else: an unknown value). */
const SURVEY_REFUSALS: Record<string, string> = { 'not-draft': 'surveys.errors.notDraft', 'no-question': 'surveys.errors.noQuestion', 'too-many-questions': 'surveys.errors.tooManyQuestions' };

export const evaluationActions = {
  survey: defineAction({
    accept: 'form',
    handler: async (form: FormData, context): Promise<AgentOutcome> => {
      const agent = requireAgent(context, 'admin:surveys');
      const values = formValues(form);
      const db = await getDb();
      const intent = values.get('intent');
      const surveyId = id(values.get('id'));
      const page = (sid: number, query = '') => `/agent/enquetes/${sid}/${query}`;
      const refusal = (reason: string): AgentOutcome => fail({ message: SURVEY_REFUSALS[reason] ?? 'agent.errors.unknownValue' });
      const details = (): { value: SurveyDetails } | { errors: FormMessage[] } => {
        const title = text(values, 'title', EVALUATION_LIMITS.surveyTitle, true, 'surveyTitle');
        const intro = text(values, 'intro', EVALUATION_LIMITS.surveyIntro, false, 'intro');
        const audienceDetail = text(values, 'audienceDetail', EVALUATION_LIMITS.audience, false, 'audience');
        const audience = pick(SURVEY_AUDIENCES, values.get('audience'));
        const errors = [title, intro, audienceDetail].flatMap((r) => ('error' in r ? [r.error] : []));
        if (!audience) errors.push({ field: 'audience', message: 'surveys.errors.audience' });
        if (errors.length > 0 || 'error' in title || 'error' in intro || 'error' in audienceDetail || !audience) return { errors };
        return { value: { title: title.value, intro: intro.value, audience, audienceDetail: audienceDetail.value, locale: values.get('locale') === 'en' ? 'en' : 'fr' } };
      };
      if (intent === 'create') {
        const checked = details();
        if ('errors' in checked) return fail(...checked.errors);
        const template = pick(['agents', 'residents'] as const, values.get('template'));
        const questions = template ? templateQuestions(template, checked.value.locale) : [];
        const created = await createSurvey(db, agent, checked.value, questions);
        return { ok: true, next: page(created) };
      }
      if (!surveyId) return fail({ message: 'agent.errors.unknownValue' });
      const questionId = id(values.get('question'));
      switch (intent) {
        case 'details': {
          const checked = details();
          if ('errors' in checked) return fail(...checked.errors);
          const result = await updateSurveyDetails(db, agent, surveyId, checked.value);
          return result.ok ? { ok: true, next: page(surveyId, '?enregistre=1') } : refusal(result.reason);
        }
        case 'question': {
          const kind = pick(QUESTION_KINDS, values.get('kind'));
          const label = text(values, 'label', EVALUATION_LIMITS.question, true, 'question');
          const choices = values.get('choices').split(/\r?\n/).map((c) => c.trim()).filter(Boolean);
          const errors: FormMessage[] = [];
          if (!kind) errors.push({ field: 'kind', message: 'surveys.errors.kind' });
          if ('error' in label) errors.push(label.error);
          if (kind === 'choice' && (choices.length < 2 || choices.length > EVALUATION_LIMITS.choices)) errors.push({ field: 'choices', message: 'surveys.errors.choices', params: { max: EVALUATION_LIMITS.choices } });
          if (kind === 'choice' && choices.some((c) => c.length > EVALUATION_LIMITS.choice)) errors.push({ field: 'choices', message: 'surveys.errors.choiceTooLong', params: { max: EVALUATION_LIMITS.choice } });
          if (errors.length > 0 || !kind || 'error' in label) return fail(...errors);
          const result = await saveQuestion(db, agent, surveyId, { kind, label: label.value, choices, required: values.get('required') === 'yes' }, questionId);
          return result.ok ? { ok: true, next: page(surveyId, '#questions') } : refusal(result.reason);
        }
        case 'remove':
        case 'up':
        case 'down': {
          if (!questionId) return fail({ message: 'agent.errors.unknownValue' });
          const result = intent === 'remove' ? await removeQuestion(db, agent, surveyId, questionId) : await moveQuestion(db, agent, surveyId, questionId, intent);
          return result.ok ? { ok: true, next: page(surveyId, '#questions') } : refusal(result.reason);
        }
        case 'publish':
        case 'close':
        case 'reopen': {
          const result = await changeSurveyStatus(db, agent, surveyId, intent);
          return result.ok ? { ok: true, next: page(surveyId, `?${intent === 'close' ? 'ferme' : 'publie'}=1`) } : refusal(result.reason);
        }
        case 'delete': {
          const result = await deleteSurvey(db, agent, surveyId);
          return result.ok ? { ok: true, next: '/agent/enquetes/?supprime=1' } : refusal(result.reason);
        }
        default:
          return fail({ message: 'agent.errors.unknownValue' });
      }
    },
  }),

  /** Erases everything held about one person (right to erasure), after an explicit confirmation. */
};
