/**
 * What a region workflow stores over hours, on the time-skipping server with the real activities
 * and a real InfluxDB: live estimates replaced by WattTime's revised final values, and a feed
 * stuck on one period turning the region degraded, then unhealthy, though every fetch succeeds.
 */
import type { WorkflowHandle } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { moerAt } from '../../emulator/data';
import { PERIOD_MS, skipTo, skipToOffset, startRegionHarness, type RegionHarness } from '../../testing/region-harness';
import { lbsPerMwhToGramsPerKwh } from '../../common/units';
import { healthQuery } from '../../workflows/definitions';
import type { RegionHealth } from '../../workflows/health';
import { regionWorkflowId } from '../../workflows/ids';
import { regionWorkflow } from '../../workflows/index';

const region = 'DE';
const MIN = 60_000;
/** WattTime's final values differ from the live estimate by this much (lbs/MWh). */
const REVISION = 25;
const iso = (ms: number): string => new Date(ms).toISOString();
const database = `final_${randomUUID().replaceAll('-', '')}`;
let h: RegionHarness;
let handle: WorkflowHandle<typeof regionWorkflow>;
let P0: number;
const P = (k: number): number => P0 + k * PERIOD_MS;
const health = (): Promise<RegionHealth> => handle.query(healthQuery);
/** 2.5 minutes into period k, two minutes after its fetch. */
const skipToPeriod = (k: number): Promise<void> => skipTo(h.env, P(k) + 2.5 * MIN);
const historicalCalls = (): number => h.emulator.control.counters().callsByEndpoint['/v3/historical'] ?? 0;
const live = (k: number) => ({ moer_lbs_mwh: moerAt(region, P(k)), carbon_intensity_gco2_kwh: lbsPerMwhToGramsPerKwh(moerAt(region, P(k))), source: 'live' });
const final = (k: number) => {
  const value = Math.round((moerAt(region, P(k)) + REVISION) * 10) / 10;
  return { moer_lbs_mwh: value, carbon_intensity_gco2_kwh: lbsPerMwhToGramsPerKwh(value), source: 'historical', imputed: true };
};

beforeAll(async () => {
  const created = await fetch(`${inject('influxUrl')}/query`, { method: 'POST', body: new URLSearchParams({ q: `CREATE DATABASE "${database}"` }) });
  expect(created.status).toBe(200);
  h = await startRegionHarness({
    servers: { influxUrl: inject('influxUrl'), influxDatabase: database, temporalTestServerPath: inject('temporalTestServerPath') },
    region,
    taskQueue: 'final-values',
  });
  // WattTime revises every period it publishes in /v3/historical, and marks it imputed.
  h.emulator.control.setFaults({ historicalRevision: REVISION, historicalImputed: true });
  P0 = await skipToOffset(h.env, PERIOD_MS, 2.5 * MIN);
  handle = await h.env.client.workflow.start(regionWorkflow, { args: [{ region }], workflowId: regionWorkflowId(region), taskQueue: h.taskQueue });
});

afterAll(async () => {
  await h?.close();
});

describe.sequential('final values and a stuck feed', () => {
  it('stores live estimates, marked live, during the first hour', async () => {
    await skipToPeriod(12);
    expect(await health()).toMatchObject({ status: 'healthy', totalFetches: 13, revisedPeriods: 0 });
    expect(historicalCalls()).toBe(0);
    for (const k of [0, 1, 12]) expect(await h.influx.pointAt(region, P(k))).toMatchObject(live(k));
  });

  it("overwrites the live periods an hour old with WattTime's revised final values, marked historical and imputed", async () => {
    // P13 + 30 s is over an hour after the first fetch (P0 + 2.5 min): periods P0 and P1 are an hour old.
    await skipToPeriod(13);
    expect(await health()).toMatchObject({ status: 'healthy', revisedPeriods: 2, backfilledPeriods: 0, missedPeriods: 0 });
    expect(historicalCalls()).toBe(1);
    for (const k of [0, 1]) {
      const point = await h.influx.pointAt(region, P(k));
      expect(point).toMatchObject(final(k));
      // The fields /v3/historical has no history of stay as fetched live.
      expect(point).toHaveProperty('index_percentile');
      expect(point).toHaveProperty('forecast_1h');
    }
    expect(await h.influx.pointAt(region, P(2))).toMatchObject(live(2));
    expect(await h.influx.pointAt(region, P(2))).not.toHaveProperty('imputed');
    h.emulator.control.setFaults({ stuckFeed: true });
  });

  it('turns degraded once the newest stored period is 15 minutes old, though every fetch succeeds', async () => {
    // From P14 on WattTime answers for P13 again and again.
    await skipToPeriod(15);
    expect(await health()).toMatchObject({ status: 'healthy', failedFetches: 0 });
    await skipToPeriod(16);
    const stale = await health();
    expect(stale).toMatchObject({ status: 'degraded', totalFetches: 17, failedFetches: 0, consecutiveFailures: 0, dataAgeSeconds: 15.5 * 60 });
    expect(stale.lastReading?.pointTime).toBe(iso(P(13)));
    expect(stale.statusReason).toBe(`stale data: newest stored point_time ${iso(P(13))} is 15 min old; WattTime keeps answering for the same period`);
  });

  it('turns unhealthy once it is 60 minutes old', async () => {
    await skipToPeriod(24);
    expect(await health()).toMatchObject({ status: 'degraded', failedFetches: 0 });
    await skipToPeriod(25);
    const unhealthy = await health();
    expect(unhealthy).toMatchObject({ status: 'unhealthy', failedFetches: 0 });
    // As of the workflow's latest step: the fetch at P25 + 30 s, or a token refresh after it.
    expect(unhealthy.dataAgeSeconds).toBeGreaterThanOrEqual(60.5 * 60);
    expect(unhealthy.dataAgeSeconds).toBeLessThan(62.5 * 60);
    expect(unhealthy.statusReason).toBe(
      `stale data for 60 minutes or more: newest stored point_time ${iso(P(13))} is 60 min old; WattTime keeps answering for the same period`,
    );
  });

  it('is healthy again once the feed moves, with the periods it skipped backfilled from final values', async () => {
    h.emulator.control.setFaults({ stuckFeed: false });
    await skipToPeriod(26);
    const recovered = await health();
    expect(recovered).toMatchObject({ status: 'healthy', dataAgeSeconds: 30, backfilledPeriods: 12, backfillPendingPeriods: 0, missedPeriods: 0 });
    // P14 … P25 came from /v3/historical: WattTime's final values.
    for (const k of [14, 25]) expect(await h.influx.pointAt(region, P(k))).toMatchObject(final(k));
    expect(await h.influx.currentPointTimes(region, P0, P(27))).toEqual(Array.from({ length: 27 }, (_, k) => P(k)));
  });

  it('replays its own history deterministically (kept in the run folder, to record as a fixture)', async () => {
    const history = await handle.fetchHistory();
    await Worker.runReplayHistory({ workflowBundle: h.workflowBundle }, history, handle.workflowId);
    writeFileSync(join(inject('logDir'), `history-${region}-final-values.json`), JSON.stringify(history));
  });
});
