import { describe, expect, it } from 'vitest';
import { KNOWN_REGIONS } from '../../emulator/regions';
import { getWithToken, login, query, startTestEmulator } from './support';

const RANGE = { start: '2024-06-18T00:00:00Z', end: '2024-06-18T01:00:00Z' };

async function statusOf(url: string, token: string, path: string, params: Record<string, string>): Promise<number> {
  return (await getWithToken(url, `${path}?${query(params)}`, token)).status;
}

const MOER_MODEL = {
  model: '2023-03-01',
  data_start: '2018-01-01T00:00:00+00:00',
  train_start: '2019-01-01T00:00:00+00:00',
  train_end: '2023-03-01T00:00:00+00:00',
};
const AOER_MODEL = { ...MOER_MODEL, model: '2022-10-01', train_end: '2022-10-01T00:00:00+00:00' };
const HEALTH_DAMAGE_MODEL = { ...MOER_MODEL, model: '2023-06-01', train_end: '2023-06-01T00:00:00+00:00' };

function endpointsWith(model: typeof MOER_MODEL, names: string[]): { endpoint: string; models: (typeof MOER_MODEL)[] }[] {
  return names.map((endpoint) => ({ endpoint, models: [model] }));
}

describe('a free account (CAISO_NORTH only)', () => {
  it('gets forecast and historical for CAISO_NORTH but 403 Invalid scope elsewhere, while signal-index works', async () => {
    const { url } = await startTestEmulator();
    const token = await login(url);
    const pjm = { region: 'PJM_DC', signal_type: 'co2_moer' };
    for (const [path, params] of [
      ['/v3/forecast', pjm],
      ['/v3/historical', { ...pjm, ...RANGE }],
      ['/v3/forecast/historical', { ...pjm, ...RANGE }],
    ] as const) {
      const response = await getWithToken(url, `${path}?${query(params)}`, token);
      expect(response.status).toBe(403);
      expect(response.headers.get('content-type')).toBe('application/json');
      expect(await response.json()).toEqual({
        message: `Invalid scope: ${path.slice(1)} for region PJM_DC and signal_type co2_moer is not in your plan`,
      });
    }
    expect(await statusOf(url, token, '/v3/signal-index', pjm)).toBe(200);
    const caiso = { region: 'CAISO_NORTH', signal_type: 'co2_moer' };
    expect(await statusOf(url, token, '/v3/forecast', caiso)).toBe(200);
    expect(await statusOf(url, token, '/v3/historical', { ...caiso, ...RANGE })).toBe(200);
    expect(await statusOf(url, token, '/v3/forecast/historical', { ...caiso, ...RANGE })).toBe(200);
  });

  it('sees every known region in /v3/my-access, with only signal-index outside CAISO_NORTH', async () => {
    const { url } = await startTestEmulator();
    const token = await login(url);
    const body = (await (await getWithToken(url, '/v3/my-access', token)).json()) as {
      signal_types: { signal_type: string; regions: { region: string; endpoints: { endpoint: string }[] }[] }[];
    };
    const moer = body.signal_types.find((s) => s.signal_type === 'co2_moer');
    expect(moer?.regions.map((r) => r.region)).toEqual(KNOWN_REGIONS.map((r) => r.region));
    for (const region of moer?.regions ?? []) {
      expect(region.endpoints.map((e) => e.endpoint)).toEqual(
        region.region === 'CAISO_NORTH'
          ? ['v3/signal-index', 'v3/forecast', 'v3/historical', 'v3/forecast/historical']
          : ['v3/signal-index'],
      );
    }
    expect(body.signal_types.map((s) => s.signal_type)).toEqual(['co2_moer', 'co2_aoer', 'health_damage']);
    expect(body.signal_types[1]?.regions.map((r) => r.region)).toEqual(['CAISO_NORTH']);
    expect(body.signal_types[2]?.regions.map((r) => r.region)).toEqual(['CAISO_NORTH']);
  });

  it('serves health_damage for CAISO_NORTH in its documented unit, and 403 elsewhere', async () => {
    const { url } = await startTestEmulator();
    const token = await login(url);
    const response = await getWithToken(url, `/v3/forecast?${query({ region: 'CAISO_NORTH', signal_type: 'health_damage' })}`, token);
    expect(response.status).toBe(200);
    expect(((await response.json()) as { meta: { units: string } }).meta.units).toBe('usd_per_mwh');
    const elsewhere = await getWithToken(url, `/v3/forecast?${query({ region: 'PJM_DC', signal_type: 'health_damage' })}`, token);
    expect(elsewhere.status).toBe(403);
    expect(((await elsewhere.json()) as { message: string }).message).toMatch(/^Invalid scope/);
  });

  it('answers 403 for signal-index with co2_aoer: the index exists for co2_moer only', async () => {
    const { url } = await startTestEmulator();
    const token = await login(url);
    expect(await statusOf(url, token, '/v3/signal-index', { region: 'CAISO_NORTH', signal_type: 'co2_aoer' })).toBe(403);
  });
});

