/**
 * `npm run client -- <command>` (also the `carbon-intensity` bin): start region workflows and
 * read or steer them. Temporal is reached through the SDK's environment configuration
 * (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TLS…).
 */
import { Command, InvalidArgumentError } from 'commander';
import { ConfigError, loadClientSettings, loadWattTimeSettings } from '../config/settings';
import { SearchAttributeError } from '../regions/carbon-region-attribute';
import { WattTimeError } from '../watttime/errors';
import { DEFAULT_SIGNAL_TYPE } from '../common/names';
import { applyToRegions, changeInterval, refreshToken } from './commands/controls';
import type { CommandContext, ExitCode } from './commands/context';
import { showHealth, type HealthOptions } from './commands/health';
import { listRegions } from './commands/list';
import { startRegions } from './commands/start';
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

function seconds(value: string): number {
  const parsed = Number(value);
  if (!Number.isFinite(parsed)) throw new InvalidArgumentError('must be a number of seconds.');
  return parsed;
}

const program = new Command('carbon-intensity')
  .description('Start and operate the per-region carbon-intensity workflows')
  .showHelpAfterError();

program
  .command('start')
  .description('start one workflow per region (default: GRID_REGIONS), after checking the WattTime plan')
  .argument('[regions...]', 'WattTime region codes, e.g. CAISO_NORTH')
  .option('--signal-type <type>', 'WattTime signal type', DEFAULT_SIGNAL_TYPE)
  .action((regions: string[], options: { signalType: string }) => {
    const wattTime = loadWattTimeSettings();
    return run((context) => startRegions(context, wattTime, regions, options));
  });

program
  .command('health')
  .description('show health per region (default: GRID_REGIONS, else every running region); exit 1 if any is not healthy/degraded')
  .argument('[regions...]')
  .option('--json', 'print the complete health as JSON instead of a table')
  .option('--wide', 'show every column of the table (about 200 characters wide)')
  .action((regions: string[], options: HealthOptions) => run((context) => showHealth(context, regions, options)));

program
  .command('refresh')
  .description("force a WattTime token refresh for a region's workflow now")
  .argument('<region>')
  .action((region: string) => run((context) => refreshToken(context, region)));

program
  .command('interval')
  .description('change how often a region is fetched (60-3600 seconds)')
  .argument('<region>')
  .argument('<seconds>', 'new interval', seconds)
  .action((region: string, value: number) => run((context) => changeInterval(context, region, value)));

for (const action of ['pause', 'resume', 'stop'] as const) {
  program
    .command(action)
    .description(`${action === 'stop' ? 'gracefully stop' : action} regions (default: all running)`)
    .argument('[regions...]')
    .action((regions: string[]) => run((context) => applyToRegions(context, action, regions)));
}

program
  .command('list')
  .description('list region workflows and their execution status')
  .action(() => run(listRegions));

program.parseAsync().catch((error: unknown) => {
  // Operator-facing failures are one line; nothing here can contain a secret.
  const known =
    error instanceof ConfigError ||
    error instanceof WattTimeError ||
    error instanceof TemporalUnreachableError ||
    error instanceof SearchAttributeError;
  process.stderr.write(`${known ? (error as Error).message : `error: ${(error as Error).message ?? String(error)}`}\n`);
  process.exitCode = 1;
});
