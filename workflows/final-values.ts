/**
 * Final values: a live reading is WattTime's real-time estimate (the forecast's first point);
 * `/v3/historical` later publishes the period's final value, possibly revised, with an imputed
 * marker. Once an hour the workflow re-reads the recent live periods from there (the backfill
 * activity) and overwrites them. Pure arithmetic on workflow time and `point_time`s.
 */
import type { BackfillResult } from '../activities/types';
import { clipRanges, periodsIn, withPeriod, type PeriodRange } from './backfill-queue';
import { noteStored } from './held-readings';
import type { RegionState } from './state';

/** How often a region asks for final values. */
export const FINAL_VALUES_EVERY_MS = 60 * 60_000;

/** A live period is made final once it is this old: WattTime publishes within minutes to hours. */
export const FINAL_VALUES_AFTER_MS = 60 * 60_000;

/** Live periods older than this are no longer asked for (what WattTime had not published by then stays live). */
export const FINAL_VALUES_LOOKBACK_MS = 3 * 60 * 60_000;

/**
 * Notes a period stored (or held) with a live value, to be made final later; forgets the live
 * periods past the look-back, so the list stays a few ranges long.
 */
export function noteLivePeriod(state: RegionState, pointMs: number, periodMs: number, nowMs: number): void {
  state.livePeriods = clipRanges(withPeriod(state.livePeriods, pointMs, periodMs), oldestAsked(nowMs, periodMs), Number.MAX_SAFE_INTEGER);
}

/** Whether the hourly re-read is due: nothing is held (InfluxDB takes writes) and the latest fetch succeeded. */
export function finalValuesDue(state: RegionState, nowMs: number): boolean {
  return state.heldReadings.length === 0 && state.consecutiveFailures === 0 && nowMs - state.finalValuesCheckedAtMs >= FINAL_VALUES_EVERY_MS;
}

/**
 * The range to ask `/v3/historical` for: from the first to the last live period that is at least
 * an hour and at most three hours old, or null when there is none. Gaps inside it (periods
 * backfilled already) are rewritten with the same final values and not counted.
 */
export function finalValuesRange(state: RegionState, nowMs: number, periodMs: number): PeriodRange | null {
  const due = clipRanges(state.livePeriods, oldestAsked(nowMs, periodMs), Math.floor((nowMs - FINAL_VALUES_AFTER_MS) / periodMs) * periodMs);
  const first = due[0];
  const last = due.at(-1);
  return first === undefined || last === undefined ? null : { firstMs: first.firstMs, lastMs: last.lastMs };
}

/**
 * Counts the live periods WattTime's final values replaced and forgets them; those after the last
 * one it had stay live and are asked for again next hour while recent enough. Where the plan has
 * no historical access, the range is forgotten: no final value will come.
 */
export function recordFinalValues(state: RegionState, range: PeriodRange, result: BackfillResult, periodMs: number): void {
  const lastStoredMs = result.lastStoredPointTime === null ? null : Date.parse(result.lastStoredPointTime);
  const settledThroughMs = result.planAllows ? lastStoredMs : range.lastMs;
  if (settledThroughMs === null) return;
  if (result.planAllows && lastStoredMs !== null) {
    state.revisedPeriods += clipRanges(state.livePeriods, range.firstMs, lastStoredMs).reduce((sum, g) => sum + periodsIn(g, periodMs), 0);
    state.warnings += result.warnings;
    noteStored(state, lastStoredMs);
  }
  state.livePeriods = clipRanges(state.livePeriods, settledThroughMs + periodMs, Number.MAX_SAFE_INTEGER);
}

function oldestAsked(nowMs: number, periodMs: number): number {
  return Math.ceil((nowMs - FINAL_VALUES_LOOKBACK_MS) / periodMs) * periodMs;
}
