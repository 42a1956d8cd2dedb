import { describe, expect, inject, it } from 'vitest';
import { InfluxCarbonIntensityWriter } from '../../activities/influx-writer';
import { StorageRejectedError, StorageUnavailableError } from '../../activities/storage-errors';
import type { StoredReading } from '../../activities/types';
import { FailureType } from '../../common/failure-types';
import { freePort } from '../../servers/free-port';
import { INFLUX_TOKEN, byTime, createDatabase, failureOf, influxTime, readBack } from './support';

const AT = Date.parse('2024-06-18T18:40:00Z');
const FULL: StoredReading = {
  pointTime: new Date(AT).toISOString(),
  value: 900,
  units: 'lbs_co2_per_mwh',
  carbonIntensityGco2Kwh: 900 * 0.45359237,
  indexPercentile: 55,
  forecast1h: 910.5,
  forecast24h: 880.25,
};

function writerFor(bucket: string, url: string = inject('influxUrl')): InfluxCarbonIntensityWriter {
  return new InfluxCarbonIntensityWriter({ url, token: INFLUX_TOKEN, org: 'o', bucket });
}

async function writerOnOwnDatabase(): Promise<{ writer: InfluxCarbonIntensityWriter; bucket: string }> {
  const bucket = await createDatabase();
  return { writer: writerFor(bucket), bucket };
}

/** Line protocol straight to InfluxDB's v1 write endpoint, as another program would write it. */
async function writeLines(bucket: string, lines: string): Promise<void> {
  const response = await fetch(`${inject('influxUrl')}/write?db=${bucket}&precision=ms`, { method: 'POST', body: lines });
  expect(response.status).toBe(204);
}

describe('InfluxCarbonIntensityWriter', () => {
  it('leaves null fields out, so a later partial write keeps the values already stored, and marks the point live', async () => {
    const { writer, bucket } = await writerOnOwnDatabase();
    await writer.writeReadings('DE', 'co2_moer', [FULL]);
    await writer.writeReadings('DE', 'co2_moer', [{ ...FULL, value: null, units: null, carbonIntensityGco2Kwh: null, indexPercentile: 60 }]);
    await writer.close();

    const rows = await readBack(bucket, 'carbon_intensity');
    expect(rows.every((r) => r.region === 'DE' && r.signalType === 'co2_moer')).toBe(true);
    expect(byTime(rows)).toEqual(
      new Map([
        [
          influxTime(AT),
          {
            moer_lbs_mwh: 900,
            carbon_intensity_gco2_kwh: 900 * 0.45359237,
            index_percentile: 60,
            forecast_1h: 910.5,
            forecast_24h: 880.25,
            source: 'live',
          },
        ],
      ]),
    );
  });

  it('names the value field for its signal, and tags a value in any unit but lbs/MWh with its units, unconverted', async () => {
    const { writer, bucket } = await writerOnOwnDatabase();
    await writer.writeReadings('DE', 'co2_aoer', [{ ...FULL, value: 600, carbonIntensityGco2Kwh: 600 * 0.45359237, indexPercentile: null }]);
    await writer.writeReadings('DE', 'health_damage', [
      { ...FULL, value: 31.5, units: 'usd_per_mwh', carbonIntensityGco2Kwh: null, indexPercentile: null, forecast1h: 30.2, forecast24h: null },
    ]);
    await writer.close();

    const rows = await readBack(bucket, 'carbon_intensity');
    const aoer = rows.filter((r) => r.signalType === 'co2_aoer');
    expect(Object.fromEntries(aoer.map((r) => [r.field, r.value]))).toEqual({
      aoer_lbs_mwh: 600,
      carbon_intensity_gco2_kwh: 600 * 0.45359237,
      forecast_1h: 910.5,
      forecast_24h: 880.25,
      source: 'live',
    });
    const damage = rows.filter((r) => r.signalType === 'health_damage');
    expect(Object.fromEntries(damage.map((r) => [r.field, r.value]))).toEqual({ health_damage: 31.5, forecast_1h: 30.2, source: 'live' });
    expect(new Set(damage.map((r) => r.units))).toEqual(new Set(['usd_per_mwh']));
    expect(new Set(aoer.map((r) => r.units))).toEqual(new Set([undefined]));
  });

  it('refuses writes after close', async () => {
    const { writer } = await writerOnOwnDatabase();
    await writer.close();

    await expect(writer.writeReadings('DE', 'co2_moer', [FULL])).rejects.toThrow(/writer is closed/);
  });
});

describe('InfluxDB write failures', () => {
  it('reports a field type conflict as InfluxDBRejected, naming the cause and never the token', async () => {
    const bucket = await createDatabase();
    // The service we replace stored whole numbers: the field exists as an integer.
    await writeLines(bucket, `carbon_intensity,region=DE,signal_type=co2_moer moer_lbs_mwh=870i ${AT - 86_400_000}`);
    const writer = writerFor(bucket);

    const failure = await failureOf(writer.writeReadings('DE', 'co2_moer', [FULL]));
    await writer.close();

    expect(failure).toBeInstanceOf(StorageRejectedError);
    const rejected = failure as StorageRejectedError;
    expect(rejected.kind).toBe(FailureType.StorageRejected);
    expect(rejected.message).toMatch(
      new RegExp(`^InfluxDB http://127\\.0\\.0\\.1:\\d+ bucket "${bucket}" rejected the write of carbon_intensity: field type conflict: the measurement already holds a field of this name with another type .*\\(answered 400: partial write: field type conflict: input field "moer_lbs_mwh" on measurement "carbon_intensity" is type float, already exists as type integer`),
    );
    expect(rejected.message).not.toContain(INFLUX_TOKEN);
    expect(rejected.message).not.toContain(INFLUX_TOKEN.split(':')[1]);
  });

  it('reports a missing bucket as InfluxDBRejected: bucket missing', async () => {
    const writer = writerFor('no_such_database');

    const failure = await failureOf(writer.writeReadings('DE', 'co2_moer', [FULL]));
    await writer.close();

    expect(failure).toBeInstanceOf(StorageRejectedError);
    expect((failure as Error).message).toBe(
      `InfluxDB ${inject('influxUrl')} bucket "no_such_database" rejected the write of carbon_intensity: bucket missing: create it, or fix INFLUXDB_BUCKET (for InfluxDB 1.x, the database) (answered 404: database not found: "no_such_database")`,
    );
  });

  it('reports an InfluxDB nobody answers at as InfluxDBUnavailable (transient)', async () => {
    const port = await freePort();
    const writer = writerFor('carbon', `http://127.0.0.1:${port}`);

    const failure = await failureOf(writer.writeReadings('DE', 'co2_moer', [FULL]));
    await writer.close();

    expect(failure).toBeInstanceOf(StorageUnavailableError);
    expect((failure as Error).message).toBe(
      `InfluxDB http://127.0.0.1:${port} bucket "carbon": write of carbon_intensity failed: unreachable: connect ECONNREFUSED 127.0.0.1:${port}`,
    );
  });
});
