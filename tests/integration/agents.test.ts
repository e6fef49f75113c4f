import { count, eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { agentSessions, auditLog, mailOutbox } from '../../db/schema';
import {
  findAccessToken,
  inviteAgent,
  requestPasswordReset,
  setPasswordWithToken,
  SIGN_IN_LIMITS,
  signIn,
  updateAgent,
} from '../../src/lib/server/auth/agents';
import { can } from '../../src/lib/server/auth/permissions';
import { createSession, SESSION_IDLE_MS, validateSessionToken } from '../../src/lib/server/auth/session';
import type { Db } from '../../src/lib/server/db';
import { addAgent, PASSWORD } from '../helpers/agents';
import { freshDatabase } from '../helpers/db';

let db: Db;
let cleanup: () => void;
beforeEach(async () => {
  ({ db, cleanup } = await freshDatabase());
});
afterEach(() => cleanup());

const mail = { origin: 'https://aide.example.org', authority: 'CC du Val de Brenne' };
const actions = async () => (await db.select({ action: auditLog.action }).from(auditLog)).map((r) => r.action);

describe('signing in', () => {
  it('opens a session whose token is stored only as a hash', async () => {
    await addAgent(db, 'claire@example.org');
    const result = await signIn(db, ' Claire@Example.org ', PASSWORD, '10.0.0.1');
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const rows = await db.select().from(agentSessions);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.id).not.toContain(result.token);
    expect(rows[0]!.id).toMatch(/^[0-9a-f]{64}$/);
    expect((await validateSessionToken(db, result.token))?.agent.email).toBe('claire@example.org');
    expect(await actions()).toEqual(['sign-in']);
  });

  it('gives a wrong password and an unknown account the same answer, in a similar time', async () => {
    await addAgent(db, 'claire@example.org');
    const timed = async (email: string) => {
      const start = performance.now();
      const result = await signIn(db, email, 'wrong password!!', `10.0.0.${Math.random()}`);
      return { result, ms: performance.now() - start };
    };
    await timed('warm-up@example.org');
    const wrong: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 4; i += 1) {
      const a = await timed('claire@example.org');
      const b = await timed(`nobody${i}@example.org`);
      expect(a.result).toEqual({ ok: false, reason: 'invalid' });
      expect(b.result).toEqual(a.result);
      wrong.push(a.ms);
      unknown.push(b.ms);
    }
    const median = (list: number[]) => list.sort((x, y) => x - y)[Math.floor(list.length / 2)]!;
    // Both paths run argon2 (about 50 ms here); without the decoy hash, the unknown account answers in ~1 ms.
    expect(median(unknown)).toBeGreaterThan(median(wrong) * 0.5);
    expect(median(unknown)).toBeLessThan(median(wrong) * 2);
    expect(await actions()).toContain('sign-in.failed');
  });

  it('refuses every attempt on an account after five failures, even the right password, until the window ends', async () => {
    await addAgent(db, 'claire@example.org');
    const now = Date.parse('2026-11-28T10:00:00Z');
    for (let i = 0; i < SIGN_IN_LIMITS.account.limit; i += 1) {
      expect(await signIn(db, 'claire@example.org', 'wrong', `10.0.1.${i}`, now + i)).toEqual({ ok: false, reason: 'invalid' });
    }
    const blocked = await signIn(db, 'claire@example.org', PASSWORD, '10.0.2.1', now + 10);
    expect(blocked).toMatchObject({ ok: false, reason: 'throttled' });
    expect(await actions()).toContain('sign-in.throttled');
    const later = await signIn(db, 'claire@example.org', PASSWORD, '10.0.2.1', now + SIGN_IN_LIMITS.account.windowMs + 1000);
    expect(later.ok).toBe(true);
  });

  it('refuses a client after twenty failures, whatever account it tries', async () => {
    await addAgent(db, 'claire@example.org');
    const now = Date.parse('2026-11-28T10:00:00Z');
    for (let i = 0; i < SIGN_IN_LIMITS.client.limit; i += 1) await signIn(db, `guess${i}@example.org`, 'wrong', '10.9.9.9', now + i);
    expect(await signIn(db, 'claire@example.org', PASSWORD, '10.9.9.9', now + 100)).toMatchObject({ ok: false, reason: 'throttled' });
    expect((await signIn(db, 'claire@example.org', PASSWORD, '10.9.9.10', now + 100)).ok).toBe(true);
  });

  it('refuses a deactivated account with the same answer as a wrong password', async () => {
    const admin = await addAgent(db, 'admin@example.org', 'admin');
    const claire = await addAgent(db, 'claire@example.org');
    await updateAgent(db, admin, claire.id, { active: false });
    expect(await signIn(db, 'claire@example.org', PASSWORD, '10.0.0.1')).toEqual({ ok: false, reason: 'invalid' });
  });
});

