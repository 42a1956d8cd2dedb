import { InfluxDB } from '@influxdata/influxdb-client';
import type { RegionHealth } from '../workflows/health';

export interface BoundedRunExpectation {
  readonly influxUrl: string;
  readonly influxToken: string;
  readonly bucket: string;
  readonly regions: readonly string[];
  /** Token refreshes each region must have made (the first login counts as one). */
  readonly minTokenRefreshes: number;
}

/**
 * What a bounded demo must have shown before it may exit 0: readings of every region in
 * InfluxDB and the token refreshes the settings promise. Returns the problems found, if any.
 */
export async function checkBoundedRun(expected: BoundedRunExpectation, healths: readonly RegionHealth[]): Promise<string[]> {
  const problems: string[] = [];
  const query = new InfluxDB({ url: expected.influxUrl, token: expected.influxToken }).getQueryApi('demo');
  for (const region of expected.regions) {
    const rows = await query.collectRows(
      `from(bucket: "${expected.bucket}") |> range(start: -24h)
        |> filter(fn: (r) => r._measurement == "carbon_intensity" and r.region == "${region}")
        |> count()`,
    );
    if (rows.length === 0) problems.push(`${region}: no reading arrived in InfluxDB`);
    const health = healths.find((h) => h.region === region);
    if (health === undefined) problems.push(`${region}: no health answer`);
    else if (health.tokenRefreshCount < expected.minTokenRefreshes) {
      problems.push(`${region}: ${health.tokenRefreshCount} token refresh(es), expected at least ${expected.minTokenRefreshes}`);
    }
  }
  return problems;
}
