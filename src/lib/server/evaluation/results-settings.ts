/** What the public results page shows (administrators choose), apart from the figures' code so that settings stay light. */
export const RESULT_BLOCKS = ['onTime', 'firstResponse', 'satisfaction', 'blocking'] as const;
export type ResultBlock = (typeof RESULT_BLOCKS)[number];

/** What administrators choose to show, and the comment they add (per language). */
export interface ResultsSettings {
  show: Record<ResultBlock, boolean>;
  comment: { fr: string | null; en: string | null };
}
export const DEFAULT_RESULTS_SETTINGS: ResultsSettings = { show: { onTime: true, firstResponse: true, satisfaction: true, blocking: true }, comment: { fr: null, en: null } };
export const RESULTS_COMMENT_MAX = 1000;

