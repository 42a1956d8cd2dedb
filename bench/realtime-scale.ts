/**
 * `npm run bench -- realtime [--regions 100,300,1000] [--quick]`: real-time scale on the real
 * stack. For each number of regions N (a fresh stack each), N region workflows run at their real
 * schedule under ONE worker process, and whole bursts are measured (bench/realtime-step.ts):
 * fetch-start lateness p50/p99/max from workflow histories, missed periods, CPU ms per fetch of
 * the worker, the dev server, InfluxDB and the emulator (from /proc), the worker's RSS, history
 * events per cycle, WattTime calls and logins against the minimum (emulator counters), and the
 * cost of durability: (worker + dev server) CPU per fetch ÷ a plain loop's making the same calls
 * and writes without Temporal. Stepping stops once lateness p99 passes 5 s. Prints one table and
 * writes it to BENCHMARKS.md with the machine, the date and the command.
 *
 * `--quick` (50 regions, a 60 s interval, one burst) finishes in about 3 minutes: every region is
 * started at once, so all are due in the same second one interval later. At the 300 s default
 * the burst is the aligned 5-minute boundary, which may be up to 5.5 minutes away.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeBenchmarksFile } from './benchmarks-file';
import { runStep, type StepRow } from './realtime-step';
import { realtimeTable } from './realtime-table';

/** Stepping stops at the first N whose lateness p99 passes this. */
export const LATENESS_P99_LIMIT_S = 5;

export interface RealtimeOptions {
  /** Numbers of regions, stepped in this order. */
  readonly regions: readonly number[];
  readonly intervalSeconds: number;
  /** Whole intervals measured (more than one only for intervals aligned to 5 minutes). */
  readonly bursts: number;
  /** The emulator's data-call budget per 5 minutes, and the worker's `WATTTIME_CALLS_PER_5_MINUTES`. */
  readonly callsPer5Minutes: number;
  /** Given to each workflow as `fetchWindowSeconds` and to the worker as `FETCH_WINDOW_SECONDS` (when set). */
  readonly fetchWindowSeconds: number | undefined;
  readonly workerEnv: Readonly<Record<string, string>>;
  /** When set, the worker and the plain loop write V8 CPU profiles here (`node --cpu-prof`). */
  readonly profileDir: string | undefined;
  /** Where the table is written with the machine and the command; nowhere when undefined. */
  readonly output: string | undefined;
  /** The command line, as BENCHMARKS.md shows it. */
  readonly command: string;
  readonly log: (line: string) => void;
}

/** Runs the steps and answers the table (also written to `output` when given). */
export async function runRealtimeScale(options: RealtimeOptions): Promise<string> {
  const workDir = mkdtempSync(join(tmpdir(), 'bench-realtime-'));
  options.log(`work folder ${workDir}`);
  const rows: StepRow[] = [];
  const notes: string[] = [];
  for (const regions of options.regions) {
    const row = await runStep({ ...options, regions, workDir });
    rows.push(row);
    options.log(`${regions} regions: lateness p99 ${row.latenessP99S?.toFixed(2) ?? '-'} s, ${row.missed} missed`);
    if (row.latenessP99S === null || row.latenessP99S > LATENESS_P99_LIMIT_S) {
      notes.push(`Stepping stopped at ${regions} regions: lateness p99 passed ${LATENESS_P99_LIMIT_S} s.`);
      break;
    }
  }
  const table = realtimeTable(rows);
  notes.push(
    'Lateness: the fetchAndStore ActivityTaskStarted time minus the intended fire time (TimerStarted time + its duration) of the timer before it, from each workflow history.',
    'CPU ms per completed fetch from /proc utime + stime (descendants included), counted from the burst\'s first WattTime call until 3 s after its last; the plain loop runs the same fetchAndStore function with the same WattTime session and InfluxDB writer, no Temporal, 100 at a time.',
    'Cost of durability: (worker + dev server) CPU per fetch ÷ the plain loop\'s. Missed: fetches due in the measured intervals that did not complete. Logins and calls against the minimum: one login per token lifetime, two calls (forecast + index) per fetch.',
  );
  if (options.output !== undefined) {
    writeBenchmarksFile({ path: options.output, command: options.command, table, notes });
    options.log(`wrote ${options.output}`);
  }
  return table;
}
