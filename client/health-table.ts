import Table from 'cli-table3';
import { unitsLabel } from '../common/units-label';
import type { StatusSummary } from '../regions/status-summary';
import type { RegionHealth } from '../workflows/health';

/** Columns the default table may take: it must read in a 100-column terminal without wrapping. */
export const NARROW_TABLE_COLUMNS = 100;

export interface HealthTableOptions {
  /** Every column (13, about 200 characters wide) instead of the ones an operator scans for. */
  readonly wide?: boolean;
}

/**
 * The health of each region as a table, one row per region, then one line per region that is
 * not healthy giving its reason. By default: region, status, period, g/kWh (or the signal's value
 * in its own unit), index, ok/all fetches, missed periods and next fetch, at most `NARROW_TABLE_COLUMNS` characters per line (cells wrap,
 * and only a value too long for any fitting column is cut with `…`). `wide` shows every counter
 * and timestamp. `--json` (not this table) is the complete answer.
 */
export function renderHealthTable(regions: readonly RegionHealth[], options: HealthTableOptions = {}): string {
  return options.wide === true ? wideTable(regions) : narrowTable(regions);
}

function narrowTable(regions: readonly RegionHealth[]): string {
  const head = ['Region', 'Status', 'Period', 'g/kWh', 'Index', 'ok/all', 'Missed', 'Next fetch'];
  const rows = regions.map((health) => {
    const reading = health.lastReading;
    return [
      // The signal type under the region, so a long pair does not widen the table.
      isDefaultSignal(health) ? health.region : `${health.region}\n${health.signalType}`,
      health.status,
      reading === null ? '-' : `${reading.pointTime.slice(5, 10)} ${reading.pointTime.slice(11, 16)}Z`,
      intensity(reading),
      number(reading?.indexPercentile ?? null, 0),
      `${health.totalFetches - health.failedFetches}/${health.totalFetches}`,
      String(health.missedPeriods),
      health.nextFetchAt === null ? '-' : `${health.nextFetchAt.slice(11, 19)}Z`,
    ];
  });
  const colWidths = fitColumns([head, ...rows], NARROW_TABLE_COLUMNS);
  const fitted = (row: readonly string[]): string[] => row.map((cell, column) => breakCell(cell, (colWidths[column] ?? 0) - CELL_PADDING));
  // cli-table3 cuts a line still too long for its column with `…`.
  const table = new Table({ head: fitted(head), colWidths, style: { head: [], border: [] } });
  table.push(...rows.map(fitted));
  const reasons = reasonLines(regions).flatMap((line) => wrap(line, NARROW_TABLE_COLUMNS));
  return [table.toString(), ...reasons].join('\n');
}

function wideTable(regions: readonly RegionHealth[]): string {
  const table = new Table({
    head: ['Region', 'Status', 'Period', 'Value', 'gCO2/kWh', 'Index', 'Fetches ok/all', 'Backfilled', 'Missed', 'Token refreshes', '401 retries', 'Token expires', 'Next fetch'],
    style: { head: [], border: [] },
  });
  for (const health of regions) {
    const reading = health.lastReading;
    table.push([
      label(health),
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
  return [table.toString(), ...reasonLines(regions)].join('\n');
}

const isDefaultSignal = (health: RegionHealth): boolean => health.signalType === 'co2_moer';

const label = (health: RegionHealth): string => (isDefaultSignal(health) ? health.region : `${health.region} ${health.signalType}`);

function reasonLines(regions: readonly RegionHealth[]): string[] {
  return regions.filter((health) => health.status !== 'healthy').map((health) => `${label(health)}: ${health.status} — ${health.statusReason}`);
}

/** g CO2/kWh where the signal is in lbs/MWh; any other signal's value in its own unit (`31.5 usd_per_mwh`). */
function intensity(reading: RegionHealth['lastReading']): string {
  if (typeof reading?.carbonIntensityGco2Kwh === 'number') return reading.carbonIntensityGco2Kwh.toFixed(1);
  return value(reading);
}

/** The signal's value with its unit (`870.5 lbs/MWh`); `-` without one. */
function value(reading: RegionHealth['lastReading']): string {
  return typeof reading?.value === 'number' ? `${reading.value.toFixed(1)} ${unitsLabel(reading.units)}` : '-';
}

/** "06-18 18:40:00Z" for the wide table; `--json` keeps full precision. */
function clock(iso: string | null): string {
  return iso === null ? '-' : `${iso.slice(5, 10)} ${iso.slice(11, 19)}Z`;
}

function number(amount: number | null, digits = 1): string {
  return amount === null ? '-' : amount.toFixed(digits);
}

/** cli-table3's cell padding, one space each side. */
const CELL_PADDING = 2;

/** Where a cell may break, in order of preference: at spaces (a period's date above its time), then after underscores (`MISO_` above `LOWER_MS`). */
const BREAKS = [/\s+/, /\s+|(?<=_)/];

/**
 * cli-table3 column widths (padding included) for `rows` (the head first) so that the table, its
 * borders included, takes at most `limit` characters: columns whose cells can break at a space
 * give up width first, the most room first, then those that can break after an underscore; only
 * then the widest column is narrowed further, its cells cut with `…`.
 */
function fitColumns(rows: readonly (readonly string[])[], limit: number): number[] {
  const columns = rows[0]?.length ?? 0;
  const widest = (column: number, separator: RegExp): number =>
    Math.max(...rows.flatMap((row) => (row[column] ?? '').split(separator).map((part) => part.length))) + CELL_PADDING;
  const widths = Array.from({ length: columns }, (_, column) => widest(column, /\n/));
  const width = (column: number): number => widths[column] ?? 0;
  const most = (measure: (column: number) => number): number =>
    widths.reduce((best, _, column) => (measure(column) > measure(best) ? column : best), 0);
  const tooWide = (): boolean => widths.reduce((sum, w) => sum + w, 0) + columns + 1 > limit;
  for (const separator of BREAKS) {
    const unbroken = Array.from({ length: columns }, (_, column) => widest(column, separator));
    const room = (column: number): number => width(column) - (unbroken[column] ?? 0);
    while (tooWide() && room(most(room)) > 0) widths[most(room)] = width(most(room)) - 1;
  }
  while (tooWide() && width(most(width)) > CELL_PADDING + 1) widths[most(width)] = width(most(width)) - 1;
  return widths;
}

/** `cell` with each line broken to at most `width` characters where `BREAKS` allow. */
function breakCell(cell: string, width: number): string {
  return cell
    .split('\n')
    .flatMap((line) => {
      const lines: string[] = [];
      let current = '';
      for (const piece of line.split(/(?<=\s)|(?<=_)/)) {
        if (current !== '' && `${current}${piece}`.trimEnd().length > width) {
          lines.push(current.trimEnd());
          current = '';
        }
        current += piece;
      }
      return [...lines, current.trimEnd()];
    })
    .join('\n');
}

/** Continuation lines of a wrapped reason start with this. */
const INDENT = '  ';

/** `line` as lines of at most `columns` characters, broken at spaces (a longer word is split). */
function wrap(line: string, columns: number): string[] {
  const lines: string[] = [];
  let current = '';
  for (const word of line.split(' ')) {
    if (current !== '' && current.length + 1 + word.length > columns) {
      lines.push(current);
      current = `${INDENT}${word}`;
    } else {
      current = current === '' ? word : `${current} ${word}`;
    }
    while (current.length > columns) {
      lines.push(current.slice(0, columns));
      current = `${INDENT}${current.slice(columns)}`;
    }
  }
  return [...lines, current];
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
