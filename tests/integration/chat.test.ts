import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { eq } from 'drizzle-orm';
import { agentPresence, auditLog, chats, requests } from '../../db/schema';
import { type Db, openDb } from '../../src/lib/server/db';
import { chatBoard, chatToCallback, endChat, findChat, handOverChat, leaveChat, moveToWriting, placeInQueue, startChat, sweepChats, takeChat } from '../../src/lib/server/chat/chats';
import { appendChatEvent, type ChatEvent, chatEventsAfter, ChatHub, followChat } from '../../src/lib/server/chat/events';
import { chatOffer, heartbeat, PRESENCE_TIMEOUT_MS, presentAgents, setAvailability, setPlaces, workspaceChats } from '../../src/lib/server/chat/presence';
import { addAgentMessage, addRequesterReply, createRequest, findRequestByToken, publicConversation } from '../../src/lib/server/requests';
import { simpleHours } from '../../src/lib/server/requests/due';
import { mergeRequest } from '../../src/lib/server/workspace/requests';
import { periodFromQuery } from '../../src/lib/server/evaluation/period';
import { buildReport } from '../../src/lib/server/evaluation/reports';
import { reportTables } from '../../src/lib/server/evaluation/tables';
import { useTranslations } from '../../src/i18n';
import { DEFAULT_OBJECTIVES } from '../../src/lib/server/workspace/settings';
import { addAgent } from '../helpers/agents';
import { freshDatabase } from '../helpers/db';
import { resident, settings } from '../helpers/requests';

let db: Db;
let url: string;
let cleanup: () => void;
beforeEach(async () => {
  ({ db, url, cleanup } = await freshDatabase());
});
afterEach(() => cleanup());

// Monday 7 December 2026, 10:00 in Paris; open Monday to Friday, 9:00 to 17:00.
const MONDAY_10H = Date.parse('2026-12-07T09:00:00Z');
const HOURS = simpleHours([1, 2, 3, 4, 5], '09:00', '17:00');

const newRequest = async () => (await createRequest(db, resident, settings, { now: MONDAY_10H, notify: false })).id;

describe('when a chat is offered', () => {
  it('only inside the opening hours, with an agent present who has a free place', async () => {
    const claire = await addAgent(db, 'claire@example.org');
    const paul = await addAgent(db, 'paul@example.org');
    expect(await chatOffer(db, HOURS, MONDAY_10H)).toEqual({ offered: false, reason: 'nobody', nextOpening: null });

    await setAvailability(db, claire.id, true, MONDAY_10H);
    expect(await chatOffer(db, HOURS, MONDAY_10H)).toEqual({ offered: true, freePlaces: 3, waiting: 0 });
    // Sunday: closed, and it says when it opens again (Monday 9:00).
    const sunday = Date.parse('2026-12-06T15:00:00Z');
    expect(await chatOffer(db, HOURS, sunday)).toEqual({ offered: false, reason: 'closed', nextOpening: new Date('2026-12-07T08:00:00Z') });
    // A workspace silent for longer than the timeout (its tab closed) is not someone present.
    expect((await chatOffer(db, HOURS, MONDAY_10H + PRESENCE_TIMEOUT_MS + 1)).offered).toBe(false);
    await heartbeat(db, claire.id, MONDAY_10H + PRESENCE_TIMEOUT_MS);
    expect((await chatOffer(db, HOURS, MONDAY_10H + PRESENCE_TIMEOUT_MS + 1)).offered).toBe(true);

    // Her places: two chats in progress and one waiting take all three.
    await setPlaces(db, claire.id, 3, MONDAY_10H);
    const [a, b, c] = [await newRequest(), await newRequest(), await newRequest()];
    await db.insert(chats).values([
      { requestId: a, state: 'active', agentId: claire.id, startedAt: new Date(MONDAY_10H), acceptedAt: new Date(MONDAY_10H) },
      { requestId: b, state: 'active', agentId: claire.id, startedAt: new Date(MONDAY_10H), acceptedAt: new Date(MONDAY_10H) },
    ]);
    expect(await chatOffer(db, HOURS, MONDAY_10H)).toEqual({ offered: true, freePlaces: 1, waiting: 0 });
    await db.insert(chats).values({ requestId: c, state: 'waiting', startedAt: new Date(MONDAY_10H) });
    expect(await chatOffer(db, HOURS, MONDAY_10H)).toEqual({ offered: false, reason: 'full', nextOpening: null });

    // A second agent present frees places; switching off takes them away again.
    await setAvailability(db, paul.id, true, MONDAY_10H);
    await setPlaces(db, paul.id, 99, MONDAY_10H); // bounded to 10
    expect((await presentAgents(db, MONDAY_10H)).map((p) => [p.name, p.places, p.busy]).sort()).toEqual([
      ['claire', 3, 2],
      ['paul', 10, 0],
    ]);
    expect(await chatOffer(db, HOURS, MONDAY_10H)).toEqual({ offered: true, freePlaces: 10, waiting: 1 });
    await setAvailability(db, paul.id, false, MONDAY_10H);
    expect((await chatOffer(db, HOURS, MONDAY_10H)).offered).toBe(false);
  });
});

