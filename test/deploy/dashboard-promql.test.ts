import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { parse } from 'yaml';
import { readQuery } from '../../deploy/grafana/dashboard';
import { projectRoot } from '../../servers/cache-dir';
import { startPrometheus, type PrometheusServer } from '../../servers/prometheus-server';
import { metricDefinitions } from '../../common/metric-names';
import { byLabels, eventually, instantQuery, serveMetrics, type MetricsTarget } from '../support/prometheus';

/**
 * The dashboard's PromQL panels against a real Prometheus scraping two fixture "workers" that
 * expose the metric names of common/metric-names.ts. Each sample carries an explicit timestamp
 * (Prometheus keeps exposed timestamps), one step per scrape, one minute apart, so every query
 * evaluated at the last step's time has an exact answer.
 */
type MetricKey = keyof typeof metricDefinitions;
type Labels = Record<string, string>;
interface Series {
  metric: MetricKey;
  labels: Labels;
  /** Value at each of the five steps. */
  values: readonly number[];
}

const STEPS = 5;
/** Time of the last step: a minute ago, on a whole second. Queries are evaluated here. */
const lastStepMs = Math.floor(Date.now() / 1000) * 1000 - 60_000;
const T = lastStepMs / 1000;
const stepTimeMs = (step: number): number => lastStepMs - (STEPS - 1 - step) * 60_000;
const constant = (value: number): number[] => Array.from({ length: STEPS }, () => value);

const caiso = { region: 'CAISO_NORTH', signal_type: 'co2_moer' };
const pjm = { region: 'PJM_DC', signal_type: 'co2_moer' };

// Worker A serves CAISO_NORTH now; worker B served it before a rebalance, and serves PJM_DC.
const workerA: Series[] = [
  { metric: 'lastSuccessTime', labels: caiso, values: constant(T - 90) },
  { metric: 'latestPointTime', labels: caiso, values: constant(T - 420) },
  { metric: 'fetches', labels: { ...caiso, result: 'ok' }, values: [10, 11, 12, 13, 14] },
  { metric: 'fetches', labels: { ...caiso, result: 'WattTimeUnavailable' }, values: [0, 1, 2, 3, 4] },
  { metric: 'fetches', labels: { ...caiso, result: 'InfluxDBUnavailable' }, values: constant(0) },
  { metric: 'wattTimeRequests', labels: { endpoint: '/v3/forecast', status_class: '2xx' }, values: [0, 1, 2, 3, 4] },
  { metric: 'wattTimeRequests', labels: { endpoint: '/v3/forecast', status_class: '5xx' }, values: [0, 1, 1, 1, 3] },
  { metric: 'influxWriteFailures', labels: { measurement: 'carbon_intensity' }, values: [0, 0, 2, 2, 2] },
];
const workerB: Series[] = [
  { metric: 'lastSuccessTime', labels: caiso, values: constant(T - 600) },
  { metric: 'latestPointTime', labels: caiso, values: constant(T - 900) },
  { metric: 'lastSuccessTime', labels: pjm, values: constant(T - 1900) },
  { metric: 'latestPointTime', labels: pjm, values: constant(T - 2100) },
  { metric: 'fetches', labels: { ...caiso, result: 'ok' }, values: constant(3) },
  { metric: 'fetches', labels: { ...caiso, result: 'WattTimeUnavailable' }, values: [0, 0, 0, 1, 1] },
  { metric: 'fetches', labels: { ...pjm, result: 'WattTimeRateLimited' }, values: [0, 0, 1, 1, 2] },
  { metric: 'wattTimeRequests', labels: { endpoint: '/login', status_class: '4xx' }, values: [0, 0, 0, 0, 1] },
  { metric: 'influxWriteFailures', labels: { measurement: 'carbon_intensity_forecast' }, values: constant(0) },
];

