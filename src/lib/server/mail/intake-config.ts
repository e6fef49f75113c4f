/**
 * The connected mailbox's settings (one row of `mail_intake`): read by the reader, by the mail
 * templates (answers by mail join the request), and by the settings page, which never shows the
 * password again.
 */
import { and, desc, eq, gte, sql } from 'drizzle-orm';
import { inboundMails, MAIL_INTAKE_SECURITY, type MailIntakeSecurity, mailIntake } from '../../../../db/schema';
import { hasControlCharacters, isValidEmail, singleLineProblem } from '../../request-form';
import { type Actor, recordAudit } from '../audit';
import type { Db } from '../db';

type Reader = Pick<Db, 'select'>;

export interface MailIntakeConfig {
  enabled: boolean;
  host: string;
  port: number;
  security: MailIntakeSecurity;
  username: string;
  password: string;
  folder: string;
  address: string;
}

export type MailIntakeRow = typeof mailIntake.$inferSelect;

export async function loadMailIntake(db: Reader): Promise<MailIntakeRow | undefined> {
  const [row] = await db.select().from(mailIntake).where(eq(mailIntake.id, 1));
  return row;
}

/** The address residents may answer to, when a mailbox is connected and read. */
export async function replyAddress(db: Reader): Promise<string | null> {
  const [row] = await db.select({ address: mailIntake.address }).from(mailIntake).where(and(eq(mailIntake.id, 1), eq(mailIntake.enabled, true)));
  return row?.address ?? null;
}

/**
 * An administrator saves the mailbox: a password left empty keeps the one stored. Changing the
 * server, account or folder starts the reading over from the messages that arrive next (the
 * cursor belongs to the old folder); audit-logged without the password.
 */
export async function saveMailIntake(db: Db, actor: Actor, config: Omit<MailIntakeConfig, 'password'> & { password: string | null }, now: number = Date.now()) {
  await db.transaction(async (tx) => {
    const before = await loadMailIntake(tx);
    const password = config.password ?? before?.password ?? '';
    const moved = !before || before.host !== config.host || before.port !== config.port || before.username !== config.username || before.folder !== config.folder;
    const values = { ...config, password, updatedAt: new Date(now), failures: 0, lastError: null, nextCheckAt: null, ...(moved ? { uidValidity: null, lastUid: 0 } : {}) };
    await tx
      .insert(mailIntake)
      .values({ id: 1, ...values })
      .onConflictDoUpdate({ target: mailIntake.id, set: values });
    const shown = (c: Partial<Omit<MailIntakeConfig, 'password'>> | undefined) => (c ? { enabled: c.enabled, host: c.host, port: c.port, security: c.security, username: c.username, folder: c.folder, address: c.address } : null);
    await recordAudit(tx, actor, 'admin.mailbox', { now, details: { from: shown(before), to: shown(config), passwordChanged: config.password !== null } });
  });
}

export const MAIL_INTAKE_FIELD_LIMITS = { host: 253, username: 254, password: 500, folder: 200 } as const;

type Values = { get(name: string): string };
type Problem = { field: string; message: string; params?: Record<string, string | number> };

/** The settings form, checked: what is wrong next to each field, or the configuration to save. */
export function validateMailIntake(values: Values, hasPassword: boolean): { ok: true; config: Omit<MailIntakeConfig, 'password'> & { password: string | null } } | { ok: false; errors: Problem[] } {
  const errors: Problem[] = [];
  const line = (name: keyof typeof MAIL_INTAKE_FIELD_LIMITS | 'address', max: number, required: boolean) => {
    const value = values.get(name).trim();
    if (required && value === '') errors.push({ field: name, message: `agent.mailbox.errors.${name}Required` });
    else if (value.length > max) errors.push({ field: name, message: 'agent.errors.tooLong', params: { max, count: value.length } });
    else if (hasControlCharacters(value)) errors.push({ field: name, message: 'request.errors.controlCharacters' });
    else if (singleLineProblem(value)) errors.push({ field: name, message: singleLineProblem(value)! });
    return value;
  };
  const enabled = values.get('enabled') === '1';
  const address = line('address', 254, true).toLowerCase();
  if (address && !errors.some((e) => e.field === 'address') && !isValidEmail(address)) errors.push({ field: 'address', message: 'agent.errors.emailInvalid' });
  const host = line('host', MAIL_INTAKE_FIELD_LIMITS.host, true);
  if (host && !errors.some((e) => e.field === 'host') && !/^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$|^\[?[0-9a-fA-F:.]+\]?$/.test(host)) errors.push({ field: 'host', message: 'agent.mailbox.errors.hostInvalid' });
  const portText = values.get('port').trim();
  const port = /^\d{1,5}$/.test(portText) ? Number(portText) : NaN;
  if (!(port >= 1 && port <= 65535)) errors.push({ field: 'port', message: 'agent.mailbox.errors.port' });
  const security = (MAIL_INTAKE_SECURITY as readonly string[]).includes(values.get('security')) ? (values.get('security') as MailIntakeSecurity) : undefined;
  if (!security) errors.push({ field: 'security', message: 'agent.mailbox.errors.securityRequired' });
  const username = line('username', MAIL_INTAKE_FIELD_LIMITS.username, true);
  // The password is never shown again: left empty, the one stored stays.
  const password = values.get('password');
  if (password === '' && !hasPassword) errors.push({ field: 'password', message: 'agent.mailbox.errors.passwordRequired' });
  else if (password.length > MAIL_INTAKE_FIELD_LIMITS.password) errors.push({ field: 'password', message: 'agent.errors.tooLong', params: { max: MAIL_INTAKE_FIELD_LIMITS.password, count: password.length } });
  const folder = line('folder', MAIL_INTAKE_FIELD_LIMITS.folder, true);
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, config: { enabled, address, host: host.replace(/^\[|\]$/g, ''), port, security: security!, username, password: password === '' ? null : password, folder } };
}

/** What the settings page shows of the reading: the last 30 days' outcomes, and the messages set aside lately. */
export async function mailIntakeActivity(db: Reader, now: number = Date.now()) {
  const since = new Date(now - 30 * 86_400_000);
  const totals = await db
    .select({ outcome: inboundMails.outcome, reason: inboundMails.reason, n: sql<number>`count(*)` })
    .from(inboundMails)
    .where(gte(inboundMails.receivedAt, since))
    .groupBy(inboundMails.outcome, inboundMails.reason);
  const setAside = await db
    .select({ at: inboundMails.receivedAt, from: inboundMails.fromAddress, reason: inboundMails.reason })
    .from(inboundMails)
    .where(and(eq(inboundMails.outcome, 'ignored'), gte(inboundMails.receivedAt, since)))
    .orderBy(desc(inboundMails.id))
    .limit(20);
  const sum = (outcome: string) => totals.filter((t) => t.outcome === outcome).reduce((a, t) => a + t.n, 0);
  return { requests: sum('request'), replies: sum('reply'), ignored: sum('ignored'), setAside };
}