describe('chat events', () => {
  it('reach the listeners of their request at once in the writing process, and another process on the same file at its next read', async () => {
    const other = openDb(url); // a second process's connection to the same file
    const here = new ChatHub(db, 20);
    const there = new ChatHub(other, 20);
    try {
      const requestId = await newRequest();
      const elsewhere = await newRequest();
      const heard: ChatEvent[] = [];
      const heardThere: ChatEvent[] = [];
      const stopHere = await here.listen(requestId, (e) => heard.push(e));
      const stopThere = await there.listen(requestId, (e) => heardThere.push(e));
      expect(here.size).toBe(1);

      const first = await appendChatEvent(db, { requestId, kind: 'state' });
      await appendChatEvent(db, { requestId: elsewhere, kind: 'state' }); // another chat's: not heard
      await here.readNow();
      expect(heard.map((e) => e.id)).toEqual([first]); // no wait for the timer
      await vi.waitFor(() => expect(heardThere.map((e) => e.id)).toEqual([first]), { timeout: 5000, interval: 10 });

      // Written by the other process: heard here too, in order.
      const second = await appendChatEvent(other, { requestId, kind: 'state' });
      const third = await appendChatEvent(other, { requestId, kind: 'state' });
      await vi.waitFor(() => expect(heard.map((e) => e.id)).toEqual([first, second, third]), { timeout: 5000, interval: 10 });
      stopHere();
      stopThere();
      expect(here.size).toBe(0);
    } finally {
      other.$client.close();
    }
  });

  it('a page that reconnects gets every event after its last one exactly once, in order, then the new ones', async () => {
    const hub = new ChatHub(db, 20);
    const requestId = await newRequest();
    const ids: number[] = [];
    for (let i = 0; i < 5; i += 1) ids.push(await appendChatEvent(db, { requestId, kind: 'state' }));
    const received: number[] = [];
    // Reconnecting after the second event (its Last-Event-ID).
    const stop = await followChat(db, hub, requestId, ids[1]!, (e) => received.push(e.id));
    expect(received).toEqual(ids.slice(2));
    // Events the hub reads again (a read asked while another ran) are not sent twice.
    const later = await appendChatEvent(db, { requestId, kind: 'state' });
    await Promise.all([hub.readNow(), hub.readNow()]);
    await vi.waitFor(() => expect(received).toEqual([...ids.slice(2), later]), { timeout: 5000, interval: 10 });
    stop();
    // From the start (no Last-Event-ID): all of them.
    const all: number[] = [];
    (await followChat(db, hub, requestId, 0, (e) => all.push(e.id)))();
    expect(all).toEqual([...ids, later]);
  });
});

