/**
 * The Grafana dashboard provisioned by the compose stack, built from the query files in
 * `deploy/grafana/queries/` so the committed JSON and the queries the tests run cannot drift.
 * `npm run dashboard` writes it to `deploy/grafana/dashboards/carbon-intensity.json`.
 *
 * Flux panels read InfluxDB (measurements `carbon_intensity`, `carbon_intensity_forecast`);
 * PromQL panels read Prometheus scraping the worker (names in `common/metric-names.ts`).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const queriesDir = join(__dirname, 'queries');
export const dashboardFile = join(__dirname, 'dashboards', 'carbon-intensity.json');

/** A query file's text as panels embed it (without the trailing newline). */
export function readQuery(file: string): string {
  return readFileSync(join(queriesDir, file), 'utf8').trimEnd();
}

const influxDatasource = { type: 'influxdb', uid: 'carbon-influxdb' } as const;
const prometheusDatasource = { type: 'prometheus', uid: 'carbon-prometheus' } as const;

interface GridPos {
  x: number;
  y: number;
  w: number;
  h: number;
}

interface Target {
  /** File in `queries/`: `.flux` runs on InfluxDB, `.promql` on Prometheus. */
  file: string;
  legend?: string;
}

interface PanelSpec {
  title: string;
  description: string;
  type: 'stat' | 'gauge' | 'timeseries';
  gridPos: GridPos;
  targets: Target[];
  fieldConfig: Record<string, unknown>;
  options?: Record<string, unknown>;
  /**
   * Panel-relative time range ending now, e.g. "24h", whatever the dashboard shows. Prometheus
   * panels need one: evaluated past now (the dashboard reaches a day ahead for the forecast),
   * `time() - gauge` would still find the last sample within the 5-minute lookback and overstate.
   */
  timeFrom?: string;
}

const gramsPerKwh = 'suffix: g/kWh';
const byRegion = '${__field.labels.region}';
const thresholds = (...steps: [number | null, string][]) => ({
  mode: 'absolute',
  steps: steps.map(([value, color]) => ({ value, color })),
});


/** A stat panel of seconds per region: green, orange past 15 min (degraded), red past 30 min (unhealthy). */
function secondsSincePanel(panel: { title: string; description: string; x: number; file: string; colorMode: 'background' | 'value' }): PanelSpec {
  return {
    title: panel.title,
    description: panel.description,
    type: 'stat',
    gridPos: { x: panel.x, y: 15, w: 6, h: 6 },
    timeFrom: '1h',
    targets: [{ file: panel.file, legend: '{{region}}' }],
    fieldConfig: { defaults: { unit: 's', color: { mode: 'thresholds' }, thresholds: thresholds([null, 'green'], [900, 'orange'], [1800, 'red']) } },
    options: { reduceOptions: { calcs: ['lastNotNull'] }, colorMode: panel.colorMode, graphMode: 'none' },
  };
}

