/**
 * Actions of the agents' workspace. Each one checks who calls it first (`requireAgent` with
 * the permission it needs; the middleware has already refused visitors without a session),
 * validates the form, calls a service, and answers like the request actions do: `ok` with the
 * address to go to next (the page redirects, so a reload never posts twice), or the messages
 * to show next to each field and in the error summary.
 */
import { type ActionAPIContext, defineAction } from 'astro:actions';
import { AGENT_ROLES, EVALUATION_LIMITS, QUESTION_KINDS, SURVEY_AUDIENCES, REQUEST_CATEGORIES, REQUEST_LIMITS, REQUEST_PRIORITIES, REQUEST_STATUSES, type AgentRole, type RequestCategory, type RequestPriority, type RequestStatus } from '../../db/schema';
import { authority, searchDocuments } from '../lib/catalog';
import { type FormValues, formValues, hasControlCharacters, isValidEmail, singleLineProblem } from '../lib/request-form';
import { recordAudit } from '../lib/server/audit';
import { erasePerson, parseContact } from '../lib/server/privacy';
import { inviteAgent, rememberDevice, requestPasswordReset, setPasswordWithToken, signIn, updateAgent } from '../lib/server/auth/agents';
import { requireAgent, safeReturn, SIGN_IN_PATH } from '../lib/server/auth/guard';
import { DEVICE_COOKIE, invalidateSession, SESSION_COOKIE } from '../lib/server/auth/session';
import { getDb } from '../lib/server/db';
import { kickMailWorker } from '../lib/server/mail/sender';
import { clientKey, consumeRateLimit } from '../lib/server/rate-limit';
import { addAgentMessage } from '../lib/server/requests';
import { publicOrigin } from '../lib/server/public-origin.mjs';
import { requestSettings } from '../lib/server/requests/settings';
import { findRequestIdByReference, mergeRequest, newerMessages, updateRequest } from '../lib/server/workspace/requests';
import { deleteSavedReply, findSavedReply, saveSavedReply } from '../lib/server/workspace/saved-replies';
import { ALWAYS_OFFERED, CATEGORY_LABEL_MAX, HELP_PUBLISHERS, type CategorySetting, changeWorkspaceSetting, DEFAULT_OBJECTIVES, OBJECTIVE_MAX, OBJECTIVES, type Target, TARGET_MAX_DAYS } from '../lib/server/workspace/settings';
import { changeSurveyStatus, createSurvey, deleteSurvey, moveQuestion, removeQuestion, saveQuestion, type SurveyDetails, templateQuestions, updateSurveyDetails } from '../lib/server/evaluation/surveys';
import { parseReference } from '../lib/request-form';
import { checkUploads } from '../lib/server/requests/files';
import type { FormMessage } from './request';
import { helpActions } from './help';

export type AgentOutcome =
  | { ok: true; next?: string; compose?: string; link?: string }
  | { ok: false; errors: FormMessage[] };

const fail = (...errors: FormMessage[]): AgentOutcome => ({ ok: false, errors });
/** What a survey change that was refused tells the administrator (anything else: an unknown value). */
const SURVEY_REFUSALS: Record<string, string> = { 'not-draft': 'surveys.errors.notDraft', 'no-question': 'surveys.errors.noQuestion', 'too-many-questions': 'surveys.errors.tooManyQuestions' };
const pick = <T extends string>(values: readonly T[], value: string): T | undefined => (values.includes(value as T) ? (value as T) : undefined);
const id = (value: string) => (/^\d{1,9}$/.test(value) ? Number(value) : undefined);
const requestPage = (reference: string, query = '') => `/agent/demandes/${reference}/${query}`;

/** Fields written on several lines; every other text field holds one line. */
const MULTILINE_FIELDS = new Set(['body', 'intro']);

function text(values: FormValues, name: string, max: number, required: boolean, label: string): { value: string } | { error: FormMessage } {
  const value = values.get(name).replace(/\r\n?/g, '\n').trim();
  if (required && value === '') return { error: { field: name, message: `agent.errors.${label}Required` } };
  if (value.length > max) return { error: { field: name, message: 'agent.errors.tooLong', params: { max, count: value.length } } };
  if (hasControlCharacters(values.get(name))) return { error: { field: name, message: 'request.errors.controlCharacters' } };
  const oneLine = MULTILINE_FIELDS.has(name) ? undefined : singleLineProblem(value);
  if (oneLine) return { error: { field: name, message: oneLine } };
  return { value };
}

