/**
 * The greenest window on forecast curves stored in the real InfluxDB, as the worker stores them:
 * through the library (reader + `findGreenestWindow`) at a fixed time, and through the
 * `best-window` command a user runs, on curves stored around the real current time.
 */
import { InfluxDB } from '@influxdata/influxdb-client';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { InfluxCarbonIntensityReader } from '../../activities/influx-reader';
import { InfluxCarbonIntensityWriter } from '../../activities/influx-writer';
import { findGreenestWindow, type GreenestWindow } from '../../common/greenest-window';
import { moerPeriodStart } from '../../common/moer-period';
import { runClient, type CommandResult } from '../support/client-command';
import { createDatabase, HOUR, INFLUX_TOKEN, MINUTE } from './support';

/** A whole hour; the library tests ask 2.5 minutes after it. */
const G = Date.parse('2024-06-18T18:00:00Z');
const NOW = G + 2.5 * MINUTE;
const PERIOD = 5 * MINUTE;
const DAY_OF_PERIODS = 288;
const iso = (ms: number): string => new Date(ms).toISOString();
const isoSeconds = (ms: number): string => iso(ms).replace('.000Z', 'Z');

let bucket: string;
let writer: InfluxCarbonIntensityWriter;
let reader: InfluxCarbonIntensityReader;

beforeAll(async () => {
  bucket = await createDatabase();
  writer = new InfluxCarbonIntensityWriter({ url: inject('influxUrl'), token: INFLUX_TOKEN, org: 'ignored', bucket });
  const queryApi = new InfluxDB({ url: inject('influxUrl'), token: INFLUX_TOKEN }).getQueryApi('ignored');
  reader = new InfluxCarbonIntensityReader({ queryApi, bucket });
});

/** Stores a forecast generated at `generatedAtMs`: one point per value, 5 minutes apart. */
async function storeForecast(region: string, generatedAtMs: number, values: readonly number[]): Promise<void> {
  const points = values.map((value, i) => ({ pointTime: new Date(generatedAtMs + i * PERIOD), value }));
  await writer.writeForecast(region, 'co2_moer', 'lbs_co2_per_mwh', new Date(generatedAtMs), points);
}

/** A day of 900 lbs/MWh with a 500 lbs/MWh valley over the periods [from, to). */
const valley = (from: number, to: number): number[] => Array.from({ length: DAY_OF_PERIODS }, (_, i) => (i >= from && i < to ? 500 : 900));

async function greenest(region: string, durationMs: number, latestStartMs?: number): Promise<GreenestWindow> {
  const curve = await reader.newestForecast(region, 'co2_moer', NOW);
  if (curve === null) throw new Error(`no forecast stored for ${region}`);
  const answer = findGreenestWindow(curve, { durationMs, nowMs: NOW, latestStartMs });
  if (!answer.found) throw new Error(answer.message);
  return answer.window;
}

describe('greenest window on stored curves', () => {
  it('finds a valley at a known hour, and gives a longer job the earliest of the tied windows around it', async () => {
    // 500 from midnight to 1 am (periods 72–83 after 18:00), 900 elsewhere.
    await storeForecast('VALLEY', G, valley(72, 84));
    const hour = await greenest('VALLEY', HOUR);
    expect(hour.best).toMatchObject({ start: '2024-06-19T00:00:00.000Z', end: '2024-06-19T01:00:00.000Z', averageMoerLbsMwh: 500 });
    expect(hour.startingNow).toMatchObject({ start: iso(G), averageMoerLbsMwh: 900 });
    expect(hour).toMatchObject({ savingLbsMwh: 400, startsNow: false, periods: 12 });
    // 90 minutes: every window starting 23:30–00:00 holds the whole valley; the earliest wins.
    const longer = await greenest('VALLEY', 90 * MINUTE);
    expect(longer.best.start).toBe('2024-06-18T23:30:00.000Z');
    expect(longer.best.averageMoerLbsMwh).toBeCloseTo((12 * 500 + 6 * 900) / 18, 10);
  });

  it('starts now on a flat curve and on a rising one (ties go to the earliest window)', async () => {
    await storeForecast('FLAT', G, Array.from({ length: DAY_OF_PERIODS }, () => 812.4));
    await storeForecast('RISING', G, Array.from({ length: DAY_OF_PERIODS }, (_, i) => 600 + i));
    for (const region of ['FLAT', 'RISING']) {
      const window = await greenest(region, 2 * HOUR);
      expect(window.best.start, region).toBe(iso(G));
      expect(window.startsNow, region).toBe(true);
      expect(window.savingLbsMwh, region).toBe(0);
    }
  });

  it('never starts after the latest start on a falling curve', async () => {
    await storeForecast('FALLING', G, Array.from({ length: DAY_OF_PERIODS }, (_, i) => 1200 - i));
    // Finish within 4 hours of 18:02:30: start by 21:02:30, so at 21:00 at the latest.
    expect((await greenest('FALLING', HOUR, NOW + 3 * HOUR)).best.start).toBe('2024-06-18T21:00:00.000Z');
  });

  it("reads the newest forecast only: a later one's points replace the earlier one's", async () => {
    await storeForecast('REVISED', G - 10 * MINUTE, valley(26, 38));
    await storeForecast('REVISED', G, valley(60, 72));
    const curve = await reader.newestForecast('REVISED', 'co2_moer', NOW);
    expect(curve?.generatedAt).toBe(iso(G));
    expect(curve?.points).toHaveLength(DAY_OF_PERIODS);
    expect(curve?.points[0]?.pointTimeMs).toBe(G);
    expect((await greenest('REVISED', HOUR)).best.start).toBe('2024-06-18T23:00:00.000Z');
    expect(await reader.newestForecast('NOTHING_STORED', 'co2_moer', NOW)).toBeNull();
  });
});

