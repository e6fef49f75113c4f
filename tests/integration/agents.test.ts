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

  it('gives a wrong password and an unknown account the same answer, after the same work', async () => {
    await addAgent(db, 'claire@example.org');
    // CPU time (all threads, argon2's included), not elapsed time: what other programs on the
    // machine do does not change it.
    const timed = async (email: string) => {
      const start = process.cpuUsage();
      const result = await signIn(db, email, 'wrong password!!', `10.0.0.${Math.random()}`);
      const used = process.cpuUsage(start);
      return { result, cpu: used.user + used.system };
    };
    await timed('warm-up@example.org');
    const wrong: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 4; i += 1) {
      const a = await timed('claire@example.org');
      const b = await timed(`nobody${i}@example.org`);
      expect(a.result).toEqual({ ok: false, reason: 'invalid' });
      expect(b.result).toEqual(a.result);
      wrong.push(a.cpu);
      unknown.push(b.cpu);
    }
    const median = (list: number[]) => list.sort((x, y) => x - y)[Math.floor(list.length / 2)]!;
    // Both paths run argon2 (tens of ms of CPU); without the decoy hash, the unknown account costs about 1 ms.
    expect(median(unknown)).toBeGreaterThan(median(wrong) / 3);
    expect(median(unknown)).toBeLessThan(median(wrong) * 3);
    expect(await actions()).toContain('sign-in.failed');
  });

  it('refuses every attempt on an account from unknown browsers after ten failures from anywhere, even the right password, until the window ends', async () => {
    await addAgent(db, 'claire@example.org');
    const now = Date.parse('2026-11-28T10:00:00Z');
    for (let i = 0; i < SIGN_IN_LIMITS.account.limit; i += 1) {
      expect(await signIn(db, 'claire@example.org', 'wrong', `10.0.1.${i}`, undefined, now + i)).toEqual({ ok: false, reason: 'invalid' });
    }
    const blocked = await signIn(db, 'claire@example.org', PASSWORD, '10.0.2.1', undefined, now + 10);
    expect(blocked).toMatchObject({ ok: false, reason: 'throttled' });
    expect(await actions()).toContain('sign-in.throttled');
    const later = await signIn(db, 'claire@example.org', PASSWORD, '10.0.2.1', undefined, now + SIGN_IN_LIMITS.account.windowMs + 1000);
    expect(later.ok).toBe(true);
  });

  it('refuses a client after twenty failures, whatever account it tries', async () => {
    await addAgent(db, 'claire@example.org');
    const now = Date.parse('2026-11-28T10:00:00Z');
    for (let i = 0; i < SIGN_IN_LIMITS.client.limit; i += 1) await signIn(db, `guess${i}@example.org`, 'wrong', '10.9.9.9', undefined, now + i);
    expect(await signIn(db, 'claire@example.org', PASSWORD, '10.9.9.9', undefined, now + 100)).toMatchObject({ ok: false, reason: 'throttled' });
    expect((await signIn(db, 'claire@example.org', PASSWORD, '10.9.9.10', undefined, now + 100)).ok).toBe(true);
  });

  it('keeps an agent signing in from their own browser while their account is hammered from elsewhere', async () => {
    await addAgent(db, 'claire@example.org');
    const now = Date.parse('2026-11-28T10:00:00Z');
    const first = await signIn(db, 'claire@example.org', PASSWORD, '10.0.0.1', undefined, now);
    if (!first.ok || !first.device) throw new Error('a first sign-in remembers the browser');
    // Ten failures from other addresses every quarter of an hour: the account is closed to unknown browsers…
    const quarter = SIGN_IN_LIMITS.account.windowMs;
    for (let round = 0; round < 3; round += 1) {
      for (let i = 0; i < 12; i += 1) await signIn(db, 'claire@example.org', `guess ${i}`, `198.51.${round}.${i}`, undefined, now + 1000 + round * quarter + i);
      expect(await signIn(db, 'claire@example.org', PASSWORD, '10.0.0.2', undefined, now + 2000 + round * quarter)).toMatchObject({ ok: false, reason: 'throttled', retryAfter: expect.any(Number) });
    }
    // …and the wait grows: after thirty failures, the day's tier holds past the quarter of an hour.
    const later = await signIn(db, 'claire@example.org', PASSWORD, '10.0.0.2', undefined, now + 3 * quarter + 5000);
    expect(later).toMatchObject({ ok: false, reason: 'throttled' });
    if (!later.ok && later.reason === 'throttled') expect(later.retryAfter).toBeGreaterThan(20 * 3600);
    // The agent's own browser, even on the attacker's address, still gets in.
    const own = await signIn(db, 'claire@example.org', PASSWORD, '198.51.0.1', first.device.token, now + 3 * quarter + 6000);
    expect(own.ok).toBe(true);
    if (own.ok) expect(own.device).toBeUndefined();
    // A device cookie of another account is no key to this one.
    await addAgent(db, 'marc@example.org');
    const marc = await signIn(db, 'marc@example.org', PASSWORD, '10.0.0.9', undefined, now + 3 * quarter + 7000);
    if (!marc.ok || !marc.device) throw new Error('marc signs in');
    expect(await signIn(db, 'claire@example.org', PASSWORD, '10.0.0.9', marc.device.token, now + 3 * quarter + 8000)).toMatchObject({ ok: false, reason: 'throttled' });
  });

  it('counts racing attempts exactly: of fifteen simultaneous wrong passwords, five are checked', async () => {
    await addAgent(db, 'claire@example.org');
    const results = await Promise.all(Array.from({ length: 15 }, (_, i) => signIn(db, 'claire@example.org', `wrong ${i}`, '10.0.0.7')));
    expect(results.filter((r) => !r.ok && r.reason === 'invalid')).toHaveLength(SIGN_IN_LIMITS.pair.limit);
    expect(results.filter((r) => !r.ok && r.reason === 'throttled')).toHaveLength(15 - SIGN_IN_LIMITS.pair.limit);
    const [failed] = await db.select({ n: count() }).from(auditLog).where(eq(auditLog.action, 'sign-in.failed'));
    expect(failed!.n).toBe(SIGN_IN_LIMITS.pair.limit);
  });

  it('does not count a right password among the failures', async () => {
    await addAgent(db, 'claire@example.org');
    const now = Date.parse('2026-11-28T10:00:00Z');
    // Four failures among ten attempts: the right ones are not counted, so none is refused…
    const tries = [false, true, true, false, true, false, false, true, true, true];
    for (const [i, right] of tries.entries()) expect((await signIn(db, 'claire@example.org', right ? PASSWORD : 'wrong', '10.0.0.1', undefined, now + i)).ok).toBe(right);
    // …until the fifth failure fills the window.
    expect(await signIn(db, 'claire@example.org', 'wrong', '10.0.0.1', undefined, now + 20)).toEqual({ ok: false, reason: 'invalid' });
    expect(await signIn(db, 'claire@example.org', PASSWORD, '10.0.0.1', undefined, now + 21)).toMatchObject({ ok: false, reason: 'throttled' });
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
