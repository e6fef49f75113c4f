/**
 * Evaluation surveys ("fiche d'évaluation"): an administrator writes a few questions for a
 * population (the authority's agents, residents who used a procedure…), publishes them at a
 * shareable link, and reads the results. Answers are anonymous: no account, no address, no
 * cookie tied to the answer, and only the day it was given.
 */
import { randomBytes } from 'node:crypto';
import { and, asc, count, desc, eq, sql } from 'drizzle-orm';
import {
  EVALUATION_LIMITS,
  type QuestionKind,
  type SurveyAudience,
  surveyAnswers,
  surveyQuestions,
  surveyResponses,
  surveys,
  type SurveyStatus,
} from '../../../../db/schema';
import { type Locale, type UiKey, useTranslations } from '../../../i18n';
import { type Actor, recordAudit } from '../audit';
import type { Db } from '../db';

type Conn = Pick<Db, 'select'>;

export type Survey = typeof surveys.$inferSelect;
export type SurveyQuestion = typeof surveyQuestions.$inferSelect;

export interface SurveyDetails {
  title: string;
  intro: string;
  audience: SurveyAudience;
  audienceDetail: string;
  locale: Locale;
}

export interface QuestionInput {
  kind: QuestionKind;
  label: string;
  choices: string[];
  required: boolean;
}

/** 1 to 5 for a scale; the answers a yes/no question takes. */
export const SCALE = [1, 2, 3, 4, 5] as const;
export const YES_NO = ['yes', 'no'] as const;

/** The ready-made "fiche d'évaluation" questions, per audience; their wording is in src/i18n (`surveys.template.*`). */
export const TEMPLATES: Record<'agents' | 'residents', { kind: QuestionKind; key: string; choices?: number; required: boolean }[]> = {
  agents: [
    { kind: 'scale', key: 'agents.1', required: true },
    { kind: 'yes-no', key: 'agents.2', required: true },
    { kind: 'choice', key: 'agents.3', choices: 3, required: false },
    { kind: 'text', key: 'agents.4', required: false },
    { kind: 'text', key: 'agents.5', required: false },
  ],
  residents: [
    { kind: 'scale', key: 'residents.1', required: true },
    { kind: 'yes-no', key: 'residents.2', required: true },
    { kind: 'choice', key: 'residents.3', choices: 4, required: false },
    { kind: 'text', key: 'residents.4', required: false },
  ],
};

/** A template's questions, worded in the survey's language. */
export function templateQuestions(template: keyof typeof TEMPLATES, locale: Locale): QuestionInput[] {
  const t = useTranslations(locale);
  return TEMPLATES[template].map((q) => ({
    kind: q.kind,
    label: t(`surveys.template.${q.key}` as UiKey),
    choices: q.choices ? t(`surveys.template.${q.key}.choices` as UiKey).split('|') : [],
    required: q.required,
  }));
}

const newSlug = () => randomBytes(9).toString('base64url');

export async function listSurveys(db: Conn) {
  return db
    .select({ id: surveys.id, slug: surveys.slug, title: surveys.title, audience: surveys.audience, locale: surveys.locale, status: surveys.status, createdAt: surveys.createdAt, publishedAt: surveys.publishedAt, closedAt: surveys.closedAt, responses: sql<number>`(select count(*) from ${surveyResponses} where ${surveyResponses.surveyId} = ${surveys.id})` })
    .from(surveys)
    .orderBy(desc(surveys.createdAt), desc(surveys.id));
}

export async function findSurvey(db: Conn, where: { id: number } | { slug: string }) {
  const [survey] = await db
    .select()
    .from(surveys)
    .where('id' in where ? eq(surveys.id, where.id) : eq(surveys.slug, where.slug));
  if (!survey) return undefined;
  const questions = await db.select().from(surveyQuestions).where(eq(surveyQuestions.surveyId, survey.id)).orderBy(asc(surveyQuestions.position), asc(surveyQuestions.id));
  return { ...survey, questions };
}

export type LoadedSurvey = NonNullable<Awaited<ReturnType<typeof findSurvey>>>;

