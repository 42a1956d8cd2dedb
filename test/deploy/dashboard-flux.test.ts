import { InfluxDB } from '@influxdata/influxdb-client';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { InfluxCarbonIntensityWriter } from '../../activities/influx-writer';
import { lbsPerMwhToGramsPerKwh } from '../../common/units';
import { readQuery } from '../../deploy/grafana/dashboard';

/**
 * The dashboard's Flux panels run on the real InfluxDB (1.13, Flux enabled; bucket = database)
 * over readings stored by the worker's own writer, and must return exactly the expected rows.
 * Grafana substitutes `v.timeRangeStart`, `v.timeRangeStop`, `v.windowPeriod` and the dashboard
 * variables in the query text before sending it; the test does the same.
 */
const MINUTE = 60_000;
const at = (iso: string): number => Date.parse(iso);
const iso = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z');
const NOON = at('2024-06-18T12:00:00Z');
const signal = 'co2_moer';
const LBS = 'lbs_co2_per_mwh';

/** `count` five-minute periods from `startMs`, the i-th valued `value(i)` (lbs/MWh). */
const periods = (startMs: number, count: number, value: (i: number) => number) =>
  Array.from({ length: count }, (_, i) => ({ pointTime: new Date(startMs + i * 5 * MINUTE), value: value(i) }));

const reading = (pointTime: number, moer: number, index: number) => ({
  pointTime: iso(pointTime),
  value: moer,
  units: LBS,
  carbonIntensityGco2Kwh: lbsPerMwhToGramsPerKwh(moer),
  indexPercentile: index,
  forecast1h: null,
  forecast24h: null,
});

// Two hours of history before noon, then noon's live reading (with the index), per region.
const caisoHistory = periods(at('2024-06-18T10:00:00Z'), 24, (i) => 800 + i);
const pjmHistory = periods(at('2024-06-18T10:00:00Z'), 24, (i) => 1000 - 2 * i);
// CAISO_NORTH's 11:00 forecast ran to 14:55; the noon forecast overwrote 12:00-13:55 only.
const caisoOldForecast = periods(at('2024-06-18T11:00:00Z'), 48, (i) => 700 + i);
const caisoNoonForecast = periods(NOON, 24, (i) => 600 + i);
const pjmNoonForecast = periods(NOON, 3, (i) => 950 - i);

let bucket: string;
let influx: InfluxDB;

beforeAll(async () => {
  bucket = `dashboard_${randomUUID().replaceAll('-', '')}`;
  const created = await fetch(`${inject('influxUrl')}/query`, { method: 'POST', body: new URLSearchParams({ q: `CREATE DATABASE "${bucket}"` }) });
  expect(created.status).toBe(200);
  const writer = new InfluxCarbonIntensityWriter({ url: inject('influxUrl'), token: 'dashboard:unchecked', org: 'ignored', bucket });
  await writer.writeHistorical('CAISO_NORTH', signal, LBS, caisoHistory);
  await writer.writeHistorical('PJM_DC', signal, LBS, pjmHistory);
  await writer.writeHistorical('GB', signal, LBS, periods(at('2024-06-18T10:00:00Z'), 24, () => 400)); // not selected
  await writer.writeReadings('CAISO_NORTH', signal, [reading(NOON, 900, 37)]);
  await writer.writeReadings('PJM_DC', signal, [reading(NOON, 950, 81)]);
  await writer.writeForecast('CAISO_NORTH', signal, LBS, new Date('2024-06-18T11:00:00Z'), caisoOldForecast);
  await writer.writeForecast('CAISO_NORTH', signal, LBS, new Date('2024-06-18T12:00:00Z'), caisoNoonForecast);
  await writer.writeForecast('PJM_DC', signal, LBS, new Date('2024-06-18T12:00:00Z'), pjmNoonForecast);
  await writer.writeForecast('GB', signal, LBS, new Date('2024-06-18T12:00:00Z'), periods(NOON, 3, () => 300));
  await writer.close();
  influx = new InfluxDB({ url: inject('influxUrl'), token: 'dashboard:unchecked' });
});

afterAll(async () => {
  if (bucket) await fetch(`${inject('influxUrl')}/query`, { method: 'POST', body: new URLSearchParams({ q: `DROP DATABASE "${bucket}"` }) });
});

