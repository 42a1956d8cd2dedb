import { InfluxDB, Point } from '@influxdata/influxdb-client';
import { expect, inject, it } from 'vitest';

it('reads back through Flux a point written with the v2 write API to the real InfluxDB', async () => {
  const influx = new InfluxDB({ url: inject('influxUrl'), token: 'unused:unused' });
  const bucket = inject('influxDatabase');
  const pointTime = new Date('2024-06-18T18:40:00Z');
  const writer = influx.getWriteApi('ignored-org', bucket, 'ms');
  writer.writePoint(new Point('smoke').tag('region', 'CAISO_NORTH').floatField('value', 870.5).timestamp(pointTime));
  await writer.close();

  const rows = await influx.getQueryApi('ignored-org').collectRows<{ _time: string; _value: number; region: string }>(
    `from(bucket: "${bucket}")
      |> range(start: 2024-06-18T00:00:00Z, stop: 2024-06-19T00:00:00Z)
      |> filter(fn: (r) => r._measurement == "smoke" and r._field == "value")`,
  );
  expect(rows.map((row) => ({ time: row._time, value: row._value, region: row.region }))).toEqual([
    { time: '2024-06-18T18:40:00Z', value: 870.5, region: 'CAISO_NORTH' },
  ]);
});
