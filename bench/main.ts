/**
 * `npm run bench`: scale and recovery figures measured on the real time-skipping server with the
 * real activities, the WattTime emulator and a real InfluxDB of its own.
 * `npm run bench -- realtime [options]`: real-time scale on the real stack (bench/realtime-scale.ts).
 * `npm run bench -- scale-out [options]`: two workers on one task queue, one killed mid-burst (bench/scale-out.ts).
 */
import { Command, InvalidArgumentError } from 'commander';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { FETCH_INTERVAL_SECONDS } from '../common/limits';
import { FIVE_MINUTE_PERIOD_SECONDS } from '../common/names';
import { projectRoot } from '../servers/cache-dir';
import { startInfluxDb } from '../servers/influxdb-server';
import { obtainServerBinaries } from '../servers/obtain-binaries';
import { backfillRecoveryReport } from './backfill-recovery';
import { runRealtimeScale } from './realtime-scale';
import { regionScaleReport } from './region-scale';
import { runScaleOut, scaleOutTables } from './scale-out';

async function simulatedReports(): Promise<void> {
  const binaries = await obtainServerBinaries();
  const workDir = mkdtempSync(join(tmpdir(), 'bench-influxdb-'));
  const influx = await startInfluxDb({ executable: binaries.influxd, workDir, database: 'bench' });
  try {
    const servers = { influxUrl: influx.url, influxDatabase: influx.database, temporalTestServerPath: binaries.temporalTestServer };
    process.stdout.write(`${await regionScaleReport(servers)}\n\n`);
    process.stdout.write(`${await backfillRecoveryReport(servers)}\n`);
  } finally {
    await influx.stop();
    rmSync(workDir, { recursive: true, force: true });
  }
}

function wholeNumber(min: number, max: number): (text: string) => number {
  return (text) => {
    const value = Number(text);
    if (!/^\d+$/.test(text) || value < min || value > max) throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}`);
    return value;
  };
}

function regionCounts(text: string): number[] {
  const counts = text.split(',').map((part) => part.trim());
  if (counts.some((count) => !/^\d+$/.test(count) || Number(count) < 1 || Number(count) > 10_000)) {
    throw new InvalidArgumentError('expected comma-separated numbers of regions from 1 to 10000, e.g. 100,300,1000');
  }
  return counts.map(Number);
}

function workerSetting(text: string, previous: Record<string, string>): Record<string, string> {
  const match = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(text);
  if (!match?.[1] || match[2] === undefined) throw new InvalidArgumentError('expected NAME=value, e.g. LOG_LEVEL=warn');
  return { ...previous, [match[1]]: match[2] };
}

interface RealtimeCliOptions {
  regions: number[];
  quick: boolean;
  interval: number;
  bursts: number;
  callsPer5Minutes: number;
  fetchWindowSeconds?: number;
  workerEnv: Record<string, string>;
  profileDir?: string;
  output?: string;
}

const program = new Command('bench')
  .description('with no command: the scale and recovery reports on the time-skipping server')
  .action(simulatedReports);

program
  .command('realtime')
  .description('real-time scale on the real stack: N regions at their schedule under one worker, N stepped until lateness p99 passes 5 s')
  .option('--regions <counts>', 'numbers of regions to step through', regionCounts, [100, 300, 1000])
  .option('--quick', 'the compressed run: 50 regions, a 60 s interval, one burst (about 1.5 minutes); writes no file unless --output', false)
  .option('--interval <seconds>', 'each region\'s fetch interval', wholeNumber(FETCH_INTERVAL_SECONDS.min, FETCH_INTERVAL_SECONDS.max), 300)
  .option('--bursts <count>', 'intervals measured per step (more than 1 needs an interval that is a multiple of 300 s)', wholeNumber(1, 12), 1)
  .option('--calls-per-5-minutes <calls>', 'the emulator\'s call budget, also given to the worker as WATTTIME_CALLS_PER_5_MINUTES', wholeNumber(1, 1_000_000), 1_000_000)
  .option('--fetch-window-seconds <seconds>', 'given to each workflow (fetchWindowSeconds) and the worker (FETCH_WINDOW_SECONDS)', wholeNumber(0, 3_600))
  .option('--worker-env <NAME=value>', 'another worker setting, repeatable', workerSetting, {})
  .option('--profile-dir <dir>', 'the worker and the plain loop write V8 CPU profiles (node --cpu-prof) here; see bench/cpu-profile-summary.ts')
  .option('--output <file>', 'where the table is written with the machine and the command (default: BENCHMARKS.md, but nowhere with --quick)')
  .action(async (options: RealtimeCliOptions, command: Command) => {
    const given = (name: string): boolean => command.getOptionValueSource(name) === 'cli';
    const regions = options.quick && !given('regions') ? [50] : options.regions;
    const intervalSeconds = options.quick && !given('interval') ? 60 : options.interval;
    const bursts = options.quick && !given('bursts') ? 1 : options.bursts;
    if (bursts > 1 && intervalSeconds % FIVE_MINUTE_PERIOD_SECONDS !== 0) {
      throw new InvalidArgumentError(`--bursts ${bursts} needs an --interval that is a multiple of 300 s (an unaligned schedule drifts with lateness)`);
    }
    const table = await runRealtimeScale({
      regions,
      intervalSeconds,
      bursts,
      callsPer5Minutes: options.callsPer5Minutes,
      fetchWindowSeconds: options.fetchWindowSeconds,
      workerEnv: options.workerEnv,
      profileDir: options.profileDir === undefined ? undefined : resolve(options.profileDir),
      // A routine quick run leaves the checkout's BENCHMARKS.md alone unless asked.
      output: options.output ?? (options.quick ? undefined : join(projectRoot, 'BENCHMARKS.md')),
      command: ['npm run bench --', ...process.argv.slice(2)].join(' '),
      log: (line) => process.stderr.write(`bench: ${line}\n`),
    });
    process.stdout.write(`${table}\n`);
  });

interface ScaleOutCliOptions {
  regions: number;
  interval: number;
  callsPer5Minutes: number;
  fetchWindowSeconds?: number;
}

program
  .command('scale-out')
  .description('two worker processes on one task queue, N regions at their schedule; worker 2 is SIGKILLed halfway through a burst')
  .option('--regions <count>', 'number of regions', wholeNumber(1, 10_000), 1000)
  .option('--interval <seconds>', 'each region\'s fetch interval', wholeNumber(FETCH_INTERVAL_SECONDS.min, FETCH_INTERVAL_SECONDS.max), 300)
  .option('--calls-per-5-minutes <calls>', 'the emulator\'s call budget, also given to the workers as WATTTIME_CALLS_PER_5_MINUTES', wholeNumber(1, 1_000_000), 1_000_000)
  .option('--fetch-window-seconds <seconds>', 'given to each workflow (fetchWindowSeconds) and the workers (FETCH_WINDOW_SECONDS)', wholeNumber(0, 3_600))
  .action(async (options: ScaleOutCliOptions) => {
    const result = await runScaleOut({
      regions: options.regions,
      intervalSeconds: options.interval,
      callsPer5Minutes: options.callsPer5Minutes,
      fetchWindowSeconds: options.fetchWindowSeconds,
      log: (line) => process.stderr.write(`bench: ${line}\n`),
    });
    process.stdout.write(`${scaleOutTables(result)}\n`);
  });

program.parseAsync().catch((error: unknown) => {
  const message = error instanceof InvalidArgumentError ? `bench: ${error.message}` : `bench failed: ${(error as Error).stack ?? String(error)}`;
  process.stderr.write(`${message}\n`);
  process.exit(1);
});