describe('client best-window', () => {
  const env = (): NodeJS.ProcessEnv => ({
    INFLUXDB_URL: inject('influxUrl'),
    INFLUXDB_TOKEN: INFLUX_TOKEN,
    INFLUXDB_ORG: 'ignored',
    INFLUXDB_BUCKET: bucket,
  });

  /** Runs the command inside one 5-minute period (again if a period boundary fell during it); returns that period. */
  async function bestWindow(args: string[]): Promise<CommandResult & { period: number }> {
    for (;;) {
      const period = moerPeriodStart(Date.now());
      const result = await runClient(['best-window', ...args], env());
      if (moerPeriodStart(Date.now()) === period) return { ...result, period };
    }
  }

  it('prints the window, its average, the difference to starting now and the forecast used', async () => {
    const N = moerPeriodStart(Date.now());
    await storeForecast('CLI_VALLEY', N, valley(72, 84));
    const result = await bestWindow(['CLI_VALLEY', '--duration', '1h']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines.slice(0, 4)).toEqual([
      `CLI_VALLEY: greenest 60-minute window ${isoSeconds(N + 6 * HOUR)} to ${isoSeconds(N + 7 * HOUR)}`,
      '  average       500.0 lbs/MWh (226.8 g/kWh)',
      `  starting now  900.0 lbs/MWh (408.2 g/kWh), ${isoSeconds(result.period)} to ${isoSeconds(result.period + HOUR)}`,
      '  difference    400.0 lbs/MWh (181.4 g/kWh) less, 44.4%',
    ]);
    expect(lines[4]).toMatch(
      new RegExp(`^  forecast      generated ${isoSeconds(N)}, \\d+ minutes? old, reaches ${isoSeconds(N + 24 * HOUR)}$`),
    );
    expect(lines).toHaveLength(5);

    // Finishing within 3 hours leaves the valley out: the curve is flat there, so now is best.
    const within = await bestWindow(['CLI_VALLEY', '--duration', '1h', '--within', '3h']);
    expect(within.stdout.split('\n')[0]).toBe(
      `CLI_VALLEY: greenest 60-minute window ${isoSeconds(within.period)} to ${isoSeconds(within.period + HOUR)} (now)`,
    );

    const json = await bestWindow(['CLI_VALLEY', '--duration', '90m', '--json']);
    const window = JSON.parse(json.stdout) as GreenestWindow;
    expect(window.best.start).toBe(iso(N + 5.5 * HOUR));
    expect(window.forecast).toMatchObject({ generatedAt: iso(N), stale: false });
  });

  it('flags a forecast older than 30 minutes', async () => {
    const generatedAt = moerPeriodStart(Date.now()) - 45 * MINUTE;
    await storeForecast('CLI_STALE', generatedAt, Array.from({ length: DAY_OF_PERIODS }, () => 800));
    const result = await bestWindow(['CLI_STALE', '--duration', '30m']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/forecast {6}generated \S+, 4\d minutes old, reaches \S+; STALE: older than 30 minutes, is the region's workflow fetching\?\n$/);
  });

  it('says in one line when no forecast is stored (exit 2) or the job does not fit (exit 1)', async () => {
    const none = await bestWindow(['CLI_NONE', '--duration', '90m']);
    expect({ code: none.code, stdout: none.stdout, stderr: none.stderr }).toEqual({
      code: 2,
      stdout: `No forecast stored for CLI_NONE (co2_moer) in bucket "${bucket}": start its region workflow (client start CLI_NONE), or its WattTime plan gives no forecast.\n`,
      stderr: '',
    });

    const N = moerPeriodStart(Date.now());
    await storeForecast('CLI_SHORT', N, Array.from({ length: 12 }, () => 800));
    const tooLong = await bestWindow(['CLI_SHORT', '--duration', '2h']);
    expect({ code: tooLong.code, stdout: tooLong.stdout }).toEqual({
      code: 1,
      stdout: `--duration is too long: a 120-minute window does not fit in the 60-minute forecast generated ${iso(N)}.\n`,
    });

    const noUnit = await bestWindow(['CLI_SHORT', '--duration', '90']);
    expect(noUnit.code).toBe(1);
    // The command's help follows the one line.
    expect(noUnit.stderr.split('\n')[0]).toBe(
      "error: option '--duration <duration>' argument '90' is invalid. expected a positive duration with a unit, such as 90m or 2h.",
    );
  });
});
