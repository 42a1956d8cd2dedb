import { ApplicationFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { FailureType } from '../../common/failure-types';
import { forecastValueAt, healthDamageAt } from '../../emulator/data';
import { HOUR, MINUTE, PERIOD_1840, byTime, failureOf, influxTime, readBack, startHarness } from './support';

const REGION = 'CAISO_NORTH';
const FETCH = { region: REGION, forecastHorizonHours: 1 };
const HOUR_1800 = Date.parse('2024-06-18T18:00:00Z');

describe('units per signal type', () => {
  it('stores co2_aoer (lbs/MWh) as aoer_lbs_mwh with its g/kWh conversion', async () => {
    const { activities, bucket } = await startHarness();
    await activities.ensureToken({ force: false });

    const { reading } = await activities.fetchAndStore({ ...FETCH, signalType: 'co2_aoer' });

    const aoer = forecastValueAt(REGION, HOUR_1800, HOUR_1800, 'co2_aoer');
    expect(reading).toMatchObject({ value: aoer, units: 'lbs_co2_per_mwh', carbonIntensityGco2Kwh: aoer * 0.45359237 });
    const rows = await readBack(bucket, 'carbon_intensity');
    expect(rows.every((r) => r.signalType === 'co2_aoer' && r.units === undefined)).toBe(true);
    expect(byTime(rows)).toEqual(
      new Map([
        [
          influxTime(HOUR_1800),
          {
            aoer_lbs_mwh: aoer,
            carbon_intensity_gco2_kwh: aoer * 0.45359237,
            forecast_1h: forecastValueAt(REGION, HOUR_1800, HOUR_1800 + HOUR, 'co2_aoer'),
            forecast_24h: forecastValueAt(REGION, HOUR_1800, HOUR_1800 + 24 * HOUR, 'co2_aoer'),
            source: 'live',
          },
        ],
      ]),
    );
  });

  it('stores health_damage in its own units, tagged with them, and converts nothing to g/kWh', async () => {
    const { activities, bucket } = await startHarness();
    await activities.ensureToken({ force: false });

    const { reading } = await activities.fetchAndStore({ ...FETCH, signalType: 'health_damage' });

    const damage = healthDamageAt(REGION, PERIOD_1840);
    expect(reading).toEqual({
      pointTime: new Date(PERIOD_1840).toISOString(),
      value: damage,
      units: 'usd_per_mwh',
      carbonIntensityGco2Kwh: null,
      indexPercentile: null,
      forecast1h: forecastValueAt(REGION, PERIOD_1840, PERIOD_1840 + HOUR, 'health_damage'),
      forecast24h: forecastValueAt(REGION, PERIOD_1840, PERIOD_1840 + 24 * HOUR, 'health_damage'),
    });
    const rows = await readBack(bucket, 'carbon_intensity');
    expect(new Set(rows.map((r) => `${r.signalType} ${r.units}`))).toEqual(new Set(['health_damage usd_per_mwh']));
    expect(byTime(rows).get(influxTime(PERIOD_1840))).toEqual({
      health_damage: damage,
      forecast_1h: reading.forecast1h,
      forecast_24h: reading.forecast24h,
      source: 'live',
    });
    // The forecast curve is in the same units and says so.
    const curve = await readBack(bucket, 'carbon_intensity_forecast');
    expect(curve.filter((r) => r.field === 'value')).toHaveLength(12);
    expect(new Set(curve.map((r) => r.units))).toEqual(new Set(['usd_per_mwh']));
  });

  it('refuses a unit WattTime does not document for the signal as WattTimeMalformedResponse naming it, storing nothing', async () => {
    const { activities, bucket, emulator } = await startHarness();
    await activities.ensureToken({ force: false });
    emulator.control.setFaults({ unitsOverride: 'kg_co2_per_mwh' });

    const failure = await failureOf(activities.fetchAndStore({ ...FETCH, signalType: 'co2_moer' }));

    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ type: FailureType.MalformedResponse, nonRetryable: true });
    expect((failure as Error).message).toBe(
      'WattTime /v3/forecast: malformed response: unknown unit "kg_co2_per_mwh" for co2_moer (WattTime documents lbs_co2_per_mwh)',
    );
    expect(await readBack(bucket, 'carbon_intensity')).toEqual([]);
  });

  it('refuses a unit that changes between calls for the same signal, naming both', async () => {
    const { activities, emulator, clock } = await startHarness();
    await activities.ensureToken({ force: false });
    await activities.fetchAndStore({ ...FETCH, signalType: 'health_damage' });
    emulator.control.setFaults({ unitsOverride: 'eur_per_mwh' });
    clock.advance(5 * MINUTE);

    const failure = await failureOf(activities.fetchAndStore({ ...FETCH, signalType: 'health_damage' }));

    expect(failure).toMatchObject({ type: FailureType.MalformedResponse, nonRetryable: true });
    expect((failure as Error).message).toBe(
      'WattTime /v3/forecast: malformed response: units of health_damage in CAISO_NORTH changed from "usd_per_mwh" to "eur_per_mwh"',
    );
  });

  it('checks the units of /v3/historical too', async () => {
    const { activities, emulator } = await startHarness();
    await activities.ensureToken({ force: false });
    emulator.control.setFaults({ unitsOverride: 'tons_co2_per_mwh' });

    const failure = await failureOf(
      activities.backfill({
        region: REGION,
        signalType: 'co2_aoer',
        firstPointTime: new Date(HOUR_1800 - 3 * HOUR).toISOString(),
        lastPointTime: new Date(HOUR_1800 - HOUR).toISOString(),
      }),
    );

    expect(failure).toMatchObject({ type: FailureType.MalformedResponse, nonRetryable: true });
    expect((failure as Error).message).toMatch(/^WattTime \/v3\/historical: malformed response: unknown unit "tons_co2_per_mwh" for co2_aoer/);
  });
});
