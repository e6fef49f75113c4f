/**
 * Residents' requests: creating one (from a finished draft, or directly for demo data and
 * agents), reaching it through its private link, the public conversation, and the mail each
 * event sends. Every function takes the database, so tests pass their own.
 */
import { randomInt } from 'node:crypto';
import { and, asc, eq, sql } from 'drizzle-orm';
import {
  agents,
  attachments,
  messageLinks,
  messages,
  REQUEST_LIMITS,
  requestAccessTokens,
  requestDrafts,
  requesters,
  requests,
  type IntakeChannel,
  type MessageChannel,
  type RequestStatus,
  statusHistory,
} from '../../../../db/schema';
import { recordAudit } from '../audit';
import { type Locale, trackPath } from '../../../i18n/routes';
import { publicAgentName } from '../../agent-names';
import { type DraftData, missingSteps, type Step } from '../../request-form';
import type { Db } from '../db';
import { replyAddress } from '../mail/intake-config';
import { enqueueMail } from '../mail/outbox';
import { asksSatisfaction, satisfactionOf } from '../evaluation/satisfaction';
import { chatHub } from '../chat/events';
import { helpLinks } from './help-links';
import { acknowledgementMail, linkMail, type Mail, type MailContext, replyMail, statusMail } from '../mail/templates';
import { deadlines, loadWorkspaceSettings } from '../workspace/settings';
import type { Upload } from './files';
import { generateToken, hashToken, isWellFormedToken, trackingTokenFor } from './tokens';

export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
type Conn = Db | Tx;

export interface RequestSettings {
  /** Public origin for the links in mail, e.g. https://aide.example.fr */
  origin: string;
  authority: { name: string; phone: string };
  /** Working days to the first answer. */
  answerWorkingDays: number;
}

/** A tracking link keeps working this long after its request was closed. */
export const LINK_DAYS_AFTER_CLOSE = 90;

export type NewRequest = Required<Pick<DraftData, 'procedure' | 'category' | 'description' | 'who' | 'name' | 'channel'>> &
  Omit<DraftData, 'done'> & {
    locale: Locale;
    /** How it arrived (default: filed online). */
    intake?: IntakeChannel;
    /** The agent who filed it for the resident (the status history names them). */
    filedBy?: { id: number; name: string };
    /** The agent who takes it from the start. */
    assigneeId?: number;
  };


async function unusedReference(tx: Conn): Promise<string> {
  for (;;) {
    const reference = String(randomInt(0, 1_000_000_000)).padStart(9, '0');
    const [taken] = await tx.select({ id: requests.id }).from(requests).where(eq(requests.reference, reference));
    if (!taken) return reference;
  }
}

/** A new private link for a request (each mail that carries a link gets its own). */
async function issueToken(tx: Conn, requestId: number, now: number, token: string = generateToken()): Promise<string> {
  await tx.insert(requestAccessTokens).values({ requestId, tokenHash: hashToken(token), createdAt: new Date(now) });
  return token;
}

/** Who a mail about a request goes to, and in which language. */
interface Recipient {
  id: number;
  reference: string;
  procedure: string;
  locale: Locale;
  name: string;
  email: string;
}

const recipientOf = (request: TrackedRequest, locale: Locale = request.locale): Recipient => ({
  id: request.id,
  reference: request.reference,
  procedure: request.procedure,
  locale,
  name: request.requester.name,
  email: request.requester.email!,
});

/**
 * Queues a mail carrying a private link to the request: a new link unless `token` is given
 * (the acknowledgement carries the one just issued with the request).
 */
async function mailWithLink(tx: Conn, to: Recipient, kind: string, compose: (context: MailContext) => Mail, settings: RequestSettings, now: number, token?: string) {
  const link = token ?? (await issueToken(tx, to.id, now));
  const replyTo = await replyAddress(tx);
  const context: MailContext = {
    replyByMail: replyTo !== null,
    locale: to.locale,
    reference: to.reference,
    name: to.name,
    procedure: to.procedure,
    link: new URL(trackPath(to.locale, link), settings.origin).href,
    authority: settings.authority,
  };
  await enqueueMail(tx, { ...compose(context), to: to.email, kind, locale: to.locale, requestId: to.id, replyTo }, now);
}

