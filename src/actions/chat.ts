/**
 * The resident's side of a live chat: starting one (or, when nobody can answer any more, sending
 * the same words as a written request), writing in it, and leaving it for a written answer or a
 * call back. Plain forms that work without JavaScript; the page's script posts the same forms.
 */
import { type ActionAPIContext, defineAction } from 'astro:actions';
import { CHAT_NEEDS, REQUEST_LIMITS } from '../../db/schema';
import { chatPath, type Locale, localeFromPath, trackPath } from '../i18n/routes';
import { type FormValues, formValues, isValidEmail, isValidPhone, normalizePhone, text } from '../lib/request-form';
import { type ChatRow, findChat, leaveChat, startChat } from '../lib/server/chat/chats';
import { type Db, getDb } from '../lib/server/db';
import { kickMailWorker } from '../lib/server/mail/sender';
import type { RateLimitRule } from '../lib/server/rate-limit';
import { addRequesterReply, createRequest, findRequestByToken } from '../lib/server/requests';
import { requestSettings } from '../lib/server/requests/settings';
import { loadWorkspaceSettings } from '../lib/server/workspace/settings';
import { fail, type FormMessage, type FormOutcome, limited, rejected } from './request';

const LIMITS = {
  // As many as requests sent (a help place's shared computer starts several).
  start: { name: 'chat-start', limit: 20, windowMs: 60 * 60_000 },
  // A conversation is many short messages.
  send: { name: 'chat-send', limit: 300, windowMs: 60 * 60_000 },
} satisfies Record<string, RateLimitRule>;

function phoneField(values: FormValues, errors: FormMessage[], required: string | false): string | undefined {
  const phone = text(values, errors, 'phone', REQUEST_LIMITS.phone, required);
  if (phone && !isValidPhone(phone)) {
    errors.push({ field: 'phone', message: 'request.errors.phoneInvalid' });
    return undefined;
  }
  return phone && normalizePhone(phone);
}

/** What a post to a chat's page is about: its language, its values, and the chat its private link leads to (or why it cannot go on). */
async function posted(form: FormData, context: ActionAPIContext): Promise<{ stop: FormOutcome } | { locale: Locale; values: FormValues; token: string; db: Db; requestId: number; chat: ChatRow | undefined }> {
  const values = formValues(form);
  const token = values.get('token');
  const db = await getDb();
  const found = await findRequestByToken(db, token);
  if (!found.ok) return { stop: { ok: false, errors: [], gone: found.reason } };
  return { locale: localeFromPath(context.url.pathname), values, token, db, requestId: found.request.id, chat: await findChat(db, found.request.id) };
}

export const chatActions = {
  /**
   * "Start the chat", or "send it in writing" (`intent=written`) when the page says nobody can
   * answer now. The server checks again that someone can: if not, nothing is filed and the page
   * comes back with what was typed and the written way to send it.
   */
  start: defineAction({
    accept: 'form',
    handler: async (form: FormData, context): Promise<FormOutcome> => {
      const locale = localeFromPath(context.url.pathname);
      const values = formValues(form);
      if (values.get('website')) return rejected();
      const errors: FormMessage[] = [];
      const name = text(values, errors, 'name', REQUEST_LIMITS.name, 'request.errors.nameRequired');
      const procedure = text(values, errors, 'procedure', REQUEST_LIMITS.procedure, 'request.errors.procedureRequired');
      const message = text(values, errors, 'message', REQUEST_LIMITS.description, 'chat.errors.messageRequired', true);
      const email = text(values, errors, 'email', REQUEST_LIMITS.email, false);
      if (email && !isValidEmail(email)) errors.push({ field: 'email', message: 'request.errors.emailInvalid' });
      const phone = phoneField(values, errors, false);
      const chosen = values.all('needs');
      if (chosen.some((n) => !(CHAT_NEEDS as readonly string[]).includes(n))) errors.push({ field: 'needs', message: 'request.errors.unknownValue' });
      const needs = CHAT_NEEDS.filter((n) => chosen.includes(n));
      const needsLanguage = text(values, errors, 'needsLanguage', REQUEST_LIMITS.language, false);
      if (errors.length > 0) return fail(...errors);
      const tooMany = await limited(context, LIMITS.start);
      if (tooMany) return tooMany;
      const db = await getDb();
      const input = {
        locale,
        procedure: procedure!,
        category: 'other' as const,
        description: message!,
        who: 'resident' as const,
        name: name!,
        // Answered in writing at the private link (and by mail when an address was given);
        // a telephone number alone asks for a call.
        channel: !email && phone ? ('phone' as const) : ('email' as const),
        email: email?.toLowerCase(),
        phone,
        callbackSlots: [],
        needs,
        needsLanguage: needs.includes('other-language') || needs.includes('sign-language') ? needsLanguage : undefined,
      };
      const settings = await requestSettings();
      if (values.get('intent') === 'written') {
        const created = await createRequest(db, input, settings);
        kickMailWorker();
        return { ok: true, next: `${trackPath(locale, created.token)}?ecrit=1` };
      }
      const started = await startChat(db, input, settings, (await loadWorkspaceSettings(db)).hours);
      if (!started.ok) return fail({ message: `chat.errors.${started.offer.reason}`, field: 'intent' });
      kickMailWorker();
      return { ok: true, next: `${chatPath(locale, started.token)}#f-message` };
    },
  }),

  /** A message in the chat (after it has ended, it is a written reply to the request). */
  send: defineAction({
    accept: 'form',
    handler: async (form: FormData, context): Promise<FormOutcome> => {
      const found = await posted(form, context);
      if ('stop' in found) return found.stop;
      const { locale, values, token } = found;
      if (values.get('website')) return rejected();
      const errors: FormMessage[] = [];
      const body = text(values, errors, 'message', REQUEST_LIMITS.message, 'chat.errors.messageRequired', true);
      if (errors.length > 0) return fail(...errors);
      const tooMany = await limited(context, LIMITS.send);
      if (tooMany) return tooMany;
      const sent = await addRequesterReply(found.db, found.requestId, body!, []);
      if (!sent.ok) return fail({ field: 'message', message: 'request.errors.closed' });
      return { ok: true, next: found.chat ? `${chatPath(locale, token)}?envoye=1#f-message` : `${trackPath(locale, token)}?envoye=1#echanges` };
    },
  }),

  /**
   * The resident leaves the live chat: for an answer in writing (`written`), or to be called
   * back (`callback`, with a telephone number). What was typed in the message box is kept.
   */
  leave: defineAction({
    accept: 'form',
    handler: async (form: FormData, context): Promise<FormOutcome> => {
      const found = await posted(form, context);
      if ('stop' in found) return found.stop;
      const { locale, values, token } = found;
      const errors: FormMessage[] = [];
      const typed = text(values, errors, 'message', REQUEST_LIMITS.message, false, true);
      const callback = values.get('intent') === 'callback';
      const phone = callback ? phoneField(values, errors, 'request.errors.phoneRequired') : undefined;
      if (errors.length > 0) return fail(...errors);
      if (!found.chat) return { ok: true, next: trackPath(locale, token) };
      await leaveChat(found.db, found.requestId, { typed: typed ?? '', phone });
      return { ok: true, next: `${trackPath(locale, token)}?${callback ? 'rappel' : 'ecrit'}=1` };
    },
  }),
};
