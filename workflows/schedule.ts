/**
 * When the next fetch happens and how many periods were missed: pure arithmetic on workflow
 * time, so the schedule is deterministic and the same in replay.
 */

import { FETCH_INTERVAL_SECONDS } from '../common/limits';
import { dataPeriodSeconds, FIVE_MINUTE_PERIOD_SECONDS } from '../common/names';

/**
 * Fetch this long after a period boundary: the new point is published ~1 minute after its period
 * starts at the earliest, but `/v3/forecast` already answers for the current period, and a fetch
 * right on the boundary would race clocks on either side of it.
 */
export const FETCH_OFFSET_MS = 30_000;

/** Why `seconds` is not a usable fetch interval, or undefined when it is. */
export function intervalProblem(seconds: unknown): string | undefined {
  if (typeof seconds !== 'number' || !Number.isInteger(seconds)) {
    return `intervalSeconds must be a whole number of seconds, got ${String(seconds)}`;
  }
  if (seconds < FETCH_INTERVAL_SECONDS.min || seconds > FETCH_INTERVAL_SECONDS.max) {
    return `intervalSeconds must be between ${FETCH_INTERVAL_SECONDS.min} and ${FETCH_INTERVAL_SECONDS.max}, got ${seconds}`;
  }
  return undefined;
}

/**
 * The first fetch slot after a fetch that started at `startedAtMs`. An interval that is a
 * multiple of the data period is aligned to the epoch, at the publication offset plus the
 * region's own `offsetMs` (see fetch-offset.ts; 0–239 s, `FETCH_WINDOW_SECONDS`): every 5 minutes
 * → :00:30 + offset, :05:30 + offset, …; every hour → on the hour + 30 s + offset. The slot is
 * always in a later interval than the fetch and inside the first 5-minute period of its interval
 * (30 s + offset < 300 s), so no period is fetched twice; any other interval simply follows the
 * previous fetch and ignores the offset.
 */
export function slotAfter(startedAtMs: number, intervalSeconds: number, offsetMs: number): number {
  const intervalMs = intervalSeconds * 1000;
  if (intervalSeconds % FIVE_MINUTE_PERIOD_SECONDS !== 0) return startedAtMs + intervalMs;
  return (Math.floor(startedAtMs / intervalMs) + 1) * intervalMs + FETCH_OFFSET_MS + offsetMs;
}

/**
 * When to fetch next: the slot after the last fetch, or at once when that slot has already gone
 * by (the fetch overran it, or the workflow was paused or its worker down), so a late period is
 * still fetched within its own 5 minutes instead of being skipped.
 */
export function nextFetchTime(lastStartedAtMs: number, nowMs: number, intervalSeconds: number, offsetMs: number): number {
  return Math.max(slotAfter(lastStartedAtMs, intervalSeconds, offsetMs), nowMs);
}

/** The signal type's data period in milliseconds (see `dataPeriodSeconds`). */
export function dataPeriodMs(signalType: string): number {
  return dataPeriodSeconds(signalType) * 1000;
}