/** A new draft, empty or with the template questions (already worded in the survey's language). */
export async function createSurvey(db: Db, actor: Actor, details: SurveyDetails, questions: QuestionInput[] = [], now: number = Date.now()): Promise<number> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(surveys)
      .values({ ...details, slug: newSlug(), status: 'draft', createdBy: actor.id, createdAt: new Date(now) })
      .returning({ id: surveys.id });
    if (questions.length > 0) await tx.insert(surveyQuestions).values(questions.map((q, i) => ({ ...q, surveyId: row!.id, position: i + 1 })));
    await recordAudit(tx, actor, 'admin.survey.create', { now, details: { title: details.title } });
    return row!.id;
  });
}

export type SurveyChange = { ok: true } | { ok: false; reason: 'not-found' | 'not-draft' | 'no-question' | 'too-many-questions' | 'bad-status' };

/** Questions and wording change only while the survey is a draft: published answers keep their meaning. */
async function draftOf(tx: Conn, surveyId: number): Promise<Survey | SurveyChange> {
  const [survey] = await tx.select().from(surveys).where(eq(surveys.id, surveyId));
  if (!survey) return { ok: false, reason: 'not-found' };
  if (survey.status !== 'draft') return { ok: false, reason: 'not-draft' };
  return survey;
}
const refused = (value: Survey | SurveyChange): value is SurveyChange => 'ok' in value;

export async function updateSurveyDetails(db: Db, actor: Actor, surveyId: number, details: SurveyDetails, now: number = Date.now()): Promise<SurveyChange> {
  return db.transaction(async (tx) => {
    const survey = await draftOf(tx, surveyId);
    if (refused(survey)) return survey;
    await tx.update(surveys).set(details).where(eq(surveys.id, surveyId));
    await recordAudit(tx, actor, 'admin.survey.update', { now, details: { title: details.title } });
    return { ok: true as const };
  });
}

/** Adds a question at the end, or rewrites one (`questionId`). */
export async function saveQuestion(db: Db, actor: Actor, surveyId: number, question: QuestionInput, questionId?: number, now: number = Date.now()): Promise<SurveyChange> {
  return db.transaction(async (tx) => {
    const survey = await draftOf(tx, surveyId);
    if (refused(survey)) return survey;
    const values = { ...question, choices: question.kind === 'choice' ? question.choices : [] };
    if (questionId) {
      const updated = await tx.update(surveyQuestions).set(values).where(and(eq(surveyQuestions.id, questionId), eq(surveyQuestions.surveyId, surveyId))).returning({ id: surveyQuestions.id });
      if (updated.length === 0) return { ok: false as const, reason: 'not-found' as const };
    } else {
      const [{ n, last }] = (await tx.select({ n: count(), last: sql<number | null>`max(${surveyQuestions.position})` }).from(surveyQuestions).where(eq(surveyQuestions.surveyId, surveyId))) as [{ n: number; last: number | null }];
      if (n >= EVALUATION_LIMITS.questions) return { ok: false as const, reason: 'too-many-questions' as const };
      await tx.insert(surveyQuestions).values({ ...values, surveyId, position: (last ?? 0) + 1 });
    }
    await recordAudit(tx, actor, 'admin.survey.update', { now, details: { title: survey.title } });
    return { ok: true as const };
  });
}

export async function removeQuestion(db: Db, actor: Actor, surveyId: number, questionId: number, now: number = Date.now()): Promise<SurveyChange> {
  return db.transaction(async (tx) => {
    const survey = await draftOf(tx, surveyId);
    if (refused(survey)) return survey;
    const removed = await tx.delete(surveyQuestions).where(and(eq(surveyQuestions.id, questionId), eq(surveyQuestions.surveyId, surveyId))).returning({ id: surveyQuestions.id });
    if (removed.length === 0) return { ok: false as const, reason: 'not-found' as const };
    await recordAudit(tx, actor, 'admin.survey.update', { now, details: { title: survey.title } });
    return { ok: true as const };
  });
}

