import { describe, expect, it } from 'vitest';
import {
  MIN_FORECAST_REQUEST_HOURS,
  checkForecastHorizon,
  forecastCurve,
  forecastRequestHours,
  readingsOf,
} from '../../activities/reading';
import { BadRequestError } from '../../watttime/errors';
import type { DataPoint, ForecastResponse, SignalIndexResponse } from '../../watttime/schemas';

const T = Date.parse('2024-06-18T18:40:00Z');
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const meta = { region: 'CAISO_NORTH', signalType: 'co2_moer', units: 'lbs_co2_per_mwh', warnings: [] };

/** A forecast of `hours` in 5-minute points valued 1000 + minutes after the first. */
function forecast(hours: number): ForecastResponse {
  const data: DataPoint[] = Array.from({ length: Math.max(1, hours * 12) }, (_, i) => ({
    pointTime: new Date(T + i * 5 * MINUTE),
    value: 1000 + i * 5,
  }));
  return { data, meta: { ...meta, generatedAt: new Date(T) } };
}

function index(at: number, value: number): SignalIndexResponse {
  return { data: [{ pointTime: new Date(at), value }], meta: { ...meta, units: 'percentile' } };
}

describe('readingsOf', () => {
  it('takes the MOER from the first forecast point and the 1 h / 24 h points by time', () => {
    const { current, separateIndex } = readingsOf({ forecast: forecast(25), index: index(T, 42) });

    expect(current).toEqual({
      pointTime: '2024-06-18T18:40:00.000Z',
      value: 1000,
      units: 'lbs_co2_per_mwh',
      carbonIntensityGco2Kwh: 1000 * 0.45359237,
      indexPercentile: 42,
      forecast1h: 1060,
      forecast24h: 1000 + 24 * 60,
    });
    expect(separateIndex).toBeUndefined();
  });

  it('leaves forecast_24h null when the forecast ends before it (24 h ends 5 minutes short)', () => {
    const { current } = readingsOf({ forecast: forecast(24), index: undefined });

    expect(current).toMatchObject({ forecast1h: 1060, forecast24h: null, indexPercentile: null });
  });

  it('stores an index for another period at its own point_time', () => {
    const { current, separateIndex } = readingsOf({ forecast: forecast(25), index: index(T - 5 * MINUTE, 40) });

    expect(current.indexPercentile).toBeNull();
    expect(separateIndex).toEqual({
      pointTime: '2024-06-18T18:35:00.000Z',
      value: null,
      units: null,
      carbonIntensityGco2Kwh: null,
      indexPercentile: 40,
      forecast1h: null,
      forecast24h: null,
    });
  });

  it('converts only lbs/MWh to g/kWh: a value in another unit stays as WattTime gave it', () => {
    const damage = forecast(25);
    const { current } = readingsOf({ forecast: { ...damage, meta: { ...damage.meta, signalType: 'health_damage', units: 'usd_per_mwh' } }, index: undefined });

    expect(current).toMatchObject({ value: 1000, units: 'usd_per_mwh', carbonIntensityGco2Kwh: null, forecast1h: 1060 });
  });

  it('keeps only the index when there is no forecast', () => {
    expect(readingsOf({ forecast: undefined, index: index(T, 7) }).current).toEqual({
      pointTime: '2024-06-18T18:40:00.000Z',
      value: null,
      units: null,
      carbonIntensityGco2Kwh: null,
      indexPercentile: 7,
      forecast1h: null,
      forecast24h: null,
    });
  });
});

describe('forecast horizon', () => {
  it('requests at least 25 hours so the point 24 h ahead is in the answer', () => {
    expect(MIN_FORECAST_REQUEST_HOURS).toBe(25);
    expect(forecastRequestHours(0)).toBe(25);
    expect(forecastRequestHours(24)).toBe(25);
    expect(forecastRequestHours(72)).toBe(72);
  });

  it('stores only the configured horizon as the curve, and always the first point', () => {
    expect(forecastCurve(forecast(25), 2).map((p) => p.pointTime.getTime())).toEqual(
      Array.from({ length: 24 }, (_, i) => T + i * 5 * MINUTE),
    );
    expect(forecastCurve(forecast(25), 0)).toHaveLength(1);
    expect(forecastCurve(forecast(25), 72)).toHaveLength(25 * 12);
    expect(forecastCurve(forecast(25), 1).at(-1)?.pointTime.getTime()).toBe(T + HOUR - 5 * MINUTE);
  });

  it.each([-1, 73, 1.5, Number.NaN])('refuses %s hours as a bad request', (hours) => {
    expect(() => checkForecastHorizon(hours)).toThrow(BadRequestError);
  });

  it.each([0, 24, 72])('accepts %s hours', (hours) => {
    expect(() => checkForecastHorizon(hours)).not.toThrow();
  });
});
