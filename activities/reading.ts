import type { StoredReading } from './types';
import { BadRequestError, MalformedResponseError } from '../watttime/errors';
import type { DataPoint, ForecastResponse, SignalIndexResponse } from '../watttime/schemas';
import { isLbsPerMwh } from './signal-units';
import { lbsPerMwhToGramsPerKwh } from '../common/units';

import { FORECAST_HORIZON_HOURS } from '../common/limits';

const HOUR_MS = 3_600_000;

/**
 * `forecast_24h` is the point 24 h after the first. A 24-hour forecast has 288 points and ends
 * 5 minutes short of it, so at least 25 hours are always requested; only the configured horizon
 * is stored as the forecast curve.
 */
export const MIN_FORECAST_REQUEST_HOURS = 25;

/** A horizon WattTime would refuse is a permanent bad request; found before any call is made. */
export function checkForecastHorizon(horizonHours: number): void {
  const { min, max } = FORECAST_HORIZON_HOURS;
  if (!Number.isInteger(horizonHours) || horizonHours < min || horizonHours > max) {
    throw new BadRequestError({
      endpoint: '/v3/forecast',
      detail: `forecastHorizonHours must be a whole number from ${min} to ${max}, got ${horizonHours}`,
    });
  }
}

export function forecastRequestHours(horizonHours: number): number {
  return Math.max(horizonHours, MIN_FORECAST_REQUEST_HOURS);
}

/** What WattTime answered for the current period: the forecast where the plan allows, the index, or both. */
export type CurrentData =
  | { forecast: ForecastResponse; index: SignalIndexResponse | undefined }
  | { forecast: undefined; index: SignalIndexResponse };

export interface Readings {
  /** The current period: the forecast's first point, else the index's point. */
  current: StoredReading;
  /**
   * The index when it answered for another period than the forecast's first point (a call on
   * each side of a period boundary): stored at its own `point_time`, where it belongs.
   */
  separateIndex?: StoredReading;
}

/**
 * The readings to store. The current value (the MOER for `co2_moer`) is the forecast's first
 * point, WattTime's real-time value, in the forecast's `meta.units`; lbs/MWh is also converted to
 * g/kWh. `forecast_1h` / `forecast_24h` are the points exactly that long after it, null when the
 * forecast does not reach them. Check the units first (`SignalUnits`).
 */
export function readingsOf(data: CurrentData): Readings {
  if (data.forecast === undefined) return { current: indexOnly(firstPoint(data.index, '/v3/signal-index')) };
  const first = firstPoint(data.forecast, '/v3/forecast');
  const index = data.index === undefined ? undefined : firstPoint(data.index, '/v3/signal-index');
  const samePeriod = index !== undefined && index.pointTime.getTime() === first.pointTime.getTime();
  const { units } = data.forecast.meta;
  const current: StoredReading = {
    pointTime: first.pointTime.toISOString(),
    value: first.value,
    units,
    carbonIntensityGco2Kwh: isLbsPerMwh(units) ? lbsPerMwhToGramsPerKwh(first.value) : null,
    indexPercentile: samePeriod ? index.value : null,
    forecast1h: valueAfter(data.forecast.data, first, HOUR_MS),
    forecast24h: valueAfter(data.forecast.data, first, 24 * HOUR_MS),
  };
  return index === undefined || samePeriod ? { current } : { current, separateIndex: indexOnly(index) };
}

/** The forecast points within `horizonHours` of the first (always at least the first). */
export function forecastCurve(forecast: ForecastResponse, horizonHours: number): DataPoint[] {
  const firstMs = firstPoint(forecast, '/v3/forecast').pointTime.getTime();
  return forecast.data.filter((p, i) => i === 0 || p.pointTime.getTime() - firstMs < horizonHours * HOUR_MS);
}

function indexOnly(index: DataPoint): StoredReading {
  return {
    pointTime: index.pointTime.toISOString(),
    value: null,
    units: null,
    carbonIntensityGco2Kwh: null,
    indexPercentile: index.value,
    forecast1h: null,
    forecast24h: null,
  };
}

function valueAfter(points: readonly DataPoint[], first: DataPoint, offsetMs: number): number | null {
  const wanted = first.pointTime.getTime() + offsetMs;
  return points.find((p) => p.pointTime.getTime() === wanted)?.value ?? null;
}

/** The schemas require a point; this keeps the types honest should that ever change. */
function firstPoint(response: { data: readonly DataPoint[] }, endpoint: string): DataPoint {
  const [first] = response.data;
  if (first === undefined) throw new MalformedResponseError({ endpoint, detail: 'malformed response: data is empty' });
  return first;
}