/** Swaps a question with the one before (`up`) or after it. */
export async function moveQuestion(db: Db, actor: Actor, surveyId: number, questionId: number, direction: 'up' | 'down', now: number = Date.now()): Promise<SurveyChange> {
  return db.transaction(async (tx) => {
    const survey = await draftOf(tx, surveyId);
    if (refused(survey)) return survey;
    const list = await tx.select({ id: surveyQuestions.id }).from(surveyQuestions).where(eq(surveyQuestions.surveyId, surveyId)).orderBy(asc(surveyQuestions.position), asc(surveyQuestions.id));
    const index = list.findIndex((q) => q.id === questionId);
    if (index < 0) return { ok: false as const, reason: 'not-found' as const };
    const other = direction === 'up' ? index - 1 : index + 1;
    if (other >= 0 && other < list.length) [list[index], list[other]] = [list[other]!, list[index]!];
    for (const [i, q] of list.entries()) await tx.update(surveyQuestions).set({ position: i + 1 }).where(eq(surveyQuestions.id, q.id));
    await recordAudit(tx, actor, 'admin.survey.update', { now, details: { title: survey.title } });
    return { ok: true as const };
  });
}

const NEXT_STATUS: Record<'publish' | 'close' | 'reopen', { from: SurveyStatus[]; to: SurveyStatus; audit: 'admin.survey.publish' | 'admin.survey.close' }> = {
  publish: { from: ['draft'], to: 'published', audit: 'admin.survey.publish' },
  close: { from: ['published'], to: 'closed', audit: 'admin.survey.close' },
  reopen: { from: ['closed'], to: 'published', audit: 'admin.survey.publish' },
};

/** Publishes a draft (it needs a question), closes a published survey (no more answers), or reopens it. */
export async function changeSurveyStatus(db: Db, actor: Actor, surveyId: number, change: 'publish' | 'close' | 'reopen', now: number = Date.now()): Promise<SurveyChange> {
  return db.transaction(async (tx) => {
    const [survey] = await tx.select().from(surveys).where(eq(surveys.id, surveyId));
    if (!survey) return { ok: false as const, reason: 'not-found' as const };
    const rule = NEXT_STATUS[change];
    if (!rule.from.includes(survey.status)) return { ok: false as const, reason: 'bad-status' as const };
    if (change === 'publish') {
      const [{ n }] = (await tx.select({ n: count() }).from(surveyQuestions).where(eq(surveyQuestions.surveyId, surveyId))) as [{ n: number }];
      if (n === 0) return { ok: false as const, reason: 'no-question' as const };
    }
    await tx
      .update(surveys)
      .set({ status: rule.to, ...(change === 'close' ? { closedAt: new Date(now) } : { publishedAt: survey.publishedAt ?? new Date(now), closedAt: null }) })
      .where(eq(surveys.id, surveyId));
    await recordAudit(tx, actor, rule.audit, { now, details: { title: survey.title } });
    return { ok: true as const };
  });
}

/** A draft may be deleted; a survey that was published keeps its answers and can only be closed. */
export async function deleteSurvey(db: Db, actor: Actor, surveyId: number, now: number = Date.now()): Promise<SurveyChange> {
  return db.transaction(async (tx) => {
    const survey = await draftOf(tx, surveyId);
    if (refused(survey)) return survey;
    await tx.delete(surveys).where(eq(surveys.id, surveyId));
    await recordAudit(tx, actor, 'admin.survey.delete', { now, details: { title: survey.title } });
    return { ok: true as const };
  });
}

export type AnswerError = { question: number; message: 'required' | 'invalid' | 'tooLong' };

/** Checks one person's answers against the questions: what is kept, or what is wrong with which question. */
export function checkAnswers(questions: SurveyQuestion[], raw: (questionId: number) => string): { answers: { questionId: number; value: string }[]; errors: AnswerError[] } {
  const answers: { questionId: number; value: string }[] = [];
  const errors: AnswerError[] = [];
  for (const q of questions) {
    const value = raw(q.id).replace(/\r\n?/g, '\n').trim();
    if (value === '') {
      if (q.required) errors.push({ question: q.id, message: 'required' });
      continue;
    }
    const valid =
      q.kind === 'scale' ? SCALE.map(String).includes(value)
      : q.kind === 'yes-no' ? (YES_NO as readonly string[]).includes(value)
      : q.kind === 'choice' ? /^\d{1,2}$/.test(value) && Number(value) < q.choices.length
      : true;
    if (!valid) errors.push({ question: q.id, message: 'invalid' });
    else if (value.length > EVALUATION_LIMITS.answer) errors.push({ question: q.id, message: 'tooLong' });
    else answers.push({ questionId: q.id, value });
  }
  return { answers, errors };
}

