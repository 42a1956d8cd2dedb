/**
 * The held-readings queue, final values and staleness of `RegionRun`, driven by fake activities
 * and a fake clock as in region-run.test.ts: what is held while InfluxDB refuses readings, in
 * which order and batches it is written back, what the bound lets go, and what health says.
 */
import type { RegionMetrics } from '../../workflows/region-metrics';
import { ActivityFailure, ApplicationFailure, RetryState } from '@temporalio/common';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { BackfillInput, BackfillResult, FetchAndStoreResult, StoreHeldInput, StoredReading } from '../../activities/types';
import { FailureType } from '../../common/failure-types';
import type { ActivityCalls } from '../../workflows/activity-calls';
import { withPeriod } from '../../workflows/backfill-queue';
import { HELD_PER_WRITE, maxHeldReadings } from '../../workflows/held-readings';
import { resolveInput } from '../../workflows/input';
import { RegionRun } from '../../workflows/region-run';
import { initialState, type RegionState } from '../../workflows/state';

vi.mock('@temporalio/workflow', async (importOriginal) => ({
  ...(await importOriginal<typeof import('@temporalio/workflow')>()),
  patched: () => true,
  setCurrentDetails: () => undefined,
  // The status search attribute is checked in region-run.test.ts; here it only needs somewhere to go.
  workflowInfo: () => ({ typedSearchAttributes: { get: () => undefined } }),
  upsertSearchAttributes: () => undefined,
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
const P0 = Date.parse('2026-11-01T12:00:00Z');
const iso = (ms: number): string => new Date(ms).toISOString();

type Storage = 'up' | 'down' | 'rejecting';

/** Activities over a fake WattTime (always answering, or stuck on one period) and a fake InfluxDB. */
class FakeWorld {
  readonly calls: string[] = [];
  /** `point_time`s InfluxDB holds. */
  readonly stored = new Set<string>();
  storage: Storage = 'up';
  /** When set, WattTime keeps answering for this period. */
  stuckAtMs: number | undefined;
  planAllowsHistorical = true;
  /** Added to WattTime's final values (for `revised` checks). */
  readonly backfills: BackfillInput[] = [];

  readonly activities: ActivityCalls = {
    ensureToken: async () => ({ expiresAtMs: Date.now() + 30 * MIN, tokenId: 'token', loggedIn: true }),
    fetchAndStore: async (summary): Promise<FetchAndStoreResult> => {
      this.calls.push(summary);
      const pointMs = this.stuckAtMs ?? Math.floor(Date.now() / PERIOD) * PERIOD;
      const reading = this.reading(pointMs);
      if (this.storage === 'up') {
        this.stored.add(reading.pointTime);
        return { reading, forecastAvailable: true, warnings: 0 };
      }
      return { reading, forecastAvailable: true, warnings: 0, notStored: { failure: this.storageFailure(), readings: [reading] } };
    },
    storeHeld: async (summary, input: StoreHeldInput) => {
      this.calls.push(summary);
      if (this.storage !== 'up') {
        const { type, message } = this.storageFailure();
        throw new ActivityFailure('activity failed', 'storeHeld', '1', RetryState.NON_RETRYABLE_FAILURE, 'fake', ApplicationFailure.create({ message, type }));
      }
      for (const reading of input.readings) this.stored.add(reading.pointTime);
      return { storedReadings: input.readings.length };
    },
    backfill: async (summary, input): Promise<BackfillResult> => {
      this.calls.push(summary);
      this.backfills.push(input);
      if (!this.planAllowsHistorical) return { planAllows: false, storedPeriods: 0, lastStoredPointTime: null, warnings: 0 };
      const first = Date.parse(input.firstPointTime);
      const last = Date.parse(input.lastPointTime);
      for (let t = first; t <= last; t += PERIOD) this.stored.add(iso(t));
      return { planAllows: true, storedPeriods: (last - first) / PERIOD + 1, lastStoredPointTime: input.lastPointTime, warnings: 0 };
    },
  };

  reading(pointMs: number): StoredReading {
    return { pointTime: iso(pointMs), value: 900, units: 'lbs_co2_per_mwh', carbonIntensityGco2Kwh: 408.2, indexPercentile: 40, forecast1h: null, forecast24h: null };
  }

  private storageFailure(): { type: string; message: string } {
    return this.storage === 'rejecting'
      ? { type: FailureType.StorageRejected, message: 'InfluxDB rejected the write of carbon_intensity: field type conflict' }
      : { type: FailureType.StorageUnavailable, message: 'InfluxDB write of carbon_intensity failed: unreachable' };
  }

  /** The calls made since the last look, summaries only. */
  takeCalls(): string[] {
    return this.calls.splice(0);
  }
}

const config = resolveInput({ region: 'CAISO_NORTH' });

/** Metrics are checked in region-run.test.ts; here they only need somewhere to go. */
const ignoredMetrics: RegionMetrics = { fetched: () => undefined, stored: () => undefined, periodsSettled: () => undefined, tokenRetried: () => undefined };

function start(world: FakeWorld, state: RegionState = initialState(config.intervalSeconds, Date.now())): { run: RegionRun; state: RegionState } {
  return { run: new RegionRun(config, state, world.activities, ignoredMetrics), state };
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

/** The `storeHeld` calls among `calls`. */
const stores = (calls: readonly string[]): string[] => calls.filter((c) => c.startsWith('store '));

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(T0);
});

afterEach(() => {
  vi.useRealTimers();
});

describe('readings held while InfluxDB refuses them', () => {
  it('holds every period of a 30-minute InfluxDB outage and stores them, oldest first, when it answers again: none missed', async () => {
    const world = new FakeWorld();
    const { run } = start(world);
    await runPeriods(run, 2); // P0, P1 stored
    world.takeCalls();

    world.storage = 'down';
    await runPeriods(run, 2); // P2, P3 held
    let health = run.health();
    expect(health).toMatchObject({ status: 'degraded', unstoredPeriods: 2, failedFetches: 0, consecutiveFailures: 0, missedPeriods: 0 });
    expect(health.statusReason).toBe('2 period(s) held, not yet stored: InfluxDB write of carbon_intensity failed: unreachable');
    expect(health.lastError).toMatchObject({ type: FailureType.StorageUnavailable });
    // Each period's write is tried again once, after the fetch: it fails while InfluxDB is down.
    expect(stores(world.takeCalls())).toEqual([
      'store 1 held reading(s) CAISO_NORTH co2_moer from 2026-11-01T12:10:00.000Z',
      'store 2 held reading(s) CAISO_NORTH co2_moer from 2026-11-01T12:10:00.000Z',
    ]);

    await runPeriods(run, 4); // P4 … P7 held: 30 minutes without a stored period
    health = run.health();
    expect(health).toMatchObject({ status: 'degraded', unstoredPeriods: 6, dataAgeSeconds: 30 * 60 + 30 });
    expect(health.statusReason).toMatch(/^stale data: newest stored point_time 2026-11-01T12:05:00.000Z is 30 min old; 6 period\(s\) held, not yet stored: InfluxDB/);

    world.storage = 'up';
    world.takeCalls();
    await runPeriods(run, 1); // P8 stored, then the six held ones
    expect(stores(world.takeCalls())).toEqual(['store 6 held reading(s) CAISO_NORTH co2_moer from 2026-11-01T12:10:00.000Z']);
    health = run.health();
    expect(health).toMatchObject({ status: 'healthy', unstoredPeriods: 0, missedPeriods: 0, backfillPendingPeriods: 0, backfilledPeriods: 0, dataAgeSeconds: 30 });
    expect([...world.stored].sort()).toEqual(Array.from({ length: 9 }, (_, k) => iso(P0 + k * PERIOD)));
    expect(world.backfills).toEqual([]);
  });

  it('writes a long backlog in batches of 24, oldest first, all in the period InfluxDB returns', async () => {
    const world = new FakeWorld();
    const { run } = start(world);
    world.storage = 'down';
    await runPeriods(run, 30);
    world.storage = 'up';
    world.takeCalls();

    await runPeriods(run, 1);

    expect(HELD_PER_WRITE).toBe(24);
    expect(stores(world.takeCalls())).toEqual([
      `store 24 held reading(s) CAISO_NORTH co2_moer from ${iso(P0)}`,
      `store 6 held reading(s) CAISO_NORTH co2_moer from ${iso(P0 + 24 * PERIOD)}`,
    ]);
    expect(world.stored.size).toBe(31);
    expect(run.health()).toMatchObject({ unstoredPeriods: 0, missedPeriods: 0 });
  });

  it('holds a day of periods at most: the oldest become a gap to backfill, and count as missed only where the plan has no history', async () => {
    expect(maxHeldReadings(PERIOD)).toBe(288);
    expect(maxHeldReadings(12 * PERIOD)).toBe(24);
    const world = new FakeWorld();
    world.planAllowsHistorical = false;
    const { run, state } = start(world);
    world.storage = 'down';
    await runPeriods(run, 291);

    expect(run.health()).toMatchObject({ unstoredPeriods: 288, backfillPendingPeriods: 3, missedPeriods: 0, status: 'unhealthy' });
    // The three oldest, given up one by one, make one gap.
    expect(state.backfillQueue).toEqual([{ firstMs: P0, lastMs: P0 + 2 * PERIOD }]);
    expect(state.heldReadings[0]?.pointTime).toBe(iso(P0 + 3 * PERIOD));

    world.storage = 'up';
    await runPeriods(run, 1);

    // 288 held ones stored (12 batches), then the gap: no /v3/historical in this plan, so missed.
    expect(run.health()).toMatchObject({ unstoredPeriods: 0, backfillPendingPeriods: 0, missedPeriods: 3, status: 'healthy' });
    expect(world.stored.size).toBe(289);
  });

  it('turns unhealthy on a write InfluxDB refuses for good, tries the held ones again only once a write goes through', async () => {
    const world = new FakeWorld();
    const { run } = start(world);
    await runPeriods(run, 1);
    world.takeCalls();
    world.storage = 'rejecting';
    await runPeriods(run, 3);

    const health = run.health();
    expect(health).toMatchObject({ status: 'unhealthy', unstoredPeriods: 3, failedFetches: 0 });
    expect(health.statusReason).toBe('needs the operator: InfluxDB rejected the write of carbon_intensity: field type conflict; 3 period(s) held, not yet stored');
    expect(health.lastError).toMatchObject({ type: FailureType.StorageRejected });
    // Its own write was refused for good: the held ones are not sent to be refused again.
    expect(stores(world.takeCalls())).toEqual([]);

    // The operator drops the measurement.
    world.storage = 'up';
    await runPeriods(run, 1);
    expect(stores(world.takeCalls())).toEqual(['store 3 held reading(s) CAISO_NORTH co2_moer from 2026-11-01T12:05:00.000Z']);
    expect(run.health()).toMatchObject({ status: 'healthy', unstoredPeriods: 0, missedPeriods: 0 });
    expect(world.stored.size).toBe(5);
  });

  it('carries the held readings through continue-as-new, and the next run stores them', async () => {
    const world = new FakeWorld();
    const first = start(world);
    world.storage = 'down';
    await runPeriods(first.run, 3);
    // What continue-as-new passes on, through JSON as Temporal's payload converter does.
    const carried = JSON.parse(JSON.stringify(first.state)) as RegionState;
    expect(carried.heldReadings.map((r) => r.pointTime)).toEqual([iso(P0), iso(P0 + PERIOD), iso(P0 + 2 * PERIOD)]);

    world.storage = 'up';
    const next = start(world, { ...initialState(config.intervalSeconds, Date.now()), ...carried });
    await runPeriods(next.run, 1);

    expect(next.run.health()).toMatchObject({ unstoredPeriods: 0, missedPeriods: 0, backfillPendingPeriods: 0 });
    expect([...world.stored].sort()).toEqual(Array.from({ length: 4 }, (_, k) => iso(P0 + k * PERIOD)));
  });

  it('does not backfill while readings are held: InfluxDB is not taking writes', async () => {
    const world = new FakeWorld();
    const { run } = start(world);
    await runPeriods(run, 1);
    // The worker was down for two periods: a gap to backfill.
    vi.setSystemTime(T0 + 3 * PERIOD);
    world.storage = 'down';
    await runPeriods(run, 1);
    expect(run.health()).toMatchObject({ backfillPendingPeriods: 2, unstoredPeriods: 1 });
    expect(world.backfills).toEqual([]);

    world.storage = 'up';
    await runPeriods(run, 1);
    expect(run.health()).toMatchObject({ backfillPendingPeriods: 0, backfilledPeriods: 2, unstoredPeriods: 0 });
  });
});

describe('withPeriod', () => {
  it('joins a period to the gap it extends, else inserts it in order', () => {
    const gaps = [{ firstMs: 10, lastMs: 20 }, { firstMs: 40, lastMs: 50 }];
    expect(withPeriod(gaps, 25, 5)).toEqual([{ firstMs: 10, lastMs: 25 }, { firstMs: 40, lastMs: 50 }]);
    expect(withPeriod(gaps, 35, 5)).toEqual([{ firstMs: 10, lastMs: 20 }, { firstMs: 35, lastMs: 50 }]);
    expect(withPeriod(gaps, 0, 5)).toEqual([{ firstMs: 0, lastMs: 0 }, ...gaps]);
    expect(withPeriod(gaps, 30, 5)).toEqual([gaps[0], { firstMs: 30, lastMs: 30 }, gaps[1]]);
    expect(withPeriod([], 30, 5)).toEqual([{ firstMs: 30, lastMs: 30 }]);
    expect(withPeriod([{ firstMs: 10, lastMs: 20 }, { firstMs: 30, lastMs: 50 }], 25, 5)).toEqual([{ firstMs: 10, lastMs: 50 }]);
    expect(withPeriod(gaps, 15, 5)).toEqual(gaps);
  });
});

describe('stale data', () => {
  it('turns degraded once the newest stored period is 15 minutes old although every fetch succeeds, and unhealthy at 60', async () => {
    const world = new FakeWorld();
    const { run } = start(world);
    await runPeriods(run, 1);
    world.stuckAtMs = P0;
    await runPeriods(run, 2); // 12:10:30: 10.5 minutes old
    expect(run.health()).toMatchObject({ status: 'healthy', dataAgeSeconds: 630, failedFetches: 0 });

    await runPeriods(run, 1); // 12:15:30
    let health = run.health();
    expect(health).toMatchObject({ status: 'degraded', dataAgeSeconds: 930, failedFetches: 0, consecutiveFailures: 0 });
    expect(health.statusReason).toBe(
      'stale data: newest stored point_time 2026-11-01T12:00:00.000Z is 15 min old; WattTime keeps answering for the same period',
    );

    await runPeriods(run, 8); // 12:55:30
    expect(run.health().status).toBe('degraded');
    await runPeriods(run, 1); // 13:00:30
    health = run.health();
    expect(health).toMatchObject({ status: 'unhealthy', dataAgeSeconds: 3630 });
    expect(health.statusReason).toBe(
      'stale data for 60 minutes or more: newest stored point_time 2026-11-01T12:00:00.000Z is 60 min old; WattTime keeps answering for the same period',
    );

    world.stuckAtMs = undefined;
    await runPeriods(run, 1);
    expect(run.health()).toMatchObject({ status: 'healthy', dataAgeSeconds: 30 });
  });

  it('judges the age when WattTime last answered: a region resumed after an hour of pause is not stale before it fetches', async () => {
    const world = new FakeWorld();
    const { run } = start(world);
    await runPeriods(run, 1);
    run.pause();
    vi.setSystemTime(T0 + 60 * MIN);
    run.resume();

    expect(run.health()).toMatchObject({ status: 'healthy', dataAgeSeconds: 3750 });
  });

  it('allows for a longer cadence: hourly co2_aoer is not stale until its newest hour is 70 minutes old', async () => {
    const aoer = resolveInput({ region: 'CAISO_NORTH', signalType: 'co2_aoer', intervalSeconds: 3600 });
    const state = { ...initialState(3600, T0), newestStoredPointMs: P0, lastReading: new FakeWorld().reading(P0), totalFetches: 1 };
    const run = new RegionRun(aoer, state, new FakeWorld().activities, ignoredMetrics);
    const statusAfterFetchAt = (ms: number): string => {
      vi.setSystemTime(ms);
      state.lastSuccessAtMs = ms;
      return run.health().status;
    };
    expect(statusAfterFetchAt(P0 + 69 * MIN)).toBe('healthy');
    expect(statusAfterFetchAt(P0 + 70 * MIN)).toBe('degraded');
    expect(statusAfterFetchAt(P0 + 115 * MIN)).toBe('unhealthy');
  });
});

describe('final values', () => {
  it('once an hour re-reads the live periods that are an hour old, up to three hours back, and counts them', async () => {
    const world = new FakeWorld();
    const { run } = start(world);
    await runPeriods(run, 13); // 12:02:30, 12:05:30 … 13:00:30
    expect(world.backfills).toEqual([]);

    await runPeriods(run, 1); // 13:05:30: over an hour after the start
    // Periods at least an hour old: 12:00 and 12:05 (before 12:00 nothing was fetched live).
    expect(world.takeCalls().at(-1)).toBe('final values CAISO_NORTH co2_moer: 2 period(s) from 2026-11-01T12:00:00.000Z');
    expect(world.backfills).toEqual([
      { region: 'CAISO_NORTH', signalType: 'co2_moer', firstPointTime: '2026-11-01T12:00:00.000Z', lastPointTime: '2026-11-01T12:05:00.000Z' },
    ]);
    expect(run.health().revisedPeriods).toBe(2);

    await runPeriods(run, 12); // 14:05:30, an hour later: the next hour's periods, each asked once
    expect(world.backfills).toHaveLength(2);
    expect(world.backfills.at(-1)).toMatchObject({ firstPointTime: '2026-11-01T12:10:00.000Z', lastPointTime: '2026-11-01T13:05:00.000Z' });
    expect(run.health().revisedPeriods).toBe(14);
  });

  it('asks for and counts live periods only: a gap backfilled meanwhile is not revised again', async () => {
    const world = new FakeWorld();
    const { run } = start(world);
    await runPeriods(run, 7); // 12:00 … 12:30 live
    vi.setSystemTime(Date.parse('2026-11-01T12:52:30Z'));
    await runPeriods(run, 1); // 12:50 live; 12:35 … 12:45 backfilled
    expect(run.health()).toMatchObject({ backfilledPeriods: 3 });
    const finals = (): string[] => world.calls.filter((c) => c.startsWith('final values'));
    while (finals().length < 2) await runPeriods(run, 1);

    expect(finals()).toEqual([
      'final values CAISO_NORTH co2_moer: 2 period(s) from 2026-11-01T12:00:00.000Z',
      'final values CAISO_NORTH co2_moer: 12 period(s) from 2026-11-01T12:10:00.000Z',
    ]);
    expect(new Date(Date.now()).toISOString()).toBe('2026-11-01T14:05:30.000Z');
    // 12:10 … 12:30 and 12:50 … 13:05 were live; 12:35 … 12:45 came from /v3/historical already.
    expect(run.health().revisedPeriods).toBe(2 + 5 + 4);
  });

  it('does not look for final values while readings are held', async () => {
    const world = new FakeWorld();
    const { run } = start(world);
    world.storage = 'down';
    await runPeriods(run, 14);
    expect(world.backfills).toEqual([]);
  });
});
