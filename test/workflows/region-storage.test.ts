/**
 * A region workflow while InfluxDB does not take its readings, on the time-skipping server with
 * the real activities and a real InfluxDB: stopped for half an hour, and refusing writes for good
 * (a field type conflict) until the operator acts. Nothing WattTime answered is lost.
 */
import type { WorkflowHandle } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { indexAt, moerAt } from '../../emulator/data';
import { freePort } from '../../servers/free-port';
import { resolveInfluxd } from '../../servers/influxdb-binary';
import { startInfluxDb, type InfluxDbServer } from '../../servers/influxdb-server';
import { PERIOD_MS, historyText, skipTo, skipToOffset, startRegionHarness, type RegionHarness } from '../../testing/region-harness';
import { healthQuery } from '../../workflows/definitions';
import type { RegionHealth } from '../../workflows/health';
import { regionWorkflowId } from '../../workflows/ids';
import { regionWorkflow } from '../../workflows/index';

const MIN = 60_000;
const iso = (ms: number): string => new Date(ms).toISOString();

/** An InfluxQL statement as the operator runs it; InfluxDB answers 200 with `error` inside when it fails. */
async function influxQl(url: string, q: string, db = ''): Promise<void> {
  const response = await fetch(`${url}/query`, { method: 'POST', body: new URLSearchParams({ q, db }) });
  const body = await response.text();
  if (!response.ok || body.includes('"error"')) throw new Error(`${q}: ${response.status} ${body}`);
}

// A free account outside CAISO_NORTH: the index only, and no /v3/historical to backfill from.
describe.sequential('InfluxDB stopped for 30 minutes, on a plan without historical access', () => {
  const region = 'PJM_DC';
  let influx: InfluxDbServer;
  let start: () => Promise<InfluxDbServer>;
  let h: RegionHarness;
  let handle: WorkflowHandle<typeof regionWorkflow>;
  let P0: number;
  const P = (k: number): number => P0 + k * PERIOD_MS;
  const health = (): Promise<RegionHealth> => handle.query(healthQuery);
  /** 2.5 minutes into period k, two minutes after its fetch. */
  const skipToPeriod = (k: number): Promise<void> => skipTo(h.env, P(k) + 2.5 * MIN);

  beforeAll(async () => {
    // An InfluxDB of this test's own, so stopping it disturbs no other test.
    const options = { executable: await resolveInfluxd(), workDir: join(inject('logDir'), `influxdb-outage-${randomUUID()}`), database: 'outage', port: await freePort() };
    start = () => startInfluxDb(options);
    influx = await start();
    h = await startRegionHarness({
      servers: { influxUrl: influx.url, influxDatabase: influx.database, temporalTestServerPath: inject('temporalTestServerPath') },
      region,
      freePlan: true,
      taskQueue: 'influx-outage',
    });
    P0 = await skipToOffset(h.env, PERIOD_MS, 2.5 * MIN);
    handle = await h.env.client.workflow.start(regionWorkflow, { args: [{ region }], workflowId: regionWorkflowId(region), taskQueue: h.taskQueue });
    await skipToPeriod(2);
  });

  afterAll(async () => {
    await h?.close();
    await influx?.stop();
  });

  it('stores every period while InfluxDB runs', async () => {
    // Health is as of the workflow's latest step: the fetch, 30 s into the period.
    expect(await health()).toMatchObject({ status: 'healthy', totalFetches: 3, unstoredPeriods: 0, dataAgeSeconds: 30 });
    await influx.stop();
  });

  it('holds the readings WattTime answered while InfluxDB is stopped, and says so', async () => {
    await skipToPeriod(4);
    const early = await health();
    expect(early).toMatchObject({ status: 'degraded', unstoredPeriods: 2, failedFetches: 0, missedPeriods: 0 });
    expect(early.statusReason).toMatch(/^2 period\(s\) held, not yet stored: InfluxDB http:\/\/127\.0\.0\.1:\d+ bucket "outage": write of carbon_intensity failed: unreachable/);

    // 30 minutes after InfluxDB stopped (at P2 + 2.5 min): periods P3 … P8 fetched, none stored.
    await skipToPeriod(8);
    const held = await health();
    expect(held).toMatchObject({
      status: 'degraded',
      totalFetches: 9,
      failedFetches: 0,
      consecutiveFailures: 0,
      unstoredPeriods: 6,
      missedPeriods: 0,
      backfillPendingPeriods: 0,
      lastReading: expect.objectContaining({ pointTime: iso(P(8)), indexPercentile: indexAt(region, P(8)) }) as unknown,
    });
    expect(held.lastError?.type).toBe('InfluxDBUnavailable');
    // As of the latest step: P8's fetch at P8 + 30 s, and its 30 s of retried writes of the held ones.
    expect(held.dataAgeSeconds).toBeGreaterThanOrEqual(6 * 5 * 60 + 60);
    expect(held.dataAgeSeconds).toBeLessThan(6 * 5 * 60 + 90);
    expect(held.statusReason).toMatch(
      new RegExp(`^stale data: newest stored point_time ${iso(P(2))} is 30 min old; 6 period\\(s\\) held, not yet stored: InfluxDB .* unreachable`),
    );
    expect(await h.influx.currentPointTimes(region, P0, P(9), 'index_percentile').catch(() => 'unreachable')).toBe('unreachable');
  });

  it('stores every held period once InfluxDB is back, oldest first: none missed', async () => {
    influx = await start();
    await skipToPeriod(9);

    expect(await health()).toMatchObject({
      status: 'healthy',
      totalFetches: 10,
      failedFetches: 0,
      unstoredPeriods: 0,
      missedPeriods: 0,
      backfilledPeriods: 0,
      backfillPendingPeriods: 0,
      dataAgeSeconds: 30,
      lastError: expect.objectContaining({ type: 'InfluxDBUnavailable' }) as unknown,
    });
    // Every period P0 … P9, each with WattTime's index as fetched live; none from /v3/historical.
    const stored = await h.influx.currentPointTimes(region, P0, P(10), 'index_percentile');
    expect(stored).toEqual(Array.from({ length: 10 }, (_, k) => P(k)));
    for (const k of [3, 5, 8]) expect(await h.influx.pointAt(region, P(k))).toEqual({ index_percentile: indexAt(region, P(k)), source: 'live' });
    expect(h.emulator.control.counters().callsByEndpoint['/v3/historical']).toBeUndefined();
    const history = historyText(await handle.fetchHistory());
    expect(history).toContain(`store 6 held reading(s) ${region} co2_moer from ${iso(P(3))}`);
  });

  it('replays its own history deterministically (kept in the run folder, to record as a fixture)', async () => {
    const history = await handle.fetchHistory();
    await Worker.runReplayHistory({ workflowBundle: h.workflowBundle }, history, handle.workflowId);
    writeFileSync(join(inject('logDir'), `history-${region}-held-readings.json`), JSON.stringify(history));
  });
});