const panels: PanelSpec[] = [
  {
    title: 'Intensity now',
    description: 'Latest stored marginal emissions (MOER) per region, g CO2/kWh.',
    type: 'stat',
    gridPos: { x: 0, y: 0, w: 12, h: 6 },
    targets: [{ file: 'intensity-now.flux' }],
    fieldConfig: { defaults: { unit: gramsPerKwh, decimals: 0, displayName: byRegion, color: { mode: 'thresholds' }, thresholds: thresholds([null, 'green'], [250, 'orange'], [400, 'red']) } },
    options: { reduceOptions: { calcs: ['lastNotNull'] }, colorMode: 'background', graphMode: 'none' },
  },
  {
    title: 'Index',
    description: "WattTime's index: where the current MOER ranks in its recent range, 0 (cleanest) to 100.",
    type: 'gauge',
    gridPos: { x: 12, y: 0, w: 12, h: 6 },
    targets: [{ file: 'index.flux' }],
    fieldConfig: { defaults: { min: 0, max: 100, decimals: 0, displayName: byRegion, thresholds: thresholds([null, 'green'], [34, 'orange'], [67, 'red']) } },
    options: { reduceOptions: { calcs: ['lastNotNull'] } },
  },
  {
    title: 'Last 24 h',
    description: 'Stored MOER per region, g CO2/kWh, averaged per display window.',
    type: 'timeseries',
    gridPos: { x: 0, y: 6, w: 12, h: 9 },
    timeFrom: '24h',
    targets: [{ file: 'intensity-24h.flux' }],
    fieldConfig: { defaults: { unit: gramsPerKwh, displayName: byRegion } },
  },
  {
    title: 'Forecast',
    description: 'The latest forecast curve per region, g CO2/kWh (points of older forecasts are left out).',
    type: 'timeseries',
    gridPos: { x: 12, y: 6, w: 12, h: 9 },
    targets: [{ file: 'forecast.flux' }],
    fieldConfig: { defaults: { unit: gramsPerKwh, displayName: byRegion } },
  },
  {
    title: 'Worker',
    description: 'Whether Prometheus reaches each worker process.',
    type: 'stat',
    gridPos: { x: 0, y: 15, w: 4, h: 6 },
    timeFrom: '1h',
    targets: [{ file: 'worker-up.promql', legend: '{{instance}}' }],
    fieldConfig: {
      defaults: {
        mappings: [{ type: 'value', options: { '0': { text: 'down', color: 'red' }, '1': { text: 'up', color: 'green' } } }],
        color: { mode: 'thresholds' },
        thresholds: thresholds([null, 'red'], [1, 'green']),
      },
    },
    options: { reduceOptions: { calcs: ['lastNotNull'] }, colorMode: 'background', graphMode: 'none' },
  },
  secondsSincePanel({
    title: 'Status: since last successful fetch',
    description: 'Orange past 15 min (degraded); red past 30 min, when health turns unhealthy.',
    x: 4,
    file: 'since-last-success.promql',
    colorMode: 'background',
  }),
  secondsSincePanel({
    title: 'Staleness: age of the latest point_time',
    description: "Time since WattTime's period of the latest stored reading.",
    x: 10,
    file: 'staleness.promql',
    colorMode: 'value',
  }),
  {
    title: 'Failures',
    description: 'Failed fetches by type, WattTime requests without a 2xx answer, and InfluxDB write failures.',
    type: 'timeseries',
    gridPos: { x: 16, y: 15, w: 8, h: 6 },
    timeFrom: '24h',
    targets: [
      { file: 'fetch-failures.promql', legend: '{{region}} {{result}}' },
      { file: 'watttime-errors.promql', legend: 'WattTime {{endpoint}} {{status_class}}' },
      { file: 'influxdb-write-failures.promql', legend: 'InfluxDB {{measurement}}' },
    ],
    fieldConfig: { defaults: { unit: 'short', decimals: 0, custom: { drawStyle: 'bars' } } },
  },
];

function target(spec: Target, index: number): Record<string, unknown> {
  const refId = String.fromCharCode(65 + index);
  if (spec.file.endsWith('.flux')) return { refId, datasource: influxDatasource, query: readQuery(spec.file) };
  return { refId, datasource: prometheusDatasource, expr: readQuery(spec.file), legendFormat: spec.legend ?? '__auto' };
}

/** The dashboard as Grafana's JSON model (classic schema), panels in the order above. */
export function buildDashboard(): Record<string, unknown> {
  return {
    uid: 'carbon-intensity',
    title: 'Carbon intensity',
    description: 'WattTime MOER, forecast and index stored by carbon-intensity-temporal, and the worker\'s health.',
    tags: ['carbon-intensity', 'watttime'],
    editable: false,
    schemaVersion: 39,
    version: 1,
    refresh: '1m',
    // From a day back to a day ahead, so the forecast panel shows the coming hours.
    time: { from: 'now-24h', to: 'now+24h' },
    timezone: 'browser',
    templating: {
      list: [
        {
          name: 'bucket',
          label: 'InfluxDB bucket',
          type: 'textbox',
          query: 'carbon_intensity',
          current: { text: 'carbon_intensity', value: 'carbon_intensity' },
        },
        {
          name: 'region',
          label: 'Region',
          type: 'query',
          datasource: influxDatasource,
          query: readQuery('regions.flux'),
          // Reloaded when the time range changes, as the query reads it.
          refresh: 2,
          multi: true,
          includeAll: true,
          current: { text: 'All', value: '$__all' },
          sort: 1,
        },
      ],
    },
    panels: panels.map((panel, index) => ({
      id: index + 1,
      title: panel.title,
      description: panel.description,
      type: panel.type,
      gridPos: panel.gridPos,
      datasource: panel.targets[0]?.file.endsWith('.flux') ? influxDatasource : prometheusDatasource,
      ...(panel.timeFrom ? { timeFrom: panel.timeFrom } : {}),
      targets: panel.targets.map(target),
      fieldConfig: { overrides: [], ...panel.fieldConfig },
      options: panel.options ?? {},
    })),
  };
}