describe('a chat is a request from its first message', () => {
  it('is refused when nobody can answer, then filed with its private link, queued, taken, and goes on in writing', async () => {
    const chat = { ...resident, description: 'Je n’arrive pas à payer la cantine.' };
    expect(await startChat(db, chat, settings, HOURS, MONDAY_10H)).toEqual({ ok: false, offer: { offered: false, reason: 'nobody', nextOpening: null } });
    const claire = await addAgent(db, 'claire@example.org');
    await setAvailability(db, claire.id, true, MONDAY_10H);
    const first = await startChat(db, chat, settings, HOURS, MONDAY_10H);
    const second = await startChat(db, { ...chat, name: 'Paul Martin' }, settings, HOURS, MONDAY_10H + 1000);
    if (!first.ok || !second.ok) throw new Error('refused');
    // The same private link as any request; the first message is its description.
    const tracked = await findRequestByToken(db, first.token, MONDAY_10H);
    expect(tracked.ok && tracked.request).toMatchObject({ reference: first.reference, description: 'Je n’arrive pas à payer la cantine.', status: 'new' });
    expect(await placeInQueue(db, await findChat(db, first.requestId))).toEqual({ position: 1, expectedMinutes: null });
    expect(await placeInQueue(db, await findChat(db, second.requestId))).toEqual({ position: 2, expectedMinutes: null });

    // Taken once: a second agent's accept comes too late.
    expect(await takeChat(db, claire, first.requestId, MONDAY_10H + 4 * 60_000)).toBe(true);
    expect(await takeChat(db, claire, first.requestId, MONDAY_10H + 4 * 60_000)).toBe(false);
    expect(await placeInQueue(db, await findChat(db, first.requestId))).toBeUndefined();
    // The second now comes first, with the first's wait as the estimate (4 minutes).
    expect(await placeInQueue(db, await findChat(db, second.requestId))).toEqual({ position: 1, expectedMinutes: 4 });

    // Messages both ways are the request's conversation, each announced to the chat's pages.
    const reply = await addAgentMessage(db, { requestId: first.requestId, agentId: claire.id, agentName: 'Claire', body: 'Bonjour, je regarde.', internal: false, status: 'open' }, settings, MONDAY_10H + 5 * 60_000, false);
    const answer = await addRequesterReply(db, first.requestId, 'Merci !', [], MONDAY_10H + 6 * 60_000);
    const events = await chatEventsAfter(db, first.requestId, 0);
    expect(events.map((e) => [e.kind, e.messageId])).toEqual([
      ['state', null],
      ['state', null],
      ['message', reply.messageId],
      ['message', answer.ok ? answer.messageId : -1],
    ]);
    expect((await publicConversation(db, first.requestId)).messages.map((m) => m.body)).toEqual(['Bonjour, je regarde.', 'Merci !']);
    // A request that is not a chat gets no event.
    const plain = await createRequest(db, resident, settings, { now: MONDAY_10H, notify: false });
    await addRequesterReply(db, plain.id, 'Bonjour', [], MONDAY_10H);
    expect(await chatEventsAfter(db, plain.id, 0)).toEqual([]);

    // The resident leaves: the chat goes on in writing; the request stays open at its link.
    expect(await moveToWriting(db, first.requestId, MONDAY_10H + 7 * 60_000)).toBe(true);
    expect(await moveToWriting(db, first.requestId, MONDAY_10H + 7 * 60_000)).toBe(false);
    expect(await findChat(db, first.requestId)).toMatchObject({ state: 'written', agentId: claire.id });
    const after = await findRequestByToken(db, first.token, MONDAY_10H + 8 * 60_000);
    expect(after.ok && after.request.status).toBe('open');

    // Messages the portal writes itself are announced too: merged into another request, the
    // second chat's page learns where the answer will come.
    expect(await mergeRequest(db, claire, second.requestId, first.reference, MONDAY_10H + 9 * 60_000)).toMatchObject({ ok: true });
    const merged = await chatEventsAfter(db, second.requestId, 0);
    expect(merged.at(-1)).toMatchObject({ kind: 'message', messageId: expect.any(Number) });
  });
});