/** Text exposition of `series` at `step`, HELP and TYPE from the definitions; labels must match them. */
function exposition(series: readonly Series[], step: number): string {
  const index = Math.min(step, STEPS - 1);
  const lines: string[] = [];
  for (const key of new Set(series.map((s) => s.metric))) {
    const definition = metricDefinitions[key];
    lines.push(`# HELP ${definition.name} ${definition.help}`, `# TYPE ${definition.name} ${definition.type}`);
    for (const { labels, values } of series.filter((s) => s.metric === key)) {
      expect(Object.keys(labels).sort(), definition.name).toEqual([...definition.labels].sort());
      const labelText = Object.entries(labels).map(([name, value]) => `${name}="${value}"`).join(',');
      lines.push(`${definition.name}{${labelText}} ${values[index]} ${stepTimeMs(index)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** A dashboard PromQL file with Grafana's variables replaced as Grafana would. */
const panelQuery = (file: string): string => readQuery(file).replaceAll('$__rate_interval', '5m');

const workerJob = (
  parse(readFileSync(join(projectRoot, 'deploy/prometheus/prometheus.yml'), 'utf8')) as { scrape_configs: { job_name: string; static_configs: { targets: string[] }[] }[] }
).scrape_configs.find((job) => job.static_configs.some((config) => config.targets.some((target) => target.startsWith('worker:'))))?.job_name;

let prometheus: PrometheusServer;
let targets: MetricsTarget[];

beforeAll(async () => {
  mkdirSync(inject('logDir'), { recursive: true });
  expect(workerJob).toBe('carbon-intensity-worker');
  targets = [await serveMetrics((scrape) => exposition(workerA, scrape)), await serveMetrics((scrape) => exposition(workerB, scrape))];
  prometheus = await startPrometheus({
    scrapeTargets: targets.map((target) => ({ job: workerJob ?? '', address: target.address })),
    workDir: mkdtempSync(join(inject('logDir'), 'prometheus-dashboard-')),
  });
  // Every step of both workers is stored once five samples of a series that changes each step exist.
  await eventually('all five steps scraped from both workers', async () => {
    const counts = await instantQuery(prometheus.url, 'count_over_time(carbon_intensity_fetches_total{result="ok"}[10m])', T);
    return counts.length === 2 && counts.every((sample) => sample.value === STEPS);
  });
});

afterAll(async () => {
  await prometheus?.stop();
  await Promise.all((targets ?? []).map((target) => target.close()));
});

const [a, b] = [0, 1];
const instance = (worker: number): string => targets[worker]?.address ?? '';

it('worker-up.promql: one series per worker process, 1 while Prometheus reaches it', async () => {
  expect(await instantQuery(prometheus.url, panelQuery('worker-up.promql'))).toEqual(
    [a, b]
      .map((worker) => ({ metric: { __name__: 'up', instance: instance(worker), job: 'carbon-intensity-worker' }, value: 1 }))
      .sort(byLabels),
  );
});

it('since-last-success.promql: seconds since the newest success per region, across workers', async () => {
  expect(await instantQuery(prometheus.url, panelQuery('since-last-success.promql'), T)).toEqual([
    { metric: caiso, value: 90 },
    { metric: pjm, value: 1900 },
  ]);
});

it('staleness.promql: age of the newest stored point_time per region, across workers', async () => {
  expect(await instantQuery(prometheus.url, panelQuery('staleness.promql'), T)).toEqual([
    { metric: caiso, value: 420 },
    { metric: pjm, value: 2100 },
  ]);
});

it('fetch-failures.promql: failed fetches per region and failure type, summed over workers, no "ok"', async () => {
  // Counters that start at 0 are not extrapolated before their first sample: increase = last - first.
  expect(await instantQuery(prometheus.url, panelQuery('fetch-failures.promql'), T)).toEqual([
    { metric: { ...caiso, result: 'InfluxDBUnavailable' }, value: 0 },
    { metric: { ...caiso, result: 'WattTimeUnavailable' }, value: 4 + 1 },
    { metric: { ...pjm, result: 'WattTimeRateLimited' }, value: 2 },
  ]);
});

it('watttime-errors.promql: WattTime requests without a 2xx answer, by endpoint and status class', async () => {
  expect(await instantQuery(prometheus.url, panelQuery('watttime-errors.promql'), T)).toEqual([
    { metric: { endpoint: '/login', status_class: '4xx' }, value: 1 },
    { metric: { endpoint: '/v3/forecast', status_class: '5xx' }, value: 3 },
  ]);
});

it('influxdb-write-failures.promql: failed InfluxDB writes by measurement', async () => {
  expect(await instantQuery(prometheus.url, panelQuery('influxdb-write-failures.promql'), T)).toEqual([
    { metric: { measurement: 'carbon_intensity' }, value: 2 },
    { metric: { measurement: 'carbon_intensity_forecast' }, value: 0 },
  ]);
});