describe('a paid account', () => {
  it('gets every data endpoint for its listed regions, and only signal-index for the others', async () => {
    const { url } = await startTestEmulator({
      accounts: [{ username: 'paid', password: 'pw', regions: ['PJM_DC', 'GB'] }],
    });
    const token = await login(url, 'paid', 'pw');
    for (const region of ['CAISO_NORTH', 'PJM_DC', 'GB']) {
      const params = { region, signal_type: 'co2_moer' };
      expect(await statusOf(url, token, '/v3/forecast', params)).toBe(200);
      expect(await statusOf(url, token, '/v3/historical', { ...params, ...RANGE })).toBe(200);
    }
    expect(await statusOf(url, token, '/v3/forecast', { region: 'DE', signal_type: 'co2_moer' })).toBe(403);
    expect(await statusOf(url, token, '/v3/signal-index', { region: 'DE', signal_type: 'co2_moer' })).toBe(200);
  });

  it('sees its plan in /v3/my-access, in the documented nested shape, filtered by region', async () => {
    const { url } = await startTestEmulator({ accounts: [{ username: 'paid', password: 'pw', regions: ['PJM_DC'] }] });
    const token = await login(url, 'paid', 'pw');
    const response = await getWithToken(url, '/v3/my-access?region=PJM_DC', token);
    expect(await response.json()).toEqual({
      signal_types: [
        {
          signal_type: 'co2_moer',
          regions: [
            {
              region: 'PJM_DC',
              region_full_name: 'PJM DC',
              parent: 'PJM',
              data_point_period_seconds: 300,
              endpoints: endpointsWith(MOER_MODEL, ['v3/signal-index', 'v3/forecast', 'v3/historical', 'v3/forecast/historical']),
            },
          ],
        },
        {
          signal_type: 'co2_aoer',
          regions: [
            {
              region: 'PJM_DC',
              region_full_name: 'PJM DC',
              parent: 'PJM',
              data_point_period_seconds: 3600,
              endpoints: endpointsWith(AOER_MODEL, ['v3/forecast', 'v3/historical', 'v3/forecast/historical']),
            },
          ],
        },
        {
          signal_type: 'health_damage',
          regions: [
            {
              region: 'PJM_DC',
              region_full_name: 'PJM DC',
              parent: 'PJM',
              data_point_period_seconds: 300,
              endpoints: endpointsWith(HEALTH_DAMAGE_MODEL, ['v3/forecast', 'v3/historical', 'v3/forecast/historical']),
            },
          ],
        },
      ],
    });
  });

  it('filters /v3/my-access by signal_type, and answers 400 for unknown filters', async () => {
    const { url } = await startTestEmulator();
    const token = await login(url);
    const body = (await (await getWithToken(url, '/v3/my-access?signal_type=co2_aoer&region=CAISO_NORTH', token)).json()) as {
      signal_types: { signal_type: string; regions: { region: string }[] }[];
    };
    expect(body.signal_types.map((s) => [s.signal_type, s.regions.map((r) => r.region)])).toEqual([
      ['co2_aoer', ['CAISO_NORTH']],
    ]);
    expect((await getWithToken(url, '/v3/my-access?signal_type=health_damage', token)).status).toBe(200);
    expect((await getWithToken(url, '/v3/my-access?region=ATLANTIS', token)).status).toBe(400);
    expect((await getWithToken(url, '/v3/my-access?signal_type=moer', token)).status).toBe(400);
  });

  it('can be added at run time, and its plan applies to tokens issued before a change', async () => {
    const { url, emulator } = await startTestEmulator();
    emulator.control.addAccount({ username: 'late', password: 'pw', regions: [] });
    const token = await login(url, 'late', 'pw');
    const params = { region: 'NYISO_NYC', signal_type: 'co2_moer' };
    expect(await statusOf(url, token, '/v3/forecast', params)).toBe(403);
    emulator.control.addAccount({ username: 'late', password: 'pw', regions: ['NYISO_NYC'] });
    expect(await statusOf(url, token, '/v3/forecast', params)).toBe(200);
  });

  it('cannot list an unknown region', async () => {
    const { emulator } = await startTestEmulator();
    expect(() => emulator.control.addAccount({ username: 'x', password: 'pw', regions: ['ATLANTIS'] })).toThrow(/unknown region/);
  });
});
