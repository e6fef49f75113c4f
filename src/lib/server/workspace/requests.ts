/**
 * A request as agents see it (everything, internal notes included) and what they change on it:
 * status, priority, category, assignee, merging a duplicate. Each change is audit-logged in
 * the same transaction as the change.
 */
import { and, asc, desc, eq, gt, ne, or, sql } from 'drizzle-orm';
import {
  agents,
  attachments,
  auditLog,
  messages,
  type RequestCategory,
  requesters,
  type RequestPriority,
  requests,
  type RequestStatus,
  requestViews,
  statusHistory,
} from '../../../../db/schema';
import { type Actor, recordAudit } from '../audit';
import type { Db } from '../db';
import { addAgentMessage, type AgentMessage, changeStatus, type RequestSettings, STATUS_TRANSITIONS, trackedColumns } from '../requests';
import { deadlines, loadWorkspaceSettings } from './settings';

/** Another agent who opened the request this recently is shown as working on it. */
export const PRESENCE_MS = 10 * 60_000;

export async function findRequestIdByReference(db: Db, reference: string): Promise<number | undefined> {
  if (!/^\d{9}$/.test(reference)) return undefined;
  const [row] = await db.select({ id: requests.id }).from(requests).where(eq(requests.reference, reference));
  return row?.id;
}

/** Everything about one request, for an agent: one query for the request, then its parts side by side. */
/** What a saved reply's placeholders need of a request: the requester's name and the due date (one row, no conversation). */
export async function placeholderFacts(db: Db, requestId: number) {
  const [row] = await db
    .select({ requesterName: requesters.name, dueAt: sql<Date>`coalesce(${requests.resolutionDueAt}, ${requests.dueAt})`.mapWith(requests.dueAt) })
    .from(requests)
    .innerJoin(requesters, eq(requesters.id, requests.requesterId))
    .where(eq(requests.id, requestId));
  return row;
}

export async function agentRequestView(db: Db, reference: string) {
  if (!/^\d{9}$/.test(reference)) return undefined;
  const [request] = await db
    .select({
      ...trackedColumns,
      priority: requests.priority,
      assigneeId: requests.assigneeId,
      assigneeName: agents.name,
      resolutionDueAt: requests.resolutionDueAt,
      nextDueAt: requests.nextDueAt,
      updatedAt: requests.updatedAt,
      mergedInto: sql<string | null>`(select m.reference from requests m where m.id = ${requests.mergedIntoId})`,
    })
    .from(requests)
    .innerJoin(requesters, eq(requesters.id, requests.requesterId))
    .leftJoin(agents, eq(agents.id, requests.assigneeId))
    .where(eq(requests.reference, reference));
  if (!request) return undefined;
  const requestId = request.id;
  const [conversation, files, history, mergedHere] = await Promise.all([
    db
      .select({ id: messages.id, author: messages.author, authorName: messages.authorName, internal: messages.internal, channel: messages.channel, body: messages.body, createdAt: messages.createdAt })
      .from(messages)
      .where(eq(messages.requestId, requestId))
      .orderBy(asc(messages.createdAt), asc(messages.id)),
    db
      .select({ id: attachments.id, messageId: attachments.messageId, fileName: attachments.fileName, contentType: attachments.contentType, size: attachments.size })
      .from(attachments)
      .where(eq(attachments.requestId, requestId))
      .orderBy(asc(attachments.id)),
    db
      .select({ fromStatus: statusHistory.fromStatus, toStatus: statusHistory.toStatus, actor: statusHistory.actor, actorName: statusHistory.actorName, createdAt: statusHistory.createdAt })
      .from(statusHistory)
      .where(eq(statusHistory.requestId, requestId))
      .orderBy(asc(statusHistory.createdAt), asc(statusHistory.id)),
    db.select({ reference: requests.reference }).from(requests).where(eq(requests.mergedIntoId, requestId)),
  ]);
  const lastMessageId = conversation.at(-1)?.id ?? 0;
  return { ...request, conversation, files, history, mergedHere: mergedHere.map((r) => r.reference), lastMessageId };
}

/** At most this many of a requester's other requests are listed on a request's page. */
export const OTHER_REQUESTS_SHOWN = 10;

/**
 * The other requests of the same person (same email or same phone), newest first: the agent
 * sees a duplicate and merges it in one click.
 */
export async function otherRequestsOf(db: Db, requestId: number, contact: { email: string | null; phone: string | null }) {
  const same = [contact.email ? eq(requesters.email, contact.email) : undefined, contact.phone ? eq(requesters.phone, contact.phone) : undefined].filter((c) => c !== undefined);
  if (same.length === 0) return [];
  return db
    .select({ reference: requests.reference, status: requests.status, procedure: requests.procedure, category: requests.category, createdAt: requests.createdAt, merged: sql<boolean>`${requests.mergedIntoId} is not null`.mapWith(Boolean) })
    .from(requests)
    .innerJoin(requesters, eq(requesters.id, requests.requesterId))
    .where(and(ne(requests.id, requestId), or(...same)))
    .orderBy(desc(requests.id))
    .limit(OTHER_REQUESTS_SHOWN);
}

