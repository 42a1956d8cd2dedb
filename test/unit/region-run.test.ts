/**
 * `RegionRun` driven by fake activities and a fake clock, outside any Temporal server: the loop's
 * policies (when to refresh the token, the 401 retry, the schedule, gaps and backfill) checked in
 * milliseconds. The workflow primitives `RegionRun` uses are replaced by a small simulation: a
 * `condition` with a timeout advances the clock to its deadline, as a fired timer would.
 */
import { ActivityFailure, ApplicationFailure, RetryState } from '@temporalio/common';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { BackfillInput, EnsureTokenInput, FetchAndStoreInput, FetchAndStoreResult, StoreHeldInput, StoredReading } from '../../activities/types';
import { FailureType } from '../../common/failure-types';
import { callBoundMs, type ActivityCalls } from '../../workflows/activity-calls';
import type { RegionHealth } from '../../workflows/health';
import { resolveInput } from '../../workflows/input';
import type { RegionMetrics } from '../../workflows/region-metrics';
import { RegionRun, SPREAD_PATCH } from '../../workflows/region-run';
import { initialState } from '../../workflows/state';

const details: string[] = [];
/** Patches `patched()` answers false for, as when replaying history recorded before them. */
const unpatched = new Set<string>();
/** Every `CarbonStatus` upserted, oldest first. */
const upsertedStatuses: string[] = [];

