/**
 * `npm run client -- <command>` (also the `carbon-intensity` bin): start region workflows and
 * read or steer them. Temporal is reached through the SDK's environment configuration
 * (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TLS…).
 */
import { Command } from 'commander';
import { ConfigError, loadClientSettings, loadWattTimeSettings } from '../config/settings';
import { WattTimeError } from '../watttime/errors';
import { DEFAULT_SIGNAL_TYPE } from '../common/names';
import { ArgumentError, intervalSeconds, regionCode, regionCodes, signalType } from './arguments';
import { applyToRegions, changeInterval, refreshToken } from './commands/controls';
import type { CommandContext, ExitCode } from './commands/context';
import { showHealth } from './commands/health';
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
  .description('show health per region (default: GRID_REGIONS, else every running region); exit 1 if any is not healthy/degraded')
  .argument('[regions...]')
  .option('--json', 'print JSON instead of a table')
  .action((regions: string[], options: { json?: boolean }) => {
    const named = regionCodes(regions);
    return run((context) => showHealth(context, named, options.json === true));
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

program.parseAsync().catch((error: unknown) => {
  // Operator-facing failures are one line; nothing here can contain a secret.
  const known =
    error instanceof ConfigError ||
    error instanceof ArgumentError ||
    error instanceof WattTimeError ||
    error instanceof TemporalUnreachableError;
  process.stderr.write(`${known ? (error as Error).message : `error: ${(error as Error).message ?? String(error)}`}\n`);
  process.exitCode = 1;
});