async function insertRequest(tx: Tx, input: NewRequest, token: string, settings: RequestSettings, now: number, notify: boolean) {
  const created = new Date(now);
  const [person] = await tx
    .insert(requesters)
    .values({
      kind: input.who,
      name: input.name,
      email: input.email ?? null,
      phone: input.phone ?? null,
      helperName: input.who === 'helper' ? (input.helperName ?? null) : null,
      helperOrganisation: input.who === 'helper' ? (input.helperOrganisation ?? null) : null,
      personAgreed: input.who === 'helper' ? input.personAgreed === true : null,
      staffService: input.who === 'staff' ? (input.staffService ?? null) : null,
      createdAt: created,
    })
    .returning({ id: requesters.id });
  const reference = await unusedReference(tx);
  // The targets administrators set (defaults: the authority's promise, a week for accessibility).
  const { dueAt: due, resolutionDueAt } = deadlines(created, input.category, 'normal', await loadWorkspaceSettings(tx, settings.answerWorkingDays));
  const [row] = await tx
    .insert(requests)
    .values({
      reference,
      requesterId: person!.id,
      requesterKind: input.who,
      status: 'new',
      locale: input.locale,
      procedure: input.procedure,
      category: input.category,
      stage: input.stage ?? null,
      description: input.description,
      channel: input.channel,
      intake: input.intake ?? 'web',
      assigneeId: input.assigneeId ?? null,
      callbackSlots: input.channel === 'phone' ? (input.callbackSlots ?? []) : null,
      helpPlace: input.channel === 'in-person' ? (input.helpPlace ?? null) : null,
      needs: input.needs ?? [],
      needsLanguage: input.needsLanguage ?? null,
      consentAt: created,
      createdAt: created,
      updatedAt: created,
      dueAt: due,
      resolutionDueAt,
    })
    .returning({ id: requests.id });
  const id = row!.id;
  await issueToken(tx, id, now, token);
  await tx.insert(statusHistory).values({ requestId: id, fromStatus: null, toStatus: 'new', actor: input.filedBy ? 'agent' : 'requester', actorName: input.filedBy?.name ?? input.name, createdAt: created });
  if (input.filedBy) await recordAudit(tx, input.filedBy, 'request.file', { requestId: id, now, details: { intake: input.intake ?? 'web' } });
  if (notify && input.email) {
    const to = { id, reference, procedure: input.procedure, locale: input.locale, name: input.name, email: input.email };
    await mailWithLink(tx, to, 'acknowledgement', (context) => acknowledgementMail(context, due), settings, now, token);
  }
  return { id, reference, dueAt: due };
}

/** Creates a request in one go (demo data, requests typed in by agents). */
export async function createRequest(
  db: Db,
  input: NewRequest,
  settings: RequestSettings,
  options: { now?: number; notify?: boolean; files?: Upload[] } = {},
) {
  return db.transaction((tx) => createRequestIn(tx, input, settings, options));
}

/** The same, inside the caller's transaction (a mail read from the mailbox is stored with its record). */
export async function createRequestIn(tx: Tx, input: NewRequest, settings: RequestSettings, options: { now?: number; notify?: boolean; files?: Upload[] } = {}) {
  const now = options.now ?? Date.now();
  const token = generateToken();
  const created = await insertRequest(tx, input, token, settings, now, options.notify ?? true);
  if (options.files?.length) {
    await tx.insert(attachments).values(options.files.map((f) => ({ requestId: created.id, fileName: f.fileName, contentType: f.contentType, size: f.size, data: f.data, createdAt: new Date(now) })));
  }
  return { ...created, token };
}

/**
 * A private link for a printed slip (the resident without email takes it home): a new link each
 * time a slip is printed, audit-logged, built from the configured public address.
 */
