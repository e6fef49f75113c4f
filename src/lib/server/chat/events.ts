/**
 * The chats' events and how they reach the pages that stream them. Every event is a row of
 * `chat_events` (a new message on a chat's request, or a change of its state), written in the
 * same transaction as what it announces — a message's by the database itself (the trigger
 * `chat_events_message_ai`, migration 0021), wherever the message was written. Each process has one hub: while pages listen, it reads
 * the events after its cursor a few times a second (one indexed query, whatever the number of
 * listeners) and hands each to the listeners of its request, in order. A process that writes an
 * event asks its hub to read at once, so that delivery within a process is immediate and still
 * in order; the other processes see it at their next read. A page that reconnects replays the
 * events after the last it received (its Last-Event-ID) before listening again: none is lost
 * across a restart, a killed worker or another process.
 */
import { and, asc, eq, gt, sql } from 'drizzle-orm';
import { type ChatEventKind, chatEvents } from '../../../../db/schema';
import type { Db } from '../db';
import type { Tx } from '../requests';

export interface ChatEvent {
  id: number;
  requestId: number;
  kind: ChatEventKind;
  messageId: number | null;
  at: Date;
}

const columns = { id: chatEvents.id, requestId: chatEvents.requestId, kind: chatEvents.kind, messageId: chatEvents.messageId, at: chatEvents.at };

/** Writes an event (inside the transaction that writes what it announces); returns its id. */
export async function appendChatEvent(db: Db | Tx, event: { requestId: number; kind: ChatEventKind; messageId?: number | null }, now: number = Date.now()): Promise<number> {
  const [row] = await db
    .insert(chatEvents)
    .values({ requestId: event.requestId, kind: event.kind, messageId: event.messageId ?? null, at: new Date(now) })
    .returning({ id: chatEvents.id });
  return row!.id;
}

/** A request's events after `afterId`, in order (a reconnecting page's replay). */
export async function chatEventsAfter(db: Db, requestId: number, afterId: number, limit = 1000): Promise<ChatEvent[]> {
  return db.select(columns).from(chatEvents).where(and(eq(chatEvents.requestId, requestId), gt(chatEvents.id, afterId))).orderBy(asc(chatEvents.id)).limit(limit);
}

/** The id of the last event written (0 when none). */
export async function lastChatEventId(db: Db): Promise<number> {
  const [row] = await db.select({ id: sql<number | null>`max(${chatEvents.id})` }).from(chatEvents);
  return Number(row?.id ?? 0);
}

/** Events one read of the hub takes at most (it reads again at once when there were as many). */
const READ_BATCH = 500;

/** Every event after `afterId`, in order, at most `limit` (the hub's read). */
export async function chatEventsSince(db: Db, afterId: number, limit = READ_BATCH): Promise<ChatEvent[]> {
  return db.select(columns).from(chatEvents).where(gt(chatEvents.id, afterId)).orderBy(asc(chatEvents.id)).limit(limit);
}

type Listener = (event: ChatEvent) => void;

/** How often a hub with listeners reads the events other processes wrote. */
export const CHAT_POLL_MS = 250;

export class ChatHub {
  private readonly listeners = new Map<number, Set<Listener>>();
  private cursor: number | undefined;
  private starting: Promise<void> | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private reading: Promise<void> | undefined;
  private again = false;

  constructor(
    private readonly db: Db,
    private readonly pollMs: number = CHAT_POLL_MS,
  ) {}

  /**
   * Listens to a request's events from now on. Resolves once the hub's cursor is set: events
   * written before then are the caller's to replay (chatEventsAfter), later ones come here.
   * Returns the function that stops listening.
   */
  async listen(requestId: number, listener: Listener): Promise<() => void> {
    let set = this.listeners.get(requestId);
    if (!set) this.listeners.set(requestId, (set = new Set()));
    set.add(listener);
    await this.start();
    return () => {
      const current = this.listeners.get(requestId);
      current?.delete(listener);
      if (current?.size === 0) this.listeners.delete(requestId);
      if (this.listeners.size === 0) this.stop();
    };
  }

  /** How many listeners the hub has (pages streaming from this process). */
  get size(): number {
    let n = 0;
    for (const set of this.listeners.values()) n += set.size;
    return n;
  }

  /** Reads at once (after this process wrote an event): immediate delivery, still in order. */
  readNow(): Promise<void> {
    if (this.cursor === undefined || this.listeners.size === 0) return Promise.resolve();
    return this.read();
  }

  private start(): Promise<void> {
    if (this.cursor !== undefined) return Promise.resolve();
    this.starting ??= lastChatEventId(this.db).then((id) => {
      this.cursor = id;
      this.starting = undefined;
      this.schedule();
    });
    return this.starting;
  }

  private stop() {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.cursor = undefined;
  }

  private schedule() {
    if (this.timer || this.cursor === undefined || this.listeners.size === 0) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.read().finally(() => this.schedule());
    }, this.pollMs);
    this.timer.unref?.();
  }

  /** One read at a time; a read asked for during another runs right after it. */
  private read(): Promise<void> {
    if (this.reading) {
      this.again = true;
      return this.reading;
    }
    this.reading = (async () => {
      try {
        do {
          this.again = false;
          if (this.cursor === undefined) return;
          const events = await chatEventsSince(this.db, this.cursor);
          for (const event of events) {
            this.cursor = event.id;
            for (const listener of this.listeners.get(event.requestId) ?? []) {
              try {
                listener(event);
              } catch {
                // A listener's failure (a closed stream) is its own; the others still get the event.
              }
            }
          }
          if (events.length === READ_BATCH) this.again = true;
        } while (this.again);
      } catch {
        // The database busy or gone for a moment: the next read tries again from the same cursor.
      } finally {
        this.reading = undefined;
      }
    })();
    return this.reading;
  }
}

/**
 * Follows a request's events after `afterId` (a reconnecting page's Last-Event-ID; 0 for all):
 * the ones already written, then each new one, every one exactly once and in order, whatever
 * the hub delivers while the replay is read. Returns the function that stops following.
 */
export async function followChat(db: Db, hub: ChatHub, requestId: number, afterId: number, send: (event: ChatEvent) => void): Promise<() => void> {
  let last = afterId;
  let pending: ChatEvent[] | undefined = [];
  const deliver = (event: ChatEvent) => {
    if (event.id <= last) return;
    last = event.id;
    send(event);
  };
  const stop = await hub.listen(requestId, (event) => (pending ? pending.push(event) : deliver(event)));
  try {
    for (let batch = await chatEventsAfter(db, requestId, last); batch.length > 0; batch = await chatEventsAfter(db, requestId, last)) for (const event of batch) deliver(event);
  } catch (error) {
    stop();
    throw error;
  }
  for (const event of pending) deliver(event);
  pending = undefined;
  return stop;
}

const hubs = new WeakMap<Db, ChatHub>();

/** This process's hub for the database `db` (a server has one database). */
export function chatHub(db: Db): ChatHub {
  let hub = hubs.get(db);
  if (!hub) hubs.set(db, (hub = new ChatHub(db)));
  return hub;
}
