/**
 * The worker's Prometheus endpoint, scraped by a real Prometheus, against what the worker stored
 * in InfluxDB and what health reports: a worker process, the client command, the emulator, and
 * five region workflows on the dev server, each fetching once (interval 3600 s) — two in full, one
 * with the index only, one through a 401 retry, one out of plan — so the test ends in about a
 * minute and every figure is exact.
 */
import { InfluxDB } from '@influxdata/influxdb-client';
import { Client, Connection } from '@temporalio/client';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { metricDefinitions } from '../../common/metric-names';
import { startEmulator, type RunningEmulator } from '../../emulator/server';
import { freePort } from '../../servers/free-port';
import type { ManagedProcess } from '../../servers/managed-process';
import { startPrometheus, type PrometheusServer } from '../../servers/prometheus-server';
import { startWorkerProcess } from '../../servers/worker-process';
import { healthQuery } from '../../workflows/definitions';
import type { RegionHealth } from '../../workflows/health';
import { regionWorkflowId } from '../../workflows/ids';
import { runClient } from '../../testing/client-command';
import { eventually, instantQuery, type Sample } from '../support/prometheus';

const password = `metrics-${process.pid}-password`;
const taskQueue = `e2e-metrics-${process.pid}`;
/** In the account's plan: every endpoint. */
const fullRegions = ['MISO_INDIANAPOLIS', 'SPP_KANSAS'];
/** Outside the account's list: the index only. */
const indexOnly = 'BPA';
/** Started after WattTime revoked the worker's token: its fetch is retried after a 401. */
const afterRevocation = 'DE';
/** A signal type no plan has: the fetch fails as out of plan. */
const outOfPlan = { region: 'GB', signalType: 'health_damage' };
const workflowIds = [
  ...[...fullRegions, indexOnly, afterRevocation].map((region) => regionWorkflowId(region)),
  regionWorkflowId(outOfPlan.region, outOfPlan.signalType),
];

let emulator: RunningEmulator;
let worker: ManagedProcess;
let prometheus: PrometheusServer;
let connection: Connection;
let env: NodeJS.ProcessEnv;
/** `client health --json --detail` once every region fetched, by region. */
let healths: Map<string, RegionHealth>;

async function client(args: string[]): Promise<string> {
  const result = await runClient(args, env);
  expect(result.stderr).toBe('');
  return result.stdout;
}

/** Every region's health has counted its one fetch (the health query, straight from each workflow). */
async function eachRegionFetched(): Promise<boolean> {
  const temporal = new Client({ connection });
  const answers = await Promise.all(workflowIds.map((id) => temporal.workflow.getHandle(id).query(healthQuery)));
  return answers.every((health) => health.totalFetches === 1);
}

const query = (expr: string): Promise<Sample[]> => instantQuery(prometheus.url, expr);

/** The one value of `expr`; fails when it has none or several. */
async function scalar(expr: string): Promise<number> {
  const samples = await query(expr);
  expect(samples, expr).toHaveLength(1);
  return samples[0]!.value;
}

beforeAll(async () => {
  emulator = await startEmulator({
    port: 0,
    accounts: [{ username: 'metrics', password, regions: [...fullRegions, afterRevocation] }],
  });
  const metricsPort = await freePort();
  env = {
    WATTTIME_USERNAME: 'metrics',
    WATTTIME_PASSWORD: password,
    WATTTIME_BASE_URL: emulator.url,
    TEMPORAL_ADDRESS: inject('temporalAddress'),
    TEMPORAL_NAMESPACE: 'default',
    TEMPORAL_TASK_QUEUE: taskQueue,
    INFLUXDB_URL: inject('influxUrl'),
    INFLUXDB_TOKEN: 'metrics:unchecked',
    INFLUXDB_ORG: 'ignored',
    INFLUXDB_BUCKET: inject('influxDatabase'),
    GRID_REGIONS: '',
    FETCH_INTERVAL_SECONDS: '3600',
    HEALTH_PORT: String(await freePort()),
    METRICS_PORT: String(metricsPort),
  };
  connection = await Connection.connect({ address: inject('temporalAddress') });
  [worker, prometheus] = await Promise.all([
    startWorkerProcess({ env, logFile: join(inject('logDir'), 'e2e-metrics-worker.log') }),
    startPrometheus({
      scrapeTargets: [{ job: 'carbon-intensity-worker', address: `127.0.0.1:${metricsPort}` }],
      workDir: mkdtempSync(join(inject('logDir'), 'prometheus-e2e-')),
    }),
  ]);

  expect(await client(['start', ...fullRegions, indexOnly])).toContain(`Started ${regionWorkflowId(indexOnly)} (every 3600s).`);
  await eventually('the first three regions to store a reading', async () => {
    const temporal = new Client({ connection });
    const answers = await Promise.all(
      [...fullRegions, indexOnly].map((region) => temporal.workflow.getHandle(regionWorkflowId(region)).query(healthQuery)),
    );
    return answers.every((health) => health.lastReading !== null);
  }, 60_000);
  emulator.control.revokeAllTokens();
  expect(await client(['start', afterRevocation])).toContain(`Started ${regionWorkflowId(afterRevocation)} (every 3600s).`);
  await new Client({ connection }).workflow.start('regionWorkflow', {
    workflowId: regionWorkflowId(outOfPlan.region, outOfPlan.signalType),
    taskQueue,
    args: [{ ...outOfPlan, intervalSeconds: 3600 }],
  });
  await eventually('every region to fetch once', eachRegionFetched, 60_000);

  const detail = JSON.parse(await client(['health', '--json', '--detail'])) as RegionHealth[];
  healths = new Map(detail.map((health) => [regionWorkflowId(health.region, health.signalType), health]));
  expect([...healths.keys()].sort()).toEqual([...workflowIds].sort());
  // Prometheus has scraped the worker after the last fetch once it counts all of them.
  await eventually('Prometheus to scrape every fetch', async () => (await query('sum(carbon_intensity_fetches_total)'))[0]?.value === workflowIds.length);
}, 240_000);

