import { beforeEach, describe, expect, it } from 'vitest';
import { aoerAt, forecastValueAt, indexAt, lastUpdatedAt, moerAt } from '../../emulator/data';
import { PERIOD_1840, T0, getWithToken, iso, login, query, startTestEmulator, type TestEmulator } from './support';

const MOER_MODEL = { date: '2023-03-01', type: 'binned_regression' };
const MOER_META = {
  data_point_period_seconds: 300,
  region: 'CAISO_NORTH',
  signal_type: 'co2_moer',
  units: 'lbs_co2_per_mwh',
  warnings: [],
  model: MOER_MODEL,
};
const HOUR = 3_600_000;
const DAY = 86_400_000;

interface Point {
  point_time: string;
  value: number;
  last_updated?: string;
  imputed_data_used?: boolean;
}

let env: TestEmulator;
let token: string;

beforeEach(async () => {
  env = await startTestEmulator({ accounts: [{ username: 'demo', password: 'demo-password', regions: ['PJM_DC'] }] });
  token = await login(env.url);
});

async function get(path: string, params: Record<string, string | number>): Promise<{ status: number; body: unknown }> {
  const response = await getWithToken(env.url, `${path}?${query(params)}`, token);
  return { status: response.status, body: await response.json() };
}

/** The points a forecast made at `generatedAt` holds, computed from the pure data functions. */
function expectedForecast(region: string, generatedAt: number, count: number): Point[] {
  return Array.from({ length: count }, (_, i) => {
    const t = generatedAt + i * 300_000;
    return { point_time: iso(t), value: forecastValueAt(region, generatedAt, t) };
  });
}

describe('/v3/signal-index', () => {
  it('answers one point for the current period, in percentile', async () => {
    const { status, body } = await get('/v3/signal-index', { region: 'CAISO_NORTH', signal_type: 'co2_moer' });
    expect(status).toBe(200);
    expect(body).toEqual({
      data: [{ point_time: '2024-06-18T18:40:00+00:00', value: indexAt('CAISO_NORTH', PERIOD_1840) }],
      meta: { ...MOER_META, units: 'percentile' },
    });
  });
});

describe('/v3/forecast', () => {
  it('answers 288 five-minute points for the default 24 h, starting at the current period', async () => {
    const { status, body } = await get('/v3/forecast', { region: 'CAISO_NORTH', signal_type: 'co2_moer' });
    expect(status).toBe(200);
    expect(body).toEqual({
      data: expectedForecast('CAISO_NORTH', PERIOD_1840, 288),
      meta: { ...MOER_META, generated_at: '2024-06-18T18:40:00+00:00', generated_at_period_seconds: 300 },
    });
    const data = (body as { data: Point[] }).data;
    expect(data[0]).toEqual({ point_time: '2024-06-18T18:40:00+00:00', value: moerAt('CAISO_NORTH', PERIOD_1840) });
    expect(data.at(-1)?.point_time).toBe('2024-06-19T18:35:00+00:00');
  });

  it.each([
    [0, 1],
    [1, 12],
    [24, 288],
    [72, 864],
  ])('answers horizon_hours=%i with %i points', async (horizon, count) => {
    const { body } = await get('/v3/forecast', { region: 'CAISO_NORTH', signal_type: 'co2_moer', horizon_hours: horizon });
    expect((body as { data: Point[] }).data).toEqual(expectedForecast('CAISO_NORTH', PERIOD_1840, count));
  });

  it('moves with the clock: generated_at is always the current period start', async () => {
    env.clock.advance(3 * 60_000); // 18:45:30
    const { body } = await get('/v3/forecast', { region: 'CAISO_NORTH', signal_type: 'co2_moer', horizon_hours: 0 });
    expect(body).toMatchObject({
      data: [{ point_time: '2024-06-18T18:45:00+00:00', value: moerAt('CAISO_NORTH', PERIOD_1840 + 300_000) }],
      meta: { generated_at: '2024-06-18T18:45:00+00:00' },
    });
  });

  it.each(['-1', '73', '1.5', 'abc'])('answers 422 {error, message} for horizon_hours=%s', async (horizon) => {
    const { status, body } = await get('/v3/forecast', { region: 'CAISO_NORTH', signal_type: 'co2_moer', horizon_hours: horizon });
    expect(status).toBe(422);
    expect(body).toEqual({ error: 'invalid_parameter', message: `horizon_hours must be a whole number from 0 to 72: ${horizon}` });
  });

  it('serves co2_aoer hourly for a plan region', async () => {
    const { status, body } = await get('/v3/forecast', { region: 'PJM_DC', signal_type: 'co2_aoer', horizon_hours: 3 });
    const hour = Date.parse('2024-06-18T18:00:00Z');
    expect(status).toBe(200);
    expect(body).toEqual({
      data: [0, 1, 2].map((i) => ({
        point_time: iso(hour + i * HOUR),
        value: forecastValueAt('PJM_DC', hour, hour + i * HOUR, 'co2_aoer'),
      })),
      meta: {
        data_point_period_seconds: 3600,
        region: 'PJM_DC',
        signal_type: 'co2_aoer',
        units: 'lbs_co2_per_mwh',
        warnings: [],
        model: { date: '2022-10-01', type: 'average_emissions' },
        generated_at: '2024-06-18T18:00:00+00:00',
        generated_at_period_seconds: 3600,
      },
    });
    expect((body as { data: Point[] }).data[0]?.value).toBe(aoerAt('PJM_DC', hour));
  });

  it('accepts the model it serves and answers 400 for another', async () => {
    const ok = await get('/v3/forecast', { region: 'CAISO_NORTH', signal_type: 'co2_moer', model: '2023-03-01', horizon_hours: 0 });
    expect(ok.status).toBe(200);
    const bad = await get('/v3/forecast', { region: 'CAISO_NORTH', signal_type: 'co2_moer', model: '2019-01-01' });
    expect(bad).toEqual({ status: 400, body: { error: 'invalid_model', message: 'Unknown model: 2019-01-01' } });
  });
});

