/**
 * Agents' sessions in the Lucia design: a random token in the cookie, only its SHA-256 in the
 * database, an expiry that slides while the agent works, and nothing kept in memory, so every
 * server sees the same sessions and a sign-out or a deactivation applies at once everywhere.
 */
import { eq } from 'drizzle-orm';
import { type AgentQueueDensity, type AgentRole, agents, agentSessions } from '../../../../db/schema';
import type { Db } from '../db';
import { generateToken, hashToken } from '../requests/tokens';

export const SESSION_COOKIE = 'guichet_agent';
/** Marks a browser an agent has signed in from (see SIGN_IN_LIMITS); sent to the sign-in page only. */
export const DEVICE_COOKIE = 'guichet_device';
/** A session ends after this long without use (a working day and a half). */
export const SESSION_IDLE_MS = 12 * 60 * 60_000;
/** The expiry moves at most this often, so that reading a page rarely writes. */
const RENEW_AFTER_MS = 15 * 60_000;

export interface SignedInAgent {
  id: number;
  email: string;
  name: string;
  role: AgentRole;
  locale: 'fr' | 'en';
  /** Chosen by the agent (their profile); null: residents see the first word of `name`. */
  publicName: string | null;
  signature: string | null;
  queueDensity: AgentQueueDensity;
}

export interface Session {
  id: string;
  agentId: number;
  expiresAt: Date;
}

export async function createSession(db: Db, agentId: number, now: number = Date.now()): Promise<{ token: string; session: Session }> {
  const token = generateToken();
  const session = { id: hashToken(token), agentId, createdAt: new Date(now), expiresAt: new Date(now + SESSION_IDLE_MS) };
  await db.insert(agentSessions).values(session);
  return { token, session };
}

/**
 * The agent a cookie's token belongs to, if the session is alive and the account active.
 * Lookup is by hash (an index seek), so no comparison of secrets happens in JavaScript.
 */
export async function validateSessionToken(db: Db, token: string | undefined, now: number = Date.now()): Promise<{ session: Session; agent: SignedInAgent } | null> {
  if (!token || !/^[a-z2-7]{52}$/.test(token)) return null;
  const id = hashToken(token);
  const [row] = await db
    .select({
      session: { id: agentSessions.id, agentId: agentSessions.agentId, expiresAt: agentSessions.expiresAt },
      agent: { id: agents.id, email: agents.email, name: agents.name, role: agents.role, locale: agents.locale, publicName: agents.publicName, signature: agents.signature, queueDensity: agents.queueDensity, active: agents.active },
    })
    .from(agentSessions)
    .innerJoin(agents, eq(agents.id, agentSessions.agentId))
    .where(eq(agentSessions.id, id));
  if (!row) return null;
  if (!row.agent.active || row.session.expiresAt.getTime() <= now) {
    await db.delete(agentSessions).where(eq(agentSessions.id, id));
    return null;
  }
  const session = row.session;
  if (session.expiresAt.getTime() - now < SESSION_IDLE_MS - RENEW_AFTER_MS) {
    session.expiresAt = new Date(now + SESSION_IDLE_MS);
    await db.update(agentSessions).set({ expiresAt: session.expiresAt }).where(eq(agentSessions.id, id));
  }
  const { active: _active, ...agent } = row.agent;
  return { session, agent };
}

export const invalidateSession = (db: Db, sessionId: string) => db.delete(agentSessions).where(eq(agentSessions.id, sessionId));

export const invalidateAgentSessions = (db: Pick<Db, 'delete'>, agentId: number) => db.delete(agentSessions).where(eq(agentSessions.agentId, agentId));