export async function slipLink(db: Db, actor: { id: number; name: string }, requestId: number, locale: Locale, settings: Pick<RequestSettings, 'origin'>, now: number = Date.now()): Promise<string> {
  return db.transaction(async (tx) => {
    const token = await issueToken(tx, requestId, now);
    await recordAudit(tx, actor, 'request.slip', { requestId, now });
    return new URL(trackPath(locale, token), settings.origin).href;
  });
}

export type SubmitResult =
  | { ok: true; requestId: number; reference: string; created: boolean }
  | { ok: false; missing: Step[] };

/**
 * Sends a finished draft. The draft is read and marked sent inside one write transaction, so
 * a double click, a reload or two tabs create one request; the later posts get the same one.
 */
export async function submitDraft(db: Db, draftId: number, draftToken: string, locale: Locale, settings: RequestSettings, now: number = Date.now()): Promise<SubmitResult> {
  return db.transaction(async (tx) => {
    const [draft] = await tx.select().from(requestDrafts).where(eq(requestDrafts.id, draftId));
    if (!draft) return { ok: false as const, missing: ['procedure' as Step] };
    if (draft.requestId) {
      const [existing] = await tx.select({ reference: requests.reference }).from(requests).where(eq(requests.id, draft.requestId));
      return { ok: true as const, requestId: draft.requestId, reference: existing!.reference, created: false };
    }
    const data = draft.data as DraftData;
    const missing = missingSteps(data);
    if (missing.length > 0) return { ok: false as const, missing };
    const input = { ...data, locale } as NewRequest;
    const created = await insertRequest(tx, input, trackingTokenFor(draftToken), settings, now, true);
    await tx.update(attachments).set({ requestId: created.id, draftId: null }).where(eq(attachments.draftId, draftId));
    await tx.update(requestDrafts).set({ requestId: created.id, submittedAt: new Date(now), updatedAt: new Date(now) }).where(eq(requestDrafts.id, draftId));
    return { ok: true as const, requestId: created.id, reference: created.reference, created: true };
  });
}

/** What a request's pages show of it and of who sent it (agents' pages add their own columns). */
export const trackedColumns = {
  id: requests.id,
  reference: requests.reference,
  status: requests.status,
  locale: requests.locale,
  procedure: requests.procedure,
  category: requests.category,
  stage: requests.stage,
  description: requests.description,
  channel: requests.channel,
  intake: requests.intake,
  callbackSlots: requests.callbackSlots,
  helpPlace: requests.helpPlace,
  needs: requests.needs,
  needsLanguage: requests.needsLanguage,
  createdAt: requests.createdAt,
  dueAt: requests.dueAt,
  closedAt: requests.closedAt,
  firstResponseAt: requests.firstResponseAt,
  mergedIntoId: requests.mergedIntoId,
  requester: {
    kind: requesters.kind,
    name: requesters.name,
    email: requesters.email,
    phone: requesters.phone,
    helperName: requesters.helperName,
    helperOrganisation: requesters.helperOrganisation,
    staffService: requesters.staffService,
  },
};

export type TrackedRequest = Awaited<ReturnType<typeof selectTracked>>[number];
const selectTracked = (db: Conn) => db.select(trackedColumns).from(requests).innerJoin(requesters, eq(requesters.id, requests.requesterId));

const linkExpired = (request: { status: RequestStatus; closedAt: Date | null }, now: number) =>
  request.status === 'closed' && request.closedAt !== null && request.closedAt.getTime() < now - LINK_DAYS_AFTER_CLOSE * 86_400_000;

/** The request a private link leads to; nothing else is reachable with it. */
export async function findRequestByToken(db: Db, token: string, now: number = Date.now()): Promise<{ ok: true; request: TrackedRequest } | { ok: false; reason: 'unknown' | 'expired' }> {
  if (!isWellFormedToken(token)) return { ok: false, reason: 'unknown' };
  const [row] = await selectTracked(db)
    .innerJoin(requestAccessTokens, eq(requestAccessTokens.requestId, requests.id))
    .where(eq(requestAccessTokens.tokenHash, hashToken(token)));
  if (!row) return { ok: false, reason: 'unknown' };
  if (linkExpired(row, now)) return { ok: false, reason: 'expired' };
  return { ok: true, request: row };
}

