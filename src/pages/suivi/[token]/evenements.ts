// A chat's live stream (Server-Sent Events): the request's new messages and the chat's changes,
// for the page at its private link, in the page's language (`?langue=`). A page that reconnects
// (the browser does it by itself with Last-Event-ID; `?apres=` for the first connection of a
// page that shows events up to one) gets every event after its last one first: none is lost
// across a restart or another process.
import type { APIRoute } from 'astro';
import { and, asc, eq } from 'drizzle-orm';
import { attachments, messages } from '../../../../db/schema';
import type { Locale } from '../../../i18n/routes';
import { findChat } from '../../../lib/server/chat/chats';
import { type ChatEvent, chatHub, followChat } from '../../../lib/server/chat/events';
import { eventId, eventStream, refusedStream, sseEvent } from '../../../lib/server/chat/sse';
import { chatLine, chatStatus } from '../../../lib/server/chat/view';
import { getDb } from '../../../lib/server/db';
import { findRequestByToken } from '../../../lib/server/requests';
import { loadWorkspaceSettings } from '../../../lib/server/workspace/settings';

export const prerender = false;

export const GET: APIRoute = async ({ params, request, url }) => {
  const db = await getDb();
  const found = await findRequestByToken(db, params.token ?? '');
  if (!found.ok) return refusedStream(404);
  const requestId = found.request.id;
  if (!(await findChat(db, requestId))) return refusedStream(404);
  const after = eventId(request.headers.get('last-event-id') ?? url.searchParams.get('apres'));
  const locale: Locale = url.searchParams.get('langue') === 'en' ? 'en' : 'fr';
  const offerAfterMinutes = (await loadWorkspaceSettings(db)).chat.offerAfterMinutes;

  /** What the page is told of an event, in its words (internal notes: nothing but the id). */
  async function render(event: ChatEvent): Promise<string> {
    if (event.kind === 'message' && event.messageId !== null) {
      const [message] = await db
        .select({ id: messages.id, author: messages.author, authorName: messages.authorName, publicName: messages.publicName, body: messages.body, createdAt: messages.createdAt })
        .from(messages)
        .where(and(eq(messages.id, event.messageId), eq(messages.internal, false)));
      if (!message) return sseEvent({ id: event.id });
      const files = await db.select({ id: attachments.id, name: attachments.fileName }).from(attachments).where(eq(attachments.messageId, message.id)).orderBy(asc(attachments.id));
      return sseEvent({ id: event.id, name: 'message', data: { ...chatLine(locale, message), files } });
    }
    const chat = await findChat(db, requestId);
    if (!chat) return sseEvent({ id: event.id });
    const status = await chatStatus(db, locale, chat, offerAfterMinutes);
    return sseEvent({ id: event.id, name: 'state', data: status });
  }

  return eventStream(request, async (send, close) => {
    // Events are rendered in turn, so that they leave in the order they happened.
    let queue = Promise.resolve();
    return followChat(db, chatHub(db), requestId, after, (event) => {
      queue = queue.then(() => render(event).then(send, close));
    });
  });
};
