import { describe, expect, it } from 'vitest';
import { moerAt } from '../../emulator/data';
import { getWithToken, login, query, startTestEmulator } from './support';

/** What the scale bench needs of the emulator: many synthetic regions, and a raised call budget. */
describe('the emulator for the scale bench', () => {
  it('serves synthetic BENCH_ regions to an account that lists them, and lists them in /v3/my-access', async () => {
    const { url } = await startTestEmulator({ accounts: [{ username: 'bench', password: 'pw', regions: ['BENCH_0001', 'BENCH_0002'] }] });
    const token = await login(url, 'bench', 'pw');
    const forecast = await getWithToken(url, `/v3/forecast?${query({ region: 'BENCH_0002', signal_type: 'co2_moer' })}`, token);
    expect(forecast.status).toBe(200);
    const body = (await forecast.json()) as { data: { point_time: string; value: number }[] };
    expect(body.data[0]?.value).toBe(moerAt('BENCH_0002', Date.parse(body.data[0]?.point_time ?? '')));

    const access = (await (await getWithToken(url, '/v3/my-access?signal_type=co2_moer', token)).json()) as {
      signal_types: { regions: { region: string; parent: string }[] }[];
    };
    const bench = access.signal_types[0]?.regions.filter((r) => r.parent === 'BENCH').map((r) => r.region);
    expect(bench).toEqual(['BENCH_0001', 'BENCH_0002']);
  });

  it('keeps BENCH_ regions out of plans that do not list them (index only, like any region)', async () => {
    const { url } = await startTestEmulator();
    const token = await login(url);
    const params = { region: 'BENCH_0001', signal_type: 'co2_moer' };
    expect((await getWithToken(url, `/v3/forecast?${query(params)}`, token)).status).toBe(403);
    expect((await getWithToken(url, `/v3/signal-index?${query(params)}`, token)).status).toBe(200);
    expect((await getWithToken(url, `/v3/forecast?${query({ ...params, region: 'BENCHX_1' })}`, token)).status).toBe(400);
  });

  it('takes another data-call budget per 5 minutes', async () => {
    const { url } = await startTestEmulator({ dataCallsPer5Minutes: 2 });
    const token = await login(url);
    const path = `/v3/signal-index?${query({ region: 'CAISO_NORTH', signal_type: 'co2_moer' })}`;
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await getWithToken(url, path, token)).status);
    expect(statuses).toEqual([200, 200, 429]);
  });
});