async function mailSettings() {
  const site = await authority();
  return { origin: publicOrigin(), authority: site.name };
}

const cookieOptions = (context: ActionAPIContext, expires?: Date) => ({
  path: '/',
  httpOnly: true,
  sameSite: 'lax' as const,
  // Behind a TLS proxy the server may see http: the public address says it is served over https.
  secure: context.url.protocol === 'https:' || (process.env.PUBLIC_ORIGIN ?? '').startsWith('https:'),
  expires,
});

/** The request an action is about, found by its reference in the form. */
async function requestFrom(values: FormValues) {
  const reference = values.get('reference');
  const requestId = /^\d{9}$/.test(reference) ? await findRequestIdByReference(await getDb(), reference) : undefined;
  return requestId ? { requestId, reference } : undefined;
}

const notFound = () => fail({ message: 'agent.errors.requestNotFound' });

/** Inserts help content or a saved reply into the text being written, at its end. */
async function insertion(values: FormValues, locale: 'fr' | 'en', origin: string): Promise<string | undefined> {
  const choice = values.get('insert');
  const [kind, ...rest] = choice.split(':');
  const target = rest.join(':');
  if (kind === 'saved') {
    const replyId = id(values.get('saved'));
    return replyId ? (await findSavedReply(await getDb(), replyId))?.body : undefined;
  }
  if (kind === 'link' || kind === 'text') {
    for (const docLocale of [locale, locale === 'fr' ? 'en' : 'fr'] as const) {
      const doc = (await searchDocuments(docLocale)).find((d) => d.url === target);
      if (!doc) continue;
      const url = new URL(doc.url, origin).href;
      return kind === 'link' ? `${doc.title}${locale === 'fr' ? ' : ' : ': '}${url}` : `${doc.title}\n\n${doc.text}\n\n${url}`;
    }
  }
  return undefined;
}

const REPLY_KINDS = ['reply', 'note', 'call', 'visit'] as const;

function targetValue(values: FormValues, name: string, allowEmpty: boolean): { value: number | null } | { error: FormMessage } {
  const raw = values.get(name).trim();
  if (raw === '' && allowEmpty) return { value: null };
  if (!/^\d{1,2}$/.test(raw) || Number(raw) > TARGET_MAX_DAYS) return { error: { field: name, message: 'agent.errors.days', params: { max: TARGET_MAX_DAYS } } };
  return { value: Number(raw) };
}