describe('/v3/historical', () => {
  const dayStart = Date.parse('2024-06-17T00:00:00Z');

  it('answers one inclusive day as 289 aligned points valued moerAt, with last_updated', async () => {
    const { status, body } = await get('/v3/historical', {
      region: 'CAISO_NORTH',
      signal_type: 'co2_moer',
      start: '2024-06-17T00:00:00+00:00',
      end: '2024-06-18T00:00:00Z',
    });
    expect(status).toBe(200);
    const expected = Array.from({ length: 289 }, (_, i) => {
      const t = dayStart + i * 300_000;
      return { point_time: iso(t), value: moerAt('CAISO_NORTH', t), last_updated: iso(t + 60_000) };
    });
    expect(body).toEqual({ data: expected, meta: MOER_META });
  });

  it('aligns to whole periods inside the range and accepts other offsets', async () => {
    // 02:02-02:18 in +02:00 is 00:02-00:18 UTC: the periods 00:05, 00:10 and 00:15.
    const { body } = await get('/v3/historical', {
      region: 'CAISO_NORTH',
      signal_type: 'co2_moer',
      start: '2024-06-17T02:02:00+02:00',
      end: '2024-06-17T02:18:00.500+02:00',
    });
    expect((body as { data: Point[] }).data.map((p) => p.point_time)).toEqual([
      '2024-06-17T00:05:00+00:00',
      '2024-06-17T00:10:00+00:00',
      '2024-06-17T00:15:00+00:00',
    ]);
  });

  it('stops at the current period, whose last_updated is not in the future', async () => {
    const { body } = await get('/v3/historical', {
      region: 'CAISO_NORTH',
      signal_type: 'co2_moer',
      start: '2024-06-18T18:30:00Z',
      end: '2024-06-18T20:00:00Z',
    });
    expect((body as { data: Point[] }).data).toEqual([
      { point_time: '2024-06-18T18:30:00+00:00', value: moerAt('CAISO_NORTH', PERIOD_1840 - 600_000), last_updated: '2024-06-18T18:31:00+00:00' },
      { point_time: '2024-06-18T18:35:00+00:00', value: moerAt('CAISO_NORTH', PERIOD_1840 - 300_000), last_updated: '2024-06-18T18:36:00+00:00' },
      { point_time: '2024-06-18T18:40:00+00:00', value: moerAt('CAISO_NORTH', PERIOD_1840), last_updated: iso(lastUpdatedAt(PERIOD_1840, T0)) },
    ]);
  });

  it('answers 200 with data [] for a range with no points', async () => {
    for (const [start, end] of [
      ['2024-06-19T00:00:00Z', '2024-06-19T01:00:00Z'],
      ['2024-06-17T00:01:00Z', '2024-06-17T00:04:00Z'],
    ] as const) {
      const { status, body } = await get('/v3/historical', { region: 'CAISO_NORTH', signal_type: 'co2_moer', start, end });
      expect(status).toBe(200);
      expect(body).toEqual({ data: [], meta: MOER_META });
    }
  });

  it('allows exactly 32 days and answers 400 beyond', async () => {
    const base = { region: 'CAISO_NORTH', signal_type: 'co2_moer', start: '2024-05-01T00:00:00Z' };
    const ok = await get('/v3/historical', { ...base, end: '2024-06-02T00:00:00Z' });
    expect(ok.status).toBe(200);
    expect((ok.body as { data: Point[] }).data).toHaveLength(32 * 288 + 1);
    const tooLong = await get('/v3/historical', { ...base, end: '2024-06-02T00:05:00Z' });
    expect(tooLong).toEqual({ status: 400, body: { error: 'range_too_long', message: 'The requested range exceeds 32 days' } });
  });

  it('answers 400 when end is before start', async () => {
    const { status, body } = await get('/v3/historical', {
      region: 'CAISO_NORTH',
      signal_type: 'co2_moer',
      start: '2024-06-17T01:00:00Z',
      end: '2024-06-17T00:00:00Z',
    });
    expect({ status, body }).toEqual({ status: 400, body: { error: 'invalid_range', message: 'end must not be before start' } });
  });

  it('filters on updated_since and adds imputed_data_used when asked', async () => {
    const { body } = await get('/v3/historical', {
      region: 'CAISO_NORTH',
      signal_type: 'co2_moer',
      start: '2024-06-17T00:00:00Z',
      end: '2024-06-17T00:10:00Z',
      updated_since: '2024-06-17T00:06:00Z',
      include_imputed_marker: 'true',
    });
    const t = dayStart + 300_000;
    expect((body as { data: Point[] }).data).toEqual([
      { point_time: iso(t), value: moerAt('CAISO_NORTH', t), last_updated: iso(t + 60_000), imputed_data_used: false },
      {
        point_time: iso(t + 300_000),
        value: moerAt('CAISO_NORTH', t + 300_000),
        last_updated: iso(t + 360_000),
        imputed_data_used: false,
      },
    ]);
  });

  it.each([
    ['2024-06-17T00:00:00', 'no offset'],
    ['2024-06-17T00:00:00 00:00', 'an unencoded + read as a space'],
    ['2024-13-17T00:00:00Z', 'month 13'],
    ['2024-02-30T00:00:00Z', 'February 30'],
    ['yesterday', 'not a time'],
  ])('answers 422 for start=%s (%s)', async (start) => {
    const { status, body } = await get('/v3/historical', {
      region: 'CAISO_NORTH',
      signal_type: 'co2_moer',
      start,
      end: '2024-06-17T01:00:00Z',
    });
    expect(status).toBe(422);
    expect(body).toEqual({
      error: 'invalid_parameter',
      message: `start must be an ISO-8601 time with an offset (URL-encode "+"): ${start}`,
    });
  });

  it.each(['region', 'signal_type', 'start', 'end'])('answers 400 when %s is missing', async (missing) => {
    const all = { region: 'CAISO_NORTH', signal_type: 'co2_moer', start: '2024-06-17T00:00:00Z', end: '2024-06-17T01:00:00Z' };
    const params = Object.fromEntries(Object.entries(all).filter(([name]) => name !== missing));
    const { status, body } = await get('/v3/historical', params);
    expect({ status, body }).toEqual({
      status: 400,
      body: { error: 'missing_parameter', message: `Missing required parameter: ${missing}` },
    });
  });
});