vi.mock('@temporalio/workflow', async (importOriginal) => ({
  ...(await importOriginal<typeof import('@temporalio/workflow')>()),
  patched: (patchId: string) => !unpatched.has(patchId),
  setCurrentDetails: (line: string) => details.push(line),
  workflowInfo: () => ({ typedSearchAttributes: { get: () => upsertedStatuses.at(-1) } }),
  upsertSearchAttributes: (pairs: { key: { name: string }; value: string }[]) => {
    for (const { key, value } of pairs) if (key.name === 'CarbonStatus') upsertedStatuses.push(value);
  },
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
  /** When the call must end by (the next fetch, less the margin), as `callBoundMs` makes it. */
  endBy: string;
  /** Health as a query would answer it while the call runs. */
  health: RegionHealth;
}

/** Activities that answer like the real ones: WattTime's current period and 30-minute tokens. */
class FakeActivities {
  readonly calls: Call[] = [];
  readonly ensureTokenInputs: EnsureTokenInput[] = [];
  /** Failures to throw, oldest first, for the next calls of each activity. */
  readonly failNext: { fetchAndStore: string[]; ensureToken: string[] } = { fetchAndStore: [], ensureToken: [] };
  /** Whether `/v3/historical` is in the plan; without it every gap is missed. */
  planAllowsHistorical = true;
  /** The region the run fetches, as `start` configures it. */
  region = 'CAISO_NORTH';
  private logins = 0;

  /** Set by `start`, so calls can record the health a query would see meanwhile. */
  run: RegionRun | undefined;

  readonly activities: ActivityCalls = {
    ensureToken: async (summary: string, input: EnsureTokenInput, nextFetchAtMs: number) => {
      this.record('ensureToken', summary, nextFetchAtMs);
      this.ensureTokenInputs.push(input);
      this.maybeFail('ensureToken');
      this.logins += 1;
      expect(input.validUntilMs).toBeGreaterThan(Date.now());
      return { expiresAtMs: Date.now() + 30 * MIN, tokenId: `token-${this.logins}`, loggedIn: true };
    },
    fetchAndStore: async (summary: string, input: FetchAndStoreInput, nextFetchAtMs: number): Promise<FetchAndStoreResult> => {
      this.record('fetchAndStore', summary, nextFetchAtMs);
      this.maybeFail('fetchAndStore');
      const pointTime = new Date(Math.floor(Date.now() / PERIOD) * PERIOD).toISOString();
      expect(input).toEqual({ region: this.region, signalType: 'co2_moer', forecastHorizonHours: 24 });
      const reading = { pointTime, value: 900, units: 'lbs_co2_per_mwh', carbonIntensityGco2Kwh: 408.2, indexPercentile: 40, forecast1h: null, forecast24h: null };
      return { reading, forecastAvailable: true, warnings: 0 };
    },
    storeHeld: async (summary: string, input: StoreHeldInput, nextFetchAtMs: number) => {
      this.record('storeHeld', summary, nextFetchAtMs);
      return { storedReadings: input.readings.length };
    },
    backfill: async (summary: string, input: BackfillInput, nextFetchAtMs: number) => {
      this.record('backfill', summary, nextFetchAtMs);
      const periods = (Date.parse(input.lastPointTime) - Date.parse(input.firstPointTime)) / PERIOD + 1;
      if (!this.planAllowsHistorical) return { planAllows: false, storedPeriods: 0, lastStoredPointTime: null, warnings: 0 };
      return { planAllows: true, storedPeriods: periods, lastStoredPointTime: input.lastPointTime, warnings: 0 };
    },
  };

  private record(name: keyof ActivityCalls, summary: string, nextFetchAtMs: number): void {
    const time = (ms: number): string => new Date(ms).toISOString().slice(11, 19);
    const endBy = time(Date.now() + callBoundMs(name, nextFetchAtMs, Date.now()));
    const health = this.run?.health();
    if (health === undefined) throw new Error('start() sets the run');
    this.calls.push({ name, summary, at: time(Date.now()), endBy, health });
  }

  private maybeFail(name: 'fetchAndStore' | 'ensureToken'): void {
    const type = this.failNext[name].shift();
    if (type === undefined) return;
    const cause = ApplicationFailure.create({ message: `${type} happened`, type, nonRetryable: true });
    throw new ActivityFailure('activity failed', name, '1', RetryState.NON_RETRYABLE_FAILURE, 'fake', cause);
  }
}

/** What the run recorded on its metrics: counters as totals, the latest stored reading. */
class FakeMetrics implements RegionMetrics {
  readonly fetches: Record<string, number> = {};
  backfilled = 0;
  missed = 0;
  tokenRetries = 0;
  latest: { reading: StoredReading; succeededAt: string } | null = null;

  fetched(result: string): void {
    this.fetches[result] = (this.fetches[result] ?? 0) + 1;
  }

  stored(reading: StoredReading, succeededAtMs: number): void {
    this.latest = { reading, succeededAt: new Date(succeededAtMs).toISOString() };
  }

  periodsSettled(backfilled: number, missed: number): void {
    expect(backfilled).toBeGreaterThanOrEqual(0);
    expect(missed).toBeGreaterThanOrEqual(0);
    this.backfilled += backfilled;
    this.missed += missed;
  }

  tokenRetried(): void {
    this.tokenRetries += 1;
  }
}

function start(
  fake: FakeActivities,
  options: { region?: string; intervalSeconds?: number; fetchWindowSeconds?: number; metrics?: RegionMetrics } = {},
): RegionRun {
  fake.region = options.region ?? fake.region;
  const config = resolveInput({ region: fake.region, intervalSeconds: options.intervalSeconds, fetchWindowSeconds: options.fetchWindowSeconds });
  fake.run = new RegionRun(config, initialState(config.intervalSeconds, Date.now()), fake.activities, options.metrics ?? new FakeMetrics());
  return fake.run;
}

/** Runs `periods` loop iterations as the workflow does. */
async function runPeriods(run: RegionRun, periods: number): Promise<void> {
  for (let i = 0; i < periods; i++) {
    expect(await run.waitUntilDue()).toBe(true);
    await run.fetchPeriod();
    await run.storeHeld();
    await run.backfillNext();
    await run.finalizeRecent();
  }
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(T0);
  details.length = 0;
  upsertedStatuses.length = 0;
  unpatched.clear();
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

  it('records on its metrics what health counts: fetches by result, 401 retries, backfilled and missed periods, the latest reading', async () => {
    const fake = new FakeActivities();
    const metrics = new FakeMetrics();
    const run = start(fake, { metrics });
    await runPeriods(run, 1);
    fake.failNext.fetchAndStore.push(FailureType.TokenRejected, FailureType.Unavailable, FailureType.MalformedResponse);
    await runPeriods(run, 3);
    await runPeriods(run, 1);
    fake.planAllowsHistorical = false;
    fake.failNext.fetchAndStore.push(FailureType.Unavailable);
    await runPeriods(run, 2);

    const health = run.health();
    expect(health).toMatchObject({ totalFetches: 7, failedFetches: 3, tokenRetries401: 1, backfilledPeriods: 2, missedPeriods: 1 });
    expect(metrics.fetches).toEqual({ ok: 4, [FailureType.Unavailable]: 2, [FailureType.MalformedResponse]: 1 });
    expect(metrics).toMatchObject({ tokenRetries: 1, backfilled: 2, missed: 1 });
    expect(metrics.latest).toEqual({ reading: health.lastReading, succeededAt: health.lastSuccessfulFetch });
  });

  it('publishes CarbonStatus when the status changes, not on every period', async () => {
    const fake = new FakeActivities();
    const run = start(fake);
    run.showStatus();
    await runPeriods(run, 2);
    fake.failNext.fetchAndStore.push(FailureType.Unavailable, FailureType.Unavailable);
    await runPeriods(run, 3);
    run.pause();
    run.resume();
    await runPeriods(run, 1);
    fake.failNext.fetchAndStore.push(FailureType.OutOfPlan);
    await runPeriods(run, 1);

    expect(upsertedStatuses).toEqual(['healthy', 'degraded', 'healthy', 'paused', 'healthy', 'unhealthy']);
    expect(details.length).toBeGreaterThan(upsertedStatuses.length * 2);
  });

  it('ends every call of a fetch, retries included, 5 s before the next fetch is due, and shows the fetch in progress meanwhile', async () => {
    const fake = new FakeActivities();
    const run = start(fake);
    await runPeriods(run, 1);
    fake.failNext.fetchAndStore.push(FailureType.TokenRejected);
    await runPeriods(run, 1);

    expect(fake.calls.map((c) => `${c.at} ${c.summary} → by ${c.endBy}`)).toEqual([
      '12:02:30 token refresh for CAISO_NORTH → by 12:05:25',
      '12:02:30 fetch CAISO_NORTH co2_moer → by 12:05:25',
      '12:05:30 fetch CAISO_NORTH co2_moer → by 12:10:25',
      '12:05:30 forced token refresh for CAISO_NORTH → by 12:10:25',
      '12:05:30 fetch CAISO_NORTH co2_moer (retry after 401) → by 12:10:25',
    ]);
    for (const call of fake.calls) {
      expect(call.health.fetchInProgress).toEqual({ since: `2026-11-01T${call.at}.000Z` });
      // While a fetch runs, the next fetch named is the next slot, never the one under way.
      expect(call.health.nextFetchAt?.slice(11, 19)).toBe(call.at < '12:05:30' ? '12:05:30' : '12:10:30');
    }
    expect(run.health()).toMatchObject({ fetchInProgress: null, nextFetchAt: '2026-11-01T12:10:30.000Z' });
  });

  it('gives a call that starts late one whole attempt, and a one-minute interval 55 s per fetch', async () => {
    const fake = new FakeActivities();
    const run = start(fake, { intervalSeconds: 60 });
    await runPeriods(run, 2);
    expect(fake.calls.map((c) => `${c.at} ${c.summary} → by ${c.endBy}`)).toEqual([
      '12:02:30 token refresh for CAISO_NORTH → by 12:03:25',
      '12:02:30 fetch CAISO_NORTH co2_moer → by 12:03:25',
      '12:03:30 fetch CAISO_NORTH co2_moer → by 12:04:25',
    ]);
    expect(callBoundMs('fetchAndStore', Date.parse('2026-11-01T12:03:30Z'), Date.parse('2026-11-01T12:03:20Z'))).toBe(30_000);
    expect(callBoundMs('backfill', Date.parse('2026-11-01T12:03:30Z'), Date.parse('2026-11-01T12:03:20Z'))).toBe(240_000);
  });
});

describe('RegionRun in a fetch window', () => {
  it('fetches each period at the region’s own offset (CAISO_NORTH: +41 s in 120 s), ends every call before its next slot, and backfills a failed period', async () => {
    const fake = new FakeActivities();
    const run = start(fake, { fetchWindowSeconds: 120 });
    await runPeriods(run, 2);
    fake.failNext.fetchAndStore.push(FailureType.Unavailable);
    await runPeriods(run, 2);

    expect(fake.calls.map((c) => `${c.at} ${c.summary} → by ${c.endBy}`)).toEqual([
      // A new region fetches at once, then at 30 s + 41 s past every boundary.
      '12:02:30 token refresh for CAISO_NORTH → by 12:06:06',
      '12:02:30 fetch CAISO_NORTH co2_moer → by 12:06:06',
      '12:06:11 fetch CAISO_NORTH co2_moer → by 12:11:06',
      '12:11:11 fetch CAISO_NORTH co2_moer → by 12:16:06',
      '12:16:11 fetch CAISO_NORTH co2_moer → by 12:21:06',
      '12:16:11 backfill CAISO_NORTH co2_moer: 1 period(s) from 2026-11-01T12:10:00.000Z → by 12:21:06',
    ]);
    expect(run.health()).toMatchObject({
      status: 'healthy',
      totalFetches: 4,
      failedFetches: 1,
      backfilledPeriods: 1,
      missedPeriods: 0,
      nextFetchAt: '2026-11-01T12:21:11.000Z',
    });
  });

  it('fetches at +30 s, as the history recorded, while replaying a run from before the window (no spread-fetch-window marker)', async () => {
    unpatched.add(SPREAD_PATCH);
    const fake = new FakeActivities();
    const run = start(fake, { fetchWindowSeconds: 120 });
    await runPeriods(run, 2);
    expect(fake.calls.map((c) => `${c.at} ${c.summary}`).slice(1)).toEqual(['12:02:30 fetch CAISO_NORTH co2_moer', '12:05:30 fetch CAISO_NORTH co2_moer']);
  });

  it('keeps its offset across pause and resume, and on an hourly interval', async () => {
    const fake = new FakeActivities();
    const run = start(fake, { fetchWindowSeconds: 120 });
    await runPeriods(run, 1);
    run.pause();
    vi.setSystemTime(Date.parse('2026-11-01T12:41:00Z'));
    run.resume();
    await runPeriods(run, 1);
    expect(run.health().nextFetchAt).toBe('2026-11-01T12:46:11.000Z');
    run.setInterval(3600);
    expect(run.health().nextFetchAt).toBe('2026-11-01T13:01:11.000Z');
  });

  it('fetches every period exactly once, inside its own 5 minutes, for 50 regions spread over the widest window', async () => {
    const firstSlot = Date.parse('2026-11-01T12:05:00Z');
    const offsets = new Set<number>();
    for (let i = 0; i < 50; i++) {
      vi.setSystemTime(T0);
      const fake = new FakeActivities();
      const run = start(fake, { region: `REGION_${i}`, fetchWindowSeconds: 240 });
      await runPeriods(run, 7);
      const fetches = fake.calls.filter((c) => c.name === 'fetchAndStore').slice(1);
      const offset = Date.parse(`2026-11-01T${fetches[0]?.at ?? ''}Z`) - firstSlot;
      offsets.add(offset);
      // Published first: 30 s after the boundary at the earliest; and at least 30 s before the next period.
      expect(offset).toBeGreaterThanOrEqual(30_000);
      expect(offset).toBeLessThan(PERIOD - 30_000);
      fetches.forEach((fetch, period) => {
        expect(fetch.at).toBe(new Date(firstSlot + period * PERIOD + offset).toISOString().slice(11, 19));
        expect(fetch.health.lastReading?.pointTime ?? '').toBe(new Date(firstSlot + (period - 1) * PERIOD).toISOString());
      });
      expect(run.health()).toMatchObject({ totalFetches: 7, failedFetches: 0, backfilledPeriods: 0, missedPeriods: 0 });
      expect(run.health().lastReading?.pointTime).toBe('2026-11-01T12:30:00.000Z');
    }
    // Spread, not bunched: 50 regions, nearly as many different seconds.
    expect(offsets.size).toBeGreaterThan(40);
  });
});