export const agentActions = {
  ...helpActions,
  signIn: defineAction({
    accept: 'form',
    handler: async (form: FormData, context): Promise<AgentOutcome> => {
      const values = formValues(form);
      const email = values.get('email').trim();
      const password = values.get('password');
      const errors: FormMessage[] = [];
      if (!email) errors.push({ field: 'email', message: 'agent.errors.emailRequired' });
      else if (!isValidEmail(email)) errors.push({ field: 'email', message: 'agent.errors.emailInvalid' });
      if (!password) errors.push({ field: 'password', message: 'agent.errors.passwordRequired' });
      if (errors.length > 0) return fail(...errors);
      const result = await signIn(await getDb(), email, password.slice(0, 1024), context.clientAddress, context.cookies.get(DEVICE_COOKIE)?.value);
      if (!result.ok) {
        return result.reason === 'throttled'
          ? fail({ message: 'agent.errors.throttled', params: { minutes: Math.max(1, Math.ceil(result.retryAfter / 60)) } })
          : fail({ field: 'email', message: 'agent.errors.invalidCredentials' });
      }
      context.cookies.set(SESSION_COOKIE, result.token, cookieOptions(context, result.expiresAt));
      if (result.device) context.cookies.set(DEVICE_COOKIE, result.device.token, { ...cookieOptions(context, result.device.expiresAt), path: SIGN_IN_PATH, sameSite: 'strict' });
      return { ok: true, next: safeReturn(values.get('retour')) };
    },
  }),

  signOut: defineAction({
    accept: 'form',
    handler: async (_form: FormData, context): Promise<AgentOutcome> => {
      const { agent, session } = context.locals;
      if (agent && session) {
        const db = await getDb();
        await invalidateSession(db, session.id);
        await recordAudit(db, agent, 'sign-out');
      }
      context.cookies.delete(SESSION_COOKIE, { path: '/' });
      return { ok: true, next: `${SIGN_IN_PATH}?deconnecte=1` };
    },
  }),

  requestReset: defineAction({
    accept: 'form',
    handler: async (form: FormData, context): Promise<AgentOutcome> => {
      const email = formValues(form).get('email').trim();
      if (!email) return fail({ field: 'email', message: 'agent.errors.emailRequired' });
      if (!isValidEmail(email)) return fail({ field: 'email', message: 'agent.errors.emailInvalid' });
      const db = await getDb();
      const limit = await consumeRateLimit(db, { name: 'agent-reset', limit: 5, windowMs: 15 * 60_000 }, clientKey(context.clientAddress));
      if (!limit.allowed) return fail({ message: 'agent.errors.throttled', params: { minutes: Math.max(1, Math.ceil(limit.retryAfter / 60)) } });
      await requestPasswordReset(db, email, await mailSettings());
      kickMailWorker();
      return { ok: true, next: '/agent/mot-de-passe/?envoye=1' };
    },
  }),

  setPassword: defineAction({
    accept: 'form',
    handler: async (form: FormData, context): Promise<AgentOutcome> => {
      const values = formValues(form);
      const password = values.get('password');
      if (!password) return fail({ field: 'password', message: 'agent.errors.passwordRequired' });
      if (password !== values.get('confirm')) return fail({ field: 'confirm', message: 'agent.errors.passwordMismatch' });
      const db = await getDb();
      const result = await setPasswordWithToken(db, values.get('token'), password);
      if (!result.ok) return result.reason === 'weak' ? fail({ field: 'password', message: result.problem }) : fail({ message: 'agent.errors.linkInvalid' });
      // The link proved the mailbox: this browser is the agent's own, whatever others try.
      const device = await rememberDevice(db, result.agentId);
      context.cookies.set(DEVICE_COOKIE, device.token, { ...cookieOptions(context, device.expiresAt), path: SIGN_IN_PATH, sameSite: 'strict' });
      return { ok: true, next: `${SIGN_IN_PATH}?mot-de-passe=1` };
    },
  }),

  /** A reply, an internal note, or a call or visit recorded; or help content inserted into it. */
  write: defineAction({
    accept: 'form',
    handler: async (form: FormData, context): Promise<AgentOutcome> => {
      const values = formValues(form);
      const kind = pick(REPLY_KINDS, values.get('kind')) ?? 'reply';
      const agent = requireAgent(context, kind === 'note' ? 'request:note' : 'request:reply');
      const found = await requestFrom(values);
      if (!found) return notFound();
      const settings = await requestSettings();
      if (values.get('insert')) {
        const body = values.get('body').replace(/\r\n?/g, '\n').trimEnd();
        // Searching the help content keeps the text as it is; the page lists what was found.
        if (values.get('insert') === 'search') return { ok: true, compose: body };
        const addition = await insertion(values, values.get('locale') === 'en' ? 'en' : 'fr', settings.origin);
        if (addition === undefined) return fail({ field: 'body', message: 'agent.errors.insertUnknown' });
        const compose = body ? `${body}\n\n${addition}` : addition;
        if (compose.length > REQUEST_LIMITS.message) return fail({ field: 'body', message: 'agent.errors.tooLong', params: { max: REQUEST_LIMITS.message, count: compose.length } });
        return { ok: true, compose };
      }
      const body = text(values, 'body', REQUEST_LIMITS.message, true, 'body');
      const files = await checkUploads(form.getAll('files'), REQUEST_LIMITS.files);
      const errors = [...('error' in body ? [body.error] : []), ...(files.ok ? [] : [{ field: 'files', message: files.message, params: files.params }])];
      if (errors.length > 0 || 'error' in body || !files.ok) return fail(...errors);
      const status = kind === 'note' ? undefined : (pick(REQUEST_STATUSES, values.get('status')) ?? 'waiting');
      const db = await getDb();
      // Someone wrote since this page was opened: show it first (the page, shown again, has it).
      const crossing = await newerMessages(db, found.requestId, Number(values.get('seen')) || 0, agent.id);
      if (crossing > 0) return fail({ field: 'body', message: 'agent.errors.newerMessages', params: { count: crossing } });
      const channel = kind === 'call' ? 'phone' : kind === 'visit' ? 'in-person' : 'web';
      const { messageId } = await addAgentMessage(db, { requestId: found.requestId, agentId: agent.id, agentName: agent.name, body: body.value, internal: kind === 'note', channel, status, files: files.files }, settings);
      kickMailWorker();
      return { ok: true, next: requestPage(found.reference, `?ecrit=${kind}#m-${messageId}`) };
    },
  }),

  update: defineAction({
    accept: 'form',
    handler: async (form: FormData, context): Promise<AgentOutcome> => {
      const agent = requireAgent(context, 'request:update');
      const values = formValues(form);
      const found = await requestFrom(values);
      if (!found) return notFound();
      const assigneeRaw = values.get('assignee');
      const changes = values.get('intent') === 'take'
        ? { assigneeId: agent.id }
        : {
            status: pick(REQUEST_STATUSES, values.get('status')),
            priority: pick(REQUEST_PRIORITIES, values.get('priority')),
            category: pick(REQUEST_CATEGORIES, values.get('category')),
            assigneeId: assigneeRaw === 'none' ? null : id(assigneeRaw),
          };
      const errors: FormMessage[] = [];
      for (const name of ['status', 'priority', 'category'] as const) if (values.get(name) && !changes[name as keyof typeof changes]) errors.push({ field: name, message: 'agent.errors.unknownValue' });
      if (assigneeRaw && assigneeRaw !== 'none' && changes.assigneeId === undefined) errors.push({ field: 'assignee', message: 'agent.errors.unknownValue' });
      if (errors.length > 0) return fail(...errors);
      const result = await updateRequest(await getDb(), agent, found.requestId, changes as { status?: RequestStatus; priority?: RequestPriority; category?: RequestCategory; assigneeId?: number | null }, await requestSettings());
      if (!result.ok) {
        if (result.reason === 'bad-status') return fail({ field: 'status', message: 'agent.errors.statusNotAllowed' });
        if (result.reason === 'bad-assignee') return fail({ field: 'assignee', message: 'agent.errors.unknownValue' });
        return notFound();
      }
      kickMailWorker();
      return { ok: true, next: requestPage(found.reference, result.changed.length > 0 ? '?modifie=1' : '') };
    },
  }),

  merge: defineAction({
    accept: 'form',
    handler: async (form: FormData, context): Promise<AgentOutcome> => {
      const agent = requireAgent(context, 'request:merge');
      const values = formValues(form);
      const found = await requestFrom(values);
      if (!found) return notFound();
      const into = parseReference(values.get('into'));
      if (!into) return fail({ field: 'into', message: 'agent.errors.referenceInvalid' });
      const result = await mergeRequest(await getDb(), agent, found.requestId, into);
      if (!result.ok) return fail({ field: 'into', message: `agent.errors.merge.${result.reason}` });
      return { ok: true, next: requestPage(found.reference, '?regroupe=1') };
    },
  }),

  invite: defineAction({
    accept: 'form',
    handler: async (form: FormData, context): Promise<AgentOutcome> => {
      const agent = requireAgent(context, 'admin:agents');
      const values = formValues(form);
      const errors: FormMessage[] = [];
      const name = text(values, 'name', 120, true, 'name');
      if ('error' in name) errors.push(name.error);
      const email = values.get('email').trim();
      if (!email) errors.push({ field: 'email', message: 'agent.errors.emailRequired' });
      else if (!isValidEmail(email)) errors.push({ field: 'email', message: 'agent.errors.emailInvalid' });
      const role = pick(AGENT_ROLES, values.get('role'));
      if (!role) errors.push({ field: 'role', message: 'agent.errors.roleRequired' });
      if (errors.length > 0 || 'error' in name) return fail(...errors);
      const locale = values.get('locale') === 'en' ? 'en' : 'fr';
      const result = await inviteAgent(await getDb(), agent, { email, name: name.value, role: role!, locale }, await mailSettings());
      if (!result.ok) return fail({ field: 'email', message: 'agent.errors.emailTaken' });
      kickMailWorker();
      return { ok: true, link: result.link };
    },
  }),

  changeAgent: defineAction({
    accept: 'form',
    handler: async (form: FormData, context): Promise<AgentOutcome> => {
      const agent = requireAgent(context, 'admin:agents');
      const values = formValues(form);
      const agentId = id(values.get('agent'));
      const role = values.get('role') ? pick(AGENT_ROLES, values.get('role')) : undefined;
      const active = values.get('active') === '1' ? true : values.get('active') === '0' ? false : undefined;
      if (!agentId || (values.get('role') && !role)) return fail({ message: 'agent.errors.unknownValue' });
      const result = await updateAgent(await getDb(), agent, agentId, { role: role as AgentRole | undefined, active });
      if (!result.ok) return fail({ message: `agent.errors.agentChange.${result.reason}` });
      return { ok: true, next: '/agent/admin/?modifie=1' };
    },
  }),

  targets: defineAction({
    accept: 'form',
    handler: async (form: FormData, context): Promise<AgentOutcome> => {
      const agent = requireAgent(context, 'admin:settings');
      const values = formValues(form);
      const errors: FormMessage[] = [];
      const read = (prefix: string, key: string, allowEmpty: boolean): Target => {
        const target = { firstResponse: null, resolution: null } as Target;
        for (const part of ['firstResponse', 'resolution'] as const) {
          const field = `${prefix}-${key}-${part}`;
          const result = targetValue(values, field, allowEmpty);
          if ('error' in result) errors.push(result.error);
          else target[part] = result.value;
        }
        return target;
      };
      const categories = Object.fromEntries(REQUEST_CATEGORIES.map((c) => [c, read('category', c, false)])) as Record<RequestCategory, Target>;
      const priorities = Object.fromEntries(REQUEST_PRIORITIES.map((p) => [p, read('priority', p, true)])) as Record<RequestPriority, Target>;
      if (errors.length > 0) return fail(...errors);
      await changeWorkspaceSetting(await getDb(), agent, 'targets', { categories, priorities });
      return { ok: true, next: '/agent/admin/reglages/?enregistre=delais' };
    },
  }),

  hours: defineAction({
    accept: 'form',
    handler: async (form: FormData, context): Promise<AgentOutcome> => {
      const agent = requireAgent(context, 'admin:settings');
      const values = formValues(form);
      const days = [...new Set(values.all('days').map(Number).filter((d) => Number.isInteger(d) && d >= 1 && d <= 7))].sort();
      const time = (name: string) => (/^([01]\d|2[0-3]):[0-5]\d$/.test(values.get(name)) ? values.get(name) : undefined);
      const open = time('open');
      const close = time('close');
      const errors: FormMessage[] = [];
      if (days.length === 0) errors.push({ field: 'days', message: 'agent.errors.daysRequired' });
      if (!open) errors.push({ field: 'open', message: 'agent.errors.time' });
      if (!close) errors.push({ field: 'close', message: 'agent.errors.time' });
      else if (open && close <= open) errors.push({ field: 'close', message: 'agent.errors.closeBeforeOpen' });
      if (errors.length > 0) return fail(...errors);
      await changeWorkspaceSetting(await getDb(), agent, 'hours', { days, open: open!, close: close! });
      return { ok: true, next: '/agent/admin/reglages/?enregistre=horaires' };
    },
  }),

  /** Which kinds of problem residents are offered, and in what words. */
  categories: defineAction({
    accept: 'form',
    handler: async (form: FormData, context): Promise<AgentOutcome> => {
      const agent = requireAgent(context, 'admin:settings');
      const values = formValues(form);
      const errors: FormMessage[] = [];
      const categories = {} as Record<RequestCategory, CategorySetting>;
      for (const category of REQUEST_CATEGORIES) {
        const wording = (locale: 'fr' | 'en') => {
          const field = `category-${category}-${locale}`;
          const result = text(values, field, CATEGORY_LABEL_MAX, false, 'title');
          if ('error' in result) errors.push(result.error);
          return 'value' in result && result.value ? result.value : null;
        };
        categories[category] = { offered: ALWAYS_OFFERED.includes(category) || values.get(`category-${category}-offered`) === '1', fr: wording('fr'), en: wording('en') };
      }
      if (errors.length > 0) return fail(...errors);
      await changeWorkspaceSetting(await getDb(), agent, 'categories', categories);
      return { ok: true, next: '/agent/admin/reglages/?enregistre=categories#categories' };
    },
  }),

  savedReply: defineAction({
    accept: 'form',
    handler: async (form: FormData, context): Promise<AgentOutcome> => {
      const agent = requireAgent(context, 'admin:saved-replies');
      const values = formValues(form);
      const replyId = id(values.get('id'));
      const db = await getDb();
      if (values.get('intent') === 'delete') {
        if (!replyId || !(await deleteSavedReply(db, agent, replyId))) return fail({ message: 'agent.errors.unknownValue' });
        return { ok: true, next: '/agent/admin/reponses/?supprime=1' };
      }
      const title = text(values, 'title', 120, true, 'title');
      const body = text(values, 'body', REQUEST_LIMITS.message, true, 'body');
      const errors = [title, body].flatMap((r) => ('error' in r ? [r.error] : []));
      if (errors.length > 0 || 'error' in title || 'error' in body) return fail(...errors);
      const saved = await saveSavedReply(db, agent, { id: replyId, title: title.value, body: body.value, locale: values.get('locale') === 'en' ? 'en' : 'fr' });
      if (!saved) return fail({ message: 'agent.errors.unknownValue' });
      return { ok: true, next: '/agent/admin/reponses/?enregistre=1' };
    },
  }),

  /** Who publishes help content: administrators only (agents submit for review), or every agent. */
  helpPublishers: defineAction({
    accept: 'form',
    handler: async (form: FormData, context): Promise<AgentOutcome> => {
      const agent = requireAgent(context, 'admin:settings');
      const value = pick(HELP_PUBLISHERS, formValues(form).get('publishers'));
      if (!value) return fail({ field: 'publishers', message: 'agent.errors.unknownValue' });
      await changeWorkspaceSetting(await getDb(), agent, 'helpPublishers', value);
      return { ok: true, next: '/agent/admin/reglages/?enregistre=publication#publication' };
    },
  }),

  /** The authority's objectives, shown in the reports against what was achieved; an empty field: no objective. */
  objectives: defineAction({
    accept: 'form',
    handler: async (form: FormData, context): Promise<AgentOutcome> => {
      const agent = requireAgent(context, 'admin:settings');
      const values = formValues(form);
      const errors: FormMessage[] = [];
      const objectives = { ...DEFAULT_OBJECTIVES };
      for (const id of OBJECTIVES) {
        const raw = values.get(`objective-${id}`).replace(',', '.').replace(/\s*%$/, '').trim();
        if (raw === '') {
          objectives[id] = null;
          continue;
        }
        const value = Number(raw);
        if (!/^\d{1,3}(\.\d)?$/.test(raw) || value <= 0 || value > OBJECTIVE_MAX[id]) errors.push({ field: `objective-${id}`, message: id === 'clarity' ? 'agent.errors.objectiveScore' : 'agent.errors.objectiveShare' });
        else objectives[id] = value;
      }
      if (errors.length > 0) return fail(...errors);
      await changeWorkspaceSetting(await getDb(), agent, 'objectives', objectives);
      return { ok: true, next: '/agent/admin/reglages/?enregistre=objectifs#objectifs' };
    },
  }),

  /** Evaluation surveys: create (empty or from a template), edit while a draft, publish, close, reopen, delete a draft. */
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
  erasePerson: defineAction({
    accept: 'form',
    handler: async (form: FormData, context): Promise<AgentOutcome> => {
      const agent = requireAgent(context, 'admin:privacy');
      const values = formValues(form);
      const contact = parseContact(values.get('contact'));
      if (!contact) return fail({ field: 'contact', message: 'agent.privacy.errors.contact' });
      if (values.get('confirm') !== '1') return fail({ field: 'confirm', message: 'agent.privacy.errors.confirm' });
      const erased = await erasePerson(await getDb(), agent, contact);
      return { ok: true, next: `/agent/admin/donnees/?efface=${erased}` };
    },
  }),
};
