import { ApplicationFailure } from '@temporalio/common';
import { randomUUID } from 'node:crypto';
import { describe, expect, inject, it } from 'vitest';
import { FailureType } from '../../common/failure-types';
import { indexAt, moerAt } from '../../emulator/data';
import { freePort } from '../../servers/free-port';
import { INFLUX_TOKEN, PERIOD_1840, byTime, failureOf, influxTime, readBack, startHarness } from './support';

const REGION = 'CAISO_NORTH';
const FETCH = { region: REGION, signalType: 'co2_moer', forecastHorizonHours: 1 };

/** An InfluxQL statement, as the operator would run it; InfluxDB answers 200 with `error` inside when it fails. */
async function influxQuery(q: string, db = ''): Promise<void> {
  const response = await fetch(`${inject('influxUrl')}/query`, { method: 'POST', body: new URLSearchParams({ q, db }) });
  expect(response.status).toBe(200);
  expect(JSON.stringify(await response.json())).not.toContain('"error"');
}

describe('fetchAndStore while InfluxDB does not take the reading', () => {
  it('answers with the reading and why it was not stored, without fetching again, and storeHeld writes it once InfluxDB can', async () => {
    const bucket = `held_${randomUUID().replaceAll('-', '')}`;
    const { activities, emulator } = await startHarness({ bucket });
    await activities.ensureToken({ force: false });

    const result = await activities.fetchAndStore(FETCH);

    const moer = moerAt(REGION, PERIOD_1840);
    expect(result.reading).toMatchObject({ pointTime: new Date(PERIOD_1840).toISOString(), value: moer, indexPercentile: indexAt(REGION, PERIOD_1840) });
    expect(result.notStored?.readings).toEqual([result.reading]);
    expect(result.notStored?.failure.type).toBe(FailureType.StorageRejected);
    expect(result.notStored?.failure.message).toMatch(new RegExp(`bucket "${bucket}" rejected the write of carbon_intensity: bucket missing`));
    expect(emulator.control.counters().callsByEndpoint['/v3/forecast']).toBe(1);

    // The operator creates the bucket; the held reading goes in as it was fetched.
    await influxQuery(`CREATE DATABASE "${bucket}"`);
    await expect(activities.storeHeld({ region: REGION, signalType: 'co2_moer', readings: result.notStored?.readings ?? [] })).resolves.toEqual({
      storedReadings: 1,
    });
    expect(byTime(await readBack(bucket, 'carbon_intensity'))).toEqual(
      new Map([
        [
          influxTime(PERIOD_1840),
          {
            moer_lbs_mwh: moer,
            carbon_intensity_gco2_kwh: moer * 0.45359237,
            index_percentile: indexAt(REGION, PERIOD_1840),
            forecast_1h: result.reading.forecast1h,
            forecast_24h: result.reading.forecast24h,
            source: 'live',
          },
        ],
      ]),
    );
    // The forecast curve is not held: the next fetch brings a newer one.
    expect(await readBack(bucket, 'carbon_intensity_forecast')).toEqual([]);
    expect(emulator.control.counters().callsByEndpoint['/v3/forecast']).toBe(1);
  });

  it('says InfluxDBUnavailable when InfluxDB cannot be reached; storeHeld then fails retryably', async () => {
    const port = await freePort();
    const { activities } = await startHarness({ influxUrl: `http://127.0.0.1:${port}` });
    await activities.ensureToken({ force: false });

    const result = await activities.fetchAndStore(FETCH);

    expect(result.notStored?.failure).toEqual({
      type: FailureType.StorageUnavailable,
      message: expect.stringMatching(new RegExp(`^InfluxDB http://127\\.0\\.0\\.1:${port} bucket "\\w+": write of carbon_intensity failed: unreachable: connect ECONNREFUSED`)) as string,
    });
    const failure = await failureOf(activities.storeHeld({ region: REGION, signalType: 'co2_moer', readings: [result.reading] }));
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ type: FailureType.StorageUnavailable, nonRetryable: false });
  });

  it('reports a field type conflict as non-retryable InfluxDBRejected, and stores once the operator drops the measurement', async () => {
    const { activities, bucket } = await startHarness();
    // The service we replace wrote whole numbers: the field exists as an integer.
    const old = await fetch(`${inject('influxUrl')}/write?db=${bucket}&precision=ms`, {
      method: 'POST',
      body: `carbon_intensity,region=${REGION},signal_type=co2_moer moer_lbs_mwh=870i ${PERIOD_1840 - 86_400_000}`,
    });
    expect(old.status).toBe(204);
    await activities.ensureToken({ force: false });

    const result = await activities.fetchAndStore(FETCH);
    expect(result.notStored?.failure.type).toBe(FailureType.StorageRejected);
    const failure = await failureOf(activities.storeHeld({ region: REGION, signalType: 'co2_moer', readings: result.notStored?.readings ?? [] }));

    expect(failure).toMatchObject({ type: FailureType.StorageRejected, nonRetryable: true });
    expect((failure as Error).message).toMatch(/rejected the write of carbon_intensity: field type conflict: .*\(answered 400: partial write: field type conflict/);
    expect((failure as Error).message).not.toContain(INFLUX_TOKEN);

    await influxQuery(`DROP MEASUREMENT "carbon_intensity"`, bucket);
    await expect(activities.storeHeld({ region: REGION, signalType: 'co2_moer', readings: result.notStored?.readings ?? [] })).resolves.toEqual({
      storedReadings: 1,
    });
    expect([...byTime(await readBack(bucket, 'carbon_intensity')).keys()]).toEqual([influxTime(PERIOD_1840)]);
  });
});
