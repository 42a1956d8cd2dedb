import { describe, expect, it } from 'vitest';
import { judgedAt } from '../../regions/staleness';
import type { FetchInProgress } from '../../workflows/fetch-progress';
import { regionHealth, type RegionHealth } from '../../workflows/health';
import { resolveInput } from '../../workflows/input';
import { initialState, type RegionState } from '../../workflows/state';

const MIN = 60_000;
/** The workflow's latest step: a fetch that succeeded at 12:00:30. */
const T0 = Date.parse('2026-11-01T12:00:30Z');
const config = resolveInput({ region: 'CAISO_NORTH' });

/** Health as the workflow answers a query after its step at `T0`. */
function answered(changes: Partial<RegionState> = {}, fetchInProgress: FetchInProgress | null = null): RegionHealth {
  const state = { ...initialState(300, T0), totalFetches: 12, lastSuccessAtMs: T0, nextFetchAtMs: T0 + 5 * MIN, ...changes };
  return { ...regionHealth(config, state, T0, false), fetchInProgress };
}

const judged = (health: RegionHealth, readAtMs: number): string => {
  const { status, statusReason } = judgedAt(health, readAtMs);
  return `${status}: ${statusReason}`;
};

const rateLimited = { type: 'WattTimeRateLimited', message: 'WattTime /v3/forecast answered 429: rate limited; retry after 600 s' };

describe('health judged at the reader clock', () => {
  it('leaves a fresh answer as it is', () => {
    const health = answered();
    expect(judgedAt(health, T0 + 4 * MIN)).toBe(health);
  });

  it('turns a "healthy" answer unhealthy once the last success is 30 minutes old, as read an hour later', () => {
    // The fault run: health said healthy for 62 minutes while one fetch waited on 429s.
    const stuck = answered({}, { since: '2026-11-01T12:05:30.000Z', activity: 'fetchAndStore', attempt: 5, lastFailure: rateLimited });
    expect(judged(stuck, T0 + 62 * MIN)).toBe(
      'unhealthy: no success for 62 minutes (last checked 2026-11-01T13:02:30.000Z); fetch retrying since 2026-11-01T12:05:30.000Z (attempt 5, last failure WattTimeRateLimited)',
    );
    expect(judged(answered(), T0 + 30 * MIN)).toBe('unhealthy: no success for 30 minutes (last checked 2026-11-01T12:30:30.000Z)');
  });

  it('calls a fetch whose previous attempt failed degraded, naming the attempt and the failure', () => {
    const retrying = answered({}, { since: '2026-11-01T12:05:30.000Z', activity: 'fetchAndStore', attempt: 2, lastFailure: rateLimited });
    expect(judged(retrying, T0 + 5.5 * MIN)).toBe(
      'degraded: fetch retrying since 2026-11-01T12:05:30.000Z (attempt 2, last failure WattTimeRateLimited)',
    );
    // Its first attempt, still running: nothing to say yet.
    const first = answered({}, { since: '2026-11-01T12:05:30.000Z', activity: 'fetchAndStore', attempt: 1, lastFailure: null });
    expect(judged(first, T0 + 5.5 * MIN)).toBe('healthy: latest fetch succeeded');
  });

  it('turns a "degraded" answer unhealthy when its last success has aged past 30 minutes since', () => {
    const failing = answered({
      consecutiveFailures: 5,
      lastError: { type: 'WattTimeUnavailable', message: 'server error', at: '2026-11-01T12:25:35.000Z' },
    });
    expect(failing.status).toBe('degraded');
    expect(judged(failing, T0 + 29 * MIN)).toBe(`degraded: ${failing.statusReason}`);
    expect(judged(failing, T0 + 31 * MIN)).toBe('unhealthy: no success for 31 minutes (last checked 2026-11-01T12:31:30.000Z)');
  });

  it('calls a region degraded when two intervals and a minute went by without a success or a recorded failure', () => {
    expect(judged(answered(), T0 + 11 * MIN)).toBe('healthy: latest fetch succeeded');
    expect(judged(answered(), T0 + 11 * MIN + 1)).toBe(
      'degraded: no success for 11 minutes; next fetch was due at 2026-11-01T12:05:30.000Z',
    );
  });

  it('says "no success yet" for a region whose first fetch has been retrying for 30 minutes', () => {
    const first = answered({ totalFetches: 1, lastSuccessAtMs: null }, { since: '2026-11-01T12:00:30.000Z', attempt: 4, lastFailure: rateLimited });
    expect(judged(first, T0 + 30 * 1000)).toBe(
      'degraded: fetch retrying since 2026-11-01T12:00:30.000Z (attempt 4, last failure WattTimeRateLimited)',
    );
    expect(judged(first, T0 + 30 * MIN)).toBe(
      'unhealthy: no success yet (last checked 2026-11-01T12:30:30.000Z); fetch retrying since 2026-11-01T12:00:30.000Z (attempt 4, last failure WattTimeRateLimited)',
    );
  });

  it('leaves paused and unhealthy regions as the workflow said', () => {
    const paused = answered({ paused: true });
    expect(judgedAt(paused, T0 + 90 * MIN)).toBe(paused);
    const refused = answered({
      consecutiveFailures: 1,
      operatorFailure: { type: 'WattTimeOutOfPlan', message: 'Invalid scope', at: '2026-11-01T12:05:31.000Z' },
    });
    expect(judgedAt(refused, T0 + 90 * MIN)).toBe(refused);
  });
});