interface Row {
  _time?: string;
  _value: number | string;
  region?: string;
  signal_type?: string;
}

/** Runs a dashboard query file over the day of the test data, regions CAISO_NORTH and PJM_DC selected. */
async function runPanel(file: string, windowPeriod = '1h'): Promise<Row[]> {
  const query = readQuery(file)
    .replaceAll('${bucket}', bucket)
    .replaceAll('${region:json}', JSON.stringify(['CAISO_NORTH', 'PJM_DC']))
    .replaceAll('v.timeRangeStart', '2024-06-18T00:00:00Z')
    .replaceAll('v.timeRangeStop', '2024-06-19T00:00:00Z')
    .replaceAll('v.windowPeriod', windowPeriod);
  expect(query).not.toMatch(/\$\{|v\.\w+/);
  const rows = await influx.getQueryApi('ignored').collectRows<Row & Record<string, unknown>>(query);
  return rows.map(({ _time, _value, region, signal_type }) => ({ _time, _value, region, signal_type }));
}

const mean = (values: readonly number[]): number => values.reduce((sum, value) => sum + value, 0) / values.length;
const grams = (lbs: number): number => lbsPerMwhToGramsPerKwh(lbs);

it('regions.flux lists the regions with readings in the time range, for the region variable', async () => {
  const query = readQuery('regions.flux')
    .replaceAll('${bucket}', bucket)
    .replaceAll('v.timeRangeStart', '2024-06-18T00:00:00Z')
    .replaceAll('v.timeRangeStop', '2024-06-19T00:00:00Z');
  const rows = await influx.getQueryApi('ignored').collectRows<{ _value: string }>(query);
  expect(rows.map((row) => row._value)).toEqual(['CAISO_NORTH', 'GB', 'PJM_DC']);
});

it('intensity-now.flux gives the latest stored g/kWh per selected region', async () => {
  expect(await runPanel('intensity-now.flux')).toEqual([
    { _time: '2024-06-18T12:00:00Z', _value: grams(900), region: 'CAISO_NORTH', signal_type: signal },
    { _time: '2024-06-18T12:00:00Z', _value: grams(950), region: 'PJM_DC', signal_type: signal },
  ]);
});

it('index.flux gives the latest index percentile per selected region', async () => {
  expect(await runPanel('index.flux')).toEqual([
    { _time: '2024-06-18T12:00:00Z', _value: 37, region: 'CAISO_NORTH', signal_type: signal },
    { _time: '2024-06-18T12:00:00Z', _value: 81, region: 'PJM_DC', signal_type: signal },
  ]);
});

it('intensity-24h.flux averages g/kWh per window, stamped at the window end', async () => {
  const caiso = [...caisoHistory.map((p) => p.value), 900].map(grams);
  const pjm = [...pjmHistory.map((p) => p.value), 950].map(grams);
  expect(await runPanel('intensity-24h.flux', '1h')).toEqual([
    { _time: '2024-06-18T11:00:00Z', _value: mean(caiso.slice(0, 12)), region: 'CAISO_NORTH', signal_type: signal },
    { _time: '2024-06-18T12:00:00Z', _value: mean(caiso.slice(12, 24)), region: 'CAISO_NORTH', signal_type: signal },
    { _time: '2024-06-18T13:00:00Z', _value: caiso[24], region: 'CAISO_NORTH', signal_type: signal },
    { _time: '2024-06-18T11:00:00Z', _value: mean(pjm.slice(0, 12)), region: 'PJM_DC', signal_type: signal },
    { _time: '2024-06-18T12:00:00Z', _value: mean(pjm.slice(12, 24)), region: 'PJM_DC', signal_type: signal },
    { _time: '2024-06-18T13:00:00Z', _value: pjm[24], region: 'PJM_DC', signal_type: signal },
  ]);
});

it('forecast.flux gives only the latest forecast curve per region, in g/kWh, never older points', async () => {
  const curve = (region: string, points: typeof caisoNoonForecast) =>
    points.map((p) => ({ _time: iso(p.pointTime.getTime()), _value: grams(p.value), region, signal_type: signal }));
  expect(await runPanel('forecast.flux')).toEqual([...curve('CAISO_NORTH', caisoNoonForecast), ...curve('PJM_DC', pjmNoonForecast)]);
});
