/**
 * Actions of the new-request form and of the tracking page. They take raw form data (files
 * included) and validate it with `src/lib/request-form.ts`; a refusal comes back as data
 * (`ok: false` with i18n keys per field) so that the page can show every message at once,
 * next to its field and in the error summary.
 */
import { type ActionAPIContext, defineAction } from 'astro:actions';
import { EVALUATION_LIMITS, REQUEST_LIMITS, SATISFACTION_LEVELS, type SatisfactionLevel } from '../../db/schema';
import { localeFromPath, pathTo, trackPath } from '../i18n/routes';
import { readContact, subscribe } from '../lib/server/known-problems';
import { authority, places } from '../lib/server/catalog';
import { type FieldError, type FormValues, formValues, hasControlCharacters, isValidEmail, missingSteps, parseReference, type Step, stepPath, STEPS, validateStep } from '../lib/request-form';
import { getDb } from '../lib/server/db';
import { answerSatisfaction, completeSatisfaction } from '../lib/server/evaluation/satisfaction';
import { kickMailWorker } from '../lib/server/mail/sender';
import { clientKey, consumeRateLimit, type RateLimitRule } from '../lib/server/rate-limit';
import { addRequesterReply, closeByRequester, findRequestByToken, resendLink, submitDraft } from '../lib/server/requests';
import { requestSettings } from '../lib/server/requests/settings';
import { addDraftFiles, createDraft, type Draft, DRAFT_COOKIE, findDraft, removeDraftFile, saveDraftStep } from '../lib/server/requests/drafts';
import { checkUploads } from '../lib/server/requests/files';
import { loadWorkspaceSettings, offeredCategories } from '../lib/server/workspace/settings';
import { offeredCallbackSlots } from '../lib/server/requests/due';

export interface FormMessage extends Partial<FieldError> {
  message: string;
  params?: Record<string, string | number>;
}

export type FormOutcome = { ok: true; next?: string } | { ok: false; errors: FormMessage[]; expired?: boolean; gone?: 'unknown' | 'expired' };

/** Per-client limits (the address is hashed; counters are in the database, shared by servers). */
const LIMITS = {
  step: { name: 'request-step', limit: 300, windowMs: 60 * 60_000 },
  upload: { name: 'request-upload', limit: 60, windowMs: 60 * 60_000 },
  submit: { name: 'request-submit', limit: 20, windowMs: 60 * 60_000 },
  reply: { name: 'request-reply', limit: 30, windowMs: 60 * 60_000 },
  resend: { name: 'request-resend', limit: 5, windowMs: 15 * 60_000 },
  resendReference: { name: 'request-resend-reference', limit: 3, windowMs: 60 * 60_000 },
  satisfaction: { name: 'request-satisfaction', limit: 20, windowMs: 60 * 60_000 },
  // A help place may subscribe several people from one tablet.
  subscribe: { name: 'problem-subscribe', limit: 30, windowMs: 60 * 60_000 },
} satisfies Record<string, RateLimitRule>;

export const fail = (...errors: FormMessage[]): FormOutcome => ({ ok: false, errors });


export async function limited(context: ActionAPIContext, rule: RateLimitRule, client = clientKey(context.clientAddress)): Promise<FormOutcome | undefined> {
  const db = await getDb();
  const result = await consumeRateLimit(db, rule, client);
  if (result.allowed) return undefined;
  const site = await authority();
  return fail({ message: 'request.errors.rateLimited', params: { minutes: Math.max(1, Math.ceil(result.retryAfter / 60)), phone: site.contact.phone } });
}

export async function rejected(): Promise<FormOutcome> {
  const site = await authority();
  return fail({ message: 'request.errors.rejected', params: { phone: site.contact.phone } });
}

const nextStep = (step: Step): Step => STEPS[Math.min(STEPS.indexOf(step) + 1, STEPS.length - 1)]!;

/** The draft of this browser, if it has one that is still alive. */
async function currentDraft(context: ActionAPIContext) {
  const token = context.cookies.get(DRAFT_COOKIE)?.value;
  const draft = await findDraft(await getDb(), token);
  return draft && token ? { draft, token } : undefined;
}

const expired = (): FormOutcome => ({ ok: false, errors: [], expired: true });

