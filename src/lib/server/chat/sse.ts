/**
 * A Server-Sent Events response, as the chat's streams need it: a comment line every 15 s so that
 * proxies and the browser do not take a quiet stream for dead, a reconnection delay, no caching
 * or transformation by a proxy (nginx's buffering off), at most GUICHET_MAX_CHAT_STREAMS per
 * process, everything let go when the client leaves, and every stream ended at once when the
 * worker stops (its pages reconnect to another worker and replay from their last event).
 */

/** A comment line this often keeps proxies and the browser from taking the stream for dead. */
const HEARTBEAT_MS = 15_000;
/** Streams one process holds at most (each is a socket and a few kilobytes). */
const MAX_STREAMS = Number(process.env.GUICHET_MAX_CHAT_STREAMS) || 5000;

const open = new Set<() => void>();
process.on('guichet:stopping', () => {
  for (const close of [...open]) close();
});

export const refusedStream = (status: number) => new Response(null, { status, headers: { 'Cache-Control': 'no-store', ...(status === 503 ? { 'Retry-After': '5' } : {}) } });

/** An event id from a Last-Event-ID header or an address: a positive integer, or 0. */
export function eventId(value: string | null | undefined): number {
  if (!value || !/^\d{1,15}$/.test(value)) return 0;
  return Number(value);
}

/** One event of the stream: `id` lets a reconnecting page resume after it. */
export const sseEvent = (event: { id?: number; name?: string; data?: unknown }) =>
  `${event.id !== undefined ? `id: ${event.id}\n` : ''}${event.name ? `event: ${event.name}\n` : ''}${event.data !== undefined ? `data: ${JSON.stringify(event.data)}\n` : ''}\n`;

/**
 * Streams what `start` sends until the client leaves or the worker stops. `start` returns what
 * to do at the end (stop listening, clear its timers). Null when the process holds too many.
 */
export function eventStream(request: Request, start: (send: (text: string) => void, close: () => void) => Promise<() => void>): Response {
  if (open.size >= MAX_STREAMS) return refusedStream(503);
  const encoder = new TextEncoder();
  let close = () => {};
  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      let closed = false;
      let stop = () => {};
      let beat: ReturnType<typeof setInterval> | undefined;
      close = () => {
        if (closed) return;
        closed = true;
        open.delete(close);
        stop();
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
      try {
        stop = await start(send, close);
      } catch {
        close();
        return;
      }
      if (closed) stop();
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
}
