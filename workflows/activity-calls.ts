/** How the region workflow calls its activities: timeouts, retry policy and Web UI summaries. */
import { proxyActivities, type ActivityOptions } from '@temporalio/workflow';
import type { RegionActivities } from '../activities/factory';
import type { BackfillInput, FetchAndStoreInput } from '../activities/types';
import { nonRetryableFailureTypes } from '../common/failure-types';
import { ACTIVITY_ATTEMPT_SECONDS } from '../common/limits';

/**
 * Transient trouble (5xx, 429, network, InfluxDB down) is retried with backoff — 2, 4, 8, 16 s
 * between five attempts, about half a minute, well inside a 5-minute period — and a 429's
 * `Retry-After` overrides the backoff (the activity sets `nextRetryDelay`). After that the period
 * counts as failed and the loop moves on; permanent failures are not retried at all.
 */
const BASE_OPTIONS: ActivityOptions = {
  startToCloseTimeout: `${ACTIVITY_ATTEMPT_SECONDS}s`,
  retry: {
    initialInterval: '2s',
    backoffCoefficient: 2,
    maximumInterval: '60s',
    maximumAttempts: 5,
    nonRetryableErrorTypes: [...nonRetryableFailureTypes],
  },
};

/** Options per activity: up to 10 days of `/v3/historical` in one request can take WattTime minutes. */
const OPTIONS: Record<keyof RegionActivities, ActivityOptions> = {
  ensureToken: BASE_OPTIONS,
  fetchAndStore: BASE_OPTIONS,
  backfill: { ...BASE_OPTIONS, startToCloseTimeout: '4m' },
};

/**
 * The region workflow's activities, each called with its options and a `summary` that labels the
 * call in the Web UI. Derived from `RegionActivities`, so the contract lives in one place.
 */
export type ActivityCalls = {
  [Name in keyof RegionActivities]: (
    summary: string,
    input: Parameters<RegionActivities[Name]>[0],
  ) => ReturnType<RegionActivities[Name]>;
};

/** Each call gets its own proxy so its summary can say what it is for, e.g. `fetch CAISO_NORTH co2_moer`. */
const proxy = (name: keyof RegionActivities, summary: string) => proxyActivities<RegionActivities>({ ...OPTIONS[name], summary });

export const activityCalls: ActivityCalls = {
  ensureToken: (summary, input) => proxy('ensureToken', summary).ensureToken(input),
  fetchAndStore: (summary, input) => proxy('fetchAndStore', summary).fetchAndStore(input),
  backfill: (summary, input) => proxy('backfill', summary).backfill(input),
};

/** Web UI summaries: what each activity call is for. */
export const summaries = {
  ensureToken: (region: string, force: boolean): string => `${force ? 'forced token refresh' : 'token refresh'} for ${region}`,
  /** `note` is appended, e.g. "retry after 401". */
  fetchAndStore: (input: FetchAndStoreInput, note?: string): string =>
    `fetch ${input.region} ${input.signalType}${note === undefined ? '' : ` (${note})`}`,
  /** `periods`: how many the range holds. */
  backfill: (input: BackfillInput, periods: number): string =>
    `backfill ${input.region} ${input.signalType}: ${periods} period(s) from ${input.firstPointTime}`,
};
