/**
 * Live chats, the agents' side: being present for them (and how many at once), taking a waiting
 * chat, ending it (the request goes on in writing), handing it to a colleague, turning it into a
 * call back. Messages themselves are the request's replies (the composer of the request page).
 */
import { type ActionAPIContext, defineAction } from 'astro:actions';
import { CHAT_LIMITS, REQUEST_LIMITS } from '../../../db/schema';
import { formValues, isValidPhone, normalizePhone } from '../../lib/request-form';
import { requireAgent } from '../../lib/server/auth/guard';
import { chatToCallback, endChat, handOverChat, takeChat } from '../../lib/server/chat/chats';
import { setAvailability, setPlaces } from '../../lib/server/chat/presence';
import { getDb } from '../../lib/server/db';
import { activeAgents } from '../../lib/server/workspace/queue';
import { type AgentOutcome, fail, id, notFound, requestFrom, requestPage, text } from './shared';

export const CHATS_PAGE = '/agent/discussions/';

/** Where to go back to: the request's page, or the chats' board (the form says which). */
const back = (values: { get(name: string): string }, reference: string, query: string) => (values.get('from') === 'board' ? `${CHATS_PAGE}${query}` : requestPage(reference, query));

/** What every action on one chat starts with: the agent, the form, and the request it names. */
async function onChat(form: FormData, context: ActionAPIContext) {
  const agent = requireAgent(context, 'request:reply');
  const values = formValues(form);
  const found = await requestFrom(values);
  return found ? { agent, values, found } : undefined;
}

export const chatActions = {
  /** "Available for chats" on or off, and how many chats at once. */
  chatPresence: defineAction({
    accept: 'form',
    handler: async (form: FormData, context): Promise<AgentOutcome> => {
      const agent = requireAgent(context, 'request:reply');
      const values = formValues(form);
      const available = values.get('available');
      if (available !== 'yes' && available !== 'no') return fail({ field: 'available', message: 'request.errors.unknownValue' });
      const places = values.get('places') ? id(values.get('places')) : CHAT_LIMITS.defaultPlaces;
      if (places === undefined || places < 1 || places > CHAT_LIMITS.maxPlaces) return fail({ field: 'places', message: 'agent.chat.errors.places', params: { max: CHAT_LIMITS.maxPlaces } });
      const db = await getDb();
      await setPlaces(db, agent.id, places);
      await setAvailability(db, agent.id, available === 'yes');
      return { ok: true, next: `${CHATS_PAGE}?presence=${available === 'yes' ? 'on' : 'off'}` };
    },
  }),

  /** Takes a waiting chat: it and its request become the agent's. */
  chatTake: defineAction({
    accept: 'form',
    handler: async (form: FormData, context): Promise<AgentOutcome> => {
      const on = await onChat(form, context);
      if (!on) return notFound();
      const { agent, found } = on;
      const db = await getDb();
      if (!(await takeChat(db, agent, found.requestId))) return fail({ message: 'agent.chat.errors.taken' });
      return { ok: true, next: requestPage(found.reference, '?discussion=prise#repondre') };
    },
  }),

  /** Ends the live chat: the request goes on in writing. */
  chatEnd: defineAction({
    accept: 'form',
    handler: async (form: FormData, context): Promise<AgentOutcome> => {
      const on = await onChat(form, context);
      if (!on) return notFound();
      const { agent, values, found } = on;
      if (!(await endChat(await getDb(), agent, found.requestId))) return fail({ message: 'agent.chat.errors.ended' });
      return { ok: true, next: back(values, found.reference, '?discussion=terminee') };
    },
  }),

  /** Hands a chat in progress to a colleague present or not (they get its request too). */
  chatHandOver: defineAction({
    accept: 'form',
    handler: async (form: FormData, context): Promise<AgentOutcome> => {
      const on = await onChat(form, context);
      if (!on) return notFound();
      const { agent, values, found } = on;
      const db = await getDb();
      const toId = id(values.get('to'));
      const to = (await activeAgents(db)).find((a) => a.id === toId && a.id !== agent.id);
      if (!to) return fail({ field: 'to', message: 'agent.chat.errors.colleague' });
      // Only a chat in progress is handed over (one waiting is taken; one over is a request).
      if (!(await handOverChat(db, agent, found.requestId, to))) return fail({ message: 'agent.chat.errors.ended' });
      return { ok: true, next: back(values, found.reference, '?discussion=confiee') };
    },
  }),

  /** Turns the chat into a call back at the number the resident gave (or one typed now). */
  chatCallback: defineAction({
    accept: 'form',
    handler: async (form: FormData, context): Promise<AgentOutcome> => {
      const on = await onChat(form, context);
      if (!on) return notFound();
      const { agent, values, found } = on;
      const typed = text(values, 'phone', REQUEST_LIMITS.phone, true, 'phone');
      if ('error' in typed) return fail(typed.error);
      if (!isValidPhone(typed.value)) return fail({ field: 'phone', message: 'request.errors.phoneInvalid' });
      if (!(await chatToCallback(await getDb(), agent, found.requestId, normalizePhone(typed.value)))) return fail({ message: 'agent.chat.errors.ended' });
      return { ok: true, next: back(values, found.reference, '?discussion=rappel') };
    },
  }),
};
