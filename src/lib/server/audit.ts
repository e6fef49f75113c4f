import { and, desc, eq, lt, sql } from 'drizzle-orm';
import { agents, auditLog } from '../../../db/schema';
import type { Db } from './db';

type Conn = Db | Parameters<Parameters<Db['transaction']>[0]>[0];

/** Everything the audit log records; administrators read it at /agent/admin/journal/. */
export type AuditAction =
  | 'sign-in'
  | 'agent.profile'
  | 'sign-in.failed'
  | 'sign-in.throttled'
  | 'sign-out'
  | 'password.reset-requested'
  | 'password.changed'
  | 'invitation.accepted'
  | 'request.reply'
  | 'request.note'
  | 'request.call'
  | 'request.visit'
  | 'request.status'
  | 'request.assignee'
  | 'request.priority'
  | 'request.category'
  | 'request.merge'
  | 'request.file'
  | 'request.slip'
  | 'request.problem-link'
  | 'request.problem-unlink'
  | 'problem.declare'
  | 'problem.update'
  | 'problem.close'
  | 'training.save'
  | 'quick-answer.record'
  | 'admin.agent.invite'
  | 'admin.agent.role'
  | 'admin.agent.active'
  | 'admin.targets'
  | 'admin.hours'
  | 'admin.mailbox'
  | 'admin.results'
  | 'admin.chat'
  | 'chat.accept'
  | 'chat.end'
  | 'chat.handover'
  | 'chat.callback'
  | 'admin.announcement'
  | 'admin.categories'
  | 'admin.objectives'
  | 'admin.survey.create'
  | 'admin.survey.update'
  | 'admin.survey.delete'
  | 'admin.survey.publish'
  | 'admin.survey.close'
  | 'admin.saved-reply.create'
  | 'admin.saved-reply.update'
  | 'admin.saved-reply.delete'
  | 'admin.help-publishers'
  | 'help.create'
  | 'help.save'
  | 'help.restore'
  | 'help.submit'
  | 'help.publish'
  | 'help.withdraw'
  | 'help.image'
  | 'privacy.export'
  | 'privacy.erase'
  /** Written by db/retention.mjs (no agent): counts only. */
  | 'retention';

export interface Actor {
  id: number | null;
  name: string | null;
}

export async function recordAudit(
  db: Conn,
  actor: Actor,
  action: AuditAction,
  options: { requestId?: number | null; details?: Record<string, unknown>; now?: number } = {},
) {
  await db.insert(auditLog).values({
    at: new Date(options.now ?? Date.now()),
    agentId: actor.id,
    actorName: actor.name,
    action,
    requestId: options.requestId ?? null,
    details: options.details ?? null,
  });
}

export const AUDIT_PAGE_SIZE = 50;

/** The log, newest first, a page at a time (`before` is the last id of the previous page). */
export async function listAudit(db: Db, filter: { agentId?: number; requestId?: number; before?: number } = {}) {
  const conditions = [
    filter.agentId ? eq(auditLog.agentId, filter.agentId) : undefined,
    filter.requestId ? eq(auditLog.requestId, filter.requestId) : undefined,
    filter.before ? lt(auditLog.id, filter.before) : undefined,
  ];
  return db
    .select({
      id: auditLog.id,
      at: auditLog.at,
      agentId: auditLog.agentId,
      actorName: auditLog.actorName,
      action: auditLog.action,
      details: auditLog.details,
      reference: sql<string | null>`(select reference from requests where requests.id = ${auditLog.requestId})`,
      agentEmail: agents.email,
    })
    .from(auditLog)
    .leftJoin(agents, eq(agents.id, auditLog.agentId))
    .where(and(...conditions))
    .orderBy(desc(auditLog.id))
    .limit(AUDIT_PAGE_SIZE);
}