export async function findRequestById(db: Db, id: number): Promise<TrackedRequest | undefined> {
  const [row] = await selectTracked(db).where(eq(requests.id, id));
  return row;
}

export interface PublicFile {
  id: number;
  fileName: string;
  contentType: string;
  size: number;
}

/**
 * What the resident sees: their description and files, every public message with its files,
 * and the status changes. Internal notes, and files attached to them, are left out here, in SQL.
 */
export async function publicConversation(db: Db, requestId: number) {
  const publicMessages = await db
    .select({ id: messages.id, author: messages.author, authorName: messages.authorName, publicName: messages.publicName, channel: messages.channel, body: messages.body, createdAt: messages.createdAt })
    .from(messages)
    .where(and(eq(messages.requestId, requestId), eq(messages.internal, false)))
    .orderBy(asc(messages.createdAt), asc(messages.id));
  const files = await db
    .select({ id: attachments.id, messageId: attachments.messageId, fileName: attachments.fileName, contentType: attachments.contentType, size: attachments.size })
    .from(attachments)
    .leftJoin(messages, eq(messages.id, attachments.messageId))
    .where(and(eq(attachments.requestId, requestId), sql`(${attachments.messageId} is null or ${messages.internal} = 0)`))
    .orderBy(asc(attachments.id));
  const history = await db
    .select({ toStatus: statusHistory.toStatus, actor: statusHistory.actor, createdAt: statusHistory.createdAt })
    .from(statusHistory)
    .where(eq(statusHistory.requestId, requestId))
    .orderBy(asc(statusHistory.createdAt), asc(statusHistory.id));
  const filesOf = (messageId: number | null): PublicFile[] =>
    files.filter((f) => f.messageId === messageId).map(({ id, fileName, contentType, size }) => ({ id, fileName, contentType, size }));
  return {
    initialFiles: filesOf(null),
    // An agent is shown by their public name (messages written before it was kept: the first word of their name).
    messages: publicMessages.map(({ publicName, ...m }) => ({ ...m, authorName: m.author === 'agent' && m.authorName !== null ? (publicName ?? publicAgentName(m.authorName)) : m.authorName, files: filesOf(m.id) })),
    history,
  };
}

/** A file of the request, only if the resident may see it (not attached to an internal note). */
export async function findPublicAttachment(db: Db, requestId: number, attachmentId: number) {
  const [file] = await db
    .select({ fileName: attachments.fileName, contentType: attachments.contentType, data: attachments.data, internal: messages.internal })
    .from(attachments)
    .leftJoin(messages, eq(messages.id, attachments.messageId))
    .where(and(eq(attachments.id, attachmentId), eq(attachments.requestId, requestId)));
  if (!file || file.internal) return undefined;
  return { fileName: file.fileName, contentType: file.contentType, data: file.data };
}

async function recordStatus(tx: Conn, requestId: number, from: RequestStatus, to: RequestStatus, actor: 'requester' | 'agent' | 'system', actorName: string | null, now: number) {
  await tx
    .update(requests)
    .set({
      status: to,
      updatedAt: new Date(now),
      closedAt: to === 'closed' ? new Date(now) : null,
      // Resolved then closed is one resolution, timed when it was resolved; reopening starts again.
      resolvedAt: to === 'resolved' || to === 'closed' ? sql`coalesce(${requests.resolvedAt}, ${now})` : null,
    })
    .where(eq(requests.id, requestId));
  await tx.insert(statusHistory).values({ requestId, fromStatus: from, toStatus: to, actor, actorName, createdAt: new Date(now) });
}

async function statusAndName(tx: Conn, requestId: number) {
  const [row] = await tx
    .select({ status: requests.status, name: requesters.name })
    .from(requests)
    .innerJoin(requesters, eq(requesters.id, requests.requesterId))
    .where(eq(requests.id, requestId));
  return row;
}

export type ReplyResult = { ok: true; messageId: number } | { ok: false; reason: 'closed' | 'too-many-files' };