afterAll(async () => {
  const temporal = connection && new Client({ connection });
  await Promise.all(workflowIds.map((id) => temporal?.workflow.getHandle(id).terminate('test done').catch(() => undefined)));
  await prometheus?.stop();
  await worker?.stop();
  await emulator?.close();
  await connection?.close();
});

interface StoredFields {
  pointTime: number;
  fields: Record<string, number>;
}

/** The latest stored `carbon_intensity` point of a region: its time (Unix seconds) and fields. */
async function latestStored(region: string): Promise<StoredFields> {
  const rows = await new InfluxDB({ url: inject('influxUrl'), token: 'metrics:unchecked' })
    .getQueryApi('ignored')
    .collectRows<{ _time: string; _field: string; _value: number }>(
      `from(bucket: "${inject('influxDatabase')}") |> range(start: -1h)
        |> filter(fn: (r) => r._measurement == "carbon_intensity" and r.region == "${region}" and r.signal_type == "co2_moer")
        |> last()`,
    );
  const times = new Set(rows.map((row) => row._time));
  expect(times.size, `${region}: one latest point`).toBe(1);
  return {
    pointTime: Date.parse(rows[0]!._time) / 1000,
    fields: Object.fromEntries(rows.map((row) => [row._field, row._value])),
  };
}

/** A region's series of a metric, as `{ value }` per series (labels checked separately). */
async function seriesOf(name: string, region: string, signalType = 'co2_moer'): Promise<number[]> {
  return (await query(`${name}{region="${region}", signal_type="${signalType}"}`)).map((sample) => sample.value);
}

const names = {
  moer: metricDefinitions.moerLbsPerMwh.name,
  grams: metricDefinitions.gramsPerKwh.name,
  index: metricDefinitions.indexRatio.name,
  pointTime: metricDefinitions.latestPointTime.name,
  lastSuccess: metricDefinitions.lastSuccessTime.name,
};

it('reports each region’s latest reading as gauges equal to what InfluxDB stored', async () => {
  for (const region of [...fullRegions, afterRevocation]) {
    const stored = await latestStored(region);
    const health = healths.get(regionWorkflowId(region))!;
    expect(
      {
        moer: await seriesOf(names.moer, region),
        grams: await seriesOf(names.grams, region),
        index: await seriesOf(names.index, region),
        pointTime: await seriesOf(names.pointTime, region),
        lastSuccess: await seriesOf(names.lastSuccess, region),
      },
      region,
    ).toEqual({
      moer: [stored.fields['moer_lbs_mwh']],
      grams: [stored.fields['carbon_intensity_gco2_kwh']],
      index: [stored.fields['index_percentile']! / 100],
      pointTime: [stored.pointTime],
      lastSuccess: [Date.parse(health.lastSuccessfulFetch!) / 1000],
    });
    expect(stored.pointTime).toBe(Date.parse(health.lastReading!.pointTime) / 1000);
  }
});

it('leaves a gauge unset, never 0, while no reading has the value', async () => {
  // Index only: no MOER stored, so no MOER gauges; the index and times are there.
  const stored = await latestStored(indexOnly);
  expect(Object.keys(stored.fields).sort()).toEqual(['index_percentile', 'source']);
  expect(stored.fields['source']).toBe('live');
  expect(await seriesOf(names.moer, indexOnly)).toEqual([]);
  expect(await seriesOf(names.grams, indexOnly)).toEqual([]);
  expect(await seriesOf(names.index, indexOnly)).toEqual([stored.fields['index_percentile']! / 100]);
  expect(await seriesOf(names.pointTime, indexOnly)).toEqual([stored.pointTime]);
  // Out of plan: never a reading, so no gauge at all.
  for (const name of Object.values(names)) expect(await seriesOf(name, outOfPlan.region, outOfPlan.signalType), name).toEqual([]);
});