export type AgentRequestView = NonNullable<Awaited<ReturnType<typeof agentRequestView>>>;

/** The attachment of a request, for an agent (internal ones included). */
export async function findAgentAttachment(db: Db, requestId: number, attachmentId: number) {
  const [file] = await db
    .select({ fileName: attachments.fileName, contentType: attachments.contentType, data: attachments.data })
    .from(attachments)
    .where(and(eq(attachments.id, attachmentId), eq(attachments.requestId, requestId)));
  return file;
}

/**
 * Notes that `agentId` has the request open, and returns the other agents who opened it in
 * the last ten minutes: the page warns that someone else may be answering.
 */
export async function touchPresence(db: Db, requestId: number, agentId: number, now: number = Date.now()) {
  await db
    .insert(requestViews)
    .values({ requestId, agentId, at: new Date(now) })
    .onConflictDoUpdate({ target: [requestViews.requestId, requestViews.agentId], set: { at: new Date(now) } });
  return db
    .select({ name: agents.name, at: requestViews.at })
    .from(requestViews)
    .innerJoin(agents, eq(agents.id, requestViews.agentId))
    .where(and(eq(requestViews.requestId, requestId), ne(requestViews.agentId, agentId), gt(requestViews.at, new Date(now - PRESENCE_MS))))
    .orderBy(desc(requestViews.at));
}

/** Messages written on the request after `lastSeenId` by someone else: a reply would cross them. */
export async function newerMessages(db: Db, requestId: number, lastSeenId: number, agentId: number) {
  const [row] = (await db
    .select({ n: sql<number>`count(*)` })
    .from(messages)
    .where(and(eq(messages.requestId, requestId), gt(messages.id, lastSeenId), sql`(${messages.agentId} is null or ${messages.agentId} <> ${agentId})`))) as [{ n: number }];
  return row.n;
}

export interface RequestChanges {
  status?: RequestStatus;
  priority?: RequestPriority;
  category?: RequestCategory;
  /** An agent id, or null to unassign. */
  assigneeId?: number | null;
}

export type UpdateResult = { ok: true; changed: string[] } | { ok: false; reason: 'not-found' | 'bad-status' | 'bad-assignee' };

/**
 * Applies the changes an agent made in the request's side panel. Due dates follow a new
 * category or priority; a new status is mailed to the resident like any status change.
 */
export async function updateRequest(db: Db, actor: Actor & { id: number; name: string }, requestId: number, changes: RequestChanges, settings: RequestSettings, now: number = Date.now()): Promise<UpdateResult> {
  const [current] = await db
    .select({ status: requests.status, priority: requests.priority, category: requests.category, assigneeId: requests.assigneeId, createdAt: requests.createdAt })
    .from(requests)
    .where(eq(requests.id, requestId));
  if (!current) return { ok: false, reason: 'not-found' };
  if (changes.status && changes.status !== current.status && !STATUS_TRANSITIONS[current.status].includes(changes.status)) return { ok: false, reason: 'bad-status' };
  if (changes.assigneeId) {
    const [assignee] = await db.select({ id: agents.id }).from(agents).where(and(eq(agents.id, changes.assigneeId), eq(agents.active, true)));
    if (!assignee) return { ok: false, reason: 'bad-assignee' };
  }
  const changed: string[] = [];
  await db.transaction(async (tx) => {
    const set: Partial<typeof requests.$inferInsert> = {};
    if (changes.priority && changes.priority !== current.priority) {
      set.priority = changes.priority;
      changed.push('priority');
      await recordAudit(tx, actor, 'request.priority', { requestId, now, details: { from: current.priority, to: changes.priority } });
    }
    if (changes.category && changes.category !== current.category) {
      set.category = changes.category;
      changed.push('category');
      await recordAudit(tx, actor, 'request.category', { requestId, now, details: { from: current.category, to: changes.category } });
    }
    if (changes.assigneeId !== undefined && changes.assigneeId !== current.assigneeId) {
      set.assigneeId = changes.assigneeId;
      changed.push('assignee');
      const names = await tx.select({ id: agents.id, name: agents.name }).from(agents).where(sql`${agents.id} in (${current.assigneeId ?? 0}, ${changes.assigneeId ?? 0})`);
      const nameOf = (id: number | null) => names.find((n) => n.id === id)?.name ?? null;
      await recordAudit(tx, actor, 'request.assignee', { requestId, now, details: { from: nameOf(current.assigneeId), to: nameOf(changes.assigneeId) } });
    }
    if (set.priority || set.category) {
      const workspace = await loadWorkspaceSettings(tx, settings.answerWorkingDays);
      Object.assign(set, deadlines(current.createdAt, set.category ?? current.category, set.priority ?? current.priority, workspace));
    }
    if (Object.keys(set).length > 0) await tx.update(requests).set({ ...set, updatedAt: new Date(now) }).where(eq(requests.id, requestId));
  });
  if (changes.status && changes.status !== current.status) {
    if (await changeStatus(db, requestId, changes.status, actor.name, settings, now, true, actor.id)) changed.push('status');
  }
  return { ok: true, changed };
}

