/**
 * Agent accounts: invitations, one-time links to choose or reset a password, signing in with
 * throttling, and the changes administrators make. Every change is written to the audit log
 * in the same transaction.
 */
import { and, asc, desc, eq, gt, lt, ne, notInArray, or, sql } from 'drizzle-orm';
import { agentDevices, type AgentQueueDensity, type AgentRole, agents, agentSessions, agentTokens } from '../../../../db/schema';
import type { Locale } from '../../../i18n/routes';
import { type Actor, recordAudit } from '../audit';
import type { Db } from '../db';
import { enqueueMail } from '../mail/outbox';
import { agentAccessMail } from '../mail/templates';
import { clientKey, consumeRateLimit, type RateLimitRule, refundRateLimit } from '../rate-limit';
import { generateToken, hashToken, isWellFormedToken } from '../requests/tokens';
import { hashPassword, passwordProblem, type PasswordProblem, verifyPassword } from './password';
import { createSession, invalidateAgentSessions } from './session';

export const INVITE_HOURS = 7 * 24;
export const RESET_HOURS = 1;

/**
 * How many sign-ins may be tried before waiting (OWASP's authentication guidance): every
 * attempt is counted before its password is checked, and a right password takes its count back.
 * From a browser the agent signed in from before (its device cookie), only that browser's own
 * attempts count, so that failures from elsewhere never lock the agent out of it. From any other
 * browser, attempts count per account and client address, per client address whatever the
 * account (against trying one password on many accounts), and per account whoever tries, in
 * two tiers whose waits grow: 10 in 15 minutes, then 30 in a day.
 */
export const SIGN_IN_LIMITS = {
  device: { name: 'sign-in-device', limit: 5, windowMs: 15 * 60_000 },
  pair: { name: 'sign-in-pair', limit: 5, windowMs: 15 * 60_000 },
  client: { name: 'sign-in-client', limit: 20, windowMs: 15 * 60_000 },
  account: { name: 'sign-in-account', limit: 10, windowMs: 15 * 60_000 },
  accountDay: { name: 'sign-in-account-day', limit: 30, windowMs: 24 * 3_600_000 },
} satisfies Record<string, RateLimitRule>;

/** A device cookie lasts this long, and an agent keeps this many browsers at most. */
export const DEVICE_DAYS = 180;
const DEVICES_KEPT = 10;

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

export type SignInResult =
  | { ok: true; token: string; expiresAt: Date; device?: { token: string; expiresAt: Date } }
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'throttled'; retryAfter: number };

/** The agent a device cookie was given to, while it is valid. */
async function deviceAgent(db: Db, deviceToken: string | undefined, now: number): Promise<number | undefined> {
  if (!deviceToken || !isWellFormedToken(deviceToken)) return undefined;
  const [row] = await db
    .select({ agentId: agentDevices.agentId })
    .from(agentDevices)
    .where(and(eq(agentDevices.id, hashToken(deviceToken)), gt(agentDevices.expiresAt, new Date(now))));
  return row?.agentId;
}

/** Remembers this browser for the agent (a device cookie), keeping the newest few. */
export async function rememberDevice(db: Pick<Db, 'insert' | 'delete' | 'select'>, agentId: number, now: number = Date.now()) {
  const token = generateToken();
  const expiresAt = new Date(now + DEVICE_DAYS * 86_400_000);
  await db.insert(agentDevices).values({ id: hashToken(token), agentId, createdAt: new Date(now), expiresAt });
  const kept = db.select({ id: agentDevices.id }).from(agentDevices).where(eq(agentDevices.agentId, agentId)).orderBy(desc(agentDevices.createdAt)).limit(DEVICES_KEPT);
  await db.delete(agentDevices).where(and(eq(agentDevices.agentId, agentId), or(notInArray(agentDevices.id, kept), lt(agentDevices.expiresAt, new Date(now)))));
  return { token, expiresAt };
}

/**
 * Checks an email and password. A wrong password and an unknown address get the same answer
 * after the same work (argon2 runs either way). The attempt is counted against SIGN_IN_LIMITS
 * before the password is checked; past a limit no password is checked, and the attempt is
 * counted nowhere. A browser that signs in is remembered (a device cookie).
 */
export async function signIn(db: Db, emailInput: string, password: string, clientAddress: string, deviceToken?: string, now: number = Date.now()): Promise<SignInResult> {
  const email = normaliseEmail(emailInput).slice(0, 254);
  const [agent] = await db.select().from(agents).where(eq(agents.email, email));
  const actor = { id: agent?.id ?? null, name: agent?.name ?? null };
  const knownDevice = agent && (await deviceAgent(db, deviceToken, now)) === agent.id;
  const account = clientKey(`account:${email}`);
  const client = clientKey(clientAddress);
  const counted: [RateLimitRule, string][] = knownDevice
    ? [[SIGN_IN_LIMITS.device, hashToken(deviceToken!)]]
    : [
        [SIGN_IN_LIMITS.pair, clientKey(`${email}\n${clientAddress}`)],
        [SIGN_IN_LIMITS.client, client],
        [SIGN_IN_LIMITS.account, account],
        [SIGN_IN_LIMITS.accountDay, account],
      ];
  const hits: number[] = [];
  for (const [rule, key] of counted) {
    const limit = await consumeRateLimit(db, rule, key, now);
    if (!limit.allowed) {
      for (const hit of hits) await refundRateLimit(db, hit);
      await recordAudit(db, actor, 'sign-in.throttled', { now, details: { email } });
      return { ok: false, reason: 'throttled', retryAfter: limit.retryAfter };
    }
    hits.push(limit.hitId);
  }
  const valid = await verifyPassword(agent?.active ? agent.passwordHash : null, password);
  if (!valid || !agent) {
    await recordAudit(db, actor, 'sign-in.failed', { now, details: { email } });
    return { ok: false, reason: 'invalid' };
  }
  for (const hit of hits) await refundRateLimit(db, hit);
  await db.delete(agentSessions).where(lt(agentSessions.expiresAt, new Date(now)));
  const { token, session } = await createSession(db, agent.id, now);
  const device = knownDevice ? undefined : await rememberDevice(db, agent.id, now);
  await recordAudit(db, actor, 'sign-in', { now });
  return { ok: true, token, expiresAt: session.expiresAt, device };
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

export interface AgentProfile {
  publicName: string | null;
  signature: string | null;
  queueDensity: AgentQueueDensity;
}

/** An agent's own settings: the name residents see, the signature, how the queues read. Audit-logged. */
export async function updateProfile(db: Db, agent: Actor & { id: number }, profile: AgentProfile, now: number = Date.now()): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.update(agents).set({ ...profile, updatedAt: new Date(now) }).where(eq(agents.id, agent.id));
    await recordAudit(tx, agent, 'agent.profile', { now, details: { publicName: profile.publicName, queueDensity: profile.queueDensity } });
  });
}
