import { HttpError, InfluxDB, Point } from '@influxdata/influxdb-client';
import { FailureType } from '../common/failure-types';
import type { StoredReading } from './types';
import type { DataPoint } from '../watttime/schemas';
import { serverMessage } from '../watttime/server-message';
import { lbsPerMwhToGramsPerKwh } from '../common/units';

/**
 * InfluxDB refused a write or could not be reached. Transient: the activity retry policy runs the
 * whole activity again, which rewrites the same `point_time`s. Like `WattTimeError`, it carries
 * no `cause`, because library errors may hold request details and Temporal copies causes into
 * history; the message names the server and bucket, never the token.
 */
export class StorageUnavailableError extends Error {
  readonly kind = FailureType.StorageUnavailable;

  constructor(message: string) {
    super(message);
    this.name = 'StorageUnavailableError';
  }
}

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

  /** The current period's reading; null fields are left out (and so keep any value already stored). */
  async writeCurrent(region: string, signalType: string, reading: StoredReading): Promise<void> {
    const point = new Point(CURRENT_MEASUREMENT)
      .tag('region', region)
      .tag('signal_type', signalType)
      .timestamp(new Date(reading.pointTime));
    const fields: [string, number | null][] = [
      ['moer_lbs_mwh', reading.moerLbsMwh],
      ['carbon_intensity_gco2_kwh', reading.carbonIntensityGco2Kwh],
      ['forecast_1h', reading.forecast1h],
      ['forecast_24h', reading.forecast24h],
      ['index_percentile', reading.indexPercentile],
    ];
    for (const [name, value] of fields) if (value !== null) point.floatField(name, value);
    await this.write(CURRENT_MEASUREMENT, [point]);
  }

  /**
   * Past periods from `/v3/historical` (lbs/MWh): the MOER and its g/kWh conversion only, since
   * WattTime keeps no past index or forecast per period. Fields already stored are overwritten
   * with the same or a revised value; the others are left alone.
   */
  async writeHistorical(region: string, signalType: string, points: readonly DataPoint[]): Promise<void> {
    const lines = points.map((p) =>
      new Point(CURRENT_MEASUREMENT)
        .tag('region', region)
        .tag('signal_type', signalType)
        .floatField('moer_lbs_mwh', p.value)
        .floatField('carbon_intensity_gco2_kwh', lbsPerMwhToGramsPerKwh(p.value))
        .timestamp(p.pointTime),
    );
    await this.write(CURRENT_MEASUREMENT, lines);
  }

  /** A forecast curve in lbs/MWh: one point per `point_time`, saying which forecast it came from. */
  async writeForecast(region: string, signalType: string, generatedAt: Date, points: readonly DataPoint[]): Promise<void> {
    const generatedAtText = generatedAt.toISOString();
    const lines = points.map((p) =>
      new Point(FORECAST_MEASUREMENT)
        .tag('region', region)
        .tag('signal_type', signalType)
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
      throw new StorageUnavailableError(`${this.target}: write of ${measurement} failed: ${this.reason(error)}`);
    }
  }

  private reason(error: unknown): string {
    const secrets = [this.token];
    if (error instanceof HttpError) return `answered ${error.statusCode}: ${serverMessage(error.message, secrets)}`;
    const message = error instanceof Error ? error.message : String(error);
    const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
    // Node's own messages usually name the code already ("connect ECONNREFUSED …").
    const named = code === '' || message.includes(code) ? '' : ` (${code})`;
    return `unreachable${named}: ${serverMessage(message, secrets)}`;
  }
}