/**
 * What every action on a draft checks first: the hidden field, a live draft in this browser
 * (one already sent leads to its confirmation), and the client's rate limit.
 */
async function draftFor(context: ActionAPIContext, values: FormValues, rule: RateLimitRule): Promise<{ stop: FormOutcome } | { current: { draft: Draft; token: string } }> {
  if (values.get('website')) return { stop: await rejected() };
  const current = await currentDraft(context);
  if (!current) return { stop: expired() };
  if (current.draft.requestId) return { stop: { ok: true, next: stepPath(localeFromPath(context.url.pathname), 'confirmation') } };
  const tooMany = await limited(context, rule);
  return tooMany ? { stop: tooMany } : { current };
}

const missingMessages = (steps: Step[]): FormMessage[] => steps.map((step) => ({ message: 'request.check.missing', params: { step }, field: `step-${step}` }));

export const requestActions = {
  /** One step of questions (everything but files and the final check). */
  step: defineAction({
    accept: 'form',
    handler: async (form: FormData, context): Promise<FormOutcome> => {
      const locale = localeFromPath(context.url.pathname);
      const values = formValues(form);
      const step = values.get('step') as Step;
      if (!STEPS.includes(step) || step === 'attachments' || step === 'check') return fail({ message: 'request.errors.unknownValue' });
      if (values.get('website')) return rejected();
      const tooMany = await limited(context, LIMITS.step);
      if (tooMany) return tooMany;
      const db = await getDb();
      const found = await currentDraft(context);
      // Once a draft is sent, its steps lead to its confirmation, and the first step starts anew.
      if (found?.draft.requestId && step !== 'procedure') return { ok: true, next: stepPath(locale, 'confirmation') };
      const current = found?.draft.requestId ? undefined : found;
      if (!current && step !== 'procedure') return expired();
      const placeIds = (await places()).map((p) => p.id);
      const workspace = step === 'procedure' || step === 'answer' ? await loadWorkspaceSettings(db) : undefined;
      const offered = step === 'procedure' && workspace ? offeredCategories(workspace) : undefined;
      // Only the callback slots the opening hours allow (no Saturday morning when Saturday is closed).
      const slots = step === 'answer' && workspace ? offeredCallbackSlots(workspace.hours) : undefined;
      const result = validateStep(step, values, current?.draft.data ?? {}, placeIds, offered, slots);
      if (!result.ok) return fail(...result.errors);
      let draft = current?.draft;
      if (!draft) {
        const created = await createDraft(db);
        draft = created.draft;
        context.cookies.set(DRAFT_COOKIE, created.token, { path: '/', httpOnly: true, sameSite: 'lax', secure: context.url.protocol === 'https:' });
      }
      const data = await saveDraftStep(db, draft, step, result.data);
      if (values.get('returnTo') === 'check') {
        const missing = missingSteps(data)[0];
        return { ok: true, next: stepPath(locale, missing ?? 'check', true) };
      }
      return { ok: true, next: stepPath(locale, nextStep(step)) };
    },
  }),

  /** Adds files to the draft ("add"), or adds them and goes on ("continue"). */
  files: defineAction({
    accept: 'form',
    handler: async (form: FormData, context): Promise<FormOutcome> => {
      const locale = localeFromPath(context.url.pathname);
      const values = formValues(form);
      const opened = await draftFor(context, values, LIMITS.upload);
      if ('stop' in opened) return opened.stop;
      const { current } = opened;
      const room = REQUEST_LIMITS.files - current.draft.files.length;
      const check = await checkUploads(form.getAll('files'), room);
      if (!check.ok) return fail({ field: 'files', message: check.message, params: check.params });
      const adding = values.get('intent') !== 'continue';
      if (adding && check.files.length === 0) return fail({ field: 'files', message: 'request.errors.filesRequired' });
      const db = await getDb();
      const added = await addDraftFiles(db, current.draft.id, check.files);
      if (!added.ok) return fail({ field: 'files', message: 'request.errors.tooManyFiles', params: { max: REQUEST_LIMITS.files, room: added.room } });
      const data = await saveDraftStep(db, current.draft, 'attachments', {});
      const back = values.get('returnTo') === 'check';
      if (adding) return { ok: true, next: stepPath(locale, 'attachments', back, { ajout: String(check.files.length) }) };
      return { ok: true, next: back ? stepPath(locale, missingSteps(data)[0] ?? 'check', true) : stepPath(locale, 'who') };
    },
  }),

  removeFile: defineAction({
    accept: 'form',
    handler: async (form: FormData, context): Promise<FormOutcome> => {
      const locale = localeFromPath(context.url.pathname);
      const current = await currentDraft(context);
      if (!current) return expired();
      const id = Number(formValues(form).get('file'));
      if (Number.isInteger(id) && id > 0) await removeDraftFile(await getDb(), current.draft.id, id);
      const back = formValues(form).get('returnTo') === 'check';
      return { ok: true, next: stepPath(locale, 'attachments', back, { retrait: '1' }) };
    },
  }),

  /** "Send the request": consent, then the draft becomes a request, once. */
  submit: defineAction({
    accept: 'form',
    handler: async (form: FormData, context): Promise<FormOutcome> => {
      const locale = localeFromPath(context.url.pathname);
      const values = formValues(form);
      const opened = await draftFor(context, values, LIMITS.submit);
      if ('stop' in opened) return opened.stop;
      const { current } = opened;
      const errors = missingMessages(missingSteps(current.draft.data));
      if (values.get('consent') !== 'yes') errors.push({ field: 'consent', message: 'request.errors.consentRequired' });
      if (errors.length > 0) return fail(...errors);
      const result = await submitDraft(await getDb(), current.draft.id, current.token, locale, await requestSettings());
      if (!result.ok) return fail(...missingMessages(result.missing));
      kickMailWorker();
      return { ok: true, next: stepPath(locale, 'confirmation') };
    },
  }),

  /** The resident writes from their private page. */
  reply: defineAction({
    accept: 'form',
    handler: async (form: FormData, context): Promise<FormOutcome> => {
      const locale = localeFromPath(context.url.pathname);
      const values = formValues(form);
      const db = await getDb();
      const found = await findRequestByToken(db, values.get('token'));
      if (!found.ok) return { ok: false, errors: [], gone: found.reason };
      if (values.get('website')) return rejected();
      const tooMany = await limited(context, LIMITS.reply);
      if (tooMany) return tooMany;
      const errors: FormMessage[] = [];
      const body = values.get('message').trim().replace(/\r\n/g, '\n');
      if (body.length > REQUEST_LIMITS.message) errors.push({ field: 'message', message: 'request.errors.tooLong' });
      else if (hasControlCharacters(values.get('message'))) errors.push({ field: 'message', message: 'request.errors.controlCharacters' });
      const check = await checkUploads(form.getAll('files'), REQUEST_LIMITS.files);
      if (!check.ok) errors.push({ field: 'files', message: check.message, params: check.params });
      if (!body && check.ok && check.files.length === 0) errors.push({ field: 'message', message: 'request.errors.messageRequired' });
      if (errors.length > 0) return fail(...errors);
      const result = await addRequesterReply(db, found.request.id, body, check.ok ? check.files : []);
      if (!result.ok) return fail({ field: 'message', message: 'request.errors.closed' });
      return { ok: true, next: `${trackPath(locale, values.get('token'))}?envoye=1#echanges` };
    },
  }),

  close: defineAction({
    accept: 'form',
    handler: async (form: FormData, context): Promise<FormOutcome> => {
      const locale = localeFromPath(context.url.pathname);
      const token = formValues(form).get('token');
      const db = await getDb();
      const found = await findRequestByToken(db, token);
      if (!found.ok) return { ok: false, errors: [], gone: found.reason };
      await closeByRequester(db, found.request.id);
      return { ok: true, next: `${trackPath(locale, token)}?ferme=1` };
    },
  }),

  /**
   * "How did it go?" once the request is resolved: the three-level answer first (`level`), then
   * clarity and a comment (`details`, both optional). Answered once; nothing needs JavaScript.
   */
  satisfaction: defineAction({
    accept: 'form',
    handler: async (form: FormData, context): Promise<FormOutcome> => {
      const locale = localeFromPath(context.url.pathname);
      const values = formValues(form);
      const token = values.get('token');
      const db = await getDb();
      const found = await findRequestByToken(db, token);
      if (!found.ok) return { ok: false, errors: [], gone: found.reason };
      if (values.get('website')) return rejected();
      const tooMany = await limited(context, LIMITS.satisfaction);
      if (tooMany) return tooMany;
      const done = (step: string) => ({ ok: true as const, next: `${trackPath(locale, token)}?avis=${step}#avis` });
      if (values.get('intent') === 'details') {
        const clarity = values.get('clarity');
        const comment = values.get('comment').replace(/\r\n?/g, '\n').trim();
        const errors: FormMessage[] = [];
        if (clarity && !/^[1-5]$/.test(clarity)) errors.push({ field: 'clarity', message: 'satisfaction.errors.clarity' });
        if (comment.length > EVALUATION_LIMITS.comment) errors.push({ field: 'comment', message: 'satisfaction.errors.tooLong', params: { max: EVALUATION_LIMITS.comment, count: comment.length } });
        if (errors.length > 0) return fail(...errors);
        const result = await completeSatisfaction(db, found.request.id, { clarity: clarity ? Number(clarity) : null, comment });
        if (!result.ok) return fail({ message: result.reason === 'already-answered' ? 'satisfaction.errors.alreadyAnswered' : 'satisfaction.errors.notAsked' });
        return done('merci');
      }
      const level = values.get('level');
      if (!(SATISFACTION_LEVELS as readonly string[]).includes(level)) return fail({ field: 'level', message: level ? 'satisfaction.errors.level' : 'satisfaction.errors.levelRequired' });
      const result = await answerSatisfaction(db, found.request.id, level as SatisfactionLevel, locale);
      if (!result.ok) return fail({ message: result.reason === 'already-answered' ? 'satisfaction.errors.alreadyAnswered' : 'satisfaction.errors.notAsked' });
      return done('suite');
    },
  }),

  /** "I lost my link": the same answer whether or not the request exists. */
  resend: defineAction({
    accept: 'form',
    handler: async (form: FormData, context): Promise<FormOutcome> => {
      const locale = localeFromPath(context.url.pathname);
      const values = formValues(form);
      if (values.get('website')) return rejected();
      const errors: FormMessage[] = [];
      const referenceInput = values.get('reference').trim();
      const reference = parseReference(referenceInput);
      if (!referenceInput) errors.push({ field: 'reference', message: 'request.errors.referenceRequired' });
      else if (!reference) errors.push({ field: 'reference', message: 'request.errors.referenceInvalid' });
      const email = values.get('email').trim();
      if (!email) errors.push({ field: 'email', message: 'track.find.emailRequired' });
      else if (!isValidEmail(email)) errors.push({ field: 'email', message: 'request.errors.emailInvalid' });
      if (errors.length > 0) return fail(...errors);
      const tooMany = (await limited(context, LIMITS.resend)) ?? (await limited(context, LIMITS.resendReference, `reference:${reference}`));
      if (tooMany) return tooMany;
      if (await resendLink(await getDb(), reference!, email, locale, await requestSettings())) kickMailWorker();
      return { ok: true };
    },
  }),

  /**
   * "Tell me when it is fixed": one field (email or phone) under a known problem, on the
   * request form's second step or the known problems page; back to that page, saying so.
   */
  subscribe: defineAction({
    accept: 'form',
    handler: async (form: FormData, context): Promise<FormOutcome> => {
      const locale = localeFromPath(context.url.pathname);
      const values = formValues(form);
      if (values.get('website')) return rejected();
      const problemId = /^\d{1,9}$/.test(values.get('problem')) ? Number(values.get('problem')) : undefined;
      if (problemId === undefined) return fail({ message: 'problems.errors.closed' });
      const contact = readContact(values.get('contact'));
      if ('error' in contact) return fail({ field: `contact-${problemId}`, message: contact.error });
      const tooMany = await limited(context, LIMITS.subscribe);
      if (tooMany) return tooMany;
      if (!(await subscribe(await getDb(), problemId, contact, locale))) return fail({ field: `contact-${problemId}`, message: 'problems.errors.closed' });
      const page = values.get('from') === 'form' ? stepPath(locale, 'problem') : pathTo('knownProblems', locale);
      return { ok: true, next: `${page}?abonne=${problemId}#probleme-${problemId}` };
    },
  }),
};

