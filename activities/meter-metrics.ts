/**
 * The worker process's own metrics — WattTime requests, their duration, logins, and InfluxDB write
 * failures, for every region it serves — recorded on a Temporal SDK metric meter, so the SDK's
 * Prometheus endpoint serves them beside its own (names in common/metric-names.ts).
 */
import type { MetricMeter } from '@temporalio/common';
import { meterName, metricDefinitions } from '../common/metric-names';
import { CURRENT_MEASUREMENT, FORECAST_MEASUREMENT, noInfluxWriteMetrics, type InfluxWriteMetrics } from './influx-writer';
import { noWattTimeMetrics, type WattTimeMetrics } from '../watttime/metrics';

/** Everything the activities' dependencies report: the WattTime session's and the writer's. */
export type ActivityMetrics = WattTimeMetrics & InfluxWriteMetrics;

/** For wirings that record no metrics (tests, the benchmark). */
export const noActivityMetrics: ActivityMetrics = { ...noWattTimeMetrics, ...noInfluxWriteMetrics };

/** `2xx`, `4xx`, `5xx`… for an HTTP status; `error` for a request that got no answer. */
export function statusClass(status: number | undefined): string {
  return status === undefined ? 'error' : `${Math.floor(status / 100)}xx`;
}

/**
 * Records on `meter` (the worker's `Runtime.instance().metricMeter`). Counters whose label values
 * are known up front start at 0 — logins, and write failures of both measurements — so the
 * dashboard shows "none" rather than nothing, and a rate sees the first increase.
 */
export function meterActivityMetrics(meter: MetricMeter): ActivityMetrics {
  const { wattTimeRequests, wattTimeRequestDuration, wattTimeLogins, influxWriteFailures } = metricDefinitions;
  const requests = meter.createCounter(meterName(wattTimeRequests), undefined, wattTimeRequests.help);
  const duration = meter.createHistogram(meterName(wattTimeRequestDuration), 'float', undefined, wattTimeRequestDuration.help);
  const logins = meter.createCounter(meterName(wattTimeLogins), undefined, wattTimeLogins.help);
  const writeFailures = meter.createCounter(meterName(influxWriteFailures), undefined, influxWriteFailures.help);
  logins.add(0);
  for (const measurement of [CURRENT_MEASUREMENT, FORECAST_MEASUREMENT]) writeFailures.add(0, { measurement });
  return {
    requestDone: (endpoint, status, seconds) => {
      requests.add(1, { endpoint, status_class: statusClass(status) });
      duration.record(seconds, { endpoint });
    },
    loggedIn: () => logins.add(1),
    writeFailed: (measurement) => writeFailures.add(1, { measurement }),
  };
}
