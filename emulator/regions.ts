/** The fixed set of grid regions the emulator knows, with the boxes `/v3/region-from-loc` maps. */

export interface RegionInfo {
  region: string;
  fullName: string;
  parent: string;
}

/** A lat/lon rectangle; smaller boxes are listed first so they win where boxes overlap. */
interface CoverageBox {
  region: string;
  minLat: number;
  maxLat: number;
  minLon: number;
  maxLon: number;
}

/** The region every account, even a free one, may use in full. */
export const FREE_FULL_ACCESS_REGION = 'CAISO_NORTH';

export const KNOWN_REGIONS: readonly RegionInfo[] = [
  { region: 'CAISO_NORTH', fullName: 'California ISO Northern', parent: 'CAISO' },
  { region: 'PJM_DC', fullName: 'PJM DC', parent: 'PJM' },
  { region: 'ERCOT_NORTHCENTRAL', fullName: 'ERCOT North Central', parent: 'ERCOT' },
  { region: 'MISO_INDIANAPOLIS', fullName: 'MISO Indianapolis', parent: 'MISO' },
  { region: 'SPP_KANSAS', fullName: 'SPP Kansas', parent: 'SPP' },
  { region: 'NYISO_NYC', fullName: 'NYISO New York City', parent: 'NYISO' },
  { region: 'ISONE_WCMA', fullName: 'ISO New England Western/Central Massachusetts', parent: 'ISONE' },
  { region: 'BPA', fullName: 'Bonneville Power Administration', parent: 'BPA' },
  { region: 'DE', fullName: 'Germany', parent: 'DE' },
  { region: 'GB', fullName: 'Great Britain', parent: 'GB' },
];

const COVERAGE: readonly CoverageBox[] = [
  { region: 'PJM_DC', minLat: 38.79, maxLat: 39.0, minLon: -77.12, maxLon: -76.9 },
  { region: 'NYISO_NYC', minLat: 40.49, maxLat: 40.92, minLon: -74.26, maxLon: -73.7 },
  { region: 'ERCOT_NORTHCENTRAL', minLat: 31.5, maxLat: 34.0, minLon: -98.5, maxLon: -95.5 },
  { region: 'CAISO_NORTH', minLat: 36.0, maxLat: 42.0, minLon: -124.5, maxLon: -119.0 },
  { region: 'DE', minLat: 47.3, maxLat: 55.0, minLon: 5.9, maxLon: 15.0 },
  { region: 'GB', minLat: 50.0, maxLat: 59.0, minLon: -8.0, maxLon: 1.8 },
];

/**
 * Synthetic regions for scale benchmarks, `BENCH_<digits>` (e.g. `BENCH_0001`): known to the
 * emulator only, with a curve derived from the code like any region's (see data.ts). An account
 * that lists them gets them in full; `/v3/my-access` lists only the ones an account lists.
 */
const SYNTHETIC_REGION_PATTERN = /^BENCH_\d{1,6}$/;

export function isSyntheticRegion(region: string): boolean {
  return SYNTHETIC_REGION_PATTERN.test(region);
}

export function findRegion(region: string): RegionInfo | undefined {
  const known = KNOWN_REGIONS.find((r) => r.region === region);
  if (known !== undefined || !isSyntheticRegion(region)) return known;
  return { region, fullName: `Benchmark region ${region.slice('BENCH_'.length)}`, parent: 'BENCH' };
}

/** The region covering a point, or undefined outside every coverage box. */
export function regionAt(latitude: number, longitude: number): RegionInfo | undefined {
  const box = COVERAGE.find(
    (b) => latitude >= b.minLat && latitude <= b.maxLat && longitude >= b.minLon && longitude <= b.maxLon,
  );
  return box ? findRegion(box.region) : undefined;
}
