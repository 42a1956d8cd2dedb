/**
 * The region workflow's metrics: per region and signal type, what health counts (fetches by
 * result, backfilled and missed periods, 401 retries) and the latest stored reading. Recorded on
 * the workflow's `metricMeter`, which the SDK skips while replaying, so a period is counted once,
 * by the worker that ran it live; the worker's Prometheus endpoint serves them.
 */
import type { MetricCounter, MetricGauge } from '@temporalio/common';
import { metricMeter } from '@temporalio/workflow';
import type { StoredReading } from '../activities/types';
import { meterName, metricDefinitions, type MetricDefinition } from '../common/metric-names';

export interface RegionMetrics {
  /** One period fetched: `ok`, or the failure type once retries are over (as `lastError.type`). */
  fetched(result: string): void;
  /** The reading just stored and when the fetch succeeded (workflow time, ms since epoch). */
  stored(reading: StoredReading, succeededAtMs: number): void;
  /** Periods newly settled: stored from `/v3/historical`, or given up as missed. */
  periodsSettled(backfilled: number, missed: number): void;
  /** A fetch retried with a fresh token after WattTime rejected the held one. */
  tokenRetried(): void;
}

/** Value of the `result` label of a successful fetch. */
export const FETCH_OK = 'ok';

/**
 * The metrics of one region workflow run; call from workflow code only. The counters start at 0
 * (a count that is known), so a rate sees the first increase; the gauges stay unset until a
 * reading is stored, and a gauge whose reading has no value (no forecast access: no MOER) keeps
 * its previous value or stays unset, never 0.
 */
export function workflowRegionMetrics(region: string, signalType: string): RegionMetrics {
  const tags = { region, signal_type: signalType };
  const counter = (definition: MetricDefinition): MetricCounter =>
    metricMeter.createCounter(meterName(definition), undefined, definition.help).withTags(tags);
  const gauge = (definition: MetricDefinition): MetricGauge =>
    metricMeter.createGauge(meterName(definition), 'float', undefined, definition.help).withTags(tags);
  const fetches = counter(metricDefinitions.fetches);
  const backfilled = counter(metricDefinitions.backfilledPeriods);
  const missed = counter(metricDefinitions.missedPeriods);
  const tokenRetries = counter(metricDefinitions.tokenRetries);
  const moer = gauge(metricDefinitions.moerLbsPerMwh);
  const gramsPerKwh = gauge(metricDefinitions.gramsPerKwh);
  const indexRatio = gauge(metricDefinitions.indexRatio);
  const latestPointTime = gauge(metricDefinitions.latestPointTime);
  const lastSuccessTime = gauge(metricDefinitions.lastSuccessTime);

  fetches.add(0, { result: FETCH_OK });
  for (const zeroed of [backfilled, missed, tokenRetries]) zeroed.add(0);

  return {
    fetched: (result) => fetches.add(1, { result }),
    stored: (reading, succeededAtMs) => {
      // The MOER gauge holds lbs/MWh only; a signal in another unit leaves it unset.
      if (reading.value !== null && reading.units === 'lbs_co2_per_mwh') moer.set(reading.value);
      if (reading.carbonIntensityGco2Kwh !== null) gramsPerKwh.set(reading.carbonIntensityGco2Kwh);
      if (reading.indexPercentile !== null) indexRatio.set(reading.indexPercentile / 100);
      latestPointTime.set(Date.parse(reading.pointTime) / 1000);
      lastSuccessTime.set(succeededAtMs / 1000);
    },
    periodsSettled: (backfilledPeriods, missedPeriods) => {
      if (backfilledPeriods > 0) backfilled.add(backfilledPeriods);
      if (missedPeriods > 0) missed.add(missedPeriods);
    },
    tokenRetried: () => tokenRetries.add(1),
  };
}
