/**
 * Known problems: agents declare and reword them, link the requests they caused, answer them
 * all at once, close them (resolving the requests, telling the subscribers), and note the
 * residents called back.
 */
import { defineAction } from 'astro:actions';
import { KNOWN_PROBLEM_LIMITS } from '../../../db/schema';
import { pathTo } from '../../i18n/routes';
import { type FormValues, formValues, parseReference } from '../../lib/request-form';
import { requireAgent } from '../../lib/server/auth/guard';
import { authority, slugOf, topics } from '../../lib/server/catalog';
import { getDb } from '../../lib/server/db';
import { callDone, closeProblem, findProblem, linkRequests, replyToAll, saveProblem, unlinkRequest, validateProblem } from '../../lib/server/known-problems';
import { kickMailWorker } from '../../lib/server/mail/sender';
import { publicOrigin } from '../../lib/server/public-origin.mjs';
import { requestSettings } from '../../lib/server/requests/settings';
import { BULK_MAX } from '../../lib/server/workspace/bulk';
import type { FormMessage } from '../request';
import { type AgentOutcome, fail, id, requestPage, text } from './shared';

const page = (problemId: number, query = '') => `/agent/problemes/${problemId}/${query}`;

/** A message written in French, and optionally in English (for the requests and people who use English). */
function bilingual(values: FormValues, name: 'body' | 'message', required: boolean): { fr: string; en: string | null } | { errors: FormMessage[] } {
  const fr = text(values, name, KNOWN_PROBLEM_LIMITS.message, required, 'body');
  const en = text(values, `${name}En`, KNOWN_PROBLEM_LIMITS.message, false, 'body');
  if ('error' in fr || 'error' in en) return { errors: [fr, en].flatMap((r) => ('error' in r ? [r.error] : [])) };
  return { fr: fr.value, en: en.value || null };
}
const notFound = () => fail({ message: 'agent.problems.errors.notFound' });

