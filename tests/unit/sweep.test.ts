import { expect, it } from 'vitest';
import { SWEEP_INTERVAL_MS, sweepDue } from '../../src/lib/server/sweep';

it('lets each database handle sweep each kind of row at most once per interval', () => {
  const first = {};
  const second = {};
  expect(sweepDue(first, 'drafts', 1_000)).toBe(true);
  expect(sweepDue(first, 'drafts', 1_000 + SWEEP_INTERVAL_MS - 1)).toBe(false);
  expect(sweepDue(first, 'rate-limits', 1_000)).toBe(true);
  expect(sweepDue(second, 'drafts', 1_000)).toBe(true);
  expect(sweepDue(first, 'drafts', 1_000 + SWEEP_INTERVAL_MS)).toBe(true);
  // A clock set back (tests, or a corrected system clock) does not stop the sweeps for long.
  expect(sweepDue(first, 'drafts', 1_000 - 2 * SWEEP_INTERVAL_MS)).toBe(true);
});
