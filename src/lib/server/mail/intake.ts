/**
 * Requests received by mail. An administrator connects the authority's mailbox (IMAP); every
 * new message becomes a request with the channel "e-mail" (its attachments kept as the online
 * form would keep them), an answer in the same thread joins its request, and what a program sent
 * (out-of-office replies, bounces, newsletters, our own mail coming back) is set aside.
 *
 * Nothing is lost: a message is stored (request, answer or "ignored" record) in one transaction
 * keyed by its Message-ID, and the reading position moves past it only afterwards. A mailbox that
 * does not answer is tried again later, from where the reading stood. One server reads at a time
 * (a lease in the database); the others skip.
 */
import { createHash } from 'node:crypto';
import EmailReplyParser from 'email-reply-parser';
import { ImapFlow } from 'imapflow';
import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';
import { and, count, desc, eq, gte, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import { inboundMails, mailIntake, mailThreads, messages, REQUEST_LIMITS, requesters, requests } from '../../../../db/schema';
import { useTranslations } from '../../../i18n';
import { BIDI_CONTROLS, isValidEmail } from '../../request-form';
import type { Db } from '../db';
import { addRequesterReplyIn, createRequestIn, type RequestSettings, type Tx } from '../requests';
import { ACCEPTED_TYPES, detectFileType, safeFileName, type Upload } from '../requests/files';
import { loadMailIntake, type MailIntakeConfig, type MailIntakeRow } from './intake-config';
import { mailFrom } from './sender';

export const MAIL_INTAKE_LIMITS = {
  /** A larger message is not downloaded: its request says so, and it stays in the mailbox. */
  messageBytes: 25 * 1024 * 1024,
  /** Messages stored per reading; the next reading follows at once when more are waiting. */
  perCheck: 50,
  /** New requests from one address in an hour, beyond which its mail is set aside (a loop with a robot). */
  requestsPerSenderPerHour: 10,
  /** Inline images smaller than this are logos and tracking pixels, not documents. */
  inlineImageMinBytes: 10 * 1024,
  /** Tries at storing one message before it is set aside (left in the mailbox, reported). */
  tries: 3,
} as const;

/** Time between two readings, and the longest wait after failures. */
export const CHECK_INTERVAL_MS = 60_000;
const MAX_BACKOFF_MS = 15 * 60_000;
const LEASE_MS = 5 * 60_000;
const TIMEOUTS = { connectionTimeout: 15_000, greetingTimeout: 15_000, socketTimeout: 60_000 };

export type IgnoreReason = 'auto-reply' | 'bounce' | 'bulk' | 'loop' | 'flood' | 'no-sender' | 'unreadable';

/** A message as read from the mailbox, before anything is stored. */
export interface IncomingMail {
  /** Its Message-ID, or a digest of its content when it has none. */
  key: string;
  messageId: string | null;
  /** The Message-IDs it answers (`In-Reply-To`, `References`). */
  threadIds: string[];
  from: { address: string; name: string } | null;
  /** Where the answer should go, when it is not the sender. */
  replyTo: string | null;
  subject: string;
  text: string;
  attachments: { fileName: string; data: Buffer; inline: boolean }[];
  /** A program sent it (an out-of-office reply, a bounce, a mailing list). */
  automated: IgnoreReason | null;
  /** Too large to be read: its size in bytes (only the headers were read). */
  tooLarge?: number;
}

const headerText = (value: unknown) => (typeof value === 'string' ? value : value && typeof value === 'object' && 'value' in value ? String((value as { value: unknown }).value) : '').trim().toLowerCase();

/**
 * What betrays a program: RFC 3834's `Auto-Submitted`, the older `X-Autoreply` family and
 * `Precedence`, mailing-list headers, delivery reports and the mailer daemons that send them.
 */
export function automatedBy(parsed: Pick<ParsedMail, 'headers'>, fromAddress: string | undefined): IgnoreReason | null {
  const h = parsed.headers;
  const autoSubmitted = headerText(h.get('auto-submitted'));
  if (autoSubmitted && autoSubmitted !== 'no') return 'auto-reply';
  if (['x-autoreply', 'x-autorespond', 'x-autoresponder', 'x-autoreply-from', 'x-mail-autoreply'].some((name) => h.has(name))) return 'auto-reply';
  const precedence = headerText(h.get('precedence'));
  if (precedence === 'auto_reply') return 'auto-reply';
  if (['bulk', 'junk', 'list'].includes(precedence)) return 'bulk';
  if (headerText(h.get('content-type')) === 'multipart/report' || h.has('x-failed-recipients')) return 'bounce';
  const local = fromAddress?.split('@')[0]?.toLowerCase() ?? '';
  if (['mailer-daemon', 'postmaster'].includes(local)) return 'bounce';
  if (h.has('list-id') || h.has('list-unsubscribe')) return 'bulk';
  return null;
}

const firstAddress = (value: AddressObject | AddressObject[] | undefined) => (Array.isArray(value) ? value[0] : value)?.value.find((a) => a.address);

const ids = (value: string | string[] | undefined) => (Array.isArray(value) ? value : (value ?? '').split(/\s+/)).map((id) => id.trim()).filter((id) => /^<[^<>\s]+>$/.test(id));

/** Reads a raw message (or only its headers, for one too large to download). */
export async function readMessage(source: Buffer, tooLarge?: number): Promise<IncomingMail> {
  const parsed = await simpleParser(source, { skipImageLinks: true, skipTextToHtml: true, keepCidLinks: false });
  const from = firstAddress(parsed.from);
  const address = from?.address?.trim().toLowerCase();
  const replyTo = firstAddress(parsed.replyTo)?.address?.trim().toLowerCase() ?? null;
  return {
    key: parsed.messageId?.trim() || `<sha256.${createHash('sha256').update(source).digest('hex')}@guichet>`,
    messageId: parsed.messageId?.trim() || null,
    threadIds: [...ids(parsed.inReplyTo), ...ids(parsed.references)],
    from: address ? { address, name: from?.name?.trim() ?? '' } : null,
    replyTo: replyTo && replyTo !== address ? replyTo : null,
    subject: (parsed.subject ?? '').trim(),
    text: parsed.text ?? '',
    attachments: tooLarge ? [] : parsed.attachments.map((a) => ({ fileName: a.filename ?? '', data: a.content, inline: a.contentDisposition === 'inline' || a.related === true })),
    automated: automatedBy(parsed, address),
    ...(tooLarge ? { tooLarge } : {}),
  };
}

/** Text as the database takes it: no control characters, no direction overrides, at most `max` characters. */
function clean(text: string, max: number): string {
  const plain = text
    .replace(/\r\n?/g, '\n')
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '')
    .replace(BIDI_CONTROLS, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  const cut = ' […]';
  return plain.length <= max ? plain : `${plain.slice(0, max - cut.length).trimEnd()}${cut}`;
}

/** An answer without the message it quotes (which may hold the private link). */
function answerPart(text: string): string {
  const fragments = new EmailReplyParser().read(text).getFragments();
  const own = fragments.filter((f) => !f.isQuoted()).map((f) => f.getContent()).join('\n');
  return own.trim() || text;
}

/** The files kept (as the online form would keep them) and the names of those left out. */
function sortAttachments(mail: IncomingMail, room: number): { kept: Upload[]; dropped: string[] } {
  const kept: Upload[] = [];
  const dropped: string[] = [];
  for (const file of mail.attachments) {
    const type = detectFileType(file.data);
    if (file.inline && type?.startsWith('image/') && file.data.byteLength < MAIL_INTAKE_LIMITS.inlineImageMinBytes) continue;
    const name = file.fileName.replace(/[\u0000-\u001f\u007f,:]/g, '').trim() || (type ? `piece-jointe.${ACCEPTED_TYPES[type]}` : 'piece-jointe');
    if (!type || file.data.byteLength === 0 || file.data.byteLength > REQUEST_LIMITS.fileBytes || kept.length >= room) dropped.push(name.slice(0, REQUEST_LIMITS.fileName));
    else kept.push({ fileName: safeFileName(file.fileName, type), contentType: type, size: file.data.byteLength, data: file.data });
  }
  return { kept, dropped };
}

/** A reference quoted in the subject ("Demande n° 123-456-789"), in the order it appears. */
const REFERENCE = /(?<!\d)(\d{3})[ .-]?(\d{3})[ .-]?(\d{3})(?!\d)/g;

/**
 * The request a message answers: one whose mail it names in `In-Reply-To`/`References` (their
 * Message-IDs are random, so this cannot be forged), or whose reference is in the subject when
 * it comes from the address the request gave (anyone may type a reference).
 */
async function threadOf(tx: Tx, mail: IncomingMail) {
  if (mail.threadIds.length > 0) {
    const [row] = await tx
      .select({ id: requests.id, status: requests.status, reference: requests.reference, anonymizedAt: requests.anonymizedAt })
      .from(mailThreads)
      .innerJoin(requests, eq(requests.id, mailThreads.requestId))
      .where(inArray(mailThreads.messageId, mail.threadIds.slice(0, 100)))
      .orderBy(desc(mailThreads.createdAt))
      .limit(1);
    if (row && !row.anonymizedAt) return row;
  }
  for (const match of mail.subject.matchAll(REFERENCE)) {
    const reference = `${match[1]}${match[2]}${match[3]}`;
    const [row] = await tx
      .select({ id: requests.id, status: requests.status, reference: requests.reference, anonymizedAt: requests.anonymizedAt })
      .from(requests)
      .innerJoin(requesters, eq(requesters.id, requests.requesterId))
      .where(and(eq(requests.reference, reference), sql`lower(${requesters.email}) = ${mail.from?.address ?? ''}`, isNull(requests.anonymizedAt)));
    if (row) return row;
  }
  return undefined;
}

export type StoreOutcome = { outcome: 'request' | 'reply'; requestId: number; reference: string } | { outcome: 'ignored'; reason: IgnoreReason } | { outcome: 'duplicate' };

async function systemNote(tx: Tx, requestId: number, body: string, now: number) {
  await tx.insert(messages).values({ requestId, author: 'system', authorName: null, internal: false, channel: 'web', body, createdAt: new Date(now) });
}

/**
 * Stores one message, in one transaction: a new request, an answer added to its request, or
 * a record of why it was set aside. A message already stored (same key) is left alone.
 */
export async function storeIncoming(db: Db, mail: IncomingMail, context: { ownAddresses: string[]; settings: RequestSettings }, now: number = Date.now()): Promise<StoreOutcome> {
  return db.transaction(async (tx): Promise<StoreOutcome> => {
    const [seen] = await tx.select({ id: inboundMails.id }).from(inboundMails).where(eq(inboundMails.messageKey, mail.key));
    if (seen) return { outcome: 'duplicate' };
    const from = mail.from?.address ?? null;
    const ignore = async (reason: IgnoreReason): Promise<StoreOutcome> => {
      await tx.insert(inboundMails).values({ messageKey: mail.key, fromAddress: from, outcome: 'ignored', reason, receivedAt: new Date(now) });
      return { outcome: 'ignored', reason };
    };
    if (!from || !isValidEmail(from)) return ignore('no-sender');
    // Our own mail coming back (to the mailbox itself, or a copy of a mail we sent) would answer itself forever.
    if (context.ownAddresses.includes(from)) return ignore('loop');
    if (mail.messageId) {
      const [ours] = await tx.select({ id: mailThreads.requestId }).from(mailThreads).where(eq(mailThreads.messageId, mail.messageId));
      if (ours) return ignore('loop');
    }
    if (mail.automated) return ignore(mail.automated);
    const remember = async (requestId: number) => {
      if (mail.messageId) await tx.insert(mailThreads).values({ messageId: mail.messageId, requestId, createdAt: new Date(now) }).onConflictDoNothing();
    };

    const thread = await threadOf(tx, mail);
    if (thread && thread.status !== 'closed') {
      const { kept, dropped } = sortAttachments(mail, REQUEST_LIMITS.files);
      const [request] = await tx.select({ locale: requests.locale }).from(requests).where(eq(requests.id, thread.id));
      const body = clean(answerPart(mail.text), REQUEST_LIMITS.message) || useTranslations(request?.locale ?? 'fr')('request.mail.noText');
      const added = await addRequesterReplyIn(tx, thread.id, body, kept, now);
      if (added.ok) {
        if (dropped.length > 0) await systemNote(tx, thread.id, `mail-dropped:${dropped.join(', ')}`, now);
        await remember(thread.id);
        await tx.insert(inboundMails).values({ messageKey: mail.key, fromAddress: from, outcome: 'reply', requestId: thread.id, receivedAt: new Date(now) });
        return { outcome: 'reply', requestId: thread.id, reference: thread.reference };
      }
    }

    // A new request. A robot that escaped the headers above cannot open hundreds of them.
    const [recent] = await tx
      .select({ n: count() })
      .from(inboundMails)
      .where(and(eq(inboundMails.fromAddress, from), eq(inboundMails.outcome, 'request'), gte(inboundMails.receivedAt, new Date(now - 3_600_000))));
    if ((recent?.n ?? 0) >= MAIL_INTAKE_LIMITS.requestsPerSenderPerHour) return ignore('flood');
    const t = useTranslations('fr');
    const { kept, dropped } = sortAttachments(mail, REQUEST_LIMITS.files);
    const subject = clean(mail.subject, REQUEST_LIMITS.procedure);
    const name = clean(mail.from!.name.replace(/^["']|["']$/g, ''), REQUEST_LIMITS.name) || from.split('@')[0]!.slice(0, REQUEST_LIMITS.name);
    const email = mail.replyTo && isValidEmail(mail.replyTo) ? mail.replyTo : from;
    const created = await createRequestIn(
      tx,
      {
        who: 'resident',
        name,
        email,
        channel: 'email',
        procedure: subject || t('request.mail.noSubject'),
        category: 'other',
        description: clean(mail.text, REQUEST_LIMITS.description) || subject || t('request.mail.noText'),
        locale: 'fr',
        intake: 'email',
      },
      context.settings,
      { now, files: kept, notify: true },
    );
    if (thread) await systemNote(tx, created.id, `mail-follow-up:${thread.reference}`, now);
    if (mail.tooLarge) await systemNote(tx, created.id, `mail-too-large:${Math.ceil(mail.tooLarge / (1024 * 1024))}`, now);
    if (dropped.length > 0) await systemNote(tx, created.id, `mail-dropped:${dropped.join(', ')}`, now);
    await remember(created.id);
    await tx.insert(inboundMails).values({ messageKey: mail.key, fromAddress: from, outcome: 'request', requestId: created.id, receivedAt: new Date(now) });
    return { outcome: 'request', requestId: created.id, reference: created.reference };
  });
}

/** The addresses that are the portal itself: the mailbox, its account, the sender of our mail. */
export function ownAddresses(config: Pick<MailIntakeConfig, 'address' | 'username'>, env: NodeJS.ProcessEnv = process.env): string[] {
  const sender = mailFrom(env).match(/<([^<>]+)>\s*$/)?.[1] ?? mailFrom(env);
  return [...new Set([config.address, config.username, sender].map((a) => a.trim().toLowerCase()).filter((a) => a.includes('@')))];
}

export function imapClient(config: Pick<MailIntakeConfig, 'host' | 'port' | 'security' | 'username' | 'password'>): ImapFlow {
  return new ImapFlow({
    host: config.host,
    port: config.port,
    secure: config.security === 'tls',
    // STARTTLS when asked for (and then required); never attempted on a plain connection.
    doSTARTTLS: config.security === 'starttls' ? true : config.security === 'none' ? false : undefined,
    auth: { user: config.username, pass: config.password },
    logger: false,
    disableAutoIdle: true,
    ...TIMEOUTS,
  });
}

/**
 * Signs in and opens the folder, to tell an administrator at once whether the settings work,
 * and which one is wrong: the server, the account, or the folder.
 */
export async function tryMailbox(config: MailIntakeConfig): Promise<{ ok: true; messages: number } | { ok: false; field: 'host' | 'password' | 'folder'; error: string }> {
  const client = imapClient(config);
  client.on('error', () => undefined);
  let field: 'host' | 'password' | 'folder' = 'host';
  try {
    await client.connect();
    field = 'folder';
    const status = await client.status(config.folder, { messages: true });
    if (!status) throw new Error(`NONEXISTENT ${config.folder}`);
    return { ok: true, messages: status.messages ?? 0 };
  } catch (error) {
    const refused = (error as { authenticationFailed?: boolean }).authenticationFailed === true;
    return { ok: false, field: refused ? 'password' : field, error: describeError(error) };
  } finally {
    await client.logout().catch(() => client.close());
  }
}

function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error).slice(0, 300);
  const detail = error as Error & { code?: string; responseText?: string; authenticationFailed?: boolean };
  if (detail.authenticationFailed) return 'AUTHENTICATIONFAILED';
  return [detail.code, detail.responseText || detail.message].filter(Boolean).join(': ').slice(0, 300);
}

export interface CheckResult {
  /** Why nothing was read: the mailbox is not connected, or another server is reading it. */
  skipped?: 'disabled' | 'busy';
  read: number;
  requests: number;
  replies: number;
  ignored: number;
  error?: string;
  /** More messages are waiting than one reading takes. */
  more?: boolean;
}

/** Reads the raw message `uid`, stopping at `limit` bytes whatever the server announced. */
async function download(client: ImapFlow, uid: number, limit: number): Promise<Buffer | undefined> {
  const { content } = await client.download(String(uid), undefined, { uid: true });
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of content as AsyncIterable<Buffer>) {
    size += chunk.byteLength;
    if (size > limit) {
      (content as unknown as { destroy?: () => void }).destroy?.();
      return undefined;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

const databaseAnswers = (db: Db) =>
  db.$client.execute('select 1').then(
    () => true,
    () => false,
  );

async function claimLease(db: Db, now: number): Promise<MailIntakeRow | undefined> {
  const [row] = await db
    .update(mailIntake)
    .set({ lockedUntil: new Date(now + LEASE_MS), lastCheckAt: new Date(now) })
    .where(and(eq(mailIntake.id, 1), eq(mailIntake.enabled, true), or(isNull(mailIntake.lockedUntil), lt(mailIntake.lockedUntil, new Date(now)))))
    .returning();
  return row;
}

/**
 * One reading of the mailbox: the messages that arrived since the last one, oldest first, each
 * stored before the reading position moves past it. The first reading (or one after the folder
 * was recreated) takes only the unread messages, not years of archives.
 */
export async function checkMailbox(db: Db, settings: RequestSettings, options: { now?: () => number } = {}): Promise<CheckResult> {
  const clock = options.now ?? Date.now;
  const result: CheckResult = { read: 0, requests: 0, replies: 0, ignored: 0 };
  const config = await loadMailIntake(db);
  if (!config?.enabled) return { ...result, skipped: 'disabled' };
  const row = await claimLease(db, clock());
  if (!row) return { ...result, skipped: 'busy' };
  const client = imapClient(row);
  // A connection that drops is reported through the command that fails; this keeps it from crashing the process.
  client.on('error', () => undefined);
  let failingUid = row.failingUid;
  let failures = row.failures;
  let stage = 'connect';
  try {
    await client.connect();
    stage = 'folder';
    const lock = await client.getMailboxLock(row.folder);
    try {
      const mailbox = client.mailbox;
      const uidValidity = mailbox ? String(mailbox.uidValidity) : '';
      // A first reading (or the folder was recreated): the unread messages only; the position is
      // set once they are all stored, to what the folder held when the reading began.
      const firstReading = row.uidValidity !== uidValidity;
      const uidNext = mailbox ? Number(mailbox.uidNext) : 1;
      const lastUid = row.lastUid;
      const uids = firstReading
        ? ((await client.search({ seen: false }, { uid: true })) || []).sort((a, b) => a - b)
        : ((await client.search({ uid: `${lastUid + 1}:*` }, { uid: true })) || []).filter((uid) => uid > lastUid).sort((a, b) => a - b);
      result.more = uids.length > MAIL_INTAKE_LIMITS.perCheck;
      const own = ownAddresses(row);
      for (const uid of uids.slice(0, MAIL_INTAKE_LIMITS.perCheck)) {
        stage = 'message';
        const meta = await client.fetchOne(String(uid), { uid: true, size: true, headers: true }, { uid: true });
        if (!meta) continue;
        let stored: StoreOutcome;
        let mail: IncomingMail | undefined;
        try {
          const size = meta.size ?? 0;
          const source = size > MAIL_INTAKE_LIMITS.messageBytes ? undefined : await download(client, uid, MAIL_INTAKE_LIMITS.messageBytes);
          mail = source ? await readMessage(source) : await readMessage(meta.headers ?? Buffer.alloc(0), Math.max(size, MAIL_INTAKE_LIMITS.messageBytes + 1));
          stored = await storeIncoming(db, mail, { ownAddresses: own, settings }, clock());
        } catch (error) {
          // The mailbox or the database failed: the reading stops here and is tried again later.
          if (!client.usable || !(await databaseAnswers(db))) throw error;
          // This message could not be stored: tried again at the next readings, then set aside.
          failures = failingUid === uid ? failures + 1 : 1;
          failingUid = uid;
          if (failures < MAIL_INTAKE_LIMITS.tries) throw error;
          await db
            .insert(inboundMails)
            .values({ messageKey: mail?.key ?? `<unreadable.${uidValidity}.${uid}@guichet>`, fromAddress: mail?.from?.address ?? null, outcome: 'ignored', reason: 'unreadable', receivedAt: new Date(clock()) })
            .onConflictDoNothing();
          stored = { outcome: 'ignored', reason: 'unreadable' };
          console.error(`Mail intake: message ${uid} set aside after ${failures} tries:`, describeError(error));
        }
        failingUid = null;
        failures = 0;
        await db
          .update(mailIntake)
          .set({ ...(firstReading ? {} : { lastUid: uid }), failingUid: null, failures: 0, lockedUntil: new Date(clock() + LEASE_MS) })
          .where(eq(mailIntake.id, 1));
        result.read += 1;
        if (stored.outcome === 'request') result.requests += 1;
        else if (stored.outcome === 'reply') result.replies += 1;
        else if (stored.outcome === 'ignored') result.ignored += 1;
        // Read by the portal: marked as seen for whoever opens the mailbox too; a message set
        // aside stays unread there (unless the first reading, which looks for unread ones, met it).
        if (firstReading || stored.outcome !== 'ignored' || stored.reason !== 'unreadable') await client.messageFlagsAdd(String(uid), ['\\Seen'], { uid: true }).catch(() => undefined);
      }
      if (firstReading && !result.more) await db.update(mailIntake).set({ uidValidity, lastUid: Math.max(0, uidNext - 1) }).where(eq(mailIntake.id, 1));
    } finally {
      lock.release();
    }
    await db
      .update(mailIntake)
      .set({ lockedUntil: null, lastSuccessAt: new Date(clock()), lastError: null, failures: 0, failingUid: null, nextCheckAt: new Date(clock() + (result.more ? 0 : CHECK_INTERVAL_MS)) })
      .where(eq(mailIntake.id, 1));
  } catch (error) {
    const message = `${stage}: ${describeError(error)}`;
    result.error = message;
    const attempts = Math.max(failures, row.failures + 1);
    await db
      .update(mailIntake)
      .set({ lockedUntil: null, lastError: message, failures: attempts, failingUid, nextCheckAt: new Date(clock() + Math.min(CHECK_INTERVAL_MS * 2 ** (attempts - 1), MAX_BACKOFF_MS)) })
      .where(eq(mailIntake.id, 1));
  } finally {
    await client.logout().catch(() => client.close());
  }
  return result;
}

let started = false;
let running: Promise<unknown> | undefined;

/**
 * Reads the connected mailbox from this server process when it is due (every minute, later
 * after failures); several processes may run this, the lease lets one read at a time.
 */
export function startMailIntake(getDb: () => Promise<Db>, getSettings: () => Promise<RequestSettings>) {
  if (started) return;
  started = true;
  const tick = () => {
    running ??= (async () => {
      const db = await getDb();
      const [row] = await db.select({ enabled: mailIntake.enabled, nextCheckAt: mailIntake.nextCheckAt }).from(mailIntake).where(eq(mailIntake.id, 1));
      if (!row?.enabled || (row.nextCheckAt && row.nextCheckAt.getTime() > Date.now())) return;
      const result = await checkMailbox(db, await getSettings());
      if (result.error) console.error('Mail intake:', result.error);
    })()
      .catch((error: unknown) => console.error('Mail intake failed:', error instanceof Error ? error.message : error))
      .finally(() => (running = undefined));
  };
  const timer = setInterval(tick, 15_000);
  timer.unref();
}
