import type { WorkflowHandle } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { moerAt } from '../../emulator/data';
import { healthQuery } from '../../workflows/definitions';
import type { RegionHealth } from '../../workflows/health';
import { regionWorkflowId } from '../../workflows/ids';
import { regionWorkflow } from '../../workflows/index';
import { PERIOD_MS, skipTo, skipToOffset, startRegionHarness, type RegionHarness } from '../../testing/region-harness';
import { injectedServers } from './injected-servers';

const region = 'ISONE_WCMA';
const MIN = 60_000;
let h: RegionHarness;
let handle: WorkflowHandle<typeof regionWorkflow>;
/** The period boundary the workflow starts 2.5 minutes after; P(k) is the k-th boundary after it. */
let P0: number;
const P = (k: number): number => P0 + k * PERIOD_MS;
const health = (): Promise<RegionHealth> => handle.query(healthQuery);
/** Each check happens 2.5 minutes into a period, two minutes after that period's fetch. */
const skipToPeriod = (k: number): Promise<void> => skipTo(h.env, P(k) + 2.5 * MIN);

beforeAll(async () => {
  h = await startRegionHarness({ servers: injectedServers(), region, taskQueue: 'outage' });
  P0 = await skipToOffset(h.env, PERIOD_MS, 2.5 * MIN);
  handle = await h.env.client.workflow.start(regionWorkflow, {
    args: [{ region }],
    workflowId: regionWorkflowId(region),
    taskQueue: h.taskQueue,
  });
  await skipToPeriod(12);
});

afterAll(async () => {
  await h?.close();
});

// One workflow through 6 hours of WattTime answering 503 to every data call, then recovery.
describe.sequential('six hours of WattTime 5xx', () => {
  it('is healthy before the outage', async () => {
    // Fetches at the start (period P0) and at P1 … P12 + 30 s.
    expect(await health()).toMatchObject({ status: 'healthy', totalFetches: 13, failedFetches: 0 });
    h.emulator.control.setFaults({ serverErrorRate: 1 });
  });

  it('is degraded after the first failed period', async () => {
    await skipToPeriod(13);
    const degraded = await health();
    expect(degraded).toMatchObject({ status: 'degraded', totalFetches: 14, failedFetches: 1, consecutiveFailures: 1 });
    expect(degraded.lastError).toMatchObject({ type: 'WattTimeUnavailable' });
    expect(degraded.lastError?.message).toContain('/v3/forecast answered 503');
    // 5 attempts, each with the forecast and the index calls in parallel, all answered 503.
    expect(h.emulator.control.counters().answersByStatus['503']).toBe(5 * 2);
  });

  it('stays degraded while the last success is under 30 minutes old, then turns unhealthy', async () => {
    // Last success at P12 + 30 s. The failure at P17 is recorded at P17 + 60 s (30 s of retry
    // backoff: 2 + 4 + 8 + 16 s), 25.5 min later; the one at P18 at 30.5 min.
    await skipToPeriod(17);
    expect(await health()).toMatchObject({ status: 'degraded', consecutiveFailures: 5 });
    await skipToPeriod(18);
    const unhealthy = await health();
    expect(unhealthy).toMatchObject({ status: 'unhealthy', consecutiveFailures: 6 });
    expect(unhealthy.statusReason).toContain('no success for 30 minutes');
  });

  it('is healthy again after recovery, with every failed period counted and backfilled', async () => {
    // The outage began at P12 + 2.5 min; 6 hours = 72 periods later WattTime recovers.
    await skipToPeriod(84);
    expect(await health()).toMatchObject({ status: 'unhealthy', failedFetches: 72, consecutiveFailures: 72 });
    // WattTime recovers, flags every answer with a warning, and publishes historical data 30
    // minutes after each period starts.
    h.emulator.control.setFaults({ serverErrorRate: 0, warningRate: 1, publicationDelaySeconds: 1800 });
    await skipToPeriod(85);

    // Periods P13 … P84 (72) failed; P85 succeeded, so between the readings of P12 and P85,
    // 85 − 12 − 1 = 72 periods went unfetched. Right after the fetch of P85 (at P85 + 30 s) one
    // `/v3/historical` request backfilled those published by then, P13 … P79 (67); P80 … P84 wait.
    // Fetches: 86 periods (P0 … P85).
    const recovered = await health();
    expect(recovered).toMatchObject({
      status: 'healthy',
      totalFetches: 86,
      failedFetches: 72,
      consecutiveFailures: 0,
      missedPeriods: 0,
      backfilledPeriods: 67,
      backfillPendingPeriods: 5,
      tokenRetries401: 0,
      // Counted from the stored answers: P85's forecast and index, and the backfill's historical.
      warnings: 3,
    });
    expect(h.emulator.control.counters().callsByEndpoint['/v3/historical']).toBe(1);
    expect(recovered.successRate).toBeCloseTo(14 / 86);
    expect(recovered.lastReading?.pointTime).toBe(new Date(P(85)).toISOString());
    // 72 periods × 5 attempts × 2 parallel calls, all 503.
    expect(h.emulator.control.counters().answersByStatus['503']).toBe(72 * 5 * 2);
    // Logins are not data calls: token refreshes went on through the outage, as the buffer
    // predicts. First login at the start (P0 + 2.5 min), then between fetches whenever the token
    // has 300 + 5 s left, 1495 s after the previous login: P5 + 2 min 25 s, P10 + 2 min 20 s, …,
    // P85 + 1 min 5 s (17; none during a failing fetch's 30 s of retries at P(k) + 30 s): 18.
    expect(recovered.tokenRefreshCount).toBe(18);
    expect(h.emulator.control.counters().logins).toBe(18);
  });

  it('backfills the last periods of the outage as WattTime publishes them, losing none', async () => {
    // Each fetch from P86 on is followed by a request for what still waits; one more period is
    // published each time (P80 at P86 + 30 s, …, P84 at P90 + 30 s).
    await skipToPeriod(89);
    expect(await health()).toMatchObject({ backfilledPeriods: 71, backfillPendingPeriods: 1, missedPeriods: 0 });
    await skipToPeriod(90);
    expect(await health()).toMatchObject({ backfilledPeriods: 72, backfillPendingPeriods: 0, missedPeriods: 0, failedFetches: 72 });
    expect(h.emulator.control.counters().callsByEndpoint['/v3/historical']).toBe(6);
    // Nothing lost: every period P0 … P90 is stored once, the outage's with WattTime's values.
    expect(await h.influx.currentPointTimes(region, P0, P(91))).toEqual(Array.from({ length: 91 }, (_, k) => P(k)));
    for (const k of [13, 50, 79, 84]) expect(await h.influx.moerAt(region, P(k))).toBe(moerAt(region, P(k)));
});
});
