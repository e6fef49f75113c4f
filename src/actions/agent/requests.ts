/** Working on a request: writing to the resident or a note, changing its state, merging it. */
import { defineAction } from 'astro:actions';
import { REQUEST_CATEGORIES, REQUEST_LIMITS, REQUEST_PRIORITIES, REQUEST_STATUSES, type RequestCategory, type RequestPriority, type RequestStatus } from '../../../db/schema';
import { searchDocuments } from '../../lib/server/catalog';
import { type FormValues, formValues } from '../../lib/request-form';
import { requireAgent } from '../../lib/server/auth/guard';
import { getDb } from '../../lib/server/db';
import { kickMailWorker } from '../../lib/server/mail/sender';
import { addAgentMessage } from '../../lib/server/requests';
import { requestSettings } from '../../lib/server/requests/settings';
import { BULK_MAX, bulkChange, bulkMerge } from '../../lib/server/workspace/bulk';
import { filtersFromQuery, nextInQueue, queueQuery, queueTrail, trailParams } from '../../lib/server/workspace/queue';
import { mergeRequest, placeholderFacts, newerMessages, type RequestChanges, saveRequest } from '../../lib/server/workspace/requests';
import type { SignedInAgent } from '../../lib/server/auth/session';
import { firstName, publicAgentName } from '../../lib/agent-names';
import { fillPlaceholders, type PlaceholderValues } from '../../lib/saved-reply-placeholders';
import { formatReference } from '../../lib/request-form';
import { formatDate } from '../../i18n';
import { routes } from '../../i18n/routes';
import { findSavedReply } from '../../lib/server/workspace/saved-replies';
import { parseReference } from '../../lib/request-form';
import { checkUploads } from '../../lib/server/requests/files';
import type { FormMessage } from '../request';
import { type AgentOutcome, fail, pick, id, requestPage, text, requestFrom, notFound } from './shared';

/** What a saved reply's placeholders say for this request and this agent. */
async function placeholderValues(request: { requestId: number; reference: string }, agent: SignedInAgent, locale: 'fr' | 'en', origin: string): Promise<PlaceholderValues> {
  const facts = await placeholderFacts(await getDb(), request.requestId);
  const shownName = publicAgentName(agent.name, agent.publicName);
  return {
    firstName: facts ? firstName(facts.requesterName) : '',
    reference: formatReference(request.reference),
    link: new URL(routes.track[locale], origin).href,
    agent: shownName,
    signature: agent.signature ?? shownName,
    deadline: facts?.dueAt ? formatDate(locale, facts.dueAt) : '',
  };
}

