/** The `health` query's answer, its status rules, and the one-line status for the Web UI. */
import type { StoredReading } from '../activities/types';
import { unitsLabel } from '../common/units-label';
import { periodsIn } from './backfill-queue';
import { dataAgeMs, dataStatus, storageNeedsOperator } from './data-status';
import type { RecordedError } from './failures';
import type { FetchInProgress } from './fetch-progress';
import type { RegionConfig } from './input';
import { dataPeriodMs } from './schedule';
import type { RegionState } from './state';

/**
 * Status rules, first match wins:
 * 1. `paused` — the `pause` update is in effect (no fetches until `resume`).
 * 2. `unhealthy` — the latest failure needs the operator (`WattTimeInvalidCredentials`,
 *    `WattTimeOutOfPlan`) and no fetch has succeeded since, or InfluxDB refused a write for good
 *    (`InfluxDBRejected`) and none has gone through since (data-status.ts).
 * 3. `degraded` — the latest fetch failed (after its retries), but one succeeded within the
 *    last 30 minutes.
 * 4. `unhealthy` — fetches are failing and none has succeeded for 30 minutes (or ever). This is
 *    the point where the service we replace answered 503.
 * 5. `degraded`, then `unhealthy` — the newest stored `point_time` was 15, then 60 minutes old
 *    at the latest successful fetch (WattTime stuck on one period, InfluxDB away), or readings
 *    are held because InfluxDB did not take them (data-status.ts).
 * 6. `healthy` — otherwise: the latest fetch succeeded and was stored, or none has been attempted yet.
 * "Now" is the workflow's time at its latest activation, so the answer is at most one interval old.
 */
export type HealthStatus = 'healthy' | 'degraded' | 'unhealthy' | 'paused';

/** Without a success for this long, failing fetches make the region unhealthy. */
export const UNHEALTHY_AFTER_MS = 30 * 60_000;

/** Timestamps are ISO-8601 (UTC); null means "not yet". No field ever holds a secret. */
export interface RegionHealth {
  region: string;
  signalType: string;
  status: HealthStatus;
  /** Why the status is what it is, in one line. */
  statusReason: string;
  lastSuccessfulFetch: string | null;
  lastTokenRefresh: string | null;
  tokenRefreshCount: number;
  /** Fetches retried once after WattTime rejected the token (401 or no token on this worker). */
  tokenRetries401: number;
  /** Periods whose fetch was attempted, failures included. */
  totalFetches: number;
  failedFetches: number;
  /** (totalFetches − failedFetches) / totalFetches, 0–1; null before the first fetch. */
  successRate: number | null;
  consecutiveFailures: number;
  /** The latest failure: of a fetch, or of a token refresh between fetches (which is no failed fetch). */
  lastError: RecordedError | null;
  tokenExpiresAt: string | null;
  tokenId: string | null;
  /**
   * The latest reading fetched (stored, or held while `unstoredPeriods` > 0); `pointTime` is
   * WattTime's period, not the fetch time.
   */
  lastReading: StoredReading | null;
  /** Now minus the newest `point_time` stored in InfluxDB, in seconds; null before anything was stored. */
  dataAgeSeconds: number | null;
  /** Periods fetched while InfluxDB refused them, held by the workflow until it takes them (at most a day's worth). */
  unstoredPeriods: number;
  /** Null while paused or stopping. */
  nextFetchAt: string | null;
  /**
   * Data periods with nothing stored: not fetched live, and not backfilled (the plan has no
   * historical access, WattTime had no data for them, or backfill kept failing).
   */
  missedPeriods: number;
  /** Periods not fetched live (outage, worker down, pause, long interval) stored from `/v3/historical` since. */
  backfilledPeriods: number;
  /** Periods not fetched live that are waiting to be backfilled after the next successful fetch. */
  backfillPendingPeriods: number;
  /** Live periods whose estimate was replaced by WattTime's final value from `/v3/historical` (hourly). */
  revisedPeriods: number;
  /** WattTime `meta.warnings` seen on stored readings. */
  warnings: number;
  intervalSeconds: number;
  /** Runs of this workflow id that ended in continue-as-new. */
  continuedAsNew: number;
  /** The fetch under way when health was read, or null between fetches (see `FetchInProgress`). */
  fetchInProgress?: FetchInProgress | null;
}

