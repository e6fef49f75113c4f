/**
 * Who answers live chats, and whether a resident can be offered one now: inside the opening
 * hours (the authority's calendar), with at least one agent present (their switch on and their
 * workspace alive) who has a free place (their own limit, 3 by default).
 */
import { and, count, eq, gt, inArray, sql } from 'drizzle-orm';
import { agentPresence, agents, CHAT_LIMITS, chats } from '../../../../db/schema';
import type { Db } from '../db';
import { openingState, type WorkingHours } from '../requests/due';

/** A workspace that has not said it is alive for this long counts as gone (its tab closed). */
export const PRESENCE_TIMEOUT_MS = 90_000;

/** Switches an agent's availability for chats (a heartbeat at the same time). */
export async function setAvailability(db: Db, agentId: number, available: boolean, now: number = Date.now()): Promise<void> {
  await db
    .insert(agentPresence)
    .values({ agentId, available, heartbeatAt: new Date(now) })
    .onConflictDoUpdate({ target: agentPresence.agentId, set: { available, heartbeatAt: new Date(now) } });
}

/** How many chats an agent takes at once (1 to CHAT_LIMITS.maxPlaces). */
export async function setPlaces(db: Db, agentId: number, places: number, now: number = Date.now()): Promise<void> {
  const bounded = Math.min(CHAT_LIMITS.maxPlaces, Math.max(1, Math.round(places)));
  await db
    .insert(agentPresence)
    .values({ agentId, available: false, heartbeatAt: new Date(now), places: bounded })
    .onConflictDoUpdate({ target: agentPresence.agentId, set: { places: bounded } });
}

/** The workspace's sign of life: keeps an available agent present. */
export async function heartbeat(db: Db, agentId: number, now: number = Date.now()): Promise<void> {
  await db.update(agentPresence).set({ heartbeatAt: new Date(now) }).where(eq(agentPresence.agentId, agentId));
}

export interface PresentAgent {
  agentId: number;
  name: string;
  places: number;
  /** Chats in progress with them. */
  busy: number;
}

/** The agents present for chats now (switch on, alive, account active), with their load. */
export async function presentAgents(db: Db, now: number = Date.now()): Promise<PresentAgent[]> {
  const rows = await db
    .select({ agentId: agentPresence.agentId, name: agents.name, places: agentPresence.places })
    .from(agentPresence)
    .innerJoin(agents, eq(agents.id, agentPresence.agentId))
    .where(and(eq(agentPresence.available, true), eq(agents.active, true), gt(agentPresence.heartbeatAt, new Date(now - PRESENCE_TIMEOUT_MS))));
  if (rows.length === 0) return [];
  const load = await db
    .select({ agentId: chats.agentId, busy: count() })
    .from(chats)
    .where(and(eq(chats.state, 'active'), inArray(chats.agentId, rows.map((r) => r.agentId))))
    .groupBy(chats.agentId);
  const busy = new Map(load.map((l) => [l.agentId, Number(l.busy)]));
  return rows.map((r) => ({ ...r, busy: busy.get(r.agentId) ?? 0 }));
}

export type ChatOffer =
  | { offered: true; freePlaces: number; waiting: number }
  /** Why not: outside the opening hours, nobody present, or everyone's places taken (and chats already waiting for them). */
  | { offered: false; reason: 'closed' | 'nobody' | 'full'; nextOpening: Date | null };

/**
 * Whether a chat can be offered at `now`. The places free are those of the present agents less
 * the chats already waiting for them: a resident is offered a chat only if someone can take it.
 */
export async function chatOffer(db: Db, hours: WorkingHours, now: number = Date.now()): Promise<ChatOffer> {
  const state = openingState(new Date(now), hours);
  if (!state.open) return { offered: false, reason: 'closed', nextOpening: state.next };
  const present = await presentAgents(db, now);
  if (present.length === 0) return { offered: false, reason: 'nobody', nextOpening: null };
  const [{ waiting }] = (await db.select({ waiting: sql<number>`count(*)` }).from(chats).where(eq(chats.state, 'waiting'))) as [{ waiting: number }];
  const freePlaces = present.reduce((sum, a) => sum + Math.max(0, a.places - a.busy), 0) - Number(waiting);
  if (freePlaces <= 0) return { offered: false, reason: 'full', nextOpening: null };
  return { offered: true, freePlaces, waiting: Number(waiting) };
}

/** An agent page loaded counts as a sign of life at most this often (a write per page otherwise). */
const PAGE_BEAT_MS = 30_000;

/**
 * What every workspace page shows of the chats (how many wait), whether the agent's switch is
 * on, and, for an agent switched on, a sign of life when the last one is old (a workspace
 * without JavaScript keeps its agent present by its page loads; with it, by its event stream).
 */
export async function workspaceChats(db: Db, agentId: number, now: number = Date.now()): Promise<{ waiting: number; available: boolean }> {
  const [row] = await db.all<{ waiting: number; beat: number | null }>(
    sql`select (select count(*) from ${chats} where ${chats.state} = 'waiting') as waiting, (select ${agentPresence.heartbeatAt} from ${agentPresence} where ${agentPresence.agentId} = ${agentId} and ${agentPresence.available} = 1) as beat`,
  );
  const beat = row?.beat === null || row?.beat === undefined ? null : Number(row.beat);
  if (beat !== null && now - beat > PAGE_BEAT_MS) await heartbeat(db, agentId, now);
  return { waiting: Number(row?.waiting ?? 0), available: beat !== null };
}

/** An agent's own switch and places (off, 3 places, before they first set them). */
export async function presenceOf(db: Db, agentId: number): Promise<{ available: boolean; places: number }> {
  const [row] = await db.select({ available: agentPresence.available, places: agentPresence.places }).from(agentPresence).where(eq(agentPresence.agentId, agentId));
  return row ?? { available: false, places: CHAT_LIMITS.defaultPlaces };
}
