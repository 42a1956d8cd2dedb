import { describe, expect, inject, it } from 'vitest';
import { InfluxCarbonIntensityWriter } from '../../activities/influx-writer';
import type { StoredReading } from '../../activities/types';
import { INFLUX_TOKEN, byTime, createDatabase, influxTime, readBack } from './support';

const AT = Date.parse('2024-06-18T18:40:00Z');
const FULL: StoredReading = {
  pointTime: new Date(AT).toISOString(),
  moerLbsMwh: 900,
  carbonIntensityGco2Kwh: 900 * 0.45359237,
  indexPercentile: 55,
  forecast1h: 910.5,
  forecast24h: 880.25,
};

async function writerOnOwnDatabase(): Promise<{ writer: InfluxCarbonIntensityWriter; bucket: string }> {
  const bucket = await createDatabase();
  return { writer: new InfluxCarbonIntensityWriter({ url: inject('influxUrl'), token: INFLUX_TOKEN, org: 'o', bucket }), bucket };
}

describe('InfluxCarbonIntensityWriter', () => {
  it('leaves null fields out, so a later partial write keeps the values already stored', async () => {
    const { writer, bucket } = await writerOnOwnDatabase();
    await writer.writeCurrent('DE', 'co2_moer', FULL);
    await writer.writeCurrent('DE', 'co2_moer', { ...FULL, moerLbsMwh: null, carbonIntensityGco2Kwh: null, indexPercentile: 60 });
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
          },
        ],
      ]),
    );
  });

  it('refuses writes after close', async () => {
    const { writer } = await writerOnOwnDatabase();
    await writer.close();

    await expect(writer.writeCurrent('DE', 'co2_moer', FULL)).rejects.toThrow(/writer is closed/);
  });
});