function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

function ageSeconds(ms: number | null): number | null {
  return ms === null ? null : Math.round(ms / 1000);
}

function statusOf(config: RegionConfig, state: RegionState, nowMs: number): { status: HealthStatus; statusReason: string } {
  if (state.paused) return { status: 'paused', statusReason: 'paused by the operator' };
  if (state.operatorFailure !== null) {
    return { status: 'unhealthy', statusReason: `needs the operator: ${state.operatorFailure.message}` };
  }
  const storage = storageNeedsOperator(state);
  if (storage !== null) return storage;
  if (state.consecutiveFailures === 0) {
    return (
      dataStatus(config, state) ?? {
        status: 'healthy',
        statusReason: state.totalFetches === 0 ? 'no fetch yet' : 'latest fetch succeeded',
      }
    );
  }
  const failing = `${state.consecutiveFailures} consecutive failed fetch(es), latest ${state.lastError?.type ?? 'unknown'}`;
  if (state.lastSuccessAtMs !== null && nowMs - state.lastSuccessAtMs < UNHEALTHY_AFTER_MS) {
    return { status: 'degraded', statusReason: `${failing}; last success within 30 minutes` };
  }
  const since = state.lastSuccessAtMs === null ? 'no success yet' : 'no success for 30 minutes or more';
  return { status: 'unhealthy', statusReason: `${failing}; ${since}` };
}

export function regionHealth(config: RegionConfig, state: RegionState, nowMs: number, stopping: boolean): RegionHealth {
  return {
    region: config.region,
    signalType: config.signalType,
    ...statusOf(config, state, nowMs),
    lastSuccessfulFetch: iso(state.lastSuccessAtMs),
    lastTokenRefresh: iso(state.lastTokenRefreshAtMs),
    tokenRefreshCount: state.tokenRefreshCount,
    tokenRetries401: state.tokenRetries401,
    totalFetches: state.totalFetches,
    failedFetches: state.failedFetches,
    successRate: state.totalFetches === 0 ? null : (state.totalFetches - state.failedFetches) / state.totalFetches,
    consecutiveFailures: state.consecutiveFailures,
    lastError: state.lastError,
    tokenExpiresAt: iso(state.token?.expiresAtMs ?? null),
    tokenId: state.token?.tokenId ?? null,
    lastReading: state.lastReading,
    dataAgeSeconds: ageSeconds(dataAgeMs(state, nowMs)),
    unstoredPeriods: state.heldReadings.length,
    nextFetchAt: state.paused || stopping ? null : iso(state.nextFetchAtMs),
    missedPeriods: state.missedPeriods,
    backfilledPeriods: state.backfilledPeriods,
    backfillPendingPeriods: state.backfillQueue.reduce((sum, gap) => sum + periodsIn(gap, dataPeriodMs(config.signalType)), 0),
    revisedPeriods: state.revisedPeriods,
    warnings: state.warnings,
    intervalSeconds: state.intervalSeconds,
    continuedAsNew: state.continuedAsNew,
  };
}

/** E.g. `healthy · 870.5 lbs/MWh @ 2024-06-18T18:40:00.000Z · next 18:45:30Z`, for `setCurrentDetails`. */
export function statusLine(health: RegionHealth): string {
  const reading = health.lastReading;
  // Readings carried from runs before units were recorded have no `value`: they show their index.
  const value =
    reading === null
      ? 'no reading yet'
      : typeof reading.value === 'number'
        ? `${reading.value} ${unitsLabel(reading.units)} @ ${reading.pointTime}`
        : `index ${reading.indexPercentile ?? '?'} @ ${reading.pointTime}`;
  const next = health.nextFetchAt === null ? '' : ` · next ${health.nextFetchAt.slice(11, 19)}Z`;
  const failing = health.status === 'healthy' || health.status === 'paused' ? '' : ` · ${health.statusReason}`;
  const backfilling = health.backfillPendingPeriods === 0 ? '' : ` · ${health.backfillPendingPeriods} period(s) to backfill`;
  const held = health.unstoredPeriods === 0 ? '' : ` · ${health.unstoredPeriods} period(s) held`;
  return `${health.status} · ${value}${failing}${backfilling}${held}${next}`;
}
