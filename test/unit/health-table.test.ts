import { describe, expect, it } from 'vitest';
import { NARROW_TABLE_COLUMNS, renderHealthTable } from '../../client/health-table';
import type { RegionHealth } from '../../workflows/health';

/** A region's health as the `health` query answers it; `overrides` change what a test needs. */
function health(region: string, overrides: Partial<RegionHealth> = {}): RegionHealth {
  return {
    region,
    signalType: 'co2_moer',
    status: 'healthy',
    statusReason: 'latest fetch succeeded',
    lastSuccessfulFetch: '2024-06-18T18:40:31.000Z',
    lastTokenRefresh: '2024-06-18T18:20:00.000Z',
    tokenRefreshCount: 3,
    tokenRetries401: 0,
    totalFetches: 120,
    failedFetches: 2,
    successRate: 118 / 120,
    consecutiveFailures: 0,
    lastError: null,
    tokenExpiresAt: '2024-06-18T18:50:00.000Z',
    tokenId: '0123456789ab',
    lastReading: {
      pointTime: '2024-06-18T18:40:00.000Z',
      value: 870.5,
      units: 'lbs_co2_per_mwh',
      carbonIntensityGco2Kwh: 394.85,
      indexPercentile: 42,
      forecast1h: 800,
      forecast24h: 900,
    },
    dataAgeSeconds: 90,
    unstoredPeriods: 0,
    nextFetchAt: '2024-06-18T18:45:30.000Z',
    missedPeriods: 0,
    backfilledPeriods: 12,
    backfillPendingPeriods: 0,
    revisedPeriods: 0,
    warnings: 0,
    intervalSeconds: 300,
    continuedAsNew: 0,
    ...overrides,
  };
}

const widths = (text: string): number[] => text.split('\n').map((line) => line.length);
/** The table's lines (box-drawing borders), without the reason lines below it. */
const tableLines = (text: string): string[] => text.split('\n').filter((line) => /^[┌│├└]/.test(line));
const reasonLines = (text: string): string[] => text.split('\n').filter((line) => !/^[┌│├└]/.test(line));

const refusedLogin =
  'needs the operator: WattTime /login answered 403: the account or password is wrong; fix WATTTIME_PASSWORD and restart the worker';