// The database a service we replace filled with integers: InfluxDB refuses the floats for good.
describe.sequential('a field type conflict in InfluxDB', () => {
  const region = 'ERCOT_NORTHCENTRAL';
  const url = (): string => inject('influxUrl');
  const database = `conflict_${randomUUID().replaceAll('-', '')}`;
  let h: RegionHarness;
  let handle: WorkflowHandle<typeof regionWorkflow>;
  let P0: number;
  const P = (k: number): number => P0 + k * PERIOD_MS;
  const health = (): Promise<RegionHealth> => handle.query(healthQuery);
  const skipToPeriod = (k: number): Promise<void> => skipTo(h.env, P(k) + 2.5 * MIN);

  beforeAll(async () => {
    await influxQl(url(), `CREATE DATABASE "${database}"`);
    h = await startRegionHarness({
      servers: { influxUrl: url(), influxDatabase: database, temporalTestServerPath: inject('temporalTestServerPath') },
      region,
      taskQueue: 'field-conflict',
    });
    P0 = await skipToOffset(h.env, PERIOD_MS, 2.5 * MIN);
    // `moer_lbs_mwh` exists as an integer field, as the old service wrote it for another region.
    // InfluxDB types a field per shard, and 7-day shards start on Mondays at 00:00 UTC: one old
    // point per period the test spans puts the conflict in every shard its periods may fall in.
    const oldPoints = Array.from({ length: 8 }, (_, k) => `carbon_intensity,region=OLD_SERVICE,signal_type=co2_moer moer_lbs_mwh=870i ${P(k - 1)}`);
    const old = await fetch(`${url()}/write?db=${database}&precision=ms`, { method: 'POST', body: oldPoints.join('\n') });
    expect(old.status).toBe(204);
    handle = await h.env.client.workflow.start(regionWorkflow, { args: [{ region }], workflowId: regionWorkflowId(region), taskQueue: h.taskQueue });
    await skipToPeriod(3);
  });

  afterAll(async () => {
    await h?.close();
  });

  it('is unhealthy with the cause, needing the operator, and holds the readings without retrying them in vain', async () => {
    const refused = await health();
    expect(refused).toMatchObject({ status: 'unhealthy', totalFetches: 4, failedFetches: 0, unstoredPeriods: 4, missedPeriods: 0, dataAgeSeconds: null });
    expect(refused.lastError?.type).toBe('InfluxDBRejected');
    expect(refused.statusReason).toMatch(
      new RegExp(
        `^needs the operator: InfluxDB http://127\\.0\\.0\\.1:\\d+ bucket "${database}" rejected the write of carbon_intensity: field type conflict: .*\\(answered 400: partial write: field type conflict: input field "moer_lbs_mwh" on measurement "carbon_intensity" is type float, already exists as type integer.*; 4 period\\(s\\) held, not yet stored$`,
      ),
    );
    // Refused for good: no period's held readings were sent again to be refused again.
    expect(historyText(await handle.fetchHistory())).not.toContain('held reading(s)');
  });

  it('stores every held period once the operator drops the measurement', async () => {
    await influxQl(url(), 'DROP MEASUREMENT "carbon_intensity"', database);
    await skipToPeriod(4);

    expect(await health()).toMatchObject({ status: 'healthy', totalFetches: 5, unstoredPeriods: 0, missedPeriods: 0, dataAgeSeconds: 30 });
    expect(await h.influx.currentPointTimes(region, P0, P(5))).toEqual(Array.from({ length: 5 }, (_, k) => P(k)));
    for (const k of [0, 2, 4]) expect(await h.influx.moerAt(region, P(k))).toBe(moerAt(region, P(k)));
  });
});