export interface RequestSave {
  /** The side fields; a status left to the message (undefined) is "waiting" after a public message, unchanged otherwise. */
  changes: RequestChanges;
  /** A reply, note, call or visit written with them. */
  message?: Omit<AgentMessage, 'requestId' | 'agentId' | 'agentName' | 'status'>;
}

export type SaveResult = { ok: true; changed: string[]; messageId?: number } | { ok: false; reason: 'not-found' | 'bad-status' | 'bad-assignee' };

/**
 * Everything an agent changed on a request, saved at once: the side fields and the message
 * written with them. What could be refused (a status the request cannot move to, an
 * assignee who left) is checked before anything is written. With a public message, the new
 * status travels with it (the resident gets one mail, the reply); with a note or no message,
 * a status change is mailed as such.
 */
export async function saveRequest(db: Db, actor: Actor & { id: number; name: string }, requestId: number, save: RequestSave, settings: RequestSettings, now: number = Date.now()): Promise<SaveResult> {
  const [current] = await db.select({ status: requests.status }).from(requests).where(eq(requests.id, requestId));
  if (!current) return { ok: false, reason: 'not-found' };
  const { status, ...rest } = save.changes;
  if (status && status !== current.status && !STATUS_TRANSITIONS[current.status].includes(status)) return { ok: false, reason: 'bad-status' };
  const withPublicMessage = save.message !== undefined && !save.message.internal;
  const updated = await updateRequest(db, actor, requestId, withPublicMessage ? rest : save.changes, settings, now);
  if (!updated.ok || !save.message) return updated;
  const next = withPublicMessage ? (status ?? 'waiting') : undefined;
  const { messageId } = await addAgentMessage(db, { ...save.message, requestId, agentId: actor.id, agentName: actor.name, status: next }, settings, now);
  // What the agent changed: a status chosen in the form, not the one a reply moves to by itself.
  const changed = status && next === status && next !== current.status ? [...updated.changed, 'status'] : updated.changed;
  return { ok: true, changed, messageId };
}

export type MergeResult = { ok: true; into: string } | { ok: false; reason: 'not-found' | 'same' | 'target-closed' | 'already-merged' };

/**
 * Closes a duplicate in favour of another request: the duplicate says where the answer will
 * come (a public message), the other request gets an internal note pointing back. Nothing
 * moves between the two, so neither resident sees the other's words.
 */
export async function mergeRequest(db: Db, actor: Actor & { id: number; name: string }, duplicateId: number, intoReference: string, now: number = Date.now()): Promise<MergeResult> {
  const intoId = await findRequestIdByReference(db, intoReference);
  if (!intoId) return { ok: false, reason: 'not-found' };
  if (intoId === duplicateId) return { ok: false, reason: 'same' };
  return db.transaction(async (tx) => {
    const [duplicate] = await tx.select({ status: requests.status, reference: requests.reference, mergedIntoId: requests.mergedIntoId }).from(requests).where(eq(requests.id, duplicateId));
    const [into] = await tx.select({ status: requests.status, reference: requests.reference }).from(requests).where(eq(requests.id, intoId));
    if (!duplicate || !into) return { ok: false as const, reason: 'not-found' as const };
    if (duplicate.mergedIntoId) return { ok: false as const, reason: 'already-merged' as const };
    if (into.status === 'closed') return { ok: false as const, reason: 'target-closed' as const };
    const at = new Date(now);
    await tx.update(requests).set({ mergedIntoId: intoId, status: 'closed', closedAt: at, resolvedAt: at, updatedAt: at }).where(eq(requests.id, duplicateId));
    await tx.insert(statusHistory).values({ requestId: duplicateId, fromStatus: duplicate.status, toStatus: 'closed', actor: 'agent', actorName: actor.name, createdAt: at });
    await tx.insert(messages).values({ requestId: duplicateId, author: 'system', authorName: null, internal: false, channel: 'web', body: `merged:${into.reference}`, createdAt: at });
    await tx.insert(messages).values({ requestId: intoId, author: 'agent', authorName: actor.name, agentId: actor.id, internal: true, channel: 'web', body: `merged-here:${duplicate.reference}`, createdAt: at });
    await tx.update(requests).set({ updatedAt: at }).where(eq(requests.id, intoId));
    await recordAudit(tx, actor, 'request.merge', { requestId: duplicateId, now, details: { into: into.reference } });
    return { ok: true as const, into: into.reference };
  });
}

/** The audit entries of one request, for its page. */
export async function requestAudit(db: Db, requestId: number) {
  return db
    .select({ at: auditLog.at, actorName: auditLog.actorName, action: auditLog.action, details: auditLog.details })
    .from(auditLog)
    .where(eq(auditLog.requestId, requestId))
    .orderBy(desc(auditLog.id))
    .limit(100);
}