describe('what agents and residents do with a chat', () => {
  it('taken (assigned, audit-logged), handed over, turned into a call back; a resident leaves keeping what they typed', async () => {
    const claire = await addAgent(db, 'claire@example.org');
    const paul = await addAgent(db, 'paul@example.org');
    await setAvailability(db, claire.id, true, MONDAY_10H);
    const chat = { ...resident, description: 'Je n’arrive pas à payer la cantine.' };
    const first = await startChat(db, chat, settings, HOURS, MONDAY_10H);
    const second = await startChat(db, { ...chat, name: 'Paul Martin', phone: undefined }, settings, HOURS, MONDAY_10H + 1000);
    if (!first.ok || !second.ok) throw new Error('refused');
    // Filed as a chat (its own channel in the reports).
    expect((await db.select({ intake: requests.intake }).from(requests).where(eq(requests.id, first.requestId)))[0]).toEqual({ intake: 'chat' });
    expect((await chatBoard(db)).map((c) => [c.name, c.state])).toEqual([
      [resident.name, 'waiting'],
      ['Paul Martin', 'waiting'],
    ]);

    expect((await chatEventsAfter(db, second.requestId, 0)).map((e) => e.kind)).toEqual(['state']);
    expect(await takeChat(db, claire, first.requestId, MONDAY_10H + 60_000)).toBe(true);
    expect(await takeChat(db, paul, first.requestId, MONDAY_10H + 60_000)).toBe(false);
    // The chat behind moved up a place: its page is told (a state event of its own).
    expect((await chatEventsAfter(db, second.requestId, 0)).map((e) => e.kind)).toEqual(['state', 'state']);
    const assignee = async (id: number) => (await db.select({ a: requests.assigneeId }).from(requests).where(eq(requests.id, id)))[0]!.a;
    expect(await assignee(first.requestId)).toBe(claire.id);
    expect(await handOverChat(db, claire, first.requestId, paul, MONDAY_10H + 120_000)).toBe(true);
    expect(await findChat(db, first.requestId)).toMatchObject({ state: 'active', agentId: paul.id });
    expect(await assignee(first.requestId)).toBe(paul.id);
    expect(await chatToCallback(db, paul, first.requestId, '0612345678', MONDAY_10H + 180_000)).toBe(true);
    expect(await findChat(db, first.requestId)).toMatchObject({ state: 'written' });
    const called = await findRequestByToken(db, first.token, MONDAY_10H);
    expect(called.ok && [called.request.channel, called.request.requester.phone]).toEqual(['phone', '0612345678']);
    // Ended chats stay ended.
    expect(await endChat(db, paul, first.requestId, MONDAY_10H + 200_000)).toBe(false);
    expect(await handOverChat(db, paul, first.requestId, claire, MONDAY_10H + 200_000)).toBe(false);
    expect((await db.select({ action: auditLog.action }).from(auditLog).where(eq(auditLog.requestId, first.requestId))).map((a) => a.action)).toEqual(['chat.accept', 'chat.handover', 'chat.callback']);

    // The resident of the second chat leaves: what they typed is their message, in writing.
    expect(await leaveChat(db, second.requestId, { typed: 'Je dois partir, écrivez-moi.' }, MONDAY_10H + 240_000)).toBe(true);
    expect(await leaveChat(db, second.requestId, { typed: 'Encore ?' }, MONDAY_10H + 250_000)).toBe(false);
    expect((await publicConversation(db, second.requestId)).messages.map((m) => m.body)).toEqual(['Je dois partir, écrivez-moi.']);
    expect(await chatBoard(db)).toEqual([]);
  });

  it('a chat nobody can take any more, or quiet for long, goes on in writing; nothing else moves', async () => {
    const claire = await addAgent(db, 'claire@example.org');
    await setAvailability(db, claire.id, true, MONDAY_10H);
    const chat = { ...resident, description: 'Bonjour' };
    const waiting = await startChat(db, chat, settings, HOURS, MONDAY_10H);
    const active = await startChat(db, chat, settings, HOURS, MONDAY_10H);
    if (!waiting.ok || !active.ok) throw new Error('refused');
    await takeChat(db, claire, active.requestId, MONDAY_10H);
    // Claire present: nothing moves.
    expect(await sweepChats(db, HOURS, MONDAY_10H + 60_000)).toBe(0);
    // Her tab closed: the waiting chat goes on in writing after the grace; the one in progress stays until it is quiet.
    const gone = MONDAY_10H + PRESENCE_TIMEOUT_MS + 60_000;
    expect(await sweepChats(db, HOURS, gone)).toBe(1);
    expect((await findChat(db, waiting.requestId))!.state).toBe('written');
    expect((await findChat(db, active.requestId))!.state).toBe('active');
    await addRequesterReply(db, active.requestId, 'Vous êtes là ?', [], MONDAY_10H + 20 * 60_000);
    expect(await sweepChats(db, HOURS, MONDAY_10H + 45 * 60_000)).toBe(0);
    expect(await sweepChats(db, HOURS, MONDAY_10H + 51 * 60_000)).toBe(1);
    expect((await findChat(db, active.requestId))!.state).toBe('written');
    // Each move is announced to the page (a state event).
    expect((await chatEventsAfter(db, active.requestId, 0)).map((e) => e.kind)).toEqual(['state', 'state', 'message', 'state']);
  });

  it('a workspace page shows the chats waiting and keeps a present agent alive, writing at most every 30 seconds', async () => {
    const claire = await addAgent(db, 'claire@example.org');
    expect(await workspaceChats(db, claire.id, MONDAY_10H)).toEqual({ waiting: 0, available: false });
    await setAvailability(db, claire.id, true, MONDAY_10H);
    await startChat(db, { ...resident, description: 'Bonjour' }, settings, HOURS, MONDAY_10H);
    const beat = async () => (await db.select({ at: agentPresence.heartbeatAt }).from(agentPresence))[0]!.at.getTime();
    expect(await workspaceChats(db, claire.id, MONDAY_10H + 10_000)).toEqual({ waiting: 1, available: true });
    expect(await beat()).toBe(MONDAY_10H);
    await workspaceChats(db, claire.id, MONDAY_10H + 31_000);
    expect(await beat()).toBe(MONDAY_10H + 31_000);
  });

  it('the reports count the chats, those taken and those gone on in writing untaken, and the wait before one was taken', async () => {
    const claire = await addAgent(db, 'claire@example.org');
    await setAvailability(db, claire.id, true, MONDAY_10H);
    const chat = { ...resident, description: 'Bonjour' };
    const started = [];
    for (let i = 0; i < 3; i++) {
      const one = await startChat(db, chat, settings, HOURS, MONDAY_10H + i * 1000);
      if (!one.ok) throw new Error('refused');
      started.push(one.requestId);
    }
    await takeChat(db, claire, started[0]!, MONDAY_10H + 2 * 60_000);
    await takeChat(db, claire, started[1]!, MONDAY_10H + 1000 + 6 * 60_000);
    await leaveChat(db, started[2]!, { typed: '' }, MONDAY_10H + 9 * 60_000);
    const report = await buildReport(db, periodFromQuery(new URLSearchParams('periode=30j'), new Date(MONDAY_10H + 3_600_000)), DEFAULT_OBJECTIVES, MONDAY_10H + 3_600_000);
    expect(report.chats.current).toEqual({ started: 3, taken: 2, untaken: 1, wait: { median: 2 * 60_000, p90: 6 * 60_000 } });
    expect(report.chats.previous).toEqual({ started: 0, taken: 0, untaken: 0, wait: { median: null, p90: null } });
    // Their requests arrived by the chat (the intake table's row).
    expect(report.current.byIntake.chat).toBe(3);
    const tables = reportTables(report, useTranslations('fr'), new Map(), (c) => c);
    expect(tables['chat-waits'].rows).toEqual([['Discussions prises', 2, 2, 6, null, null]]);
  });
});
