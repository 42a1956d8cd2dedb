import Table from 'cli-table3';
import { unitsLabel } from '../common/units-label';
import type { StatusSummary } from '../regions/status-summary';
import type { RegionHealth } from '../workflows/health';

/** "18:40:00Z" for today-ish timestamps; the table is for eyes, `--json` keeps full precision. */
function clock(iso: string | null): string {
  return iso === null ? '-' : `${iso.slice(5, 10)} ${iso.slice(11, 19)}Z`;
}

function number(value: number | null, digits = 1): string {
  return value === null ? '-' : value.toFixed(digits);
}

/** The signal's value with its unit (`870.5 lbs/MWh`); `-` without one. */
function value(reading: RegionHealth['lastReading']): string {
  return typeof reading?.value === 'number' ? `${reading.value.toFixed(1)} ${unitsLabel(reading.units)}` : '-';
}

/** The health of each region as a readable table, one row per region. */
export function renderHealthTable(regions: readonly RegionHealth[]): string {
  const table = new Table({
    head: ['Region', 'Status', 'Period', 'Value', 'gCO2/kWh', 'Index', 'Fetches ok/all', 'Backfilled', 'Missed', 'Token refreshes', '401 retries', 'Token expires', 'Next fetch'],
    style: { head: [], border: [] },
  });
  for (const health of regions) {
    const reading = health.lastReading;
    const region = health.signalType === 'co2_moer' ? health.region : `${health.region} ${health.signalType}`;
    table.push([
      region,
      health.status,
      clock(reading?.pointTime ?? null),
      value(reading),
      number(reading?.carbonIntensityGco2Kwh ?? null),
      number(reading?.indexPercentile ?? null, 0),
      `${health.totalFetches - health.failedFetches}/${health.totalFetches}`,
      health.backfillPendingPeriods === 0
        ? String(health.backfilledPeriods)
        : `${health.backfilledPeriods} (+${health.backfillPendingPeriods} due)`,
      String(health.missedPeriods),
      String(health.tokenRefreshCount),
      String(health.tokenRetries401),
      clock(health.tokenExpiresAt),
      clock(health.nextFetchAt),
    ]);
  }
  const reasons = regions
    .filter((health) => health.status !== 'healthy')
    .map((health) => `${health.region}: ${health.status} — ${health.statusReason}`);
  return [table.toString(), ...reasons].join('\n');
}

/**
 * How many regions run and a table of those that need a look, e.g.
 * `3 region(s) running, 1 unhealthy or paused:` and one row per such region.
 */
export function renderStatusSummary(summary: StatusSummary): string {
  const { running, notWorking } = summary;
  const hint = 'name regions or add --detail for readings and counters';
  if (notWorking.length === 0) return `${running} region(s) running, all healthy or degraded; ${hint}`;
  const table = new Table({ head: ['Region', 'Status'], style: { head: [], border: [] } });
  for (const { region, signalType, status } of notWorking) {
    table.push([signalType === 'co2_moer' ? region : `${region} ${signalType}`, status]);
  }
  return `${running} region(s) running, ${notWorking.length} unhealthy or paused (${hint}):\n${table.toString()}`;
}