it('counts fetches by result, 401 retries, backfilled and missed periods exactly as health does', async () => {
  for (const [workflowId, health] of healths) {
    const labels = `region="${health.region}", signal_type="${health.signalType}"`;
    const byResult = Object.fromEntries(
      (await query(`sum by (result) (carbon_intensity_fetches_total{${labels}})`)).map((s) => [s.metric['result'], s.value]),
    );
    const failed = health.failedFetches === 0 ? {} : { [health.lastError!.type]: health.failedFetches };
    expect(byResult, workflowId).toEqual({ ok: health.totalFetches - health.failedFetches, ...failed });
    expect(
      {
        tokenRetries: await scalar(`carbon_intensity_token_retries_total{${labels}}`),
        backfilled: await scalar(`carbon_intensity_backfilled_periods_total{${labels}}`),
        missed: await scalar(`carbon_intensity_missed_periods_total{${labels}}`),
      },
      workflowId,
    ).toEqual({ tokenRetries: health.tokenRetries401, backfilled: health.backfilledPeriods, missed: health.missedPeriods });
  }
  expect(healths.get(regionWorkflowId(afterRevocation))?.tokenRetries401).toBe(1);
  expect(healths.get(workflowIds.at(-1)!)).toMatchObject({ failedFetches: 1, lastError: { type: 'WattTimeOutOfPlan' } });
  // The workflow's series carry the SDK's labels too: which namespace, task queue and workflow type.
  const [sample] = await query(`carbon_intensity_fetches_total{region="${afterRevocation}", result="ok"}`);
  expect(sample?.metric).toMatchObject({ namespace: 'default', taskQueue, workflowType: 'regionWorkflow' });
});

it('counts WattTime requests by endpoint and status class, their durations, and logins, as WattTime saw them', async () => {
  const counters = emulator.control.counters();
  const requests = Object.fromEntries(
    (await query('sum by (endpoint, status_class) (watttime_requests_total)')).map((s) => [
      `${s.metric['endpoint']} ${s.metric['status_class']}`,
      s.value,
    ]),
  );
  // Data calls come from the worker alone (the client command logs in and reads /v3/my-access only).
  for (const endpoint of ['/v3/forecast', '/v3/signal-index']) {
    const worker = Object.entries(requests).filter(([key]) => key.startsWith(`${endpoint} `));
    expect(worker.reduce((sum, [, count]) => sum + count, 0), endpoint).toBe(counters.callsByEndpoint[endpoint]);
  }
  // The region fetched with the revoked token got a 401 from each of its two calls; the out-of-plan
  // signal type a 403 from the index, the one endpoint it tried.
  expect(requests).toMatchObject({ '/v3/forecast 4xx': 1, '/v3/signal-index 4xx': 2 });
  expect(counters.answersByStatus).toMatchObject({ '401': 2, '403': 1 });
  // The worker's first login and the forced one after the 401; the client command's two starts logged in too.
  expect(await scalar('watttime_logins_total')).toBe(2);
  expect(requests['/login 2xx']).toBe(2);
  expect(counters.logins).toBe(2 + 2);

  const durationCounts = Object.fromEntries(
    (await query('sum by (endpoint) (watttime_request_duration_seconds_count)')).map((s) => [s.metric['endpoint'], s.value]),
  );
  const requestCounts: Record<string, number> = {};
  for (const [key, count] of Object.entries(requests)) {
    const endpoint = key.split(' ')[0]!;
    requestCounts[endpoint] = (requestCounts[endpoint] ?? 0) + count;
  }
  expect(durationCounts).toEqual(requestCounts);
  const buckets = await query('count by (le) (watttime_request_duration_seconds_bucket{endpoint="/v3/forecast"})');
  const upperBound = (le = ''): number => (le === '+Inf' ? Infinity : Number(le));
  expect(buckets.map((s) => upperBound(s.metric['le'])).sort((a, b) => a - b)).toEqual([
    ...metricDefinitions.wattTimeRequestDuration.buckets,
    Infinity,
  ]);
  expect(await scalar('sum(watttime_request_duration_seconds_sum) > 0')).toBeGreaterThan(0);
});

it('reports no InfluxDB write failure as 0 per measurement rather than nothing', async () => {
  const failures = await query('influxdb_write_failures_total');
  expect(failures.map((s) => [s.metric['measurement'], s.value])).toEqual([
    ['carbon_intensity', 0],
    ['carbon_intensity_forecast', 0],
  ]);
});

it('names the Temporal SDK’s own metrics the Prometheus way: counters end in _total, durations in seconds', async () => {
  const response = await fetch(`${prometheus.url}/api/v1/label/__name__/values`);
  const sdkNames = ((await response.json()) as { data: string[] }).data.filter((name) => name.startsWith('temporal_'));
  expect(sdkNames).toEqual(expect.arrayContaining(['temporal_activity_execution_latency_seconds_bucket', 'temporal_request_total']));
  expect(sdkNames.filter((name) => /_(ms|milliseconds)(_bucket|_sum|_count)?$/.test(name))).toEqual([]);
});
