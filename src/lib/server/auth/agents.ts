/**
 * Agent accounts: invitations, one-time links to choose or reset a password, signing in with
 * throttling, and the changes administrators make. Every change is written to the audit log
 * in the same transaction.
 */
import { and, asc, eq, gt, lt, ne, sql } from 'drizzle-orm';
import { type AgentRole, agents, agentSessions, agentTokens } from '../../../../db/schema';
import type { Locale } from '../../../i18n/routes';
import { type Actor, recordAudit } from '../audit';
import type { Db } from '../db';
import { enqueueMail } from '../mail/outbox';
import { agentAccessMail } from '../mail/templates';
import { clientKey, consumeRateLimit, type RateLimitRule, rateLimitHits } from '../rate-limit';
import { generateToken, hashToken, isWellFormedToken } from '../requests/tokens';
import { hashPassword, passwordProblem, type PasswordProblem, verifyPassword } from './password';
import { createSession, invalidateAgentSessions } from './session';

export const INVITE_HOURS = 7 * 24;
export const RESET_HOURS = 1;

/** Failed sign-ins allowed before waiting: per account (whoever tries), and per client. */
export const SIGN_IN_LIMITS = {
  account: { name: 'sign-in-account', limit: 5, windowMs: 15 * 60_000 },
  client: { name: 'sign-in-client', limit: 20, windowMs: 15 * 60_000 },
} satisfies Record<string, RateLimitRule>;

export const normaliseEmail = (email: string) => email.trim().toLowerCase();

/** Where the one-time links lead. */
export const accessPath = (token: string) => `/agent/mot-de-passe/${token}/`;

export interface MailSettings {
  origin: string;
  authority: string;
}

async function issueAccessToken(tx: Pick<Db, 'insert' | 'delete'>, agentId: number, purpose: 'invite' | 'reset', now: number) {
  const token = generateToken();
  const hours = purpose === 'invite' ? INVITE_HOURS : RESET_HOURS;
  // One live link per purpose: a new one replaces the old.
  await tx.delete(agentTokens).where(and(eq(agentTokens.agentId, agentId), eq(agentTokens.purpose, purpose)));
  await tx.insert(agentTokens).values({ tokenHash: hashToken(token), agentId, purpose, createdAt: new Date(now), expiresAt: new Date(now + hours * 3_600_000) });
  return { token, hours };
}

export type InviteResult = { ok: true; agentId: number; link: string } | { ok: false; reason: 'email-taken' };

/** Creates an account without a password and mails its holder a link to choose one. */
export async function inviteAgent(
  db: Db,
  actor: Actor,
  input: { email: string; name: string; role: AgentRole; locale: Locale },
  mail: MailSettings,
  now: number = Date.now(),
): Promise<InviteResult> {
  const email = normaliseEmail(input.email);
  return db.transaction(async (tx) => {
    const [taken] = await tx.select({ id: agents.id }).from(agents).where(eq(agents.email, email));
    if (taken) return { ok: false as const, reason: 'email-taken' as const };
    const [created] = await tx
      .insert(agents)
      .values({ email, name: input.name, role: input.role, locale: input.locale, active: true, createdAt: new Date(now), updatedAt: new Date(now) })
      .returning({ id: agents.id });
    const { token, hours } = await issueAccessToken(tx, created!.id, 'invite', now);
    const link = new URL(accessPath(token), mail.origin).href;
    await enqueueMail(tx, { ...agentAccessMail(input.locale, 'invite', { name: input.name, link, authority: mail.authority, hours }), to: email, kind: 'agent-invite', locale: input.locale }, now);
    await recordAudit(tx, actor, 'admin.agent.invite', { now, details: { agent: email, role: input.role } });
    return { ok: true as const, agentId: created!.id, link };
  });
}

