/**
 * A live chat is a request from its first message: the same private link, the request's
 * conversation as its transcript, and when the resident leaves or the wait is too long it goes on
 * as a written request (state `written`), answered at the link. Nothing is converted, nothing lost.
 */
import { and, asc, desc, eq, inArray, isNotNull, lt, sql } from 'drizzle-orm';
import { type ChatState, chats } from '../../../../db/schema';
import type { Db } from '../db';
import { createRequestIn, type NewRequest, type RequestSettings } from '../requests';
import type { WorkingHours } from '../requests/due';
import { appendChatEvent, chatHub } from './events';
import { chatOffer, type ChatOffer } from './presence';

export type StartChatResult = { ok: true; requestId: number; reference: string; token: string } | { ok: false; offer: Exclude<ChatOffer, { offered: true }> };

/**
 * Starts a chat with the resident's first message, checking again that someone can answer (the
 * page offered it a moment ago; an agent may have left since). The request is filed online, as
 * any (its description is the first message); the chat waits for an agent.
 */
export async function startChat(db: Db, input: NewRequest, settings: RequestSettings, hours: WorkingHours, now: number = Date.now()): Promise<StartChatResult> {
  const offer = await chatOffer(db, hours, now);
  if (!offer.offered) return { ok: false, offer };
  const created = await db.transaction(async (tx) => {
    const request = await createRequestIn(tx, { ...input, intake: 'web' }, settings, { now });
    await tx.insert(chats).values({ requestId: request.id, state: 'waiting', startedAt: new Date(now) });
    await appendChatEvent(tx, { requestId: request.id, kind: 'state' }, now);
    return request;
  });
  void chatHub(db).readNow();
  return { ok: true, requestId: created.id, reference: created.reference, token: created.token };
}

export interface ChatRow {
  requestId: number;
  state: ChatState;
  agentId: number | null;
  startedAt: Date;
  acceptedAt: Date | null;
  endedAt: Date | null;
}

export async function findChat(db: Db, requestId: number): Promise<ChatRow | undefined> {
  const [row] = await db.select().from(chats).where(eq(chats.requestId, requestId));
  return row;
}

/** Moves a chat to another state, only from one of `from`; false when it was in none of them. */
async function moveChat(db: Db, requestId: number, from: ChatState[], set: Partial<ChatRow> & { state: ChatState }, now: number): Promise<boolean> {
  const moved = await db.transaction(async (tx) => {
    const done = await tx.update(chats).set(set).where(and(eq(chats.requestId, requestId), inArray(chats.state, from))).returning({ id: chats.requestId });
    if (done.length === 0) return false;
    await appendChatEvent(tx, { requestId, kind: 'state' }, now);
    return true;
  });
  if (moved) void chatHub(db).readNow();
  return moved;
}

/** An agent takes a waiting chat (false when another took it first, or it left the queue). */
export function acceptChat(db: Db, requestId: number, agentId: number, now: number = Date.now()): Promise<boolean> {
  return moveChat(db, requestId, ['waiting'], { state: 'active', agentId, acceptedAt: new Date(now) }, now);
}

/** The chat goes on in writing (the resident left, asked for it, or waited too long). */
export function moveToWriting(db: Db, requestId: number, now: number = Date.now()): Promise<boolean> {
  return moveChat(db, requestId, ['waiting', 'active'], { state: 'written', endedAt: new Date(now) }, now);
}

/** How many recent chats estimate the wait. */
const RECENT_CHATS = 20;

/**
 * A waiting chat's place in the queue (1 = next) and the wait to expect, in minutes: the median
 * of the last chats' waits (none when there is no history yet). Undefined when it is not waiting.
 */
export async function placeInQueue(db: Db, chat: Pick<ChatRow, 'state' | 'startedAt'> | undefined): Promise<{ position: number; expectedMinutes: number | null } | undefined> {
  if (!chat || chat.state !== 'waiting') return undefined;
  const [{ ahead }] = (await db
    .select({ ahead: sql<number>`count(*)` })
    .from(chats)
    .where(and(eq(chats.state, 'waiting'), lt(chats.startedAt, chat.startedAt)))) as [{ ahead: number }];
  const recent = await db
    .select({ wait: sql<number>`${chats.acceptedAt} - ${chats.startedAt}` })
    .from(chats)
    .where(isNotNull(chats.acceptedAt))
    .orderBy(desc(chats.acceptedAt))
    .limit(RECENT_CHATS);
  const waits = recent.map((r) => Number(r.wait)).sort((a, b) => a - b);
  const median = waits.length === 0 ? null : waits[Math.ceil(waits.length / 2) - 1]!;
  return { position: Number(ahead) + 1, expectedMinutes: median === null ? null : Math.max(1, Math.round(median / 60_000)) };
}

/** The chats waiting, the longest-waiting first, and those in progress (the agents' list). */
export async function openChats(db: Db) {
  return db.select().from(chats).where(sql`${chats.state} in ('waiting', 'active')`).orderBy(asc(chats.startedAt));
}
