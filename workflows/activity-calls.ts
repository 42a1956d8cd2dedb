/** How the region workflow calls its activities: timeouts, retry policy and Web UI summaries. */
import { proxyActivities, type ActivityOptions } from '@temporalio/workflow';
import type {
  BackfillInput,
  BackfillResult,
  EnsureTokenResult,
  FetchAndStoreInput,
  FetchAndStoreResult,
  RegionActivities,
} from '../activities/types';
import { nonRetryableFailureTypes } from '../common/failure-types';

/**
 * Transient trouble (5xx, 429, network, InfluxDB down) is retried with backoff — 2, 4, 8, 16 s
 * between five attempts, about half a minute, well inside a 5-minute period — and a 429's
 * `Retry-After` overrides the backoff (the activity sets `nextRetryDelay`). After that the period
 * counts as failed and the loop moves on; permanent failures are not retried at all.
 */
const BASE_OPTIONS: ActivityOptions = {
  startToCloseTimeout: '30s',
  retry: {
    initialInterval: '2s',
    backoffCoefficient: 2,
    maximumInterval: '60s',
    maximumAttempts: 5,
    nonRetryableErrorTypes: [...nonRetryableFailureTypes],
  },
};

export interface RegionActivityCalls {
  /** `validUntilMs`: the token must stay valid until then (a fresher shared token qualifies). */
  ensureToken(force: boolean, validUntilMs: number): Promise<EnsureTokenResult>;
  /** `note` is appended to the Web UI summary, e.g. "retry after 401". */
  fetchAndStore(input: FetchAndStoreInput, note?: string): Promise<FetchAndStoreResult>;
  /** `periods`: how many the range holds, for the summary. */
  backfill(input: BackfillInput, periods: number): Promise<BackfillResult>;
}

/** Up to 10 days of `/v3/historical` in one request, which WattTime can take minutes to answer. */
const BACKFILL_OPTIONS: ActivityOptions = { ...BASE_OPTIONS, startToCloseTimeout: '4m' };

/** Each call gets its own proxy so its summary can say what it is for, e.g. `fetch CAISO_NORTH co2_moer`. */
export function regionActivityCalls(region: string): RegionActivityCalls {
  const withSummary = (summary: string, options = BASE_OPTIONS): RegionActivities => proxyActivities<RegionActivities>({ ...options, summary });
  return {
    ensureToken: (force, validUntilMs) =>
      withSummary(`${force ? 'forced token refresh' : 'token refresh'} for ${region}`).ensureToken({ force, validUntilMs }),
    fetchAndStore: (input, note) =>
      withSummary(`fetch ${input.region} ${input.signalType}${note === undefined ? '' : ` (${note})`}`).fetchAndStore(input),
    backfill: (input, periods) =>
      withSummary(`backfill ${input.region} ${input.signalType}: ${periods} period(s) from ${input.firstPointTime}`, BACKFILL_OPTIONS).backfill(input),
  };
}
