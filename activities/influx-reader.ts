import { flux, HttpError, type QueryApi } from '@influxdata/influxdb-client';
import type { ForecastCurve } from '../common/greenest-window';
import { moerPeriodStart } from '../common/moer-period';
import { CURRENT_MEASUREMENT, FORECAST_MEASUREMENT } from './influx-writer';
import { StorageUnavailableError } from './storage-errors';
import { serverMessage } from '../watttime/server-message';

/** The newest forecast is looked for among forecasts generated up to this long ago. */
export const FORECAST_LOOKBACK_MS = 7 * 24 * 3_600_000;

/** WattTime forecasts reach at most 72 hours ahead (plus the generation period itself). */
const MAX_FORECAST_SPAN_MS = 73 * 3_600_000;

export interface InfluxReaderOptions {
  /** From `new InfluxDB({ url, token }).getQueryApi(org)`; Flux on `/api/v2/query`. */
  readonly queryApi: QueryApi;
  /** For InfluxDB 1.x `database` or `database/retention-policy`. */
  readonly bucket: string;
}

/**
 * Reads back what `InfluxCarbonIntensityWriter` stored: the newest forecast curve
 * (`carbon_intensity_forecast`, fields `value` in lbs/MWh and `generated_at`) and the MOER of past
 * periods (`carbon_intensity`, field `moer_lbs_mwh`). Region and signal type are passed to Flux
 * as escaped string literals. Failures throw `StorageUnavailableError` naming the bucket.
 */
export class InfluxCarbonIntensityReader {
  private readonly queryApi: QueryApi;
  private readonly bucket: string;

  constructor(options: InfluxReaderOptions) {
    this.queryApi = options.queryApi;
    this.bucket = options.bucket;
  }

  /**
   * The forecast with the latest `generated_at` among those generated in the 7 days before
   * `nowMs`, as stored (points a later forecast overwrote belong to that one, not to this); null
   * when none is stored.
   */
  async newestForecast(region: string, signalType: string, nowMs: number): Promise<ForecastCurve | null> {
    const newest = await this.rows<{ _value: string }>(
      FORECAST_MEASUREMENT,
      flux`from(bucket: ${this.bucket})
        |> range(start: ${new Date(nowMs - FORECAST_LOOKBACK_MS)}, stop: ${new Date(nowMs + MAX_FORECAST_SPAN_MS)})
        |> filter(fn: (r) => r._measurement == ${FORECAST_MEASUREMENT} and r.region == ${region} and r.signal_type == ${signalType})
        |> filter(fn: (r) => r._field == "generated_at")
        |> group()
        |> sort(columns: ["_value"], desc: true)
        |> limit(n: 1)`,
    );
    const generatedAt = newest[0]?._value;
    if (generatedAt === undefined) return null;
    const generatedAtMs = Date.parse(generatedAt);
    const points = await this.rows<{ _time: string; value: number }>(
      FORECAST_MEASUREMENT,
      flux`from(bucket: ${this.bucket})
        |> range(start: ${new Date(generatedAtMs)}, stop: ${new Date(generatedAtMs + MAX_FORECAST_SPAN_MS)})
        |> filter(fn: (r) => r._measurement == ${FORECAST_MEASUREMENT} and r.region == ${region} and r.signal_type == ${signalType})
        |> filter(fn: (r) => r._field == "value" or r._field == "generated_at")
        |> pivot(rowKey: ["_time"], columnKey: ["_field"], valueColumn: "_value")
        |> filter(fn: (r) => r.generated_at == ${generatedAt})
        |> keep(columns: ["_time", "value"])
        |> sort(columns: ["_time"])`,
    );
    return {
      region,
      signalType,
      generatedAt: new Date(generatedAtMs).toISOString(),
      points: points.map((row) => ({ pointTimeMs: Date.parse(row._time), moerLbsMwh: row.value })),
    };
  }

  /**
   * Stored MOER (lbs CO2/MWh) of the periods overlapping [fromMs, toMs), by `point_time` (ms).
   * Periods with nothing stored are simply absent.
   */
  async storedMoer(region: string, signalType: string, fromMs: number, toMs: number): Promise<Map<number, number>> {
    const rows = await this.rows<{ _time: string; _value: number }>(
      CURRENT_MEASUREMENT,
      flux`from(bucket: ${this.bucket})
        |> range(start: ${new Date(moerPeriodStart(fromMs))}, stop: ${new Date(toMs)})
        |> filter(fn: (r) => r._measurement == ${CURRENT_MEASUREMENT} and r.region == ${region} and r.signal_type == ${signalType})
        |> filter(fn: (r) => r._field == "moer_lbs_mwh")
        |> keep(columns: ["_time", "_value"])`,
    );
    return new Map(rows.map((row) => [Date.parse(row._time), row._value]));
  }

  private async rows<Row>(measurement: string, query: ReturnType<typeof flux>): Promise<Row[]> {
    try {
      return await this.queryApi.collectRows<Row>(query);
    } catch (error) {
      const reason =
        error instanceof HttpError
          ? `answered ${error.statusCode}: ${serverMessage(error.body ?? error.message, [])}`
          : `unreachable: ${error instanceof Error ? error.message : String(error)}`;
      throw new StorageUnavailableError(`InfluxDB bucket "${this.bucket}": reading ${measurement} failed: ${reason}`);
    }
  }
}
