// The workspace's live stream (Server-Sent Events), one per open tab: how many chats wait and
// whether the agent is present for them (`board`, when it changes), and, on a chat's request
// page (`?demande=<reference>`), the request's new messages and the chat's changes, replayed
// after the last one the page had (Last-Event-ID, `?apres=`). While it is open, the agent's
// presence stays alive (their tab is).
import type { APIRoute } from 'astro';
import { eq } from 'drizzle-orm';
import { messages, requesters, requests } from '../../../../db/schema';
import { formatDateTime, useTranslations } from '../../../i18n';
import { agentAuthorLabel } from '../../../lib/message-labels';
import { signInPath } from '../../../lib/server/auth/guard';
import { can } from '../../../lib/server/auth/permissions';
import { findChat } from '../../../lib/server/chat/chats';
import { type ChatEvent, chatHub, followChat } from '../../../lib/server/chat/events';
import { heartbeat, workspaceChats } from '../../../lib/server/chat/presence';
import { eventId, eventStream, refusedStream, sseEvent } from '../../../lib/server/chat/sse';
import { getDb } from '../../../lib/server/db';
import { systemMessageText } from '../../../lib/system-messages';

export const prerender = false;

/** How often the board is read for this tab (a count and a row, by their indexes). */
const BOARD_MS = 2_000;
/** How often an open tab says its agent is there. */
const PRESENCE_MS = 30_000;

export const GET: APIRoute = async ({ locals, redirect, request, url }) => {
  const agent = locals.agent;
  // Signed out (a session ended): to the sign-in page, as every workspace address.
  if (!agent) return redirect(signInPath(url), 303);
  if (!can(agent, 'request:reply')) return refusedStream(403);
  const db = await getDb();
  const t = useTranslations(agent.locale);
  const reference = url.searchParams.get('demande') ?? '';
  // The request followed: its id and who wrote it (the labels of its messages), nothing more.
  const [followed] = /^\d{9}$/.test(reference)
    ? await db.select({ id: requests.id, requesterName: requesters.name }).from(requests).innerJoin(requesters, eq(requesters.id, requests.requesterId)).where(eq(requests.reference, reference))
    : [];
  const chat = followed ? await findChat(db, followed.id) : undefined;
  const after = eventId(request.headers.get('last-event-id') ?? url.searchParams.get('apres'));

  /** A message as the request page shows it (internal notes included, marked). */
  async function render(event: ChatEvent): Promise<string> {
    if (event.kind !== 'message' || event.messageId === null) {
      const now = await findChat(db, followed!.id);
      const state = now?.state ?? 'written';
      return sseEvent({ id: event.id, name: 'state', data: { state, text: t(`agent.chat.state.${state}`) } });
    }
    const [m] = await db
      .select({ id: messages.id, author: messages.author, authorName: messages.authorName, internal: messages.internal, channel: messages.channel, body: messages.body, createdAt: messages.createdAt })
      .from(messages)
      .where(eq(messages.id, event.messageId));
    if (!m) return sseEvent({ id: event.id });
    return sseEvent({
      id: event.id,
      name: 'message',
      data: {
        id: m.id,
        author: m.author,
        internal: m.internal,
        who: agentAuthorLabel(t, followed!.requesterName, m),
        when: formatDateTime(agent!.locale, m.createdAt),
        body: m.author === 'system' ? systemMessageText(m.body, t, 'agent') : m.body,
      },
    });
  }

  return eventStream(request, async (send, close) => {
    let shown = '';
    const board = async () => {
      const state = await workspaceChats(db, agent.id);
      const text = JSON.stringify(state);
      if (text === shown) return;
      shown = text;
      send(sseEvent({ name: 'board', data: { ...state, badge: state.waiting > 0 ? t('agent.chat.waitingBadge', { count: state.waiting }) : '', title: t('agent.chat.titleBadge', { count: state.waiting }) } }));
    };
    await board();
    await heartbeat(db, agent.id);
    const timers = [setInterval(() => void board().catch(close), BOARD_MS), setInterval(() => void heartbeat(db, agent.id).catch(close), PRESENCE_MS)];
    let stopFollowing = () => {};
    if (chat) {
      let queue = Promise.resolve();
      stopFollowing = await followChat(db, chatHub(db), followed!.id, after, (event) => {
        queue = queue.then(() => render(event).then(send, close));
      });
    }
    return () => {
      for (const timer of timers) clearInterval(timer);
      stopFollowing();
    };
  });
};
