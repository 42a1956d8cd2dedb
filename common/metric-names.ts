/**
 * The worker's domain metrics, named the Prometheus way (base units, `_seconds`, `_total`,
 * `_ratio`), served on its `/metrics` endpoint next to the Temporal SDK's own: both are recorded
 * on the SDK's metric meter, whose Prometheus exporter serves them. The dashboard's PromQL
 * (`deploy/grafana/queries/*.promql`) uses exactly these names and labels, and a test checks it.
 * Plain constants only: the region workflow records its metrics from Temporal's sandbox.
 *
 * A gauge stays unset for a region until a reading exists: it never reports 0 for "unknown".
 */
export type MetricType = 'gauge' | 'counter' | 'histogram';

export interface MetricDefinition {
  /** The name Prometheus sees. */
  readonly name: string;
  readonly type: MetricType;
  readonly help: string;
  /** The labels the worker sets; the SDK adds its own to `workflow` metrics (see `recordedBy`). */
  readonly labels: readonly string[];
  /**
   * `workflow`: by the region workflow on its replay-safe meter, once per period as health counts
   * it (series also carry the SDK's `namespace`, `taskQueue` and `workflowType` labels);
   * `worker`: by the worker process's WattTime session and InfluxDB writer, for all its regions.
   */
  readonly recordedBy: 'workflow' | 'worker';
  /** Upper bounds in the metric's unit (histograms only). */
  readonly buckets?: readonly number[];
}

const regionLabels = ['region', 'signal_type'] as const;

export const metricDefinitions = {
  moerLbsPerMwh: {
    name: 'carbon_intensity_moer_lbs_per_mwh',
    type: 'gauge',
    recordedBy: 'workflow',
    help: 'Latest stored marginal operating emissions rate (MOER), in lbs CO2 per MWh.',
    labels: regionLabels,
  },
  gramsPerKwh: {
    name: 'carbon_intensity_grams_per_kwh',
    type: 'gauge',
    recordedBy: 'workflow',
    help: 'Latest stored MOER converted to grams CO2 per kWh (lbs/MWh x 0.45359237).',
    labels: regionLabels,
  },
  indexRatio: {
    name: 'carbon_intensity_index_ratio',
    type: 'gauge',
    recordedBy: 'workflow',
    help: 'Latest WattTime index as a 0-1 ratio: where the current MOER ranks in its recent range (percentile / 100).',
    labels: regionLabels,
  },
  latestPointTime: {
    name: 'carbon_intensity_latest_point_time_seconds',
    type: 'gauge',
    recordedBy: 'workflow',
    help: 'WattTime point_time of the latest stored reading, Unix seconds.',
    labels: regionLabels,
  },
  lastSuccessTime: {
    name: 'carbon_intensity_last_success_time_seconds',
    type: 'gauge',
    recordedBy: 'workflow',
    help: 'When the latest successful fetch finished, Unix seconds.',
    labels: regionLabels,
  },
  fetches: {
    name: 'carbon_intensity_fetches_total',
    type: 'counter',
    recordedBy: 'workflow',
    help: 'Periods fetched, by result: "ok", or the failure type after retries (WattTimeUnavailable, InfluxDBUnavailable, ...), counted as health counts totalFetches and failedFetches.',
    labels: [...regionLabels, 'result'],
  },
  backfilledPeriods: {
    name: 'carbon_intensity_backfilled_periods_total',
    type: 'counter',
    recordedBy: 'workflow',
    help: 'Periods not fetched live that were stored from /v3/historical afterwards.',
    labels: regionLabels,
  },
  missedPeriods: {
    name: 'carbon_intensity_missed_periods_total',
    type: 'counter',
    recordedBy: 'workflow',
    help: 'Periods with nothing stored: not fetched live and not backfilled.',
    labels: regionLabels,
  },
  tokenRetries: {
    name: 'carbon_intensity_token_retries_total',
    type: 'counter',
    recordedBy: 'workflow',
    help: 'Fetches retried once with a fresh token after WattTime rejected the token (401).',
    labels: regionLabels,
  },
  wattTimeRequests: {
    name: 'watttime_requests_total',
    type: 'counter',
    recordedBy: 'worker',
    help: 'WattTime API requests by endpoint (/login, /v3/forecast, ...) and status class (2xx, 4xx, 5xx, or "error" without an answer).',
    labels: ['endpoint', 'status_class'],
  },
  wattTimeRequestDuration: {
    name: 'watttime_request_duration_seconds',
    type: 'histogram',
    recordedBy: 'worker',
    help: 'WattTime API request duration, seconds, until the answer or the failure.',
    labels: ['endpoint'],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  },
  wattTimeLogins: {
    name: 'watttime_logins_total',
    type: 'counter',
    recordedBy: 'worker',
    help: 'Successful WattTime logins (tokens obtained) of this worker process; every /login request is in watttime_requests_total.',
    labels: [],
  },
  influxWriteFailures: {
    name: 'influxdb_write_failures_total',
    type: 'counter',
    recordedBy: 'worker',
    help: 'InfluxDB writes that failed (refused or unreachable), by measurement.',
    labels: ['measurement'],
  },
} as const satisfies Record<string, MetricDefinition>;

/**
 * The name to create a metric with on the SDK's meter. Its Prometheus exporter appends `_total`
 * to every counter (`countersTotalSuffix`, see worker/telemetry.ts), so counters are created
 * without it.
 */
export function meterName(definition: MetricDefinition): string {
  return definition.type === 'counter' ? definition.name.replace(/_total$/, '') : definition.name;
}
