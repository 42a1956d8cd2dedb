/**
 * `RegionRun` driven by fake activities and a fake clock, outside any Temporal server: the loop's
 * policies (when to refresh the token, the 401 retry, the schedule, gaps and backfill) checked in
 * milliseconds. The workflow primitives `RegionRun` uses are replaced by a small simulation: a
 * `condition` with a timeout advances the clock to its deadline, as a fired timer would.
 */
import { ActivityFailure, ApplicationFailure, RetryState } from '@temporalio/common';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { BackfillInput, EnsureTokenInput, FetchAndStoreInput, FetchAndStoreResult } from '../../activities/types';
import { FailureType } from '../../common/failure-types';
import type { ActivityCalls } from '../../workflows/activity-calls';
import { resolveInput } from '../../workflows/input';
import { RegionRun } from '../../workflows/region-run';
import { initialState } from '../../workflows/state';

const details: string[] = [];

vi.mock('@temporalio/workflow', async (importOriginal) => ({
  ...(await importOriginal<typeof import('@temporalio/workflow')>()),
  patched: () => true,
  setCurrentDetails: (line: string) => details.push(line),
  condition: async (fn: () => boolean, timeoutMs?: number): Promise<boolean> => {
    if (fn()) return true;
    if (timeoutMs === undefined) throw new Error('the run would wait forever');
    vi.setSystemTime(Date.now() + timeoutMs);
    return false;
  },
}));

const MIN = 60_000;
const PERIOD = 5 * MIN;
/** 12:02:30, inside the 12:00 period. */
const T0 = Date.parse('2026-11-01T12:02:30Z');

interface Call {
  name: string;
  summary: string;
  at: string;
}

/** Activities that answer like the real ones: WattTime's current period and 30-minute tokens. */
class FakeActivities {
  readonly calls: Call[] = [];
  readonly ensureTokenInputs: EnsureTokenInput[] = [];
  /** Failures to throw, oldest first, for the next calls of each activity. */
  readonly failNext: { fetchAndStore: string[]; ensureToken: string[] } = { fetchAndStore: [], ensureToken: [] };
  private logins = 0;

  readonly activities: ActivityCalls = {
    ensureToken: async (summary: string, input: EnsureTokenInput) => {
      this.record('ensureToken', summary);
      this.ensureTokenInputs.push(input);
      this.maybeFail('ensureToken');
      this.logins += 1;
      expect(input.validUntilMs).toBeGreaterThan(Date.now());
      return { expiresAtMs: Date.now() + 30 * MIN, tokenId: `token-${this.logins}`, loggedIn: true };
    },
    fetchAndStore: async (summary: string, input: FetchAndStoreInput): Promise<FetchAndStoreResult> => {
      this.record('fetchAndStore', summary);
      this.maybeFail('fetchAndStore');
      const pointTime = new Date(Math.floor(Date.now() / PERIOD) * PERIOD).toISOString();
      expect(input).toEqual({ region: 'CAISO_NORTH', signalType: 'co2_moer', forecastHorizonHours: 24 });
      const reading = { pointTime, moerLbsMwh: 900, carbonIntensityGco2Kwh: 408.2, indexPercentile: 40, forecast1h: null, forecast24h: null };
      return { reading, forecastAvailable: true, warnings: 0 };
    },
    backfill: async (summary: string, input: BackfillInput) => {
      this.record('backfill', summary);
      const periods = (Date.parse(input.lastPointTime) - Date.parse(input.firstPointTime)) / PERIOD + 1;
      return { planAllows: true, storedPeriods: periods, lastStoredPointTime: input.lastPointTime, warnings: 0 };
    },
  };

  private record(name: string, summary: string): void {
    this.calls.push({ name, summary, at: new Date(Date.now()).toISOString().slice(11, 19) });
  }

  private maybeFail(name: 'fetchAndStore' | 'ensureToken'): void {
    const type = this.failNext[name].shift();
    if (type === undefined) return;
    const cause = ApplicationFailure.create({ message: `${type} happened`, type, nonRetryable: true });
    throw new ActivityFailure('activity failed', name, '1', RetryState.NON_RETRYABLE_FAILURE, 'fake', cause);
  }
}

function start(fake: FakeActivities): RegionRun {
  const config = resolveInput({ region: 'CAISO_NORTH' });
  return new RegionRun(config, initialState(config.intervalSeconds, Date.now()), fake.activities);
}

/** Runs `periods` loop iterations as the workflow does. */
async function runPeriods(run: RegionRun, periods: number): Promise<void> {
  for (let i = 0; i < periods; i++) {
    expect(await run.waitUntilDue()).toBe(true);
    await run.fetchPeriod();
    await run.backfillNext();
  }
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(T0);
  details.length = 0;
});