describe('/v3/forecast/historical', () => {
  it('answers every forecast generated in the range, each with its horizon', async () => {
    const start = Date.parse('2024-06-18T10:00:00Z');
    const { status, body } = await get('/v3/forecast/historical', {
      region: 'CAISO_NORTH',
      signal_type: 'co2_moer',
      start: iso(start),
      end: iso(start + 600_000),
      horizon_hours: 1,
    });
    expect(status).toBe(200);
    expect(body).toEqual({
      data: [0, 1, 2].map((i) => ({
        generated_at: iso(start + i * 300_000),
        forecast: expectedForecast('CAISO_NORTH', start + i * 300_000, 12),
      })),
      meta: { ...MOER_META, generated_at_period_seconds: 300 },
    });
  });

  it('allows 24 hours with the default 24 h horizon, and answers 400 beyond', async () => {
    const base = { region: 'CAISO_NORTH', signal_type: 'co2_moer', start: '2024-06-17T00:00:00Z' };
    const ok = await get('/v3/forecast/historical', { ...base, end: '2024-06-18T00:00:00Z' });
    const data = (ok.body as { data: { generated_at: string; forecast: Point[] }[] }).data;
    expect(data).toHaveLength(289);
    expect(data.every((f) => f.forecast.length === 288)).toBe(true);
    const tooLong = await get('/v3/forecast/historical', { ...base, end: '2024-06-18T00:00:01Z' });
    expect(tooLong).toEqual({ status: 400, body: { error: 'range_too_long', message: 'The requested range exceeds 24 hours' } });
  });

  it('has no forecasts after the current period', async () => {
    const { body } = await get('/v3/forecast/historical', {
      region: 'CAISO_NORTH',
      signal_type: 'co2_moer',
      start: '2024-06-18T18:35:00Z',
      end: '2024-06-18T23:00:00Z',
      horizon_hours: 0,
    });
    expect(body).toMatchObject({
      data: [
        { generated_at: '2024-06-18T18:35:00+00:00', forecast: expectedForecast('CAISO_NORTH', PERIOD_1840 - 300_000, 1) },
        { generated_at: '2024-06-18T18:40:00+00:00', forecast: expectedForecast('CAISO_NORTH', PERIOD_1840, 1) },
      ],
    });
  });
});

