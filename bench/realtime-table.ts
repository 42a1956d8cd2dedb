/** The real-time scale bench's one table: a row per number of regions (see `StepRow`). */
import Table from 'cli-table3';
import type { StepRow } from './realtime-step';

export const REALTIME_COLUMNS = [
  'regions',
  'interval s',
  'fetches (expected)',
  'missed',
  'lateness p50 s',
  'lateness p99 s',
  'lateness max s',
  'CPU ms/fetch worker',
  'CPU ms/fetch dev server',
  'CPU ms/fetch InfluxDB',
  'CPU ms/fetch emulator',
  'worker RSS MiB',
  'events/cycle',
  'WattTime calls (min)',
  'logins (min)',
  'plain loop CPU ms/fetch',
  'cost of durability',
] as const;

const seconds = (value: number | null): string => (value === null ? '-' : value.toFixed(2));
const ms = (value: number): string => value.toFixed(1);

/** `style` none: no colour codes, so the table reads the same in a terminal, a file and a test. */
export function realtimeTable(rows: readonly StepRow[]): string {
  const table = new Table({ head: [...REALTIME_COLUMNS], style: { head: [], border: [] } });
  for (const row of rows) {
    table.push([
      String(row.regions),
      String(row.intervalSeconds),
      `${row.fetches} (${row.expectedFetches})`,
      String(row.missed),
      seconds(row.latenessP50S),
      seconds(row.latenessP99S),
      seconds(row.latenessMaxS),
      ms(row.cpuMsPerFetch.worker),
      ms(row.cpuMsPerFetch['dev server']),
      ms(row.cpuMsPerFetch.InfluxDB),
      ms(row.cpuMsPerFetch.emulator),
      row.workerRssMiB.toFixed(0),
      row.eventsPerCycle === null ? '-' : String(row.eventsPerCycle),
      `${row.calls} (${row.minimumCalls})`,
      `${row.logins} (${row.minimumLogins})`,
      ms(row.plainLoopCpuMsPerFetch),
      `${row.durabilityRatio.toFixed(1)}x`,
    ]);
  }
  return table.toString();
}