describe('the default health table', () => {
  it('shows what an operator scans for in at most 100 columns, the signal type under its region and reasons wrapped', () => {
    const text = renderHealthTable([
      health('CAISO_NORTH'),
      health('ERCOT_NORTHCENTRAL', { signalType: 'co2_aoer' }),
      health('PJM_DC', { status: 'unhealthy', statusReason: refusedLogin, lastReading: null, nextFetchAt: null }),
    ]);
    expect(text).toBe(
      [
        '┌────────────────────┬───────────┬──────────────┬───────┬───────┬─────────┬────────┬────────────┐',
        '│ Region             │ Status    │ Period       │ g/kWh │ Index │ ok/all  │ Missed │ Next fetch │',
        '├────────────────────┼───────────┼──────────────┼───────┼───────┼─────────┼────────┼────────────┤',
        '│ CAISO_NORTH        │ healthy   │ 06-18 18:40Z │ 394.9 │ 42    │ 118/120 │ 0      │ 18:45:30Z  │',
        '├────────────────────┼───────────┼──────────────┼───────┼───────┼─────────┼────────┼────────────┤',
        '│ ERCOT_NORTHCENTRAL │ healthy   │ 06-18 18:40Z │ 394.9 │ 42    │ 118/120 │ 0      │ 18:45:30Z  │',
        '│ co2_aoer           │           │              │       │       │         │        │            │',
        '├────────────────────┼───────────┼──────────────┼───────┼───────┼─────────┼────────┼────────────┤',
        '│ PJM_DC             │ unhealthy │ -            │ -     │ -     │ 118/120 │ 0      │ -          │',
        '└────────────────────┴───────────┴──────────────┴───────┴───────┴─────────┴────────┴────────────┘',
        'PJM_DC: unhealthy — needs the operator: WattTime /login answered 403: the account or password is',
        '  wrong; fix WATTTIME_PASSWORD and restart the worker',
      ].join('\n'),
    );
    expect(widths(text)).toEqual([97, 97, 97, 97, 97, 97, 97, 97, 97, 97, 96, 53]);
  });

  it('stays within 100 columns with long region codes, a year of fetches, another signal type and long reasons', () => {
    const longReason =
      '7 consecutive failed fetch(es), latest InfluxDBUnavailable; last success within 30 minutes; ' +
      'InfluxDB at http://influxdb.carbon-intensity.internal.example.com:8086 refused the write of bucket carbon_intensity';
    const text = renderHealthTable([
      health('ERCOT_NORTHCENTRAL', { signalType: 'co2_aoer', totalFetches: 105_120, failedFetches: 20, missedPeriods: 123_456 }),
      health('MISO_LOWER_MISSISSIPPI_RIVER', {
        signalType: 'health_damage',
        lastReading: { ...health('X').lastReading!, value: 31.5, units: 'usd_per_mwh', carbonIntensityGco2Kwh: null },
      }),
      health('PJM_DC', { status: 'degraded', statusReason: longReason, backfillPendingPeriods: 288 }),
      health('SPP_KANSAS', { status: 'paused', statusReason: 'paused by the operator', nextFetchAt: null }),
    ]);
    const table = tableLines(text);
    // The table had to give up width, so it takes exactly the 100 columns and no more.
    expect(table.map((line) => line.length)).toEqual(table.map(() => NARROW_TABLE_COLUMNS));
    // Cells break at spaces first (the period's date above its time), then after underscores:
    // nothing is cut, not even the longest region code.
    expect(table).toEqual([
      '┌───────────────────┬──────────┬────────┬─────────────┬───────┬───────────────┬────────┬───────────┐',
      '│ Region            │ Status   │ Period │ g/kWh       │ Index │ ok/all        │ Missed │ Next      │',
      '│                   │          │        │             │       │               │        │ fetch     │',
      '├───────────────────┼──────────┼────────┼─────────────┼───────┼───────────────┼────────┼───────────┤',
      '│ ERCOT_            │ healthy  │ 06-18  │ 394.9       │ 42    │ 105100/105120 │ 123456 │ 18:45:30Z │',
      '│ NORTHCENTRAL      │          │ 18:40Z │             │       │               │        │           │',
      '│ co2_aoer          │          │        │             │       │               │        │           │',
      '├───────────────────┼──────────┼────────┼─────────────┼───────┼───────────────┼────────┼───────────┤',
      '│ MISO_LOWER_       │ healthy  │ 06-18  │ 31.5 usd_   │ 42    │ 118/120       │ 0      │ 18:45:30Z │',
      '│ MISSISSIPPI_RIVER │          │ 18:40Z │ per_mwh     │       │               │        │           │',
      '│ health_damage     │          │        │             │       │               │        │           │',
      '├───────────────────┼──────────┼────────┼─────────────┼───────┼───────────────┼────────┼───────────┤',
      '│ PJM_DC            │ degraded │ 06-18  │ 394.9       │ 42    │ 118/120       │ 0      │ 18:45:30Z │',
      '│                   │          │ 18:40Z │             │       │               │        │           │',
      '├───────────────────┼──────────┼────────┼─────────────┼───────┼───────────────┼────────┼───────────┤',
      '│ SPP_KANSAS        │ paused   │ 06-18  │ 394.9       │ 42    │ 118/120       │ 0      │ -         │',
      '│                   │          │ 18:40Z │             │       │               │        │           │',
      '└───────────────────┴──────────┴────────┴─────────────┴───────┴───────────────┴────────┴───────────┘',
    ]);

    const reasons = reasonLines(text);
    expect(reasons.map((line) => line.length <= NARROW_TABLE_COLUMNS)).toEqual(reasons.map(() => true));
    // Wrapped at spaces, nothing lost: joined again they are the two reasons.
    expect(reasons.slice(0, -1).map((line) => line.trim()).join(' ')).toBe(`PJM_DC: degraded — ${longReason}`);
    expect(reasons.at(-1)).toBe('SPP_KANSAS: paused — paused by the operator');
  });

  it('cuts with … only a value that cannot break to fit', () => {
    const region = `REGION_${'X'.repeat(120)}`;
    const table = tableLines(renderHealthTable([health(region)]));
    expect(table.map((line) => line.length)).toEqual(table.map(() => NARROW_TABLE_COLUMNS));
    expect(table[4]).toMatch(/^│ REGION_ +│ healthy │/);
    expect(table[5]).toMatch(/^│ X{29}… │ +│/);
  });

  it('splits a word longer than a line in a reason rather than overflowing', () => {
    const url = `https://${'a'.repeat(150)}.example.com/`;
    const text = renderHealthTable([health('PJM_DC', { status: 'unhealthy', statusReason: `cannot reach ${url}` })]);
    const reasons = reasonLines(text);
    expect(reasons).toEqual(['PJM_DC: unhealthy — cannot reach', `  ${url.slice(0, 98)}`, `  ${url.slice(98)}`]);
    expect(reasons.map((line) => line.length)).toEqual([32, 100, 75]);
  });
});

describe('the wide health table', () => {
  it('has all 13 columns, counters and timestamps to the second', () => {
    const text = renderHealthTable([health('CAISO_NORTH', { backfillPendingPeriods: 4 })], { wide: true });
    const [, head, , row] = text.split('\n');
    const cells = (line = ''): string[] => line.split('│').slice(1, -1).map((cell) => cell.trim());
    expect(cells(head)).toEqual([
      'Region', 'Status', 'Period', 'Value', 'gCO2/kWh', 'Index', 'Fetches ok/all', 'Backfilled', 'Missed',
      'Token refreshes', '401 retries', 'Token expires', 'Next fetch',
    ]);
    expect(cells(row)).toEqual([
      'CAISO_NORTH', 'healthy', '06-18 18:40:00Z', '870.5 lbs/MWh', '394.9', '42', '118/120', '12 (+4 due)', '0', '3', '0',
      '06-18 18:50:00Z', '06-18 18:45:30Z',
    ]);
    expect(Math.max(...widths(text))).toBeGreaterThan(NARROW_TABLE_COLUMNS);
  });
});
