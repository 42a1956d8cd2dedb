import { InfluxDB, Point } from '@influxdata/influxdb-client';
import { isLbsPerMwh, valueField } from './signal-units';
import { storageError } from './storage-errors';
import type { StoredReading } from './types';
import type { DataPoint, HistoricalPoint } from '../watttime/schemas';
import { lbsPerMwhToGramsPerKwh } from '../common/units';

export const CURRENT_MEASUREMENT = 'carbon_intensity';
export const FORECAST_MEASUREMENT = 'carbon_intensity_forecast';

export interface InfluxWriterOptions {
  url: string;
  /** `INFLUXDB_TOKEN`; for InfluxDB 1.x `user:password`. Never appears in an error message. */
  token: string;
  /** Ignored by InfluxDB 1.x. */
  org: string;
  /** For InfluxDB 1.x `database` or `database/retention-policy`. */
  bucket: string;
  /** Per write request; default 10 s. */
  timeoutMs?: number;
}

/**
 * Writes readings to InfluxDB through the v2 write API. Every point is stamped with WattTime's
 * `point_time`, so writing the same period again overwrites its fields instead of adding a point,
 * and an activity retried after a partial success is harmless.
 */
export class InfluxCarbonIntensityWriter {
  private readonly influx: InfluxDB;
  private readonly org: string;
  private readonly bucket: string;
  private readonly token: string;
  /** Where writes go, for error messages: the origin only, never credentials in the URL. */
  private readonly target: string;
  private readonly inFlight = new Set<Promise<void>>();
  private closed = false;

  constructor(options: InfluxWriterOptions) {
    this.influx = new InfluxDB({ url: options.url, token: options.token, timeout: options.timeoutMs ?? 10_000 });
    this.org = options.org;
    this.bucket = options.bucket;
    this.token = options.token;
    this.target = `InfluxDB ${new URL(options.url).origin} bucket "${options.bucket}"`;
  }

  /**
   * Live readings (one request): the signal's value in a field named for it (see `valueField`),
   * g/kWh when it came in lbs/MWh, the forecasts, the index, and `source` "live". Null fields are
   * left out, and so keep any value already stored. A value not in lbs/MWh is tagged with its units.
   *
   * @throws StorageUnavailableError (transient) or StorageRejectedError (needs the operator).
   */
  async writeReadings(region: string, signalType: string, readings: readonly StoredReading[]): Promise<void> {
    const points = readings.map((reading) => {
      const point = this.point(CURRENT_MEASUREMENT, region, signalType, reading.units).timestamp(new Date(reading.pointTime));
      const fields: [string | null, number | null][] = [
        [reading.units === null ? null : valueField(signalType, reading.units), reading.value],
        ['carbon_intensity_gco2_kwh', reading.carbonIntensityGco2Kwh],
        ['forecast_1h', reading.forecast1h],
        ['forecast_24h', reading.forecast24h],
        ['index_percentile', reading.indexPercentile],
      ];
      for (const [name, value] of fields) if (name !== null && value !== null) point.floatField(name, value);
      return point.stringField('source', 'live');
    });
    await this.write(CURRENT_MEASUREMENT, points);
  }

  /**
   * Final values from `/v3/historical` in `units`: the signal's value (and g/kWh for lbs/MWh),
   * `source` "historical" and, when WattTime said, `imputed`. They overwrite the live estimate
   * of the same period; the fields WattTime keeps no history of (index, forecasts) are left alone.
   *
   * @throws StorageUnavailableError (transient) or StorageRejectedError (needs the operator).
   */
  async writeHistorical(region: string, signalType: string, units: string, points: readonly HistoricalPoint[]): Promise<void> {
    const lines = points.map((p) => {
      const point = this.point(CURRENT_MEASUREMENT, region, signalType, units)
        .floatField(valueField(signalType, units), p.value)
        .stringField('source', 'historical')
        .timestamp(p.pointTime);
      if (isLbsPerMwh(units)) point.floatField('carbon_intensity_gco2_kwh', lbsPerMwhToGramsPerKwh(p.value));
      if (p.imputedDataUsed !== undefined) point.booleanField('imputed', p.imputedDataUsed);
      return point;
    });
    await this.write(CURRENT_MEASUREMENT, lines);
  }

  /**
   * A forecast curve in `units`: one point per `point_time`, saying which forecast it came from.
   *
   * @throws StorageUnavailableError (transient) or StorageRejectedError (needs the operator).
   */
  async writeForecast(region: string, signalType: string, units: string, generatedAt: Date, points: readonly DataPoint[]): Promise<void> {
    const generatedAtText = generatedAt.toISOString();
    const lines = points.map((p) =>
      this.point(FORECAST_MEASUREMENT, region, signalType, units)
        .floatField('value', p.value)
        .stringField('generated_at', generatedAtText)
        .timestamp(p.pointTime),
    );
    await this.write(FORECAST_MEASUREMENT, lines);
  }

  /** Refuses new writes and waits for those under way. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.allSettled(this.inFlight);
  }

  /** Tags `region`, `signal_type`, and `units` for a value that is not in lbs/MWh. */
  private point(measurement: string, region: string, signalType: string, units: string | null): Point {
    const point = new Point(measurement).tag('region', region).tag('signal_type', signalType);
    return units === null || isLbsPerMwh(units) ? point : point.tag('units', units);
  }

  private async write(measurement: string, points: Point[]): Promise<void> {
    if (this.closed) throw new Error(`${this.target}: writer is closed`);
    const done = this.send(measurement, points);
    this.inFlight.add(done);
    try {
      await done;
    } finally {
      this.inFlight.delete(done);
    }
  }

  /**
   * One write API per call, sent as a single batch and awaited: concurrent activities never share
   * a buffer, so each sees its own failure. The client's retry buffer is off (a buffered write
   * would outlive the activity and could be lost); Temporal retries the whole activity instead.
   */
  private async send(measurement: string, points: Point[]): Promise<void> {
    const api = this.influx.getWriteApi(this.org, this.bucket, 'ms', {
      batchSize: points.length + 1,
      flushInterval: 0,
      maxRetries: 0,
      // A promise returned here becomes the flush result: the failure rejects this call
      // instead of being retried in the background or only logged to the console.
      writeFailed: (error: Error) => Promise.reject(error),
    });
    api.writePoints(points);
    try {
      await api.close();
    } catch (error) {
      throw storageError(error, { target: this.target, measurement, secrets: [this.token], nowMs: Date.now() });
    }
  }
}
