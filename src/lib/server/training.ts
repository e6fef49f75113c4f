/**
 * Training paths for the authority's staff: internal help pages (FAQ entries and tutorials whose
 * audience is `staff`) to read in order for a new procedure, with what each agent has read.
 */
import { and, asc, count, desc, eq, inArray } from 'drizzle-orm';
import { agents, TRAINING_LIMITS, trainingPaths, trainingProgress, trainingSteps } from '../../../db/schema';
import { type Actor, recordAudit } from './audit';
import type { Db } from './db';
import { checkedText, type FieldProblem } from './form-text';

type Values = { get(name: string): string };
type Problem = FieldProblem;

export interface PathInput {
  title: string;
  description: string;
  /** Entry keys (`faq:fr/slug`), in reading order. */
  steps: string[];
}

/** The field holding a page's place in the path (empty: not in it). */
export const positionField = (key: string) => `position:${key}`;

/** The path's form: a title, a description, and a place (1, 2, 3…) for each page it holds. */
export function validatePath(values: Values, staffKeys: ReadonlySet<string>): { ok: true; input: PathInput } | { ok: false; errors: Problem[] } {
  const errors: Problem[] = [];
  const title = checkedText(values, errors, 'title', TRAINING_LIMITS.title, { required: 'agent.training.errors.titleRequired' });
  const description = checkedText(values, errors, 'description', TRAINING_LIMITS.description, { multiline: true });
  const placed: { key: string; position: number }[] = [];
  // Only the internal help pages are read: a place forged for anything else is not even looked at.
  for (const key of staffKeys) {
    const typed = values.get(positionField(key)).trim();
    if (typed === '') continue;
    if (!/^\d{1,3}$/.test(typed) || Number(typed) < 1) {
      if (!errors.some((e) => e.field === 'steps')) errors.push({ field: 'steps', message: 'agent.training.errors.position' });
      continue;
    }
    placed.push({ key, position: Number(typed) });
  }
  if (placed.length === 0 && !errors.some((e) => e.field === 'steps')) errors.push({ field: 'steps', message: 'agent.training.errors.noStep' });
  if (placed.length > TRAINING_LIMITS.steps) errors.push({ field: 'steps', message: 'agent.training.errors.tooMany', params: { max: TRAINING_LIMITS.steps } });
  if (errors.length > 0) return { ok: false, errors };
  // Same number twice: the order the list shows them in.
  const steps = placed.sort((a, b) => a.position - b.position).map((p) => p.key);
  return { ok: true, input: { title, description, steps } };
}

/** Creates (no `id`) or changes a path; what agents read of pages still in it is kept. */
export async function savePath(db: Db, actor: Actor, input: PathInput, id?: number, now: number = Date.now()): Promise<number | false> {
  return db.transaction(async (tx) => {
    const at = new Date(now);
    const [row] =
      id === undefined
        ? await tx.insert(trainingPaths).values({ title: input.title, description: input.description, createdBy: actor.id, createdAt: at, updatedAt: at }).returning({ id: trainingPaths.id })
        : await tx.update(trainingPaths).set({ title: input.title, description: input.description, updatedAt: at }).where(eq(trainingPaths.id, id)).returning({ id: trainingPaths.id });
    if (!row) return false;
    await tx.delete(trainingSteps).where(eq(trainingSteps.pathId, row.id));
    await tx.insert(trainingSteps).values(input.steps.map((entryKey, index) => ({ pathId: row.id, position: index + 1, entryKey })));
    await recordAudit(tx, actor, 'training.save', { now, details: { id: row.id, title: input.title, steps: input.steps.length } });
    return row.id;
  });
}

/** Every path, with its number of pages and how many this agent has read. */
export async function pathsFor(db: Db, agentId: number) {
  const [paths, steps, done] = await Promise.all([
    db.select().from(trainingPaths).orderBy(desc(trainingPaths.updatedAt)),
    db.select({ pathId: trainingSteps.pathId, n: count() }).from(trainingSteps).groupBy(trainingSteps.pathId),
    db
      .select({ pathId: trainingProgress.pathId, n: count() })
      .from(trainingProgress)
      .innerJoin(trainingSteps, and(eq(trainingSteps.pathId, trainingProgress.pathId), eq(trainingSteps.entryKey, trainingProgress.entryKey)))
      .where(eq(trainingProgress.agentId, agentId))
      .groupBy(trainingProgress.pathId),
  ]);
  return paths.map((path) => ({ ...path, steps: steps.find((s) => s.pathId === path.id)?.n ?? 0, done: done.find((d) => d.pathId === path.id)?.n ?? 0 }));
}

/** A path with its pages in order, and which of them this agent has read. */
export async function pathFor(db: Db, pathId: number, agentId: number) {
  const [path] = await db.select().from(trainingPaths).where(eq(trainingPaths.id, pathId));
  if (!path) return undefined;
  const [steps, done] = await Promise.all([
    db.select({ position: trainingSteps.position, entryKey: trainingSteps.entryKey }).from(trainingSteps).where(eq(trainingSteps.pathId, pathId)).orderBy(asc(trainingSteps.position)),
    db.select({ entryKey: trainingProgress.entryKey, doneAt: trainingProgress.doneAt }).from(trainingProgress).where(and(eq(trainingProgress.pathId, pathId), eq(trainingProgress.agentId, agentId))),
  ]);
  return { ...path, steps: steps.map((s) => ({ ...s, doneAt: done.find((d) => d.entryKey === s.entryKey)?.doneAt ?? null })) };
}

/** An agent marks a page of a path read (or not); false when the page is not in the path. */
export async function markStep(db: Db, agentId: number, pathId: number, entryKey: string, read: boolean, now: number = Date.now()): Promise<boolean> {
  const [step] = await db.select({ position: trainingSteps.position }).from(trainingSteps).where(and(eq(trainingSteps.pathId, pathId), eq(trainingSteps.entryKey, entryKey)));
  if (!step) return false;
  if (read) await db.insert(trainingProgress).values({ agentId, pathId, entryKey, doneAt: new Date(now) }).onConflictDoNothing();
  else await db.delete(trainingProgress).where(and(eq(trainingProgress.agentId, agentId), eq(trainingProgress.pathId, pathId), eq(trainingProgress.entryKey, entryKey)));
  return true;
}

/** Where each active agent stands on a path (pages read of those it holds, and when last). */
export async function teamProgress(db: Db, pathId: number) {
  const keys = (await db.select({ entryKey: trainingSteps.entryKey }).from(trainingSteps).where(eq(trainingSteps.pathId, pathId))).map((s) => s.entryKey);
  const team = await db.select({ id: agents.id, name: agents.name }).from(agents).where(eq(agents.active, true)).orderBy(asc(agents.name));
  const read = keys.length > 0 ? await db.select({ agentId: trainingProgress.agentId, doneAt: trainingProgress.doneAt }).from(trainingProgress).where(and(eq(trainingProgress.pathId, pathId), inArray(trainingProgress.entryKey, keys))) : [];
  return team.map((member) => {
    const mine = read.filter((r) => r.agentId === member.id);
    return { name: member.name, done: mine.length, of: keys.length, last: mine.length > 0 ? new Date(Math.max(...mine.map((r) => r.doneAt.getTime()))) : null };
  });
}