afterEach(() => {
  vi.useRealTimers();
});

describe('RegionRun with fake activities', () => {
  it('logs in once, fetches on the 5-minute grid and refreshes the token between fetches before it expires', async () => {
    const fake = new FakeActivities();
    const run = start(fake);
    await runPeriods(run, 7);

    expect(fake.calls.map((c) => `${c.at} ${c.summary}`)).toEqual([
      '12:02:30 token refresh for CAISO_NORTH',
      '12:02:30 fetch CAISO_NORTH co2_moer',
      '12:05:30 fetch CAISO_NORTH co2_moer',
      '12:10:30 fetch CAISO_NORTH co2_moer',
      '12:15:30 fetch CAISO_NORTH co2_moer',
      '12:20:30 fetch CAISO_NORTH co2_moer',
      '12:25:30 fetch CAISO_NORTH co2_moer',
      // 30-minute token from 12:02:30, refreshed 5 min + 5 s before it expires, between fetches.
      '12:27:25 token refresh for CAISO_NORTH',
      '12:30:30 fetch CAISO_NORTH co2_moer',
    ]);
    const health = run.health();
    expect(health).toMatchObject({ status: 'healthy', totalFetches: 7, failedFetches: 0, tokenRefreshCount: 2, missedPeriods: 0 });
    expect(health.nextFetchAt).toBe('2026-11-01T12:35:30.000Z');
    expect(details.at(-1)).toBe('healthy · 900 lbs/MWh @ 2026-11-01T12:30:00.000Z · next 12:35:30Z');
  });

  it('answers a rejected token with one forced refresh and one retry of the same period', async () => {
    const fake = new FakeActivities();
    const run = start(fake);
    await runPeriods(run, 1);
    fake.failNext.fetchAndStore.push(FailureType.TokenRejected);
    await runPeriods(run, 1);

    expect(fake.calls.slice(2).map((c) => c.summary)).toEqual([
      'fetch CAISO_NORTH co2_moer',
      'forced token refresh for CAISO_NORTH',
      'fetch CAISO_NORTH co2_moer (retry after 401)',
    ]);
    expect(run.health()).toMatchObject({ totalFetches: 2, failedFetches: 0, tokenRetries401: 1, tokenRefreshCount: 2, tokenId: 'token-2' });
    // The forced refresh names the token WattTime rejected, so a worker already holding a newer one skips the login.
    expect(fake.ensureTokenInputs.map(({ force, rejectedTokenId }) => ({ force, rejectedTokenId }))).toEqual([
      { force: false, rejectedTokenId: undefined },
      { force: true, rejectedTokenId: 'token-1' },
    ]);
  });

  it('counts a failed period, turns degraded, and backfills the gap after the next success', async () => {
    const fake = new FakeActivities();
    const run = start(fake);
    await runPeriods(run, 1);
    fake.failNext.fetchAndStore.push(FailureType.Unavailable, FailureType.Unavailable);
    await runPeriods(run, 2);
    expect(run.health()).toMatchObject({ status: 'degraded', failedFetches: 2, consecutiveFailures: 2 });

    await runPeriods(run, 1);

    expect(fake.calls.at(-1)?.summary).toBe('backfill CAISO_NORTH co2_moer: 2 period(s) from 2026-11-01T12:05:00.000Z');
    expect(run.health()).toMatchObject({
      status: 'healthy',
      totalFetches: 4,
      failedFetches: 2,
      backfilledPeriods: 2,
      backfillPendingPeriods: 0,
      missedPeriods: 0,
    });
  });

  it('makes no call while paused, and fetches at once on resume when the slot went by', async () => {
    const fake = new FakeActivities();
    const run = start(fake);
    await runPeriods(run, 1);
    run.pause();
    expect(run.health()).toMatchObject({ status: 'paused', nextFetchAt: null });
    vi.setSystemTime(Date.parse('2026-11-01T12:41:00Z'));
    run.resume();
    await runPeriods(run, 1);

    expect(fake.calls.slice(2).map((c) => `${c.at} ${c.summary}`)).toEqual([
      '12:41:00 token refresh for CAISO_NORTH',
      '12:41:00 fetch CAISO_NORTH co2_moer',
      '12:41:00 backfill CAISO_NORTH co2_moer: 7 period(s) from 2026-11-01T12:05:00.000Z',
    ]);
    expect(run.health()).toMatchObject({ backfilledPeriods: 7, nextFetchAt: '2026-11-01T12:45:30.000Z' });
  });
});
