/**
 * WattTime answering every data call with 429 and `Retry-After: 600`, as in the fault run that
 * found health saying `healthy` for an hour while nothing was fetched: each fetch, retries
 * included, must end before the next one is due, count as failed in its own period, and the
 * periods it could not fetch are backfilled once WattTime answers again.
 */
import type { WorkflowHandle } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { healthQuery } from '../../workflows/definitions';
import type { RegionHealth } from '../../workflows/health';
import { regionWorkflowId } from '../../workflows/ids';
import { regionWorkflow } from '../../workflows/index';
import { PERIOD_MS, skipTo, skipToOffset, startRegionHarness, type RegionHarness } from '../../testing/region-harness';
import { injectedServers } from './injected-servers';

const region = 'DE';
const MIN = 60_000;
let h: RegionHarness;
let handle: WorkflowHandle<typeof regionWorkflow>;
/** The period boundary the workflow starts 2.5 minutes after; P(k) is the k-th boundary after it. */
let P0: number;
const P = (k: number): number => P0 + k * PERIOD_MS;
const iso = (ms: number): string => new Date(ms).toISOString();
const health = (): Promise<RegionHealth> => handle.query(healthQuery);
/** Each check happens 2.5 minutes into a period, two minutes after that period's fetch. */
const skipToPeriod = (k: number): Promise<void> => skipTo(h.env, P(k) + 2.5 * MIN);
const answers429 = (): number => h.emulator.control.counters().answersByStatus['429'] ?? 0;

beforeAll(async () => {
  h = await startRegionHarness({ servers: injectedServers(), region, taskQueue: 'rate-limited' });
  P0 = await skipToOffset(h.env, PERIOD_MS, 2.5 * MIN);
  handle = await h.env.client.workflow.start(regionWorkflow, {
    args: [{ region }],
    workflowId: regionWorkflowId(region),
    taskQueue: h.taskQueue,
  });
  await skipToPeriod(2);
});

afterAll(async () => {
  await h?.close();
});

describe.sequential('an hour of 429 with Retry-After: 600', () => {
  it('fails each fetch within its own period instead of waiting 10 minutes per retry', async () => {
    expect(await health()).toMatchObject({ status: 'healthy', totalFetches: 3, failedFetches: 0 });
    h.emulator.control.setFaults({ rateLimitRate: 1, retryAfterSeconds: 600 });

    await skipToPeriod(3);
    const limited = await health();
    expect(limited).toMatchObject({
      status: 'degraded',
      totalFetches: 4,
      failedFetches: 1,
      consecutiveFailures: 1,
      // The next fetch is due in the future, not 45 minutes in the past.
      nextFetchAt: iso(P(4) + 30_000),
      fetchInProgress: null,
    });
    expect(Date.parse(limited.lastSuccessfulFetch ?? '') - (P(2) + 30_000)).toBeLessThan(5_000);
    expect(limited.lastError).toMatchObject({ type: 'WattTimeRateLimited' });
    expect(limited.lastError?.message).toContain('retry after 600 s');
    // One attempt (forecast and index in parallel): a retry 600 s later would end past the next fetch.
    expect(answers429()).toBe(2);
  });

  it('counts every period as a failed fetch, and turns unhealthy once the last success is 30 minutes old', async () => {
    await skipToPeriod(7);
    expect(await health()).toMatchObject({ status: 'degraded', totalFetches: 8, failedFetches: 5, consecutiveFailures: 5 });
    // The fetch at P9 + 30 s failed 35 minutes after the last success (P2 + 30 s); the one at P8
    // + 30 s, just about 30 minutes after it, is left out: which side of the line it falls on
    // depends on milliseconds.
    await skipToPeriod(9);
    const unhealthy = await health();
    expect(unhealthy).toMatchObject({ status: 'unhealthy', totalFetches: 10, failedFetches: 7, consecutiveFailures: 7 });
    expect(unhealthy.statusReason).toBe('7 consecutive failed fetch(es), latest WattTimeRateLimited; no success for 30 minutes or more');
    expect(answers429()).toBe(7 * 2);
  });

  it('backfills the periods it could not fetch once WattTime answers again', async () => {
    h.emulator.control.resetFaults();
    await skipToPeriod(10);
    expect(await health()).toMatchObject({
      status: 'healthy',
      totalFetches: 11,
      failedFetches: 7,
      consecutiveFailures: 0,
      backfilledPeriods: 7,
      backfillPendingPeriods: 0,
      missedPeriods: 0,
      lastReading: expect.objectContaining({ pointTime: iso(P(10)) }),
    });
    expect(await h.influx.currentPointTimes(region, P0, P(11))).toEqual(Array.from({ length: 11 }, (_, k) => P(k)));
  });
});