/** The resident answers: their message (and files) joins the conversation and reopens the request. */
/** Files sent with a message; they follow the message (an internal note's files stay internal). */
async function attachToMessage(tx: Conn, requestId: number, messageId: number, files: Upload[], now: number) {
  if (files.length === 0) return;
  await tx.insert(attachments).values(files.map((f) => ({ requestId, messageId, fileName: f.fileName, contentType: f.contentType, size: f.size, data: f.data, createdAt: new Date(now) })));
}

export async function addRequesterReply(db: Db, requestId: number, body: string, files: Upload[], now: number = Date.now()): Promise<ReplyResult> {
  if (files.length > REQUEST_LIMITS.files) return { ok: false, reason: 'too-many-files' };
  const result = await db.transaction((tx) => addRequesterReplyIn(tx, requestId, body, files, now));
  // On a chat's request, its event is written with the message: this process's open pages get it at once.
  if (result.ok) void chatHub(db).readNow();
  return result;
}

/** The same, inside the caller's transaction (an answer read from the mailbox). */
export async function addRequesterReplyIn(tx: Tx, requestId: number, body: string, files: Upload[], now: number = Date.now()): Promise<ReplyResult> {
  const row = await statusAndName(tx, requestId);
  if (!row || row.status === 'closed') return { ok: false as const, reason: 'closed' as const };
  const [message] = await tx
    .insert(messages)
    .values({ requestId, author: 'requester', authorName: row.name, internal: false, body, createdAt: new Date(now) })
    .returning({ id: messages.id });
  await attachToMessage(tx, requestId, message!.id, files, now);
  if (row.status === 'waiting' || row.status === 'resolved') await recordStatus(tx, requestId, row.status, 'open', 'requester', row.name, now);
  else await tx.update(requests).set({ updatedAt: new Date(now) }).where(eq(requests.id, requestId));
  return { ok: true as const, messageId: message!.id };
}

/** The resident says the problem is solved. */
export async function closeByRequester(db: Db, requestId: number, now: number = Date.now()): Promise<boolean> {
  return db.transaction(async (tx) => {
    const row = await statusAndName(tx, requestId);
    if (!row || row.status === 'closed') return false;
    await recordStatus(tx, requestId, row.status, 'closed', 'requester', row.name, now);
    return true;
  });
}

/**
 * "I lost my link": when reference and email match a request whose link has not expired, a
 * new link is mailed. The caller answers the same way whether or not anything matched.
 */
export async function resendLink(db: Db, reference: string, email: string, locale: Locale, settings: RequestSettings, now: number = Date.now()): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [row] = await selectTracked(tx).where(and(eq(requests.reference, reference), sql`lower(${requesters.email}) = ${email.trim().toLowerCase()}`));
    if (!row || !row.requester.email || linkExpired(row, now)) return false;
    await mailWithLink(tx, recipientOf(row, locale), 'link', linkMail, settings, now);
    return true;
  });
}

/** Which status may follow which; agents move requests along, residents only reopen or close. */
export const STATUS_TRANSITIONS: Record<RequestStatus, RequestStatus[]> = {
  new: ['open', 'waiting', 'resolved', 'closed'],
  open: ['waiting', 'resolved', 'closed'],
  waiting: ['open', 'resolved', 'closed'],
  resolved: ['open', 'closed'],
  closed: ['open'],
};

export interface AgentMessage {
  requestId: number;
  agentId?: number;
  agentName: string;
  body: string;
  /** An internal note: agents only, never mailed, never shown through the link. */
  internal: boolean;
  /** Written here (mailed), or a phone call or a visit recorded afterwards (not mailed). */
  channel?: MessageChannel;
  /** Status to set with a public reply (by default: waiting for the resident). */
  status?: RequestStatus;
  files?: Upload[];
}

const AUDIT_BY_CHANNEL = { web: 'request.reply', phone: 'request.call', 'in-person': 'request.visit' } as const;