/** Paris calendar day, the only time kept with an answer. */
const parisDay = (now: number) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date(now));

export async function submitSurveyResponse(db: Db, survey: LoadedSurvey, answers: { questionId: number; value: string }[], now: number = Date.now()): Promise<boolean> {
  return db.transaction(async (tx) => {
    // Checked again inside the transaction: a survey closed meanwhile takes no more answers.
    const [current] = await tx.select({ status: surveys.status }).from(surveys).where(eq(surveys.id, survey.id));
    if (current?.status !== 'published') return false;
    const [response] = await tx.insert(surveyResponses).values({ surveyId: survey.id, day: parisDay(now) }).returning({ id: surveyResponses.id });
    if (answers.length > 0) await tx.insert(surveyAnswers).values(answers.map((a) => ({ ...a, responseId: response!.id })));
    return true;
  });
}

export interface QuestionResult {
  question: SurveyQuestion;
  answered: number;
  /** Counts per option: 1–5, yes/no, or each choice; empty for a text question. */
  counts: { option: string; count: number }[];
  /** Mean of a scale question. */
  mean: number | null;
  /** What was written, newest first, for a text question. */
  texts: string[];
}

export async function surveyResults(db: Conn, survey: LoadedSurvey): Promise<{ responses: number; questions: QuestionResult[] }> {
  const [{ n }] = (await db.select({ n: count() }).from(surveyResponses).where(eq(surveyResponses.surveyId, survey.id))) as [{ n: number }];
  const rows = await db
    .select({ questionId: surveyAnswers.questionId, value: surveyAnswers.value })
    .from(surveyAnswers)
    .innerJoin(surveyResponses, eq(surveyResponses.id, surveyAnswers.responseId))
    .where(eq(surveyResponses.surveyId, survey.id))
    .orderBy(desc(surveyAnswers.responseId));
  const byQuestion = new Map<number, string[]>();
  for (const row of rows) byQuestion.set(row.questionId, [...(byQuestion.get(row.questionId) ?? []), row.value]);
  const questions = survey.questions.map((question): QuestionResult => {
    const values = byQuestion.get(question.id) ?? [];
    const options = question.kind === 'scale' ? SCALE.map(String) : question.kind === 'yes-no' ? [...YES_NO] : question.kind === 'choice' ? question.choices.map((_, i) => String(i)) : [];
    const counts = options.map((option) => ({ option, count: values.filter((v) => v === option).length }));
    const mean = question.kind === 'scale' && values.length > 0 ? values.reduce((sum, v) => sum + Number(v), 0) / values.length : null;
    return { question, answered: values.length, counts, mean, texts: question.kind === 'text' ? values : [] };
  });
  return { responses: n, questions };
}

/** Every response, one row each, answers in question order (for the CSV export). */
export async function surveyResponseRows(db: Conn, survey: LoadedSurvey): Promise<{ day: string; values: (string | null)[] }[]> {
  const responses = await db.select().from(surveyResponses).where(eq(surveyResponses.surveyId, survey.id)).orderBy(asc(surveyResponses.id));
  const answers = await db
    .select({ responseId: surveyAnswers.responseId, questionId: surveyAnswers.questionId, value: surveyAnswers.value })
    .from(surveyAnswers)
    .innerJoin(surveyResponses, eq(surveyResponses.id, surveyAnswers.responseId))
    .where(eq(surveyResponses.surveyId, survey.id));
  const byResponse = new Map<number, Map<number, string>>();
  for (const a of answers) {
    const map = byResponse.get(a.responseId) ?? new Map<number, string>();
    map.set(a.questionId, a.value);
    byResponse.set(a.responseId, map);
  }
  return responses.map((r) => ({ day: r.day, values: survey.questions.map((q) => byResponse.get(r.id)?.get(q.id) ?? null) }));
}
