import { ApplicationFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { FailureType } from '../../common/failure-types';
import { moerAt } from '../../emulator/data';
import { ACCOUNT, HOUR, MINUTE, PERIOD_1840, byTime, failureOf, influxTime, readBack, startHarness } from './support';

const REGION = 'CAISO_NORTH';
const iso = (ms: number): string => new Date(ms).toISOString();

describe('backfill', () => {
  it('stores every period of the range from /v3/historical, MOER and g/kWh marked historical with the imputed marker, and nothing outside it', async () => {
    const { activities, bucket, emulator } = await startHarness();
    await activities.ensureToken({ force: false });
    const first = PERIOD_1840 - 2 * HOUR;
    const last = PERIOD_1840 - 5 * MINUTE;

    const result = await activities.backfill({ region: REGION, signalType: 'co2_moer', firstPointTime: iso(first), lastPointTime: iso(last) });

    expect(result).toEqual({ planAllows: true, storedPeriods: 24, lastStoredPointTime: iso(last), warnings: 0 });
    expect(emulator.control.counters().callsByEndpoint['/v3/historical']).toBe(1);
    const expected = Array.from({ length: 24 }, (_, i) => {
      const t = first + i * 5 * MINUTE;
      // `imputed` is there because the marker was asked for: WattTime sends it only then.
      const point = { moer_lbs_mwh: moerAt(REGION, t), carbon_intensity_gco2_kwh: moerAt(REGION, t) * 0.45359237, source: 'historical', imputed: false };
      return [influxTime(t), point] as const;
    });
    expect(byTime(await readBack(bucket, 'carbon_intensity'))).toEqual(new Map(expected));
  });

  it('stores what WattTime has published so far and says which period was the last', async () => {
    const { activities, emulator } = await startHarness();
    await activities.ensureToken({ force: false });
    emulator.control.setFaults({ publicationDelaySeconds: 1800 });
    // Now is 18:42:30; with 30 minutes of delay the newest published period is 18:10.
    const result = await activities.backfill({
      region: REGION,
      signalType: 'co2_moer',
      firstPointTime: iso(PERIOD_1840 - HOUR),
      lastPointTime: iso(PERIOD_1840 - 5 * MINUTE),
    });
    expect(result).toEqual({ planAllows: true, storedPeriods: 7, lastStoredPointTime: iso(PERIOD_1840 - 30 * MINUTE), warnings: 0 });
  });

  it('keeps the live fields of a period it backfills again', async () => {
    const { activities, bucket, clock } = await startHarness();
    await activities.ensureToken({ force: false });
    await activities.fetchAndStore({ region: REGION, signalType: 'co2_moer', forecastHorizonHours: 0 });
    clock.advance(10 * MINUTE);
    await activities.backfill({ region: REGION, signalType: 'co2_moer', firstPointTime: iso(PERIOD_1840), lastPointTime: iso(PERIOD_1840) });
    const point = byTime(await readBack(bucket, 'carbon_intensity')).get(influxTime(PERIOD_1840));
    expect(point).toMatchObject({ moer_lbs_mwh: moerAt(REGION, PERIOD_1840), index_percentile: expect.any(Number) as number });
  });

  it("overwrites a live estimate with WattTime's revised final value, marked historical and imputed as WattTime said", async () => {
    const { activities, bucket, clock, emulator } = await startHarness();
    await activities.ensureToken({ force: false });
    const live = await activities.fetchAndStore({ region: REGION, signalType: 'co2_moer', forecastHorizonHours: 0 });
    emulator.control.setFaults({ historicalRevision: 12.5, historicalImputed: true });
    clock.advance(20 * MINUTE);

    const result = await activities.backfill({ region: REGION, signalType: 'co2_moer', firstPointTime: iso(PERIOD_1840), lastPointTime: iso(PERIOD_1840) });

    expect(result).toMatchObject({ planAllows: true, storedPeriods: 1 });
    const final = moerAt(REGION, PERIOD_1840) + 12.5;
    expect(byTime(await readBack(bucket, 'carbon_intensity')).get(influxTime(PERIOD_1840))).toEqual({
      moer_lbs_mwh: final,
      carbon_intensity_gco2_kwh: final * 0.45359237,
      source: 'historical',
      imputed: true,
      // What /v3/historical has no history of stays as the live fetch stored it.
      index_percentile: live.reading.indexPercentile,
      forecast_1h: live.reading.forecast1h,
      forecast_24h: live.reading.forecast24h,
    });
  });

  it('asks nothing and stores nothing for a region whose plan has no historical access', async () => {
    const { activities, bucket, emulator } = await startHarness();
    await activities.ensureToken({ force: false });
    // Free plans outside CAISO_NORTH get the signal index only.
    const result = await activities.backfill({
      region: 'PJM_DC',
      signalType: 'co2_moer',
      firstPointTime: iso(PERIOD_1840 - HOUR),
      lastPointTime: iso(PERIOD_1840 - 5 * MINUTE),
    });
    expect(result).toEqual({ planAllows: false, storedPeriods: 0, lastStoredPointTime: null, warnings: 0 });
    expect(emulator.control.counters().callsByEndpoint['/v3/historical'] ?? 0).toBe(0);
    expect(await readBack(bucket, 'carbon_intensity')).toEqual([]);
  });

  it('fails like a 401 when WattTime rejects the token, and refuses a reversed range as a bad request', async () => {
    const { activities, emulator } = await startHarness();
    const range = { region: REGION, signalType: 'co2_moer', firstPointTime: iso(PERIOD_1840 - HOUR), lastPointTime: iso(PERIOD_1840 - 5 * MINUTE) };
    await activities.ensureToken({ force: false });
    emulator.control.revokeAllTokens();
    const revoked = await failureOf(activities.backfill(range));
    expect(revoked).toBeInstanceOf(ApplicationFailure);
    expect((revoked as ApplicationFailure).type).toBe(FailureType.TokenRejected);

    const reversed = await failureOf(activities.backfill({ ...range, firstPointTime: range.lastPointTime, lastPointTime: range.firstPointTime }));
    expect((reversed as ApplicationFailure).type).toBe(FailureType.BadRequest);
    expect((reversed as ApplicationFailure).nonRetryable).toBe(true);
    expect((reversed as ApplicationFailure).message).not.toContain(ACCOUNT.password);
  });
});