/**
 * An agent writes on a request: a reply (mailed to the resident when they gave an address),
 * a call or a visit recorded (shown at the link, not mailed), or an internal note (agents
 * only). The first public answer stops the first-response clock. Audit-logged in the same
 * transaction when an agent account wrote it.
 */
export async function addAgentMessage(db: Db, input: AgentMessage, settings: RequestSettings, now: number = Date.now(), notify = true) {
  const channel = input.channel ?? 'web';
  const written = await db.transaction(async (tx) => {
    const [request] = await selectTracked(tx).where(eq(requests.id, input.requestId));
    if (!request) throw new Error(`Request ${input.requestId} does not exist`);
    // Residents see the agent's public name, never the team's label for them.
    const [writer] = input.agentId ? await tx.select({ name: agents.name, publicName: agents.publicName }).from(agents).where(eq(agents.id, input.agentId)) : [];
    const publicName = publicAgentName(writer?.name ?? input.agentName, writer?.publicName);
    const [message] = await tx
      .insert(messages)
      .values({ requestId: input.requestId, author: 'agent', authorName: input.agentName, publicName, agentId: input.agentId ?? null, internal: input.internal, channel: input.internal ? 'web' : channel, body: input.body, createdAt: new Date(now) })
      .returning({ id: messages.id });
    await attachToMessage(tx, request.id, message!.id, input.files ?? [], now);
    if (!input.internal) {
      // Which help pages answered this request: read once here, counted by the reports.
      const links = helpLinks(input.body, settings.origin);
      if (links.length > 0) await tx.insert(messageLinks).values(links.map((l) => ({ ...l, messageId: message!.id, requestId: request.id })));
    }
    const actor = { id: input.agentId ?? null, name: input.agentName };
    if (input.agentId) await recordAudit(tx, actor, input.internal ? 'request.note' : AUDIT_BY_CHANNEL[channel], { requestId: request.id, now, details: { message: message!.id } });
    if (input.internal) return { messageId: message!.id };
    if (!request.firstResponseAt) await tx.update(requests).set({ firstResponseAt: new Date(now) }).where(eq(requests.id, request.id));
    const next = input.status ?? 'waiting';
    if (next !== request.status && STATUS_TRANSITIONS[request.status].includes(next)) {
      await recordStatus(tx, request.id, request.status, next, 'agent', input.agentName, now);
      if (input.agentId) await recordAudit(tx, actor, 'request.status', { requestId: request.id, now, details: { from: request.status, to: next } });
    } else {
      await tx.update(requests).set({ updatedAt: new Date(now) }).where(eq(requests.id, request.id));
    }
    if (notify && channel === 'web' && request.requester.email) {
      await mailWithLink(tx, recipientOf(request), 'reply', (context) => replyMail(context, { body: input.body, author: publicName }), settings, now);
    }
    return { messageId: message!.id };
  });
  // On a chat's request, its event is written with the message: this process's open pages get it at once.
  void chatHub(db).readNow();
  return written;
}

/** An agent changes the status alone; the resident is told by mail when they gave an address. */
export async function changeStatus(db: Db, requestId: number, to: RequestStatus, agentName: string, settings: RequestSettings, now: number = Date.now(), notify = true, agentId?: number): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [request] = await selectTracked(tx).where(eq(requests.id, requestId));
    // No transition leads back to `new`, so `to` is one of the statuses a mail describes.
    if (!request || to === 'new' || !STATUS_TRANSITIONS[request.status].includes(to)) return false;
    await recordStatus(tx, requestId, request.status, to, 'agent', agentName, now);
    if (agentId) await recordAudit(tx, { id: agentId, name: agentName }, 'request.status', { requestId, now, details: { from: request.status, to } });
    if (notify && request.requester.email) {
      // A resolution asks how it went, unless the resident has already said.
      const ask = asksSatisfaction({ status: to, mergedIntoId: request.mergedIntoId }) && !(await satisfactionOf(tx, requestId))?.completedAt;
      await mailWithLink(tx, recipientOf(request), 'status', (context) => statusMail(context, to, ask), settings, now);
    }
    return true;
  });
}
