/**
 * A live chat is a request from its first message: the same private link, the request's
 * conversation as its transcript, and when the resident leaves or the wait is too long it goes on
 * as a written request (state `written`), answered at the link. Nothing is converted, nothing lost.
 */
import { and, asc, desc, eq, gt, inArray, isNotNull, lt, max, sql } from 'drizzle-orm';
import { agents, CHAT_LIMITS, type ChatState, chatEvents, chats, messages, requesters, requests } from '../../../../db/schema';
import type { Db } from '../db';
import { type Actor, recordAudit } from '../audit';
import { addRequesterReplyIn, createRequestIn, type NewRequest, type RequestSettings, type Tx } from '../requests';
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
    const request = await createRequestIn(tx, { ...input, intake: 'chat' }, settings, { now });
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

/**
 * Moves a chat to another state, only from one of `from` (false when it was in none of them),
 * doing `also` in the same transaction (what the move means for the request, its audit entry).
 */
async function moveChat(db: Db, requestId: number, from: ChatState[], set: Partial<ChatRow> & { state: ChatState }, now: number, also?: (tx: Tx) => Promise<void>): Promise<boolean> {
  const moved = await db.transaction(async (tx) => {
    const [before] = await tx.select({ state: chats.state, startedAt: chats.startedAt }).from(chats).where(eq(chats.requestId, requestId));
    const done = await tx.update(chats).set(set).where(and(eq(chats.requestId, requestId), inArray(chats.state, from))).returning({ id: chats.requestId });
    if (done.length === 0) return false;
    await also?.(tx);
    await appendChatEvent(tx, { requestId, kind: 'state' }, now);
    // A chat that leaves the queue moves everyone behind it: their pages are told their new place.
    if (before?.state === 'waiting' && set.state !== 'waiting') {
      const behind = await tx.select({ requestId: chats.requestId }).from(chats).where(and(eq(chats.state, 'waiting'), gt(chats.startedAt, before.startedAt)));
      for (const chat of behind) await appendChatEvent(tx, { requestId: chat.requestId, kind: 'state' }, now);
    }
    return true;
  });
  if (moved) void chatHub(db).readNow();
  return moved;
}

/** The request's answer goes by telephone, at `phone` (any time in the opening hours). */
async function callBackAt(tx: Tx, requestId: number, phone: string, now: number) {
  const [request] = await tx.update(requests).set({ channel: 'phone', callbackSlots: [], updatedAt: new Date(now) }).where(eq(requests.id, requestId)).returning({ requesterId: requests.requesterId });
  if (request) await tx.update(requesters).set({ phone }).where(eq(requesters.id, request.requesterId));
}

/**
 * The resident stops the live chat and goes on in writing, or asks to be called back at
 * `phone` (the request's answer channel becomes the telephone). What they had typed and not
 * sent is kept as their message, in the same transaction.
 */
export function leaveChat(db: Db, requestId: number, leave: { typed: string; phone?: string }, now: number = Date.now()): Promise<boolean> {
  return moveChat(db, requestId, ['waiting', 'active'], { state: 'written', endedAt: new Date(now) }, now, async (tx) => {
    if (leave.typed) await addRequesterReplyIn(tx, requestId, leave.typed, [], now);
    if (leave.phone) await callBackAt(tx, requestId, leave.phone, now);
  });
}

/** The last event of a request's chat (a page shows everything up to it, and streams what follows). */
export async function lastEventOf(db: Db, requestId: number): Promise<number> {
  const [row] = await db.select({ id: max(chatEvents.id) }).from(chatEvents).where(eq(chatEvents.requestId, requestId));
  return Number(row?.id ?? 0);
}

/**
 * An agent takes a waiting chat from the workspace: it becomes theirs, and so does its request
 * (assigned, opened), audit-logged. False when a colleague took it first or it ended.
 */
export function takeChat(db: Db, agent: Actor & { id: number }, requestId: number, now: number = Date.now()): Promise<boolean> {
  return moveChat(db, requestId, ['waiting'], { state: 'active', agentId: agent.id, acceptedAt: new Date(now) }, now, async (tx) => {
    await tx.update(requests).set({ assigneeId: agent.id, updatedAt: new Date(now) }).where(eq(requests.id, requestId));
    await recordAudit(tx, agent, 'chat.accept', { requestId, now });
  });
}

/** The chat goes on in writing (the resident left, asked for it, or waited too long). */
export function moveToWriting(db: Db, requestId: number, now: number = Date.now()): Promise<boolean> {
  return moveChat(db, requestId, ['waiting', 'active'], { state: 'written', endedAt: new Date(now) }, now);
}

/** An agent ends the live chat: the request goes on in writing, at its private link. */
export function endChat(db: Db, agent: Actor, requestId: number, now: number = Date.now()): Promise<boolean> {
  return moveChat(db, requestId, ['waiting', 'active'], { state: 'written', endedAt: new Date(now) }, now, (tx) => recordAudit(tx, agent, 'chat.end', { requestId, now }));
}

