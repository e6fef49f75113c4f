// A chat's live stream (Server-Sent Events): the request's new messages and the chat's changes,
// for the page at its private link. A page that reconnects (the browser does it by itself with
// Last-Event-ID; `?apres=` for the first connection of a page that shows events up to one) gets
// every event after its last one first: none is lost across a restart or another process.
import type { APIRoute } from 'astro';
import { and, eq } from 'drizzle-orm';
import { messages } from '../../../../db/schema';
import { findChat, placeInQueue } from '../../../lib/server/chat/chats';
import { type ChatEvent, chatHub, followChat } from '../../../lib/server/chat/events';
import { getDb } from '../../../lib/server/db';
import { findRequestByToken } from '../../../lib/server/requests';

export const prerender = false;

/** A comment line this often keeps proxies and the browser from taking the stream for dead. */
const HEARTBEAT_MS = 15_000;
/** Streams one process holds at most (each is a socket and a few kilobytes). */
const MAX_STREAMS = Number(process.env.GUICHET_MAX_CHAT_STREAMS) || 5000;

const open = new Set<() => void>();
// A worker that stops ends its streams at once (their pages reconnect to another worker and
// replay from their last event) instead of holding the stop for the drain delay.
process.on('guichet:stopping', () => {
  for (const close of [...open]) close();
});

const refused = (status: number) => new Response(null, { status, headers: { 'Cache-Control': 'no-store', ...(status === 503 ? { 'Retry-After': '5' } : {}) } });

/** An event id from a header or the address: a positive integer, or 0. */
function eventId(value: string | null): number {
  if (!value || !/^\d{1,15}$/.test(value)) return 0;
  return Number(value);
}

export const GET: APIRoute = async ({ params, request, url }) => {
  const db = await getDb();
  const found = await findRequestByToken(db, params.token ?? '');
  if (!found.ok) return refused(404);
  const requestId = found.request.id;
  if (!(await findChat(db, requestId))) return refused(404);
  if (open.size >= MAX_STREAMS) return refused(503);
  const after = eventId(request.headers.get('last-event-id') ?? url.searchParams.get('apres'));

  /** What the page is told of an event (internal notes: nothing). */
  async function render(event: ChatEvent): Promise<string> {
    if (event.kind === 'message' && event.messageId !== null) {
      const [message] = await db
        .select({ author: messages.author, authorName: messages.authorName, publicName: messages.publicName, body: messages.body, createdAt: messages.createdAt })
        .from(messages)
        .where(and(eq(messages.id, event.messageId), eq(messages.internal, false)));
      if (!message) return `id: ${event.id}\n\n`;
      const name = message.author === 'agent' ? message.publicName : message.author === 'requester' ? message.authorName : null;
      return `id: ${event.id}\nevent: message\ndata: ${JSON.stringify({ id: event.messageId, author: message.author, name, body: message.body, at: message.createdAt.toISOString() })}\n\n`;
    }
    const chat = await findChat(db, requestId);
    const place = await placeInQueue(db, chat);
    return `id: ${event.id}\nevent: state\ndata: ${JSON.stringify({ state: chat?.state, position: place?.position ?? null, expectedMinutes: place?.expectedMinutes ?? null })}\n\n`;
  }

  const encoder = new TextEncoder();
  let close = () => {};
  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      let closed = false;
      let stopFollowing = () => {};
      let beat: ReturnType<typeof setInterval> | undefined;
      close = () => {
        if (closed) return;
        closed = true;
        open.delete(close);
        stopFollowing();
        if (beat) clearInterval(beat);
        request.signal.removeEventListener('abort', close);
        try {
          controller.close();
        } catch {
          // Already closed by the client.
        }
      };
      open.add(close);
      request.signal.addEventListener('abort', close);
      const send = (text: string) => {
        if (closed) return;
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          close();
        }
      };
      // The browser waits this long before reconnecting after a cut.
      send('retry: 2000\n\n');
      // Events are rendered in turn, so that they leave in the order they happened.
      let queue = Promise.resolve();
      try {
        stopFollowing = await followChat(db, chatHub(db), requestId, after, (event) => {
          queue = queue.then(() => render(event).then(send, () => close()));
        });
      } catch {
        close();
        return;
      }
      if (closed) stopFollowing();
      beat = setInterval(() => send(': \n\n'), HEARTBEAT_MS);
      beat.unref?.();
    },
    cancel() {
      close();
    },
  });
  return new Response(body, {
    headers: {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      'X-Accel-Buffering': 'no',
      'Referrer-Policy': 'same-origin',
      'X-Robots-Tag': 'noindex',
    },
  });
};