/** The account a one-time link belongs to, while the link is valid. */
export async function findAccessToken(db: Db, token: string, now: number = Date.now()) {
  if (!isWellFormedToken(token)) return undefined;
  const [row] = await db
    .select({ agentId: agents.id, email: agents.email, name: agents.name, purpose: agentTokens.purpose })
    .from(agentTokens)
    .innerJoin(agents, eq(agents.id, agentTokens.agentId))
    .where(and(eq(agentTokens.tokenHash, hashToken(token)), gt(agentTokens.expiresAt, new Date(now)), eq(agents.active, true)));
  return row;
}

export type SetPasswordResult = { ok: true; agentId: number } | { ok: false; reason: 'invalid-link' } | { ok: false; reason: 'weak'; problem: PasswordProblem };

/**
 * Sets the password chosen through a one-time link. The link is spent, and every session of
 * the account ends: whoever knew the old password is signed out everywhere.
 */
export async function setPasswordWithToken(db: Db, token: string, password: string, now: number = Date.now()): Promise<SetPasswordResult> {
  const found = await findAccessToken(db, token, now);
  if (!found) return { ok: false, reason: 'invalid-link' };
  const problem = passwordProblem(password, found.email);
  if (problem) return { ok: false, reason: 'weak', problem };
  const passwordHash = await hashPassword(password);
  return db.transaction(async (tx) => {
    const spent = await tx.delete(agentTokens).where(eq(agentTokens.tokenHash, hashToken(token))).returning({ agentId: agentTokens.agentId });
    if (spent.length === 0) return { ok: false as const, reason: 'invalid-link' as const };
    await tx.update(agents).set({ passwordHash, updatedAt: new Date(now) }).where(eq(agents.id, found.agentId));
    await tx.delete(agentTokens).where(eq(agentTokens.agentId, found.agentId));
    await invalidateAgentSessions(tx, found.agentId);
    await recordAudit(tx, { id: found.agentId, name: found.name }, found.purpose === 'invite' ? 'invitation.accepted' : 'password.changed', { now });
    return { ok: true as const, agentId: found.agentId };
  });
}

/**
 * Mails a reset link if an active account has this address. The caller gives the same answer
 * either way, so nobody learns which addresses have accounts.
 */
export async function requestPasswordReset(db: Db, emailInput: string, mail: MailSettings, now: number = Date.now()): Promise<void> {
  const email = normaliseEmail(emailInput);
  await db.transaction(async (tx) => {
    const [agent] = await tx.select().from(agents).where(and(eq(agents.email, email), eq(agents.active, true)));
    if (!agent) return;
    const { token, hours } = await issueAccessToken(tx, agent.id, agent.passwordHash ? 'reset' : 'invite', now);
    const purpose = agent.passwordHash ? 'reset' : 'invite';
    const link = new URL(accessPath(token), mail.origin).href;
    await enqueueMail(tx, { ...agentAccessMail(agent.locale, purpose, { name: agent.name, link, authority: mail.authority, hours }), to: email, kind: `agent-${purpose}`, locale: agent.locale }, now);
    await recordAudit(tx, { id: agent.id, name: agent.name }, 'password.reset-requested', { now });
  });
}

export type SignInResult = { ok: true; token: string; expiresAt: Date } | { ok: false; reason: 'invalid' } | { ok: false; reason: 'throttled'; retryAfter: number };

/**
 * Checks an email and password. A wrong password and an unknown address get the same answer
 * after the same work (argon2 runs either way); failures are counted per account and per
 * client, and past the limit no password is checked until the window ends.
 */