/** An agent hands a chat in progress to a colleague, who gets its request too. */
export function handOverChat(db: Db, agent: Actor, requestId: number, to: { id: number; name: string }, now: number = Date.now()): Promise<boolean> {
  return moveChat(db, requestId, ['active'], { state: 'active', agentId: to.id }, now, async (tx) => {
    await tx.update(requests).set({ assigneeId: to.id, updatedAt: new Date(now) }).where(eq(requests.id, requestId));
    await recordAudit(tx, agent, 'chat.handover', { requestId, now, details: { to: to.name } });
  });
}

/** An agent turns the chat into a call back at `phone`: the live chat ends, the answer goes by telephone. */
export function chatToCallback(db: Db, agent: Actor, requestId: number, phone: string, now: number = Date.now()): Promise<boolean> {
  return moveChat(db, requestId, ['waiting', 'active'], { state: 'written', endedAt: new Date(now) }, now, async (tx) => {
    await callBackAt(tx, requestId, phone, now);
    await recordAudit(tx, agent, 'chat.callback', { requestId, now });
  });
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

export interface BoardChat {
  requestId: number;
  reference: string;
  state: ChatState;
  agentId: number | null;
  agentName: string | null;
  name: string;
  procedure: string;
  /** The first message (the request's description), cut short. */
  question: string;
  needs: string[];
  needsLanguage: string | null;
  startedAt: Date;
  acceptedAt: Date | null;
  /** When the resident last wrote (their first message, or a reply). */
  lastResidentAt: Date;
}

/** The chats waiting (the longest-waiting first) and in progress: the agents' board. */
export async function chatBoard(db: Db): Promise<BoardChat[]> {
  const rows = await db
    .select({
      requestId: chats.requestId,
      reference: requests.reference,
      state: chats.state,
      agentId: chats.agentId,
      agentName: agents.name,
      name: requesters.name,
      procedure: requests.procedure,
      question: sql<string>`substr(${requests.description}, 1, 200)`,
      needs: requests.needs,
      needsLanguage: requests.needsLanguage,
      startedAt: chats.startedAt,
      acceptedAt: chats.acceptedAt,
      lastReply: sql<number | null>`(select max(${messages.createdAt}) from ${messages} where ${messages.requestId} = ${chats.requestId} and ${messages.author} = 'requester')`,
    })
    .from(chats)
    .innerJoin(requests, eq(requests.id, chats.requestId))
    .innerJoin(requesters, eq(requesters.id, requests.requesterId))
    .leftJoin(agents, eq(agents.id, chats.agentId))
    .where(inArray(chats.state, ['waiting', 'active']))
    .orderBy(asc(chats.startedAt));
  return rows.map(({ lastReply, ...row }) => ({ ...row, lastResidentAt: lastReply === null ? row.startedAt : new Date(Number(lastReply)) }));
}

/** How many chats wait for an agent (the workspace's badge). */
export async function waitingChats(db: Db): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)` }).from(chats).where(eq(chats.state, 'waiting'));
  return Number(row?.n ?? 0);
}

/**
 * The chats that cannot go on live move to writing (each one announced in its page): those quiet
 * for CHAT_LIMITS.idleMinutes, and those waiting while nobody can take them (outside the opening
 * hours, or no agent present) for CHAT_LIMITS.unansweredGraceMinutes. Returns how many moved.
 * Run by every process now and then; a chat moved by one is not moved again by another.
 */
export async function sweepChats(db: Db, hours: WorkingHours, now: number = Date.now()): Promise<number> {
  const quietSince = now - CHAT_LIMITS.idleMinutes * 60_000;
  const open = await db
    .select({ requestId: chats.requestId, state: chats.state, startedAt: chats.startedAt, last: sql<number | null>`(select max(${chatEvents.at}) from ${chatEvents} where ${chatEvents.requestId} = ${chats.requestId})` })
    .from(chats)
    .where(inArray(chats.state, ['waiting', 'active']));
  if (open.length === 0) return 0;
  const offer = await chatOffer(db, hours, now);
  const nobodyCanTake = !offer.offered && offer.reason !== 'full';
  let moved = 0;
  for (const chat of open) {
    const quiet = Number(chat.last ?? chat.startedAt.getTime()) < quietSince;
    const stranded = chat.state === 'waiting' && nobodyCanTake && chat.startedAt.getTime() < now - CHAT_LIMITS.unansweredGraceMinutes * 60_000;
    if ((quiet || stranded) && (await moveToWriting(db, chat.requestId, now))) moved++;
  }
  return moved;
}

let sweeping: ReturnType<typeof setInterval> | undefined;
/** Sweeps the chats every minute in this process (started by the first request, as the mail worker is). */
export function startChatSweep(getDb: () => Promise<Db>, hours: (db: Db) => Promise<WorkingHours>) {
  if (sweeping) return;
  sweeping = setInterval(() => {
    void getDb()
      .then(async (db) => sweepChats(db, await hours(db)))
      .catch((error: unknown) => console.error('Chat sweep failed:', error instanceof Error ? error.message : error));
  }, 60_000);
  sweeping.unref?.();
}
