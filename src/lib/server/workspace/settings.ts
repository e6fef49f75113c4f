/**
 * What administrators set for the workspace: due-date targets per category and per priority,
 * and the authority's working hours. Stored as JSON rows; defaults apply until changed.
 */
import { REQUEST_CATEGORIES, REQUEST_PRIORITIES, type RequestCategory, type RequestPriority, workspaceSettings } from '../../../../db/schema';
import type { Db } from '../db';
import { DEFAULT_WORKING_HOURS, dueAfter, type WorkingHours } from '../requests/due';

type Conn = Pick<Db, 'select'>;

/** Working days to the first answer and to the solution; null: no target of its own. */
export interface Target {
  firstResponse: number | null;
  resolution: number | null;
}

export interface Targets {
  categories: Record<RequestCategory, Target>;
  priorities: Record<RequestPriority, Target>;
}

/** The law gives a week to answer an accessibility barrier: no setting may go past it. */
export const ACCESSIBILITY_MAX_DAYS = 7;
export const TARGET_MAX_DAYS = 60;

export function defaultTargets(answerWorkingDays = 2): Targets {
  const categories = Object.fromEntries(REQUEST_CATEGORIES.map((c) => [c, { firstResponse: answerWorkingDays, resolution: 10 }])) as Record<RequestCategory, Target>;
  categories.accessibility = { firstResponse: 5, resolution: 10 };
  return {
    categories,
    priorities: { urgent: { firstResponse: 0, resolution: 2 }, high: { firstResponse: 1, resolution: 5 }, normal: { firstResponse: null, resolution: null }, low: { firstResponse: null, resolution: null } },
  };
}

export interface WorkspaceSettings {
  targets: Targets;
  hours: WorkingHours;
}

export async function loadWorkspaceSettings(db: Conn, answerWorkingDays = 2): Promise<WorkspaceSettings> {
  const rows = await db.select().from(workspaceSettings);
  const stored = Object.fromEntries(rows.map((r) => [r.key, r.value])) as Partial<WorkspaceSettings>;
  const defaults = defaultTargets(answerWorkingDays);
  const targets: Targets = {
    categories: { ...defaults.categories, ...(stored.targets?.categories ?? {}) },
    priorities: { ...defaults.priorities, ...(stored.targets?.priorities ?? {}) },
  };
  return { targets, hours: { ...DEFAULT_WORKING_HOURS, ...(stored.hours ?? {}) } };
}

export async function saveWorkspaceSetting<K extends keyof WorkspaceSettings>(db: Pick<Db, 'insert'>, key: K, value: WorkspaceSettings[K], now: number = Date.now()) {
  await db
    .insert(workspaceSettings)
    .values({ key, value, updatedAt: new Date(now) })
    .onConflictDoUpdate({ target: workspaceSettings.key, set: { value, updatedAt: new Date(now) } });
}

const shorter = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.min(a, b));

/**
 * A request's two deadlines. The category and the priority each may set a target: the shorter
 * applies. An accessibility barrier is answered within a week whatever the settings say.
 */
export function deadlines(created: Date, category: RequestCategory, priority: RequestPriority, settings: WorkspaceSettings): { dueAt: Date; resolutionDueAt: Date } {
  const byCategory = settings.targets.categories[category];
  const byPriority = settings.targets.priorities[priority];
  const firstDays = shorter(byCategory.firstResponse, byPriority.firstResponse) ?? 2;
  const resolutionDays = Math.max(firstDays, shorter(byCategory.resolution, byPriority.resolution) ?? 10);
  let dueAt = dueAfter(created, firstDays, settings.hours);
  if (category === 'accessibility') {
    const legal = new Date(created.getTime() + ACCESSIBILITY_MAX_DAYS * 86_400_000);
    if (legal < dueAt) dueAt = legal;
  }
  const resolutionDueAt = dueAfter(created, resolutionDays, settings.hours);
  return { dueAt, resolutionDueAt: resolutionDueAt < dueAt ? dueAt : resolutionDueAt };
}
