/** How the region workflow calls its activities: timeouts, retry policy and Web UI summaries. */
import { proxyActivities, type ActivityOptions } from '@temporalio/workflow';
import type { RegionActivities } from '../activities/factory';
import type { BackfillInput, FetchAndStoreInput, StoreHeldInput } from '../activities/types';
import { nonRetryableFailureTypes } from '../common/failure-types';
import { ACTIVITY_ATTEMPT_SECONDS } from '../common/limits';

/**
 * Transient trouble (5xx, 429, network, InfluxDB down) is retried with backoff — 2, 4, 8, 16 s
 * between five attempts, about half a minute, well inside a 5-minute period — and a 429's
 * `Retry-After` overrides the backoff (the activity sets `nextRetryDelay`). Every call, retries
 * included, also ends before the next fetch is due (see `ActivityCalls`): a retry that would wait
 * past it is not made. After that the period counts as failed and the loop moves on; permanent
 * failures are not retried at all.
 */
const RETRY: ActivityOptions['retry'] = {
  initialInterval: '2s',
  backoffCoefficient: 2,
  maximumInterval: '60s',
  maximumAttempts: 5,
  nonRetryableErrorTypes: [...nonRetryableFailureTypes],
};

/**
 * The longest one attempt may take (`startToCloseTimeout`), in milliseconds: up to 10 days of
 * `/v3/historical` in one request can take WattTime minutes.
 */
const ATTEMPT_MS: Record<keyof RegionActivities, number> = {
  ensureToken: ACTIVITY_ATTEMPT_SECONDS * 1000,
  fetchAndStore: ACTIVITY_ATTEMPT_SECONDS * 1000,
  storeHeld: ACTIVITY_ATTEMPT_SECONDS * 1000,
  backfill: 4 * 60_000,
};

/** Calls end this long before the next fetch is due, so it finds its slot free. */
export const END_BEFORE_NEXT_FETCH_MS = 5_000;

/**
 * A call's overall bound, retries included (`scheduleToCloseTimeout`): until `END_BEFORE_NEXT_FETCH_MS`
 * before `nextFetchAtMs`, but at least one whole attempt, so a call that starts late still gets
 * one try. Without it a 429 saying `Retry-After: 600` kept one fetch retrying for most of an hour.
 */
export function callBoundMs(name: keyof RegionActivities, nextFetchAtMs: number, nowMs: number): number {
  return Math.max(nextFetchAtMs - END_BEFORE_NEXT_FETCH_MS - nowMs, ATTEMPT_MS[name]);
}

/**
 * The region workflow's activities, each called with its options, a `summary` that labels the
 * call in the Web UI, and the time the next fetch is due (ms since epoch), which the call with its
 * retries ends before (`callBoundMs`). Derived from `RegionActivities`, so the contract lives in
 * one place.
 */
export type ActivityCalls = {
  [Name in keyof RegionActivities]: (
    summary: string,
    input: Parameters<RegionActivities[Name]>[0],
    nextFetchAtMs: number,
  ) => ReturnType<RegionActivities[Name]>;
};

/** Each call gets its own proxy so its summary can say what it is for, e.g. `fetch CAISO_NORTH co2_moer`. */
const proxy = (name: keyof RegionActivities, summary: string, nextFetchAtMs: number) =>
  proxyActivities<RegionActivities>({
    startToCloseTimeout: ATTEMPT_MS[name],
    retry: RETRY,
    summary,
    scheduleToCloseTimeout: callBoundMs(name, nextFetchAtMs, Date.now()),
  });

export const activityCalls: ActivityCalls = {
  ensureToken: (summary, input, nextFetchAtMs) => proxy('ensureToken', summary, nextFetchAtMs).ensureToken(input),
  fetchAndStore: (summary, input, nextFetchAtMs) => proxy('fetchAndStore', summary, nextFetchAtMs).fetchAndStore(input),
  storeHeld: (summary, input, nextFetchAtMs) => proxy('storeHeld', summary, nextFetchAtMs).storeHeld(input),
  backfill: (summary, input, nextFetchAtMs) => proxy('backfill', summary, nextFetchAtMs).backfill(input),
};

/** Web UI summaries: what each activity call is for. */
export const summaries = {
  ensureToken: (region: string, force: boolean): string => `${force ? 'forced token refresh' : 'token refresh'} for ${region}`,
  /** `note` is appended, e.g. "retry after 401". */
  fetchAndStore: (input: FetchAndStoreInput, note?: string): string =>
    `fetch ${input.region} ${input.signalType}${note === undefined ? '' : ` (${note})`}`,
  storeHeld: (input: StoreHeldInput): string =>
    `store ${input.readings.length} held reading(s) ${input.region} ${input.signalType} from ${input.readings[0]?.pointTime ?? '-'}`,
  /** `periods`: how many the range holds. */
  backfill: (input: BackfillInput, periods: number): string =>
    `backfill ${input.region} ${input.signalType}: ${periods} period(s) from ${input.firstPointTime}`,
  /** The same activity as `backfill`, replacing live estimates with WattTime's final values. */
  finalValues: (input: BackfillInput, periods: number): string =>
    `final values ${input.region} ${input.signalType}: ${periods} period(s) from ${input.firstPointTime}`,
};