export const problemActions = {
  problem: defineAction({
    accept: 'form',
    handler: async (form: FormData, context): Promise<AgentOutcome> => {
      const agent = requireAgent(context, 'request:update');
      const values = formValues(form);
      const editing = values.get('id') ? id(values.get('id')) : undefined;
      if (values.get('id') && editing === undefined) return notFound();
      const slugs = (await topics('fr')).map(slugOf);
      const result = validateProblem(values, slugs);
      if (!result.ok) return fail(...result.errors);
      const saved = await saveProblem(await getDb(), agent, result.input, editing);
      if (saved === false) return notFound();
      return { ok: true, next: page(saved, `?enregistre=1`) };
    },
  }),

  /** Links requests: ticked among the suggestions, or typed (references separated by spaces or commas). */
  problemLink: defineAction({
    accept: 'form',
    handler: async (form: FormData, context): Promise<AgentOutcome> => {
      const agent = requireAgent(context, 'request:update');
      const values = formValues(form);
      const problemId = id(values.get('problem'));
      if (problemId === undefined) return notFound();
      const typed = values.get('references').trim();
      if (typed.length > 2000) return fail({ field: 'references', message: 'agent.errors.tooLong', params: { max: 2000, count: typed.length } });
      const pieces = typed ? typed.split(/[,;\n]+/).map((piece) => piece.trim()).filter(Boolean) : [];
      const wrong = pieces.filter((piece) => !parseReference(piece));
      if (wrong.length > 0) return fail({ field: 'references', message: 'agent.problems.errors.reference', params: { typed: wrong[0]!.slice(0, 30) } });
      const references = [...new Set([...values.all('ref').filter((r) => /^\d{9}$/.test(r)), ...pieces.map((piece) => parseReference(piece)!)])];
      if (references.length === 0) return fail({ field: 'references', message: 'agent.problems.errors.nothingToLink' });
      if (references.length > BULK_MAX) return fail({ field: 'references', message: 'agent.errors.bulkTooMany', params: { max: BULK_MAX } });
      const linked = await linkRequests(await getDb(), agent, problemId, references);
      if (linked === false) return fail({ message: 'agent.problems.errors.closed' });
      if (linked.unknown.length > 0 && linked.linked.length === 0) return fail({ field: 'references', message: 'agent.problems.errors.unknownReference', params: { reference: linked.unknown[0]! } });
      // From a request's page, back to it.
      const back = values.get('back');
      if (/^\d{9}$/.test(back)) return { ok: true, next: requestPage(back, '?rattachee=1') };
      return { ok: true, next: page(problemId, `?rattachees=${linked.linked.length}#demandes`) };
    },
  }),

  problemUnlink: defineAction({
    accept: 'form',
    handler: async (form: FormData, context): Promise<AgentOutcome> => {
      const agent = requireAgent(context, 'request:update');
      const values = formValues(form);
      const problemId = id(values.get('problem'));
      if (problemId === undefined || !(await unlinkRequest(await getDb(), agent, problemId, values.get('reference')))) return notFound();
      return { ok: true, next: page(problemId, '?retiree=1#demandes') };
    },
  }),

  /** One answer to every linked request: each gets its own reply, mail and audit entry. */
  problemReply: defineAction({
    accept: 'form',
    handler: async (form: FormData, context): Promise<AgentOutcome> => {
      const agent = requireAgent(context, 'request:reply');
      const values = formValues(form);
      const problemId = id(values.get('problem'));
      const problem = problemId === undefined ? undefined : await findProblem(await getDb(), problemId);
      if (!problem) return notFound();
      const body = bilingual(values, 'body', true);
      const status = values.get('status');
      const errors = 'errors' in body ? [...body.errors] : [];
      if (!['open', 'waiting', 'resolved'].includes(status)) errors.push({ field: 'status', message: 'agent.errors.unknownValue' });
      if (errors.length > 0 || 'errors' in body) return fail(...errors);
      const result = await replyToAll(await getDb(), agent, problem.id, { body: body.fr, bodyEn: body.en, status: status as 'open' | 'waiting' | 'resolved' }, await requestSettings());
      if (result.sent.length === 0) return fail({ message: 'agent.problems.errors.noneToAnswer' });
      kickMailWorker();
      return { ok: true, next: page(problem.id, `?repondues=${result.sent.length}#demandes`) };
    },
  }),

  problemClose: defineAction({
    accept: 'form',
    handler: async (form: FormData, context): Promise<AgentOutcome> => {
      const agent = requireAgent(context, 'request:update');
      const values = formValues(form);
      const problemId = id(values.get('problem'));
      if (problemId === undefined) return notFound();
      const message = bilingual(values, 'message', false);
      if ('errors' in message) return fail(...message.errors);
      const site = await authority();
      const origin = publicOrigin();
      const closed = await closeProblem(
        await getDb(),
        agent,
        problemId,
        { message: message.fr, messageEn: message.en, resolveAll: values.get('resolveAll') === 'yes' },
        await requestSettings(),
        (locale) => new URL(pathTo('home', locale), origin).href,
        { name: site.name, phone: site.contact.phone },
      );
      if (closed === false) return fail({ message: 'agent.problems.errors.closed' });
      kickMailWorker();
      return { ok: true, next: page(problemId, `?fermee=1&resolues=${closed.resolved.length}&prevenus=${closed.mailed}`) };
    },
  }),

  /** A subscriber without email was called: their number is erased. */
  problemCalled: defineAction({
    accept: 'form',
    handler: async (form: FormData, context): Promise<AgentOutcome> => {
      requireAgent(context, 'request:update');
      const values = formValues(form);
      const problemId = id(values.get('problem'));
      const subscription = id(values.get('subscription'));
      if (problemId === undefined || subscription === undefined || !(await callDone(await getDb(), problemId, subscription))) return notFound();
      return { ok: true, next: page(problemId, '?appele=1#rappels') };
    },
  }),
};
