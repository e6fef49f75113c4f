/**
 * What administrators set for the workspace: due-date targets per category and per priority,
 * and the authority's working hours. Stored as JSON rows; defaults apply until changed.
 */
import { DEFAULT_RESULTS_SETTINGS, type ResultsSettings } from '../evaluation/results-settings';
import { REQUEST_CATEGORIES, type RequestCategory, type RequestPriority, workspaceSettings } from '../../../../db/schema';
import type { Locale } from '../../../i18n/routes';
import { type Actor, recordAudit } from '../audit';
import type { Db } from '../db';
import { dueAfter, readWorkingHours, type WorkingHours } from '../requests/due';

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

/**
 * How a category is offered to residents on the form: whether it is, and the question's
 * wording when the authority rewrote it (null: the default wording of src/i18n).
 */
export interface CategorySetting {
  offered: boolean;
  fr: string | null;
  en: string | null;
}

/** Always offered: the law requires a way to report an accessibility barrier, and anything else must fit somewhere. */
export const ALWAYS_OFFERED: readonly RequestCategory[] = ['accessibility', 'other'];
export const CATEGORY_LABEL_MAX = 120;

/**
 * What the authority means to achieve, shown in the reports against what was achieved; null:
 * no objective. Shares in per cent, clarity out of 5.
 */
export const OBJECTIVES = ['firstResponseOnTime', 'resolutionOnTime', 'satisfied', 'clarity', 'usefulArticles'] as const;
export type ObjectiveId = (typeof OBJECTIVES)[number];
export type Objectives = Record<ObjectiveId, number | null>;
export const DEFAULT_OBJECTIVES: Objectives = { firstResponseOnTime: 90, resolutionOnTime: 80, satisfied: 80, clarity: 4, usefulArticles: 70 };
/** The largest value each objective takes. */
export const OBJECTIVE_MAX: Record<ObjectiveId, number> = { firstResponseOnTime: 100, resolutionOnTime: 100, satisfied: 100, clarity: 5, usefulArticles: 100 };

/** Who publishes help content: administrators only (agents submit for review), or every agent. */
export const HELP_PUBLISHERS = ['admins', 'agents'] as const;
export type HelpPublishers = (typeof HELP_PUBLISHERS)[number];

export interface WorkspaceSettings {
  targets: Targets;
  hours: WorkingHours;
  categories: Record<RequestCategory, CategorySetting>;
  objectives: Objectives;
  helpPublishers: HelpPublishers;
  /** What the public results page shows, and the authority's comment. */
  results: ResultsSettings;
  chat: ChatSettings;
}

/** The live chat: after how many minutes of waiting a resident is offered a call back or a written answer. */
export interface ChatSettings {
  offerAfterMinutes: number;
}
export const DEFAULT_CHAT_SETTINGS: ChatSettings = { offerAfterMinutes: 5 };
export const CHAT_OFFER_AFTER_MAX = 60;

export async function loadWorkspaceSettings(db: Conn, answerWorkingDays = 2): Promise<WorkspaceSettings> {
  const rows = await db.select().from(workspaceSettings);
  const stored = Object.fromEntries(rows.map((r) => [r.key, r.value])) as Partial<WorkspaceSettings>;
  const defaults = defaultTargets(answerWorkingDays);
  const targets: Targets = {
    categories: { ...defaults.categories, ...(stored.targets?.categories ?? {}) },
    priorities: { ...defaults.priorities, ...(stored.targets?.priorities ?? {}) },
  };
  const categories = Object.fromEntries(REQUEST_CATEGORIES.map((c) => [c, { offered: true, fr: null, en: null, ...(stored.categories?.[c] ?? {}) }])) as Record<RequestCategory, CategorySetting>;
  for (const c of ALWAYS_OFFERED) categories[c].offered = true;
  return {
    targets,
    hours: readWorkingHours(stored.hours),
    categories,
    objectives: { ...DEFAULT_OBJECTIVES, ...(stored.objectives ?? {}) },
    helpPublishers: stored.helpPublishers === 'agents' ? 'agents' : 'admins',
    results: {
      show: { ...DEFAULT_RESULTS_SETTINGS.show, ...(stored.results?.show ?? {}) },
      comment: { ...DEFAULT_RESULTS_SETTINGS.comment, ...(stored.results?.comment ?? {}) },
    },
    chat: { ...DEFAULT_CHAT_SETTINGS, ...(stored.chat ?? {}) },
  };
}

/** The categories residents may choose, in the form's order. */
export const offeredCategories = (settings: WorkspaceSettings) => REQUEST_CATEGORIES.filter((c) => settings.categories[c].offered);

/** The wording residents read for a category: the authority's own, or `fallback` (from src/i18n). */
export const residentCategoryLabel = (settings: WorkspaceSettings, category: RequestCategory, locale: Locale, fallback: string) => settings.categories[category][locale] ?? fallback;

export async function saveWorkspaceSetting<K extends keyof WorkspaceSettings>(db: Pick<Db, 'insert'>, key: K, value: WorkspaceSettings[K], now: number = Date.now()) {
  await db
    .insert(workspaceSettings)
    .values({ key, value, updatedAt: new Date(now) })
    .onConflictDoUpdate({ target: workspaceSettings.key, set: { value, updatedAt: new Date(now) } });
}

const AUDIT_ACTIONS = { targets: 'admin.targets', hours: 'admin.hours', categories: 'admin.categories', objectives: 'admin.objectives', helpPublishers: 'admin.help-publishers', results: 'admin.results', chat: 'admin.chat' } as const;

/** An administrator changes a setting: saved with its audit entry (what it was, what it is), in one transaction. */
export async function changeWorkspaceSetting<K extends keyof WorkspaceSettings>(db: Db, actor: Actor, key: K, value: WorkspaceSettings[K], now: number = Date.now()) {
  const before = (await loadWorkspaceSettings(db))[key];
  await db.transaction(async (tx) => {
    await saveWorkspaceSetting(tx, key, value, now);
    await recordAudit(tx, actor, AUDIT_ACTIONS[key], { now, details: { from: before, to: value } });
  });
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
