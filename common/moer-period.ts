/**
 * WattTime's `co2_moer` data period: every MOER point and forecast point covers the 5 minutes
 * starting at its `point_time`. Plain constants and arithmetic only: this module may be bundled
 * into the workflow sandbox.
 */
export const MOER_PERIOD_MS = 5 * 60_000;

/** The `point_time` (ms since epoch) of the period containing `ms`. */
export function moerPeriodStart(ms: number): number {
  return Math.floor(ms / MOER_PERIOD_MS) * MOER_PERIOD_MS;
}

/** Whole periods needed to run for `durationMs` (rounded up; at least one). */
export function periodsFor(durationMs: number): number {
  return Math.max(1, Math.ceil(durationMs / MOER_PERIOD_MS));
}
