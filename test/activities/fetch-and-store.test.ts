import { ApplicationFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { FailureType } from '../../common/failure-types';
import { forecastValueAt, indexAt, moerAt } from '../../emulator/data';
import { INJECTED_WARNING } from '../../emulator/faults';
import { ACCOUNT, HOUR, MINUTE, PERIOD_1840, byTime, failureOf, influxTime, readBack, startHarness } from './support';

const REGION = 'CAISO_NORTH';
const MOER = { region: REGION, signalType: 'co2_moer', forecastHorizonHours: 2 };

describe('fetchAndStore', () => {
  it('stores the current period at its point_time with converted values, the index and the forecast curve', async () => {
    const { activities, bucket } = await startHarness();
    await activities.ensureToken({ force: false });

    const result = await activities.fetchAndStore(MOER);

    const moer = moerAt(REGION, PERIOD_1840);
    const expected = {
      pointTime: new Date(PERIOD_1840).toISOString(),
      value: moer,
      units: 'lbs_co2_per_mwh',
      carbonIntensityGco2Kwh: moer * 0.45359237,
      indexPercentile: indexAt(REGION, PERIOD_1840),
      forecast1h: forecastValueAt(REGION, PERIOD_1840, PERIOD_1840 + HOUR),
      forecast24h: forecastValueAt(REGION, PERIOD_1840, PERIOD_1840 + 24 * HOUR),
    };
    expect(result).toEqual({ reading: expected, forecastAvailable: true, warnings: 0 });
    // The forecast's first point is the actual value of the current period.
    expect(forecastValueAt(REGION, PERIOD_1840, PERIOD_1840)).toBe(moer);

    const stored = await readBack(bucket, 'carbon_intensity');
    expect(new Set(stored.map((r) => `${r.region}/${r.signalType}`))).toEqual(new Set([`${REGION}/co2_moer`]));
    expect(byTime(stored)).toEqual(
      new Map([
        [
          influxTime(PERIOD_1840),
          {
            moer_lbs_mwh: expected.value,
            carbon_intensity_gco2_kwh: expected.carbonIntensityGco2Kwh,
            index_percentile: expected.indexPercentile,
            forecast_1h: expected.forecast1h,
            forecast_24h: expected.forecast24h,
            source: 'live',
          },
        ],
      ]),
    );

    // Only the configured 2 hours of the (25-hour) forecast are stored as the curve.
    const curve = byTime(await readBack(bucket, 'carbon_intensity_forecast'));
    const expectedCurve = Array.from({ length: 24 }, (_, i) => {
      const t = PERIOD_1840 + i * 5 * MINUTE;
      return [
        influxTime(t),
        { value: forecastValueAt(REGION, PERIOD_1840, t), generated_at: new Date(PERIOD_1840).toISOString() },
      ] as const;
    });
    expect(curve).toEqual(new Map(expectedCurve));
  });

  it('overwrites the same period on a rerun instead of adding a point', async () => {
    const { activities, bucket, clock } = await startHarness();
    await activities.ensureToken({ force: false });

    await activities.fetchAndStore(MOER);
    clock.advance(MINUTE); // still the 18:40 period
    await activities.fetchAndStore(MOER);

    const once = await readBack(bucket, 'carbon_intensity');
    expect([...byTime(once).keys()]).toEqual([influxTime(PERIOD_1840)]);
    expect(once.filter((r) => r.field === 'moer_lbs_mwh')).toHaveLength(1);
    expect((await readBack(bucket, 'carbon_intensity_forecast')).filter((r) => r.field === 'value')).toHaveLength(24);

    // The next period is a new point, and the overlapping forecast points now come from the newer forecast.
    clock.advance(5 * MINUTE);
    await activities.fetchAndStore(MOER);
    const next = PERIOD_1840 + 5 * MINUTE;
    expect([...byTime(await readBack(bucket, 'carbon_intensity')).keys()]).toEqual([
      influxTime(PERIOD_1840),
      influxTime(next),
    ]);
    const curve = byTime(await readBack(bucket, 'carbon_intensity_forecast'));
    expect(curve.size).toBe(25);
    expect(curve.get(influxTime(PERIOD_1840))?.generated_at).toBe(new Date(PERIOD_1840).toISOString());
    expect(curve.get(influxTime(next + HOUR))).toEqual({
      value: forecastValueAt(REGION, next, next + HOUR),
      generated_at: new Date(next).toISOString(),
    });
  });

  it('stores the index only for a region whose forecast is outside the plan, without asking for it', async () => {
    const { activities, bucket, emulator } = await startHarness();
    await activities.ensureToken({ force: false });

    const result = await activities.fetchAndStore({ ...MOER, region: 'PJM_DC' });

    expect(result).toEqual({
      reading: {
        pointTime: new Date(PERIOD_1840).toISOString(),
        value: null,
        units: null,
        carbonIntensityGco2Kwh: null,
        indexPercentile: indexAt('PJM_DC', PERIOD_1840),
        forecast1h: null,
        forecast24h: null,
      },
      forecastAvailable: false,
      warnings: 0,
    });
    expect(byTime(await readBack(bucket, 'carbon_intensity'))).toEqual(
      new Map([[influxTime(PERIOD_1840), { index_percentile: indexAt('PJM_DC', PERIOD_1840), source: 'live' }]]),
    );
    expect(await readBack(bucket, 'carbon_intensity_forecast')).toEqual([]);
    // /v3/my-access said so: no 403 from /v3/forecast was needed to find out.
    expect(emulator.control.counters().callsByEndpoint['/v3/forecast']).toBeUndefined();
  });

  it('counts and logs the meta.warnings WattTime attaches, and still stores the reading', async () => {
    const { activities, emulator, logLines, bucket } = await startHarness();
    await activities.ensureToken({ force: false });
    emulator.control.setFaults({ warningRate: 1 });

    const result = await activities.fetchAndStore(MOER);

    // One on the forecast, one on the index.
    expect(result.warnings).toBe(2);
    const logged = logLines.filter((line) => line.includes(`WattTime warning: ${INJECTED_WARNING.message}`));
    expect(logged.map((line) => (JSON.parse(line) as { endpoint: string }).endpoint).sort()).toEqual(['/v3/forecast', '/v3/signal-index']);
    expect(logLines.some((line) => line.includes(`${REGION} ${new Date(PERIOD_1840).toISOString()}: ${moerAt(REGION, PERIOD_1840)} lbs/MWh`) && line.includes('2 WattTime warning(s)'))).toBe(true);
    expect(byTime(await readBack(bucket, 'carbon_intensity')).get(influxTime(PERIOD_1840))).toMatchObject({ moer_lbs_mwh: moerAt(REGION, PERIOD_1840) });
  });

  it('fetches the forecast of a region the paid plan covers', async () => {
    const { activities } = await startHarness({ accounts: [{ ...ACCOUNT, regions: ['PJM_DC'] }] });
    await activities.ensureToken({ force: false });

    const { reading, forecastAvailable } = await activities.fetchAndStore({ ...MOER, region: 'PJM_DC' });

    expect(forecastAvailable).toBe(true);
    expect(reading.value).toBe(moerAt('PJM_DC', PERIOD_1840));
  });

  it('falls back to the index when the forecast is refused after a plan change, and reads the plan again', async () => {
    const { activities, emulator, clock } = await startHarness({ accounts: [{ ...ACCOUNT, regions: ['PJM_DC'] }] });
    await activities.ensureToken({ force: false });
    const pjm = { ...MOER, region: 'PJM_DC' };
    expect((await activities.fetchAndStore(pjm)).forecastAvailable).toBe(true);

    emulator.control.addAccount({ ...ACCOUNT, regions: [] });
    clock.advance(5 * MINUTE);
    const downgraded = await activities.fetchAndStore(pjm);

    expect(downgraded.forecastAvailable).toBe(false);
    expect(downgraded.reading.indexPercentile).toBe(indexAt('PJM_DC', PERIOD_1840 + 5 * MINUTE));
    clock.advance(5 * MINUTE);
    expect((await activities.fetchAndStore(pjm)).forecastAvailable).toBe(false);
    const counters = emulator.control.counters();
    expect(counters.callsByEndpoint['/v3/my-access']).toBe(2);
    expect(counters.callsByEndpoint['/v3/forecast']).toBe(2);
  });

  it('asks /v3/my-access once for every region of the account', async () => {
    const { activities, emulator, clock } = await startHarness();
    await activities.ensureToken({ force: false });

    await Promise.all(['CAISO_NORTH', 'PJM_DC', 'DE', 'GB'].map((region) => activities.fetchAndStore({ ...MOER, region })));
    clock.advance(5 * MINUTE);
    await activities.fetchAndStore(MOER);

    expect(emulator.control.counters().callsByEndpoint['/v3/my-access']).toBe(1);
  });

  it('stores the forecast without an index for a signal type the index does not exist for', async () => {
    const { activities } = await startHarness();
    await activities.ensureToken({ force: false });

    const { reading, forecastAvailable } = await activities.fetchAndStore({ ...MOER, signalType: 'co2_aoer' });

    const hour = Date.parse('2024-06-18T18:00:00Z');
    expect(forecastAvailable).toBe(true);
    expect(reading).toMatchObject({
      pointTime: new Date(hour).toISOString(),
      value: forecastValueAt(REGION, hour, hour, 'co2_aoer'),
      indexPercentile: null,
      forecast1h: forecastValueAt(REGION, hour, hour + HOUR, 'co2_aoer'),
    });
  });

  it('fails permanently, naming the region, when neither the forecast nor the index is in the plan', async () => {
    const { activities, bucket } = await startHarness();
    await activities.ensureToken({ force: false });

    const failure = await failureOf(activities.fetchAndStore({ ...MOER, region: 'PJM_DC', signalType: 'health_damage' }));

    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ type: FailureType.OutOfPlan, nonRetryable: true });
    expect((failure as ApplicationFailure).message).toMatch(/PJM_DC.*health_damage.*outside this account's plan/);
    expect(await readBack(bucket, 'carbon_intensity')).toEqual([]);
  });

  it('refuses a forecast horizon WattTime would refuse, before calling it', async () => {
    const { activities, emulator } = await startHarness();
    await activities.ensureToken({ force: false });

    const failure = await failureOf(activities.fetchAndStore({ ...MOER, forecastHorizonHours: 73 }));

    expect(failure).toMatchObject({ type: FailureType.BadRequest, nonRetryable: true });
    expect(emulator.control.counters().callsByEndpoint['/v3/forecast']).toBeUndefined();
  });
});
