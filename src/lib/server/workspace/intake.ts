/**
 * What arrives outside the online form: a request an agent files for a resident (by phone, at
 * the counter, by letter, by mail, through a partner), and a question answered on the spot,
 * counted but not followed. Both are audit-logged with the agent who recorded them.
 */
import { gte, sql } from 'drizzle-orm';
import { quickAnswers } from '../../../../db/schema';
import type { AgentIntakeChannel } from '../../../../db/values';
import type { QuickAnswerInput } from '../../intake-form';
import type { DraftData } from '../../request-form';
import { type Actor, recordAudit } from '../audit';
import type { Db } from '../db';
import { createRequest, type NewRequest, type RequestSettings } from '../requests';
import { inParis, parisInstant } from '../requests/due';
import type { Upload } from '../requests/files';

export interface FiledRequest {
  id: number;
  reference: string;
  dueAt: Date;
}

/**
 * Files a request for a resident: it then lives like any other (due dates, queues, replies,
 * satisfaction, retention). The resident gets the private link by mail when they gave an
 * address; otherwise the agent prints the slip. The filing agent may take it at once.
 */
export async function fileRequest(
  db: Db,
  agent: { id: number; name: string },
  input: { intake: AgentIntakeChannel; locale: 'fr' | 'en'; take: boolean; data: DraftData & Pick<NewRequest, 'procedure' | 'category' | 'description' | 'who' | 'name' | 'channel'> },
  settings: RequestSettings,
  options: { now?: number; files?: Upload[] } = {},
): Promise<FiledRequest> {
  const created = await createRequest(db, { ...input.data, locale: input.locale, intake: input.intake, filedBy: agent, assigneeId: input.take ? agent.id : undefined }, settings, { now: options.now, files: options.files, notify: true });
  return { id: created.id, reference: created.reference, dueAt: created.dueAt };
}

/** A question answered on the spot: one row, no personal data, its audit entry. */
export async function recordQuickAnswer(db: Db, actor: Actor, input: QuickAnswerInput, now: number = Date.now()): Promise<number> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(quickAnswers)
      .values({ channel: input.channel, category: input.category, procedure: input.procedure ?? null, note: input.note ?? null, agentId: actor.id, createdAt: new Date(now) })
      .returning({ id: quickAnswers.id });
    await recordAudit(tx, actor, 'quick-answer.record', { now, details: { id: row!.id, channel: input.channel, category: input.category } });
    return row!.id;
  });
}

/** Questions settled on the spot since midnight (Paris time), per channel: the agents' tally of the day. */
export async function quickAnswersToday(db: Db, now: number = Date.now()): Promise<Map<AgentIntakeChannel, number>> {
  const today = inParis(new Date(now));
  const from = parisInstant(today.year, today.month, today.day, 0);
  const rows = await db
    .select({ channel: quickAnswers.channel, n: sql<number>`count(*)` })
    .from(quickAnswers)
    .where(gte(quickAnswers.createdAt, from))
    .groupBy(quickAnswers.channel);
  return new Map(rows.map((r) => [r.channel, r.n]));
}
