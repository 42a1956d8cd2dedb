/**
 * A job's emissions from MOER stored in the real InfluxDB (written as backfill writes it), through
 * the `emissions` command a user runs; the total is checked against a sum worked out by hand.
 */
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { InfluxCarbonIntensityWriter } from '../../activities/influx-writer';
import type { JobEmissions } from '../../common/job-emissions';
import { runClient } from '../support/client-command';
import { createDatabase, INFLUX_TOKEN, MINUTE } from './support';

const REGION = 'PJM_DC';
const P1840 = Date.parse('2024-06-18T18:40:00Z');
/** Stored MOER (lbs/MWh) of the periods 18:40 … 19:35, with 19:00 and 19:05 never stored. */
const STORED: readonly (number | null)[] = [800, 810, 820, 830, null, null, 860, 870, 880, 890, 900, 910];

let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  const bucket = await createDatabase();
  const writer = new InfluxCarbonIntensityWriter({ url: inject('influxUrl'), token: INFLUX_TOKEN, org: 'ignored', bucket });
  const points = STORED.flatMap((value, i) => (value === null ? [] : [{ pointTime: new Date(P1840 + i * 5 * MINUTE), value }]));
  await writer.writeHistorical(REGION, 'co2_moer', 'lbs_co2_per_mwh', points);
  // Another region's and another signal type's readings must not count.
  await writer.writeHistorical('CAISO_NORTH', 'co2_moer', 'lbs_co2_per_mwh', [{ pointTime: new Date(P1840 + 20 * MINUTE), value: 5000 }]);
  await writer.writeHistorical(REGION, 'co2_aoer', 'lbs_co2_per_mwh', [{ pointTime: new Date(P1840 + 20 * MINUTE), value: 5000 }]);
  await writer.close();
  env = { INFLUXDB_URL: inject('influxUrl'), INFLUXDB_TOKEN: INFLUX_TOKEN, INFLUXDB_ORG: 'ignored', INFLUXDB_BUCKET: bucket };
});

describe('client emissions', () => {
  // 18:42:30 to 19:37:30 at 12 kW: 11 kWh. 18:40 and 19:35 are half inside (0.5 kWh each), the
  // others whole (1 kWh each). By hand: (0.5×800 + 810 + 820 + 830 + 860 + 870 + 880 + 890 + 900
  // + 0.5×910) / 1000 = 7.715 lbs = 3.499 kg; 19:00 and 19:05 (2 kWh) are missing, not counted.
  const run = ['--from', '2024-06-18T18:42:30Z', '--to', '2024-06-18T19:37:30Z'];

  it('sums MOER × energy over the stored periods and states the missing ones', async () => {
    const result = await runClient(['emissions', REGION, ...run, '--kw', '12'], env);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      [
        'PJM_DC job from 2024-06-18T18:42:30Z to 2024-06-18T19:37:30Z: 12 kW, 11 kWh',
        '  emissions  3.499 kg CO2 (7.715 lbs)',
        '  periods    12 covered: 10 stored, 2 missing (not counted: 2 kWh of the run has no stored MOER): ' +
          '2024-06-18T19:00:00Z to 2024-06-18T19:05:00Z (2)',
        '',
      ].join('\n'),
    );
  });

  it('spreads a total energy evenly over the run, and answers JSON', async () => {
    const result = await runClient(['emissions', REGION, ...run, '--kwh', '11', '--json'], env);
    expect(result.code).toBe(0);
    const emissions = JSON.parse(result.stdout) as JobEmissions;
    expect(emissions).toMatchObject({ periods: 12, storedPeriods: 10, missingPeriods: 2 });
    expect(emissions.missingPointTimes).toEqual(['2024-06-18T19:00:00.000Z', '2024-06-18T19:05:00.000Z']);
    expect(emissions.powerKw).toBeCloseTo(12, 10);
    expect(emissions.coveredEnergyKwh).toBeCloseTo(9, 10);
    expect(emissions.emissionsLbs).toBeCloseTo(7.715, 10);
    expect(emissions.emissionsKg).toBeCloseTo(7.715 * 0.45359237, 10);
  });

  it('says in one line when nothing is stored for the run (exit 2) or the load is missing (exit 1)', async () => {
    const none = await runClient(['emissions', REGION, '--from', '2024-06-17T00:00:00Z', '--to', '2024-06-17T01:00:00Z', '--kw', '1'], env);
    expect({ code: none.code, stdout: none.stdout.split(': was')[0] }).toEqual({
      code: 2,
      stdout: `No MOER stored for PJM_DC (co2_moer) in bucket "${env['INFLUXDB_BUCKET']}" from 2024-06-17T00:00:00Z to 2024-06-17T01:00:00Z (12 period(s))`,
    });
    const noLoad = await runClient(['emissions', REGION, ...run], env);
    // The command's help follows the one line.
    expect({ code: noLoad.code, stderr: noLoad.stderr.split('\n')[0] }).toEqual({ code: 1, stderr: "error: option '--kw <kW>' or '--kwh <kWh>' is required" });
    const both = await runClient(['emissions', REGION, ...run, '--kw', '1', '--kwh', '1'], env);
    expect({ code: both.code, stderr: both.stderr.split('\n')[0] }).toEqual({ code: 1, stderr: "error: option '--kw <kW>' cannot be used with option '--kwh <kWh>'" });
  });
});
