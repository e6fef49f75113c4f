/**
 * Expired rows (rate-limit windows, abandoned drafts) are deleted by the requests that notice
 * them, with no job to run. Each delete is a write with its own commit, so one connection does
 * it at most once a minute per kind, instead of at every new client or draft.
 */
const lastSweeps = new WeakMap<object, Map<string, number>>();

export const SWEEP_INTERVAL_MS = 60_000;

/** Whether `db` is due to sweep `kind` at `now`; if so, the sweep is counted as done. */
export function sweepDue(db: object, kind: string, now: number): boolean {
  let sweeps = lastSweeps.get(db);
  if (!sweeps) lastSweeps.set(db, (sweeps = new Map()));
  const last = sweeps.get(kind);
  if (last !== undefined && Math.abs(now - last) < SWEEP_INTERVAL_MS) return false;
  sweeps.set(kind, now);
  return true;
}