export async function signIn(db: Db, emailInput: string, password: string, clientAddress: string, now: number = Date.now()): Promise<SignInResult> {
  const email = normaliseEmail(emailInput).slice(0, 254);
  const accountKey = clientKey(`account:${email}`);
  const client = clientKey(clientAddress);
  const [accountHits, clientHits] = await Promise.all([
    rateLimitHits(db, SIGN_IN_LIMITS.account, accountKey, now),
    rateLimitHits(db, SIGN_IN_LIMITS.client, client, now),
  ]);
  const [agent] = await db.select().from(agents).where(eq(agents.email, email));
  const actor = { id: agent?.id ?? null, name: agent?.name ?? null };
  if (accountHits.hits >= SIGN_IN_LIMITS.account.limit || clientHits.hits >= SIGN_IN_LIMITS.client.limit) {
    await recordAudit(db, actor, 'sign-in.throttled', { now, details: { email } });
    return { ok: false, reason: 'throttled', retryAfter: Math.max(accountHits.hits >= SIGN_IN_LIMITS.account.limit ? accountHits.retryAfter : 0, clientHits.hits >= SIGN_IN_LIMITS.client.limit ? clientHits.retryAfter : 0) };
  }
  const valid = await verifyPassword(agent?.active ? agent.passwordHash : null, password);
  if (!valid || !agent) {
    await consumeRateLimit(db, SIGN_IN_LIMITS.account, accountKey, now);
    await consumeRateLimit(db, SIGN_IN_LIMITS.client, client, now);
    await recordAudit(db, actor, 'sign-in.failed', { now, details: { email } });
    return { ok: false, reason: 'invalid' };
  }
  await db.delete(agentSessions).where(lt(agentSessions.expiresAt, new Date(now)));
  const { token, session } = await createSession(db, agent.id, now);
  await recordAudit(db, actor, 'sign-in', { now });
  return { ok: true, token, expiresAt: session.expiresAt };
}

export async function listAgents(db: Db) {
  return db
    .select({
      id: agents.id,
      email: agents.email,
      name: agents.name,
      role: agents.role,
      active: agents.active,
      locale: agents.locale,
      invited: sql<boolean>`${agents.passwordHash} is null`,
    })
    .from(agents)
    .orderBy(asc(agents.name));
}

export type AgentChangeResult = { ok: true } | { ok: false; reason: 'not-found' | 'last-admin' | 'self' };

/**
 * Changes an account's role or turns it off. Turning it off ends its sessions at once; the
 * last active administrator can be neither demoted nor turned off, nor can one lock oneself out.
 */
export async function updateAgent(db: Db, actor: Actor & { id: number }, agentId: number, change: { role?: AgentRole; active?: boolean }, now: number = Date.now()): Promise<AgentChangeResult> {
  return db.transaction(async (tx) => {
    const [agent] = await tx.select().from(agents).where(eq(agents.id, agentId));
    if (!agent) return { ok: false as const, reason: 'not-found' as const };
    const demoting = change.role !== undefined && change.role !== agent.role && agent.role === 'admin';
    const deactivating = change.active === false && agent.active;
    if ((demoting || deactivating) && agentId === actor.id) return { ok: false as const, reason: 'self' as const };
    if ((demoting || deactivating) && agent.role === 'admin') {
      const [{ admins }] = (await tx
        .select({ admins: sql<number>`count(*)` })
        .from(agents)
        .where(and(eq(agents.role, 'admin'), eq(agents.active, true), ne(agents.id, agentId)))) as [{ admins: number }];
      if (admins === 0) return { ok: false as const, reason: 'last-admin' as const };
    }
    if (change.role !== undefined && change.role !== agent.role) {
      await tx.update(agents).set({ role: change.role, updatedAt: new Date(now) }).where(eq(agents.id, agentId));
      await recordAudit(tx, actor, 'admin.agent.role', { now, details: { agent: agent.email, from: agent.role, to: change.role } });
    }
    if (change.active !== undefined && change.active !== agent.active) {
      await tx.update(agents).set({ active: change.active, updatedAt: new Date(now) }).where(eq(agents.id, agentId));
      if (!change.active) await invalidateAgentSessions(tx, agentId);
      await recordAudit(tx, actor, 'admin.agent.active', { now, details: { agent: agent.email, active: change.active } });
    }
    return { ok: true as const };
  });
}
