/**
 * Everything a region workflow knows, as plain JSON: continue-as-new carries it whole into the
 * next run, so counters, token state, interval and pause survive history resets.
 */
import type { EnsureTokenResult, FetchAndStoreResult, StoredReading } from '../activities/types';
import { FailureType } from '../common/failure-types';
import { needsOperator, type RecordedError } from './failures';
import { dataPeriodMs, missedPeriodsBetween } from './schedule';
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
  lastReading: StoredReading | null;
  /** Data periods between successive successful readings that nobody fetched. */
  missedPeriods: number;
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
    missedPeriods: 0,
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

export function recordSuccess(state: RegionState, signalType: string, result: FetchAndStoreResult, nowMs: number): void {
  const previous = state.lastReading;
  if (previous !== null) {
    state.missedPeriods += missedPeriodsBetween(
      Date.parse(previous.pointTime),
      Date.parse(result.reading.pointTime),
      dataPeriodMs(signalType),
    );
  }
  state.lastReading = result.reading;
  state.lastSuccessAtMs = nowMs;
  state.consecutiveFailures = 0;
  state.operatorFailure = null;
  state.warnings += result.warnings;
}

export function recordFailure(state: RegionState, error: RecordedError): void {
  state.failedFetches += 1;
  state.consecutiveFailures += 1;
  state.lastError = error;
  if (needsOperator(error)) state.operatorFailure = error;
  // Even the token fetched for the retry was refused: forget it, so the next period logs in.
  if (error.type === FailureType.TokenRejected) state.token = null;
}
