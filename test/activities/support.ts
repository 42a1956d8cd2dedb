/**
 * Shared set-up for the activity tests: the real activities against the WattTime emulator
 * (in-process, on a simulated clock) and the real InfluxDB of the global setup, each test with a
 * database of its own so tests cannot see each other's points.
 */
import { InfluxDB } from '@influxdata/influxdb-client';
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterEach, inject } from 'vitest';
import { startEmulator, type EmulatorAccount, type RunningEmulator } from '../../emulator/server';
import type { RegionActivities } from '../../activities/factory';
import type { InfluxCarbonIntensityWriter } from '../../activities/influx-writer';
import { wireActivities } from '../../activities/wiring';
import type { WattTimeSession } from '../../watttime/session';

/** 18:42:30 UTC: inside the 18:40 period, 2.5 minutes after it started. */
export const T0 = Date.parse('2024-06-18T18:42:30Z');
export const PERIOD_1840 = Date.parse('2024-06-18T18:40:00Z');
export const MINUTE = 60_000;
export const HOUR = 3_600_000;

/** A password that could not appear anywhere by accident. */
export const ACCOUNT: EmulatorAccount = { username: 'alice', password: 'Pw-9f3c1e7a-secret', regions: [] };
export const INFLUX_TOKEN = 'influx-user:influx-5ecret-b7d2';

export class FakeClock {
  constructor(public ms: number = T0) {}
  readonly now = (): number => this.ms;
  advance(ms: number): void {
    this.ms += ms;
  }
}

export interface HarnessOptions {
  accounts?: readonly EmulatorAccount[];
  credentials?: { username: string; password: string };
  /** Write somewhere else than the test's own database on the real InfluxDB. */
  influxUrl?: string;
  bucket?: string;
}

export interface Harness {
  emulator: RunningEmulator;
  clock: FakeClock;
  session: WattTimeSession;
  activities: RegionActivities;
  writer: InfluxCarbonIntensityWriter;
  /** The test's own database (bucket). */
  bucket: string;
  /** Every line the WattTime client and the activities logged, as pino wrote it. */
  logLines: string[];
}

const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

/** A pino logger at debug level whose output the test can search. */
export function capturingLogger(): { logger: pino.Logger; lines: string[] } {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  return { logger: pino({ level: 'debug' }, sink), lines };
}

export async function createDatabase(): Promise<string> {
  const name = `activities_${randomUUID().replaceAll('-', '')}`;
  const response = await fetch(`${inject('influxUrl')}/query`, {
    method: 'POST',
    body: new URLSearchParams({ q: `CREATE DATABASE "${name}"` }),
  });
  if (!response.ok) throw new Error(`CREATE DATABASE ${name}: ${response.status} ${await response.text()}`);
  return name;
}

/** The emulator and the activities, wired by the worker's own `wireActivities` on a fake clock. */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const clock = new FakeClock();
  const emulator = await startEmulator({ now: clock.now, accounts: options.accounts ?? [ACCOUNT] });
  const { logger, lines } = capturingLogger();
  const bucket = options.bucket ?? (await createDatabase());
  const { activities, session, writer, close } = wireActivities({
    account: options.credentials ?? { username: ACCOUNT.username, password: ACCOUNT.password },
    wattTimeBaseUrl: emulator.url,
    influx: { url: options.influxUrl ?? inject('influxUrl'), token: INFLUX_TOKEN, org: 'ignored', bucket },
    logger,
    now: clock.now,
  });
  cleanups.push(async () => {
    await close();
    await emulator.close();
  });
  return { emulator, clock, session, activities, writer, bucket, logLines: lines };
}

export interface FieldRow {
  time: string;
  field: string;
  value: number | string | boolean;
  region: string;
  signalType: string;
  /** The `units` tag, set for values stored in any unit but lbs/MWh. */
  units: string | undefined;
}

/** Every stored field of `measurement` in `bucket` around the test's day, ordered by time and field. */
export async function readBack(bucket: string, measurement: string): Promise<FieldRow[]> {
  const influx = new InfluxDB({ url: inject('influxUrl'), token: INFLUX_TOKEN });
  const rows = await influx.getQueryApi('ignored').collectRows<{
    _time: string;
    _field: string;
    _value: number | string | boolean;
    region: string;
    signal_type: string;
    units?: string;
  }>(
    `from(bucket: "${bucket}")
      |> range(start: 2024-06-01T00:00:00Z, stop: 2024-07-01T00:00:00Z)
      |> filter(fn: (r) => r._measurement == "${measurement}")`,
  );
  return rows
    .map((r) => ({ time: r._time, field: r._field, value: r._value, region: r.region, signalType: r.signal_type, units: r.units === '' ? undefined : r.units }))
    .sort((a, b) => a.time.localeCompare(b.time) || a.field.localeCompare(b.field));
}

/** The rows of `readBack` as one record per point: time → field → value. */
export function byTime(rows: readonly FieldRow[]): Map<string, Record<string, number | string | boolean>> {
  const points = new Map<string, Record<string, number | string | boolean>>();
  for (const row of rows) points.set(row.time, { ...points.get(row.time), [row.field]: row.value });
  return points;
}

/** Influx's RFC 3339 rendering of a time: whole seconds, `Z`. */
export function influxTime(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

/** The error a promise rejects with (fails the test if it resolves). */
export async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure, but the call succeeded');
}
