import { WorkflowFailedError, WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { moerAt } from '../../emulator/data';
import { healthQuery, pauseUpdate, refreshTokenUpdate, resumeUpdate, setIntervalUpdate, stopSignal } from '../../workflows/definitions';
import type { RegionHealth } from '../../workflows/health';
import { regionWorkflowId } from '../../workflows/ids';
import { regionWorkflow } from '../../workflows/index';
import { CARBON_REGION } from '../../workflows/search-attributes';
import { HOUR_MS, historyText, skipTo, skipToOffset, startRegionHarness, type RegionHarness } from '../../testing/region-harness';
import { injectedServers } from './injected-servers';

const region = 'SPP_KANSAS';
const MIN = 60_000;
let h: RegionHarness;
let handle: WorkflowHandle<typeof regionWorkflow>;
/** A whole hour; the workflow starts 2.5 minutes after it. */
let H: number;

const iso = (ms: number): string => new Date(ms).toISOString();
const forecastCalls = (): number => h.emulator.control.counters().callsByEndpoint['/v3/forecast'] ?? 0;
const historicalCalls = (): number => h.emulator.control.counters().callsByEndpoint['/v3/historical'] ?? 0;
const health = (): Promise<RegionHealth> => handle.query(healthQuery);

beforeAll(async () => {
  h = await startRegionHarness({ servers: injectedServers(), region, taskQueue: 'controls' });
  H = await skipToOffset(h.env, HOUR_MS, 2.5 * MIN);
  handle = await h.env.client.workflow.start(regionWorkflow, {
    args: [{ region }],
    workflowId: regionWorkflowId(region),
    taskQueue: h.taskQueue,
  });
  // Fetches at H+2.5 min (at once), H+5.5 and H+10.5 min.
  await skipTo(h.env, H + 12.5 * MIN);
});

afterAll(async () => {
  await h?.close();
});

// One workflow goes through the steps below in order; each `it` starts where the previous ended.
describe.sequential('region workflow controls', () => {
  it('rejects invalid intervals with a clear message and changes nothing', async () => {
    const before = await health();
    expect(before).toMatchObject({ totalFetches: 3, intervalSeconds: 300, nextFetchAt: iso(H + 15.5 * MIN) });
    for (const [bad, message] of [
      [59, 'intervalSeconds must be between 60 and 3600, got 59'],
      [3601, 'intervalSeconds must be between 60 and 3600, got 3601'],
      [90.5, 'intervalSeconds must be a whole number of seconds, got 90.5'],
    ] as const) {
      const rejected = await handle.executeUpdate(setIntervalUpdate, { args: [bad] }).catch((error: unknown) => error);
      expect(rejected).toBeInstanceOf(WorkflowUpdateFailedError);
      expect((rejected as WorkflowUpdateFailedError).cause?.message).toBe(message);
    }
    // Only the data's age moved on, with the workflow's clock.
    expect(await health()).toEqual({ ...before, dataAgeSeconds: expect.any(Number) as number });
  });

  it('moves to a 10-minute interval aligned to 10-minute boundaries', async () => {
    // Next slot after the fetch at H+10.5 min on a 600 s grid: H+20 min + 30 s.
    expect(await handle.executeUpdate(setIntervalUpdate, { args: [600] })).toEqual({
      intervalSeconds: 600,
      nextFetchAt: iso(H + 20.5 * MIN),
    });
    await skipTo(h.env, H + 62.5 * MIN);
    // Fetches at H+20.5, 30.5, 40.5, 50.5, 60.5 min: 3 + 5. Each 10-minute step leaves one
    // 5-minute period unfetched (H+15, 25, 35, 45, 55), backfilled right after the fetch.
    expect(await health()).toMatchObject({
      status: 'healthy',
      totalFetches: 8,
      failedFetches: 0,
      missedPeriods: 0,
      backfilledPeriods: 5,
      backfillPendingPeriods: 0,
      intervalSeconds: 600,
      nextFetchAt: iso(H + 70.5 * MIN),
    });
    expect(forecastCalls()).toBe(8);
    expect(historicalCalls()).toBe(5);
    // Every 5-minute period from H to H+60 min is stored, live or backfilled, with WattTime's value.
    expect(await h.influx.currentPointTimes(region, H, H + 61 * MIN)).toEqual(Array.from({ length: 13 }, (_, k) => H + 5 * k * MIN));
    expect(await h.influx.moerAt(region, H + 15 * MIN)).toBe(moerAt(region, H + 15 * MIN));
  });

  it('pauses (no fetch, no token refresh) and resumes with a fetch at once', async () => {
    const logins = h.emulator.control.counters().logins;
    const paused = await handle.executeUpdate(pauseUpdate);
    expect(paused).toMatchObject({ status: 'paused', nextFetchAt: null, totalFetches: 8 });
    await skipTo(h.env, H + 2 * HOUR_MS + 2.5 * MIN);
    // The token (from the refresh at about H+52 min) ran out during the hour of pause: a paused
    // region keeps no login fresh; the fetch at resume logs in.
    const stillPaused = await health();
    expect(stillPaused).toMatchObject({ status: 'paused', totalFetches: 8, tokenRefreshCount: paused.tokenRefreshCount });
    expect(Date.parse(stillPaused.tokenExpiresAt ?? '')).toBeLessThan(H + 2 * HOUR_MS);
    expect(h.emulator.control.counters().logins).toBe(logins);
    expect(forecastCalls()).toBe(8);

    const resumed = await handle.executeUpdate(resumeUpdate);
    expect(resumed.status).toBe('healthy');
    expect(Date.parse(resumed.nextFetchAt ?? '')).toBeLessThan(H + 2 * HOUR_MS + 3 * MIN);
    await skipTo(h.env, H + 2 * HOUR_MS + 5 * MIN);
    // The fetch at resume read period H+2h; the 11 periods H+65 … H+115 min that went unfetched
    // while paused were backfilled in one request right after it. Over an hour after the start,
    // the live periods at least an hour old (H … H+60 min, 8 fetched live) were then replaced by
    // WattTime's final values in one more request.
    const after = await health();
    expect(after).toMatchObject({
      status: 'healthy',
      totalFetches: 9,
      missedPeriods: 0,
      backfilledPeriods: 5 + 11,
      revisedPeriods: 8,
      nextFetchAt: iso(H + 2 * HOUR_MS + 10.5 * MIN),
    });
    expect(historicalCalls()).toBe(7);
    expect(await h.influx.currentPointTimes(region, H + 60 * MIN, H + 2 * HOUR_MS + MIN)).toHaveLength(13);
    expect(after.lastReading).toMatchObject({ pointTime: iso(H + 2 * HOUR_MS), value: moerAt(region, H + 2 * HOUR_MS), units: 'lbs_co2_per_mwh' });
    expect(after.tokenRefreshCount).toBe(paused.tokenRefreshCount + 1);
    expect(h.emulator.control.counters().logins).toBe(logins + 1);
    expect(forecastCalls()).toBe(9);
  });

  it('refreshes the token on request', async () => {
    const logins = h.emulator.control.counters().logins;
    const before = await health();
    const refreshed = await handle.executeUpdate(refreshTokenUpdate);
    expect(refreshed.loggedIn).toBe(true);
    expect(refreshed.tokenId).not.toBe(before.tokenId);
    expect(h.emulator.control.counters().logins).toBe(logins + 1);
    expect(await health()).toMatchObject({
      tokenId: refreshed.tokenId,
      tokenExpiresAt: refreshed.tokenExpiresAt,
      tokenRefreshCount: before.tokenRefreshCount + 1,
    });
  });

  it('turns unhealthy with the reason when the credentials are refused, and recovers once they are fixed', async () => {
    // The operator rotates the password at WattTime, which also ends every token.
    h.emulator.control.addAccount({ ...h.account, password: 'rotated-elsewhere' });
    h.emulator.control.revokeAllTokens();
    await skipTo(h.env, H + 2 * HOUR_MS + 12.5 * MIN);
    // H+2h+10.5: 401 → forced login refused → the period fails, needing the operator.
    const refused = await health();
    expect(refused).toMatchObject({ status: 'unhealthy', consecutiveFailures: 1, tokenRetries401: 1, tokenId: null });
    expect(refused.lastError?.type).toBe('WattTimeInvalidCredentials');
    expect(refused.statusReason).toMatch(/^needs the operator: .*credentials refused/);

    await skipTo(h.env, H + 2 * HOUR_MS + 22.5 * MIN);
    // H+2h+20.5: still refused, at the normal cadence (one login attempt per interval).
    expect(await health()).toMatchObject({ status: 'unhealthy', consecutiveFailures: 2, failedFetches: 2 });
    expect(h.emulator.control.counters().failedLogins).toBe(2);

    h.emulator.control.addAccount(h.account);
    await skipTo(h.env, H + 2 * HOUR_MS + 32.5 * MIN);
    // H+2h+30.5: logs in and stores again, then backfills periods H+2h+5 … +25 min (5).
    expect(await health()).toMatchObject({
      status: 'healthy',
      consecutiveFailures: 0,
      failedFetches: 2,
      totalFetches: 12,
      missedPeriods: 0,
      backfilledPeriods: 16 + 5,
    });
  });

  it('shows the region in the Web UI: search attribute, current details, activity summaries', async () => {
    const description = await handle.describe();
    expect(description.typedSearchAttributes.get(CARBON_REGION)).toBe(region);
    const metadata = await handle.query<{ currentDetails?: string }>('__temporal_workflow_metadata');
    expect(metadata.currentDetails).toMatch(/^healthy · [\d.]+ lbs\/MWh @ \S+ · next \d\d:\d\d:\d\dZ$/);
    const history = historyText(await handle.fetchHistory());
    expect(history).toContain(`fetch ${region} co2_moer`);
    expect(history).toContain(`forced token refresh for ${region}`);
    expect(history).toContain(`backfill ${region} co2_moer: 11 period(s) from ${iso(H + 65 * MIN)}`);
  });

  it('stops gracefully with the final health as the result, no secret in history or health', async () => {
    await handle.signal(stopSignal);
    const result = await handle.result();
    expect(result).toMatchObject({ region, status: 'healthy', totalFetches: 12, failedFetches: 2, nextFetchAt: null });
    expect(result.successRate).toBeCloseTo(10 / 12);
    expect((await handle.describe()).status.name).toBe('COMPLETED');

    const secrets = [...h.emulator.control.issuedTokens(), h.account.password];
    const text = historyText(await handle.fetchHistory()) + JSON.stringify(result);
    for (const secret of secrets) expect(text).not.toContain(secret);
  });

  it('replays its own history deterministically', async () => {
    await Worker.runReplayHistory({ workflowBundle: h.workflowBundle }, await handle.fetchHistory(), handle.workflowId);
  });

  it('refuses to start with invalid input', async () => {
    const bad = await h.env.client.workflow.start(regionWorkflow, {
      args: [{ region, intervalSeconds: 30 }],
      workflowId: 'carbon-intensity:invalid-input',
      taskQueue: h.taskQueue,
    });
    const failure = await bad.result().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(WorkflowFailedError);
    expect((failure as WorkflowFailedError).cause?.message).toBe('intervalSeconds must be between 60 and 3600, got 30');
  });
});
