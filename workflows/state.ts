/**
 * Everything a region workflow knows, as plain JSON: continue-as-new carries it whole into the
 * next run, so counters, token state, interval and pause survive history resets.
 */
import type { BackfillResult, EnsureTokenResult, FetchAndStoreResult, StoredReading } from '../activities/types';
import { FailureType, nonRetryableFailureTypes } from '../common/failure-types';
import {
  afterChunk,
  gapBetween,
  MAX_BACKFILL_ATTEMPTS,
  MAX_QUEUED_GAPS,
  periodsIn,
  unpublishedTail,
  type PeriodRange,
} from './backfill-queue';
import { needsOperator, type RecordedError } from './failures';
import { noteStored, recordStorageFailure } from './held-readings';
import type { TokenState } from './token-policy';

export interface RegionState {
  /** Seconds between fetches; changed by the `setInterval` update. */
  intervalSeconds: number;
  paused: boolean;
  token: TokenState | null;
  lastTokenRefreshAtMs: number | null;
  /**
   * Completed token refreshes: scheduled (buffer reached, between fetches or at a fetch), after a
   * 401, or by the `refreshToken` update.
   */
  tokenRefreshCount: number;
  /** Fetches retried once after WattTime rejected the token. */
  tokenRetries401: number;
  /** Periods whose fetch was attempted, failed ones included (a 401 retry is the same period). */
  totalFetches: number;
  /** Periods whose fetch ended without a stored reading. */
  failedFetches: number;
  consecutiveFailures: number;
  lastSuccessAtMs: number | null;
  /** Workflow time when the latest fetch started: the schedule counts from it. */
  lastFetchStartedAtMs: number | null;
  /** The latest failure: of a fetch, or of a token refresh between fetches (not a failed fetch). */
  lastError: RecordedError | null;
  /** The failure that needs the operator (credentials, plan), until a fetch succeeds again. */
  operatorFailure: RecordedError | null;
  /** The latest reading fetched, stored or held: gaps are counted from it. */
  lastReading: StoredReading | null;
  /**
   * Readings fetched while InfluxDB refused them, oldest first, one per `point_time`, at most a
   * day's worth (see held-readings.ts); `storeHeld` writes them when InfluxDB answers again.
   */
  heldReadings: StoredReading[];
  /** The latest failed InfluxDB write (`InfluxDBUnavailable` / `InfluxDBRejected`), until a write goes through. */
  storageFailure: RecordedError | null;
  /** The newest `point_time` stored in InfluxDB (ms since epoch), for `dataAgeSeconds`. */
  newestStoredPointMs: number | null;
  /** Live periods replaced by WattTime's final values (final-values.ts). */
  revisedPeriods: number;
  /** Live periods of the last three hours not made final yet, oldest first (final-values.ts). */
  livePeriods: PeriodRange[];
  /** Workflow time of the latest hourly look for final values (or of the start). */
  finalValuesCheckedAtMs: number;
  /**
   * Data periods with nothing stored: not fetched live and not recovered by backfill (the plan
   * has no historical access, WattTime had no data, or backfill kept failing).
   */
  missedPeriods: number;
  /** Periods nobody fetched live that were stored from `/v3/historical` afterwards. */
  backfilledPeriods: number;
  /** Gaps between successive readings still to backfill, oldest first. */
  backfillQueue: PeriodRange[];
  /** Failed tries of the oldest gap's first chunk so far. */
  backfillAttempts: number;
  /** Sum of the `meta.warnings` WattTime attached to stored readings. */
  warnings: number;
  nextFetchAtMs: number;
  /** How many runs of this workflow id ended in continue-as-new. */
  continuedAsNew: number;
}

/** A new region: nothing known, first fetch at once. */
export function initialState(intervalSeconds: number, nowMs: number): RegionState {
  return {
    intervalSeconds,
    paused: false,
    token: null,
    lastTokenRefreshAtMs: null,
    tokenRefreshCount: 0,
    tokenRetries401: 0,
    totalFetches: 0,
    failedFetches: 0,
    consecutiveFailures: 0,
    lastSuccessAtMs: null,
    lastFetchStartedAtMs: null,
    lastError: null,
    operatorFailure: null,
    lastReading: null,
    heldReadings: [],
    storageFailure: null,
    newestStoredPointMs: null,
    revisedPeriods: 0,
    livePeriods: [],
    finalValuesCheckedAtMs: nowMs,
    missedPeriods: 0,
    backfilledPeriods: 0,
    backfillQueue: [],
    backfillAttempts: 0,
    warnings: 0,
    nextFetchAtMs: nowMs,
    continuedAsNew: 0,
  };
}