describe('/v3/region-from-loc', () => {
  it.each([
    [38.58, -121.49, 'CAISO_NORTH', 'California ISO Northern'],
    [38.9, -77.03, 'PJM_DC', 'PJM DC'],
    [40.71, -74.0, 'NYISO_NYC', 'NYISO New York City'],
    [52.52, 13.4, 'DE', 'Germany'],
    [51.5, -0.12, 'GB', 'Great Britain'],
  ])('maps %f,%f to %s', async (latitude, longitude, region, fullName) => {
    const { status, body } = await get('/v3/region-from-loc', { latitude, longitude, signal_type: 'co2_moer' });
    expect({ status, body }).toEqual({
      status: 200,
      body: { region, region_full_name: fullName, signal_type: 'co2_moer' },
    });
  });

  it('answers 404 outside coverage', async () => {
    const { status, body } = await get('/v3/region-from-loc', { latitude: 0, longitude: 0, signal_type: 'co2_moer' });
    expect({ status, body }).toEqual({
      status: 404,
      body: { error: 'no_coverage', message: 'No coverage available for the given location' },
    });
  });

  it('answers 400 without signal_type and 422 for an impossible latitude', async () => {
    expect((await get('/v3/region-from-loc', { latitude: 38.58, longitude: -121.49 })).status).toBe(400);
    expect((await get('/v3/region-from-loc', { latitude: 91, longitude: 0, signal_type: 'co2_moer' })).status).toBe(422);
  });
});

describe('parameters common to the data endpoints', () => {
  it('answers 400 for an unknown region or signal type', async () => {
    expect(await get('/v3/forecast', { region: 'ATLANTIS', signal_type: 'co2_moer' })).toEqual({
      status: 400,
      body: { error: 'invalid_region', message: 'Unknown region: ATLANTIS' },
    });
    expect(await get('/v3/signal-index', { region: 'CAISO_NORTH', signal_type: 'moer' })).toEqual({
      status: 400,
      body: { error: 'invalid_signal_type', message: 'Unknown signal_type: moer' },
    });
  });

  it('answers 400 for /v3/forecast without signal_type (the old service did this)', async () => {
    expect(await get('/v3/forecast', { region: 'CAISO_NORTH' })).toEqual({
      status: 400,
      body: { error: 'missing_parameter', message: 'Missing required parameter: signal_type' },
    });
  });

  it('answers 404 for an unknown /v3 path, not 401', async () => {
    const response = await getWithToken(env.url, '/v3/data', token);
    expect(response.status).toBe(404);
  });

  it('answers a forecast one day later on the simulated clock', async () => {
    env.clock.advance(DAY);
    token = await login(env.url);
    const { body } = await get('/v3/forecast', { region: 'CAISO_NORTH', signal_type: 'co2_moer', horizon_hours: 0 });
    expect((body as { data: Point[] }).data).toEqual(expectedForecast('CAISO_NORTH', PERIOD_1840 + DAY, 1));
  });
});