/** Inserts help content or a saved reply (its placeholders filled in) into the text being written, at its end. */
async function insertion(values: FormValues, request: { requestId: number; reference: string }, locale: 'fr' | 'en', origin: string, agent: SignedInAgent): Promise<string | undefined> {
  const choice = values.get('insert');
  const [kind, ...rest] = choice.split(':');
  const target = rest.join(':');
  if (kind === 'saved') {
    const replyId = id(values.get('saved'));
    const reply = replyId ? await findSavedReply(await getDb(), replyId) : undefined;
    return reply && fillPlaceholders(reply.body, await placeholderValues(request, agent, locale, origin));
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

/**
 * The side fields of the request form, as posted: a field left out (or the status left to the
 * message, an empty value) changes nothing. `present`: the form had them (an agent who may
 * change the request).
 */
function sideChanges(values: FormValues, takeFor?: number): { changes: RequestChanges; errors: FormMessage[]; present: boolean } {
  const errors: FormMessage[] = [];
  const choose = <T extends string>(name: string, allowed: readonly T[]): T | undefined => {
    const raw = values.get(name);
    if (raw === '') return undefined;
    const value = pick(allowed, raw);
    if (!value) errors.push({ field: name, message: 'agent.errors.unknownValue' });
    return value;
  };
  const assigneeRaw = values.get('assignee');
  let assigneeId: number | null | undefined = assigneeRaw === '' ? undefined : assigneeRaw === 'none' ? null : id(assigneeRaw);
  if (assigneeRaw !== '' && assigneeRaw !== 'none' && assigneeId === undefined) errors.push({ field: 'assignee', message: 'agent.errors.unknownValue' });
  if (takeFor !== undefined) assigneeId = takeFor;
  const changes: RequestChanges = { status: choose('status', REQUEST_STATUSES), priority: choose('priority', REQUEST_PRIORITIES), category: choose('category', REQUEST_CATEGORIES), assigneeId };
  return { changes, errors, present: values.all('priority').length > 0 || takeFor !== undefined };
}

function refused(reason: 'not-found' | 'bad-status' | 'bad-assignee'): AgentOutcome {
  if (reason === 'bad-status') return fail({ field: 'status', message: 'agent.errors.statusNotAllowed' });
  if (reason === 'bad-assignee') return fail({ field: 'assignee', message: 'agent.errors.unknownValue' });
  return notFound();
}

export const requestsActions = {
  /**
   * The request page's one form: a reply, a note, or a call or visit recorded, with the side
   * fields (status, priority, category, assignee) saved in the same post; or the side fields
   * alone ("save the changes", "take it"), the text being written kept; or help content or a
   * saved reply inserted into the text.
   */
  write: defineAction({
    accept: 'form',
    handler: async (form: FormData, context): Promise<AgentOutcome> => {
      const values = formValues(form);
      const kind = pick(REPLY_KINDS, values.get('kind')) ?? 'reply';
      const take = values.get('take') === '1';
      const sideOnly = take || values.get('only') === 'changes';
      const agent = requireAgent(context, sideOnly ? 'request:update' : kind === 'note' ? 'request:note' : 'request:reply');
      const found = await requestFrom(values);
      if (!found) return notFound();
      const settings = await requestSettings();
      // The queue the request was opened from travels with the page (its link back, "send and next").
      const trail = queueTrail((name) => values.get(name));
      const here = (query: [string, string][]) => requestPage(found.reference, `?${new URLSearchParams([...query, ...trailParams(trail)])}`);
      const typed = values.get('body').replace(/\r\n?/g, '\n').trimEnd();
      if (values.get('insert')) {
        // Searching the help content keeps the text as it is; the page lists what was found.
        if (values.get('insert') === 'search') return { ok: true, compose: typed };
        const addition = await insertion(values, found, values.get('locale') === 'en' ? 'en' : 'fr', settings.origin, agent);
        if (addition === undefined) return fail({ field: 'body', message: 'agent.errors.insertUnknown' });
        const compose = typed ? `${typed}\n\n${addition}` : addition;
        if (compose.length > REQUEST_LIMITS.message) return fail({ field: 'body', message: 'agent.errors.tooLong', params: { max: REQUEST_LIMITS.message, count: compose.length } });
        return { ok: true, compose };
      }
      const side = sideChanges(values, take ? agent.id : undefined);
      if (side.present) requireAgent(context, 'request:update');
      const db = await getDb();
      // Files chosen with no text are a message being written: refused as one (text missing), not dropped.
      const filesChosen = form.getAll('files').some((file) => typeof file !== 'string' && file.size > 0);
      if (sideOnly || (typed.trim() === '' && side.present && !filesChosen)) {
        if (side.errors.length > 0) return fail(...side.errors);
        const saved = await saveRequest(db, agent, found.requestId, { changes: side.changes }, settings);
        if (!saved.ok) return refused(saved.reason);
        // "Send" with nothing written and nothing changed: the message is what is missing.
        if (!sideOnly && saved.changed.length === 0) return fail({ field: 'body', message: 'agent.errors.bodyRequired' });
        kickMailWorker();
        // The text being written stays in the form (the page shows it again, with the changes saved).
        return typed.trim() === '' ? { ok: true, next: here([saved.changed.length > 0 ? ['modifie', '1'] : ['inchange', '1']]) } : { ok: true, compose: typed, saved: saved.changed.length > 0 };
      }
      const body = text(values, 'body', REQUEST_LIMITS.message, true, 'body');
      const files = await checkUploads(form.getAll('files'), REQUEST_LIMITS.files);
      const errors = [...side.errors, ...('error' in body ? [body.error] : []), ...(files.ok ? [] : [{ field: 'files', message: files.message, params: files.params }])];
      if (errors.length > 0 || 'error' in body || !files.ok) return fail(...errors);
      // Someone wrote since this page was opened: show it first (the page, shown again, has it).
      const crossing = await newerMessages(db, found.requestId, Number(values.get('seen')) || 0, agent.id);
      if (crossing > 0) return fail({ field: 'body', message: 'agent.errors.newerMessages', params: { count: crossing } });
      const channel = kind === 'call' ? 'phone' : kind === 'visit' ? 'in-person' : 'web';
      const saved = await saveRequest(db, agent, found.requestId, { changes: side.changes, message: { body: body.value, internal: kind === 'note', channel, files: files.files } }, settings);
      if (!saved.ok) return refused(saved.reason);
      kickMailWorker();
      if (values.get('then') === 'next') {
        // "Send and open the next": the next request of the queue the agent came from.
        const sent: [string, string] = ['envoye', `${kind}-${found.reference}`];
        const next = await nextInQueue(db, filtersFromQuery(new URLSearchParams(trail.query)), agent.id, found.reference, trail.rank);
        // The page starts at its content (the form's #f-body would otherwise carry over the redirect).
        if (next) return { ok: true, next: `${requestPage(next.reference, `?${new URLSearchParams([sent, ...trailParams({ query: trail.query, rank: next.rank })])}`)}#contenu` };
        return { ok: true, next: `/agent/${trail.query}${trail.query ? '&' : '?'}${new URLSearchParams([sent])}#contenu` };
      }
      return { ok: true, next: `${here([['ecrit', kind], ...(saved.changed.length > 0 ? [['modifie', '1'] as [string, string]] : [])])}#m-${saved.messageId}` };
    },
  }),

  /**
   * The queue's check boxes: the same side changes for every request chosen (or closing them,
   * or merging them into the oldest), each request saved, audit-logged and mailed on its own.
   * The queue comes back as it was, with what was done.
   */
  bulk: defineAction({
    accept: 'form',
    handler: async (form: FormData, context): Promise<AgentOutcome> => {
      const values = formValues(form);
      const todo = pick(['apply', 'close', 'merge'] as const, values.get('lot')) ?? 'apply';
      const agent = requireAgent(context, todo === 'merge' ? 'request:merge' : 'request:update');
      const back = `/agent/${queueQuery(filtersFromQuery(new URLSearchParams(values.get('retour'))))}`;
      const references = [...new Set(values.all('ref'))].filter((r) => /^\d{9}$/.test(r));
      if (references.length === 0) return fail({ field: 'lot-choix', message: 'agent.errors.bulkNone' });
      if (references.length > BULK_MAX) return fail({ field: 'lot-choix', message: 'agent.errors.bulkTooMany', params: { max: BULK_MAX } });
      const db = await getDb();
      const done = (query: Record<string, string | number>) => ({ ok: true as const, next: `${back}${back.includes('?') ? '&' : '?'}${new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]))}` });
      if (todo === 'merge') {
        const merged = await bulkMerge(db, agent, references);
        if ('error' in merged) return fail({ field: 'lot-choix', message: `agent.errors.bulkMerge.${merged.error}` });
        return done({ regroupe: merged.changed.length, dans: merged.into!, ...(merged.refused.length > 0 && { refus: merged.refused.map((r) => r.reference).join(',') }) });
      }
      const side = sideChanges(values);
      if (side.errors.length > 0) return fail(...side.errors.map((e) => ({ ...e, field: `lot-${e.field}` })));
      const changes: RequestChanges = todo === 'close' ? { status: 'closed' } : { ...side.changes, category: undefined };
      if (Object.values(changes).every((v) => v === undefined)) return fail({ field: 'lot-status', message: 'agent.errors.bulkNothing' });
      const result = await bulkChange(db, agent, references, changes, await requestSettings());
      kickMailWorker();
      return done({ fait: result.changed.length, inchange: result.unchanged.length, ...(result.refused.length > 0 && { refus: result.refused.map((r) => r.reference).join(',') }) });
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
      // From the list of the requester's other requests, the agent stays on the request kept.
      if (values.get('retour') === 'garde') return { ok: true, next: requestPage(result.into, `?${new URLSearchParams([['regroupee', found.reference]])}`) };
      return { ok: true, next: requestPage(found.reference, '?regroupe=1') };
    },
  }),
};
