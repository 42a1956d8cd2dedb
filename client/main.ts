/**
 * `npm run client -- <command>` (also the `carbon-intensity` bin): start region workflows and
 * read or steer them. Temporal is reached through the SDK's environment configuration
 * (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TLS…).
 */
import { Command, Option } from 'commander';
import { StorageUnavailableError } from '../activities/storage-errors';
import { DEFAULT_SIGNAL_TYPE } from '../common/names';
import { ConfigError, loadClientSettings, loadWattTimeSettings } from '../config/settings';
import { SearchAttributeError } from '../regions/carbon-region-attribute';
import { WattTimeError } from '../watttime/errors';
import { duration, isoTime, jsonArguments, positiveNumber, timeOrFromNow } from './argument-parsers';
import { ArgumentError, intervalSeconds, regionCode, regionCodes, signalType } from './arguments';
import { showBestWindow } from './commands/best-window';
import { applyToRegions, changeInterval, refreshToken } from './commands/controls';
import type { CommandContext, ExitCode, ReadingContext } from './commands/context';
import { showEmissions } from './commands/emissions';
import { showHealth, type HealthOptions } from './commands/health';
import { listRegions } from './commands/list';
import { scheduleJob } from './commands/schedule-job';
import { startRegions } from './commands/start';
import { readingContext } from './reading-context';
import { connectTemporal, TemporalUnreachableError } from './temporal-client';

/** Connects, runs one command, closes; the command's exit code becomes the process's. */
async function run(command: (context: CommandContext) => Promise<ExitCode>): Promise<void> {
  const settings = loadClientSettings();
  const temporal = await connectTemporal();
  try {
    process.exitCode = await command({ client: temporal.client, settings, out: (line) => process.stdout.write(`${line}\n`) });
  } finally {
    await temporal.close();
  }
}

const print = (line: string): boolean => process.stdout.write(`${line}\n`);

/** Runs one command that only reads InfluxDB (no Temporal connection). */
async function read(command: (context: ReadingContext) => Promise<ExitCode>): Promise<void> {
  process.exitCode = await command(readingContext(print));
}

// A mistake is one line (see `--help` for usage): no usage text after it.
const program = new Command('carbon-intensity').description('Start and operate the per-region carbon-intensity workflows');

program
  .command('start')
  .description('start one workflow per region (default: GRID_REGIONS), after checking the WattTime plan')
  .argument('[regions...]', 'WattTime region codes, e.g. CAISO_NORTH')
  .option('--signal-type <type>', 'WattTime signal type', DEFAULT_SIGNAL_TYPE)
  .action((regions: string[], options: { signalType: string }) => {
    const wanted = { regions: regionCodes(regions), signalType: signalType(options.signalType) };
    const wattTime = loadWattTimeSettings();
    return run((context) => startRegions(context, wattTime, wanted.regions, { signalType: wanted.signalType }));
  });

program
  .command('health')
  .description(
    'show health per region (default: GRID_REGIONS, else every running region): each status, or full health for named regions or with --detail; exit 1 if any is not healthy/degraded',
  )
  .argument('[regions...]')
  .option('--json', 'print the complete health as JSON instead of a table')
  .option('--detail', 'full health (readings, counters, last error) of every region: one query per region')
  .option('--wide', 'with full health, show every column of the table (about 200 characters wide)')
  .action((regions: string[], options: HealthOptions) => {
    const named = regionCodes(regions);
    return run((context) => showHealth(context, named, options));
  });

program
  .command('refresh')
  .description("force a WattTime token refresh for a region's workflow now")
  .argument('<region>')
  .action((region: string) => {
    const named = regionCode(region);
    return run((context) => refreshToken(context, named));
  });

program
  .command('interval')
  .description('change how often a region is fetched (60-3600 seconds)')
  .argument('<region>')
  .argument('<seconds>', 'new interval in whole seconds')
  .action((region: string, value: string) => {
    const named = regionCode(region);
    const seconds = intervalSeconds(value);
    return run((context) => changeInterval(context, named, seconds));
  });

