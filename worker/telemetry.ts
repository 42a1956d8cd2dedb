import type { TelemetryOptions } from '@temporalio/worker';
import { metricDefinitions } from '../common/metric-names';

/**
 * The worker's metrics exporter: the Temporal SDK's Prometheus endpoint on `0.0.0.0:port`
 * (`/metrics`), serving the SDK's metrics and the domain metrics recorded on its meter. Named the
 * Prometheus way, as Temporal's published SDK dashboards expect: counters end in `_total`,
 * histograms carry their unit, and durations are in seconds (`temporal_…_latency_seconds`). The
 * WattTime request histogram gets the buckets `common/metric-names.ts` gives it.
 */
export function prometheusTelemetry(port: number): TelemetryOptions {
  const histogramBucketOverrides = Object.fromEntries(
    Object.values(metricDefinitions).flatMap((definition) =>
      'buckets' in definition ? [[definition.name, [...definition.buckets]]] : [],
    ),
  );
  return {
    metrics: {
      prometheus: {
        bindAddress: `0.0.0.0:${port}`,
        countersTotalSuffix: true,
        unitSuffix: true,
        useSecondsForDurations: true,
        histogramBucketOverrides,
      },
    },
  };
}