/** The activity's latest answer wins: it reflects the token the worker's cache holds now. */
export function recordToken(state: RegionState, result: EnsureTokenResult, nowMs: number): void {
  state.token = { expiresAtMs: result.expiresAtMs, tokenId: result.tokenId };
  state.lastTokenRefreshAtMs = nowMs;
  state.tokenRefreshCount += 1;
}

/**
 * Records a fetched reading (stored or not: the caller records where it went); returns the
 * periods since the previous reading that nobody fetched.
 */
export function recordSuccess(state: RegionState, result: FetchAndStoreResult, periodMs: number, nowMs: number): PeriodRange | null {
  const previous = state.lastReading;
  const gap = previous === null ? null : gapBetween(Date.parse(previous.pointTime), Date.parse(result.reading.pointTime), periodMs);
  state.lastReading = result.reading;
  state.lastSuccessAtMs = nowMs;
  state.consecutiveFailures = 0;
  state.operatorFailure = null;
  state.warnings += result.warnings;
  return gap;
}

/** Queues a gap for backfill; past `MAX_QUEUED_GAPS` the oldest is given up as missed. */
export function queueGap(state: RegionState, gap: PeriodRange, periodMs: number): void {
  state.backfillQueue.push(gap);
  while (state.backfillQueue.length > MAX_QUEUED_GAPS) {
    const oldest = state.backfillQueue.shift();
    if (oldest !== undefined) state.missedPeriods += periodsIn(oldest, periodMs);
    state.backfillAttempts = 0;
  }
}

/**
 * Settles the oldest gap's first chunk: what was stored is backfilled; recent periods after the
 * last one stored stay queued until they are published; anything else is missed.
 */
export function recordBackfill(state: RegionState, chunk: PeriodRange, result: BackfillResult, periodMs: number, nowMs: number): void {
  const periods = periodsIn(chunk, periodMs);
  const stored = result.planAllows ? Math.min(result.storedPeriods, periods) : 0;
  const lastStoredMs = result.lastStoredPointTime === null ? null : Date.parse(result.lastStoredPointTime);
  const waiting = result.planAllows ? unpublishedTail(chunk, lastStoredMs, nowMs, periodMs) : null;
  const waitingPeriods = waiting === null ? 0 : periodsIn(waiting, periodMs);
  state.backfilledPeriods += stored;
  state.missedPeriods += periods - stored - waitingPeriods;
  state.warnings += result.warnings;
  if (lastStoredMs !== null) noteStored(state, lastStoredMs);
  dropChunk(state, chunk, periodMs);
  if (waiting !== null) state.backfillQueue.unshift(waiting);
}

/**
 * A backfill that failed after its retries. A rejected token or transient trouble leaves the
 * chunk queued for the next successful fetch, up to `MAX_BACKFILL_ATTEMPTS` tries; a request
 * WattTime will never answer (bad request, malformed answer) gives it up as missed at once. A
 * failed InfluxDB write is no try at all: the chunk waits until InfluxDB takes writes again.
 */
export function recordBackfillFailure(state: RegionState, chunk: PeriodRange, error: RecordedError, periodMs: number): void {
  if (isStorageFailure(error)) {
    recordStorageFailure(state, error);
    return;
  }
  state.lastError = error;
  if (error.type === FailureType.TokenRejected) state.token = null;
  state.backfillAttempts += 1;
  const permanent = error.type !== FailureType.TokenRejected && (nonRetryableFailureTypes as readonly string[]).includes(error.type);
  if (permanent || state.backfillAttempts >= MAX_BACKFILL_ATTEMPTS) {
    state.missedPeriods += periodsIn(chunk, periodMs);
    dropChunk(state, chunk, periodMs);
  }
}

export function isStorageFailure(error: RecordedError): boolean {
  return error.type === FailureType.StorageUnavailable || error.type === FailureType.StorageRejected;
}

function dropChunk(state: RegionState, chunk: PeriodRange, periodMs: number): void {
  const gap = state.backfillQueue.shift();
  const rest = gap === undefined ? null : afterChunk(gap, chunk, periodMs);
  if (rest !== null) state.backfillQueue.unshift(rest);
  state.backfillAttempts = 0;
}

export function recordFailure(state: RegionState, error: RecordedError): void {
  state.failedFetches += 1;
  state.consecutiveFailures += 1;
  state.lastError = error;
  if (needsOperator(error)) state.operatorFailure = error;
  // Even the token fetched for the retry was refused: forget it, so the next period logs in.
  if (error.type === FailureType.TokenRejected) state.token = null;
}