for (const action of ['pause', 'resume', 'stop'] as const) {
  program
    .command(action)
    .description(`${action === 'stop' ? 'gracefully stop' : action} regions (default: all running)`)
    .argument('[regions...]')
    .action((regions: string[]) => {
      const named = regionCodes(regions);
      return run((context) => applyToRegions(context, action, named));
    });
}

program
  .command('list')
  .description('list region workflows and their execution status')
  .action(() => run(listRegions));

/** A command about a job in one region: `<region>` and the job's `--duration`. */
function jobCommand(name: string, description: string): Command {
  return program
    .command(name)
    .description(description)
    .argument('<region>', 'WattTime region code', regionCode)
    .requiredOption('--duration <duration>', "the job's length, e.g. 90m (rounded up to 5-minute periods)", duration);
}

jobCommand('best-window', 'the greenest window for a job, from the newest stored forecast (exit 2: no forecast stored)')
  .option('--within <duration>', 'the job must finish within this long from now, e.g. 24h', duration)
  .option('--json', 'print JSON')
  .action((region: string, o: { duration: number; within?: number; json?: boolean }) =>
    read((context) => showBestWindow(context, region, { durationMs: o.duration, withinMs: o.within, json: o.json === true })),
  );

const emissions: Command = program
  .command('emissions')
  .description("a job's emissions from the stored MOER, with the periods missing (exit 2: none stored)")
  .argument('<region>', 'WattTime region code', regionCode)
  .requiredOption('--from <time>', 'when the job started, ISO-8601', isoTime)
  .requiredOption('--to <time>', 'when it ended, ISO-8601', isoTime)
  .addOption(new Option('--kw <kW>', 'its constant power draw').argParser(positiveNumber).conflicts('kwh'))
  .option('--kwh <kWh>', 'its total energy, spread evenly over the run', positiveNumber)
  .option('--json', 'print JSON')
  .action((region: string, o: { from: number; to: number; kw?: number; kwh?: number; json?: boolean }) => {
    const load = o.kw !== undefined ? { kw: o.kw } : o.kwh !== undefined ? { kwh: o.kwh } : undefined;
    if (load === undefined) emissions.error("error: option '--kw <kW>' or '--kwh <kWh>' is required");
    return read((context) => showEmissions(context, region, { fromMs: o.from, toMs: o.to, load, json: o.json === true }));
  });

jobCommand('schedule-job', 'start a workflow in the greenest window before a deadline (carbonAwareStartWorkflow)')
  .requiredOption('--deadline <time>', 'it must finish by then: ISO-8601, or a duration from now such as 12h', timeOrFromNow)
  .requiredOption('--workflow <type>', 'the workflow type to start')
  .requiredOption('--task-queue <queue>', 'the task queue its workers poll')
  .option('--args <json>', 'its arguments: a JSON array (any other JSON value is the only argument)', jsonArguments, [])
  .option('--workflow-id <id>', 'id of the carbon-aware workflow; the job gets <id>:job')
  .action(
    (region: string, o: { duration: number; deadline: number; workflow: string; taskQueue: string; args: unknown[]; workflowId?: string }) =>
      run((context) =>
        scheduleJob(context, {
          region,
          durationMs: o.duration,
          deadlineMs: o.deadline,
          workflowType: o.workflow,
          taskQueue: o.taskQueue,
          args: o.args,
          workflowId: o.workflowId,
        }),
      ),
  );

program.parseAsync().catch((error: unknown) => {
  // Operator-facing failures are one line; nothing here can contain a secret.
  const known =
    error instanceof ConfigError ||
    error instanceof ArgumentError ||
    error instanceof WattTimeError ||
    error instanceof TemporalUnreachableError ||
    error instanceof StorageUnavailableError ||
    error instanceof SearchAttributeError;
  process.stderr.write(`${known ? (error as Error).message : `error: ${(error as Error).message ?? String(error)}`}\n`);
  process.exitCode = 1;
});