describe('sessions', () => {
  it('an expired session stops working and is deleted', async () => {
    const claire = await addAgent(db, 'claire@example.org');
    const now = Date.parse('2026-11-28T10:00:00Z');
    const { token } = await createSession(db, claire.id, now);
    expect(await validateSessionToken(db, token, now + SESSION_IDLE_MS - 1)).not.toBeNull();
    expect(await validateSessionToken(db, token, now + 3 * SESSION_IDLE_MS)).toBeNull();
    expect((await db.select({ n: count() }).from(agentSessions))[0]!.n).toBe(0);
  });

  it('slides while the agent works', async () => {
    const claire = await addAgent(db, 'claire@example.org');
    const now = Date.parse('2026-11-28T08:00:00Z');
    const { token } = await createSession(db, claire.id, now);
    let at = now;
    // Eight hours of work, a page every hour: more than half the idle time, still signed in.
    for (let hour = 1; hour <= 20; hour += 1) {
      at = now + hour * 3_600_000;
      expect(await validateSessionToken(db, token, at)).not.toBeNull();
    }
    expect(at - now).toBeGreaterThan(SESSION_IDLE_MS);
  });

  it('a deactivated agent’s sessions stop working at once', async () => {
    const admin = await addAgent(db, 'admin@example.org', 'admin');
    const claire = await addAgent(db, 'claire@example.org');
    const first = await createSession(db, claire.id);
    const second = await createSession(db, claire.id);
    expect(await updateAgent(db, admin, claire.id, { active: false })).toEqual({ ok: true });
    expect(await validateSessionToken(db, first.token)).toBeNull();
    expect(await validateSessionToken(db, second.token)).toBeNull();
    expect(await actions()).toContain('admin.agent.active');
  });

  it('a forged or malformed token finds nothing', async () => {
    expect(await validateSessionToken(db, undefined)).toBeNull();
    expect(await validateSessionToken(db, 'x'.repeat(52))).toBeNull();
    expect(await validateSessionToken(db, "' or 1=1 --")).toBeNull();
  });
});

describe('invitations and passwords', () => {
  it('an invited agent chooses a password through a one-time link mailed to them', async () => {
    const admin = await addAgent(db, 'admin@example.org', 'admin');
    const invited = await inviteAgent(db, admin, { email: 'New.Agent@Example.org', name: 'Nouvel Agent', role: 'agent', locale: 'fr' }, mail);
    expect(invited.ok).toBe(true);
    if (!invited.ok) return;
    const [sent] = await db.select().from(mailOutbox);
    expect(sent!.toAddress).toBe('new.agent@example.org');
    expect(sent!.textBody).toContain(invited.link);
    const token = invited.link.split('/').at(-2)!;
    expect(await signIn(db, 'new.agent@example.org', 'anything at all', '10.0.0.1')).toEqual({ ok: false, reason: 'invalid' });
    expect(await setPasswordWithToken(db, token, 'short', Date.now())).toMatchObject({ ok: false, reason: 'weak', problem: 'auth.errors.passwordTooShort' });
    expect(await setPasswordWithToken(db, token, 'a long enough sentence')).toMatchObject({ ok: true });
    expect(await setPasswordWithToken(db, token, 'another long sentence')).toEqual({ ok: false, reason: 'invalid-link' });
    expect((await signIn(db, 'new.agent@example.org', 'a long enough sentence', '10.0.0.1')).ok).toBe(true);
    expect(await inviteAgent(db, admin, { email: 'new.agent@example.org', name: 'Encore', role: 'agent', locale: 'fr' }, mail)).toEqual({ ok: false, reason: 'email-taken' });
    expect(await actions()).toEqual(expect.arrayContaining(['admin.agent.invite', 'invitation.accepted', 'sign-in']));
  });

  it('a password reset ends every session of the account', async () => {
    const claire = await addAgent(db, 'claire@example.org');
    const session = await createSession(db, claire.id);
    await requestPasswordReset(db, 'claire@example.org', mail);
    await requestPasswordReset(db, 'nobody@example.org', mail);
    const outbox = await db.select().from(mailOutbox);
    expect(outbox.map((m) => m.toAddress)).toEqual(['claire@example.org']);
    const token = /mot-de-passe\/([a-z2-7]{52})\//.exec(outbox[0]!.textBody)![1]!;
    expect(await findAccessToken(db, token)).toMatchObject({ purpose: 'reset' });
    expect(await findAccessToken(db, token, Date.now() + 2 * 3_600_000)).toBeUndefined();
    expect(await setPasswordWithToken(db, token, 'a brand new sentence')).toMatchObject({ ok: true });
    expect(await validateSessionToken(db, session.token)).toBeNull();
  });
});

describe('roles', () => {
  it('an agent holds no administration permission; an administrator holds them all', () => {
    expect(can({ role: 'agent' }, 'request:reply')).toBe(true);
    for (const permission of ['admin:agents', 'admin:settings', 'admin:saved-replies', 'audit:read'] as const) {
      expect(can({ role: 'agent' }, permission)).toBe(false);
      expect(can({ role: 'admin' }, permission)).toBe(true);
    }
    expect(can(undefined, 'queue:read')).toBe(false);
  });

  it('the last active administrator can be neither demoted nor deactivated, and nobody locks themselves out', async () => {
    const admin = await addAgent(db, 'admin@example.org', 'admin');
    const other = await addAgent(db, 'other@example.org', 'admin');
    expect(await updateAgent(db, admin, admin.id, { role: 'agent' })).toEqual({ ok: false, reason: 'self' });
    expect(await updateAgent(db, admin, other.id, { active: false })).toEqual({ ok: true });
    expect(await updateAgent(db, { id: 999, name: 'x' }, admin.id, { role: 'agent' })).toEqual({ ok: false, reason: 'last-admin' });
    const audit = await db.select().from(auditLog).where(eq(auditLog.action, 'admin.agent.active'));
    expect(audit[0]!.details).toEqual({ agent: 'other@example.org', active: false });
  });
});
