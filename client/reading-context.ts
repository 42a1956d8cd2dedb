import { InfluxDB } from '@influxdata/influxdb-client';
import { InfluxCarbonIntensityReader } from '../activities/influx-reader';
import { loadInfluxSettings } from '../config/settings';
import type { ReadingContext } from './commands/context';

/** A reader of the stored readings, from the same `INFLUXDB_*` variables the worker writes with. */
export function readingContext(out: (line: string) => void, env: NodeJS.ProcessEnv = process.env): ReadingContext {
  const settings = loadInfluxSettings(env);
  const influx = new InfluxDB({ url: settings.INFLUXDB_URL, token: settings.INFLUXDB_TOKEN, timeout: 10_000 });
  const reader = new InfluxCarbonIntensityReader({ queryApi: influx.getQueryApi(settings.INFLUXDB_ORG), bucket: settings.INFLUXDB_BUCKET });
  return { reader, bucket: settings.INFLUXDB_BUCKET, out };
}
