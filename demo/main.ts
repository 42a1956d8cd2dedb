/**
 * `npm run demo`: everything on this machine — the Temporal dev server (Web UI, workflows kept in
 * .local/demo), InfluxDB, the WattTime emulator (or the real API when WATTTIME_USERNAME or WATTTIME_USER is set),
 * the worker and one workflow per region — with a live health table. Ctrl-C stops it all; the
 * next run resumes the same workflows. `--for 90s` runs a bounded demo that exits 0 only after
 * readings reached InfluxDB and every region refreshed its token.
 */
import { Command, InvalidArgumentError } from 'commander';
import { join } from 'node:path';
import { loadClientSettings, loadWattTimeSettings } from '../config/settings';
import { startEmulator, type RunningEmulator } from '../emulator/server';
import { startRegions } from '../client/commands/start';
import { renderHealthTable } from '../client/health-table';
import { queryHealth } from '../regions/query-health';
import { connectTemporal } from '../client/temporal-client';
import { projectRoot } from '../servers/cache-dir';
import { startLocalStack, type LocalStack } from '../servers/local-stack';
import type { ManagedProcess } from '../servers/managed-process';
import { MissingDependencyError } from '../servers/missing-dependency-error';
import { startWorkerProcess } from '../servers/worker-process';
import { regionWorkflowId } from '../workflows/ids';
import { checkBoundedRun } from './bounded-run-check';
import { parseDuration } from './duration';
import { LiveView } from './live-view';

interface DemoOptions {
  for?: number;
  stateDir: string;
  temporalPort: number;
  uiPort: number;
  influxPort: number;
  emulatorPort: number;
}

const DEFAULT_REGIONS = ['CAISO_NORTH', 'PJM_DC', 'ERCOT_NORTHCENTRAL'];
/** The emulator's tokens live 60 s and are refreshed 20 s early, so refreshes show within a minute. */
const EMULATOR_TOKEN_SECONDS = 60;
const EMULATOR_ACCOUNT = { username: 'demo', password: 'demo-password' };
/** InfluxDB 1.x runs without auth here; its v2 API still wants a `user:password` token. */
const INFLUX_TOKEN = 'demo:demo';

function port(text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1 || value > 65_535) throw new InvalidArgumentError('expected a port number.');
  return value;
}

const say = (line: string): boolean => process.stdout.write(`${line}\n`);

async function main(options: DemoOptions): Promise<number> {
  const useEmulator = !process.env['WATTTIME_USERNAME'] && !process.env['WATTTIME_USER'];
  const regions = process.env['GRID_REGIONS'] ? loadClientSettings().GRID_REGIONS : DEFAULT_REGIONS;
  const bucket = 'carbon_intensity';
  const healthPort = process.env['HEALTH_PORT'] ?? '8010';
  const stopTasks: (() => Promise<void>)[] = [];
  const stopAll = async (): Promise<void> => {
    for (const stop of stopTasks.reverse()) await stop().catch(() => undefined);
  };
  let interrupted = false;
  const onSignal = (): void => {
    interrupted = true;
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  try {
    say(
      'Obtaining the Temporal and InfluxDB binaries, then starting both servers ' +
        '(the first run on a machine builds InfluxDB, 7-15 minutes on 2 cores; later runs start in seconds)…',
    );
    const stack: LocalStack = await startLocalStack({
      stateDir: options.stateDir,
      database: bucket,
      persistTemporal: true,
      temporalPort: options.temporalPort,
      temporalUiPort: options.uiPort,
      influxPort: options.influxPort,
    });
    stopTasks.push(() => stack.stop());

    let emulator: RunningEmulator | undefined;
    if (useEmulator) {
      const running = await startEmulator({
        port: options.emulatorPort,
        accounts: [{ ...EMULATOR_ACCOUNT, regions: DEFAULT_REGIONS.filter((region) => region !== 'CAISO_NORTH') }],
        tokenTtlSeconds: EMULATOR_TOKEN_SECONDS,
        tokenFormat: 'jwt',
      });
      stopTasks.push(() => running.close());
      emulator = running;
    }
    const env: NodeJS.ProcessEnv = {
      ...(emulator
        ? {
            WATTTIME_USERNAME: EMULATOR_ACCOUNT.username,
            WATTTIME_PASSWORD: EMULATOR_ACCOUNT.password,
            WATTTIME_BASE_URL: emulator.url,
            TOKEN_REFRESH_BUFFER_SECONDS: '15',
            FETCH_INTERVAL_SECONDS: '60',
          }
        : {}),
      TEMPORAL_ADDRESS: stack.temporal.address,
      TEMPORAL_NAMESPACE: 'default',
      INFLUXDB_URL: stack.influx.url,
      INFLUXDB_TOKEN: INFLUX_TOKEN,
      INFLUXDB_ORG: 'demo',
      INFLUXDB_BUCKET: bucket,
      GRID_REGIONS: regions.join(','),
      HEALTH_PORT: healthPort,
    };
    // The client commands below read their settings from the environment, as they do for users.
    Object.assign(process.env, env);

    const worker: ManagedProcess = await startWorkerProcess({ env, logFile: join(options.stateDir, 'worker.log') });
    stopTasks.push(() => worker.stop());

    const temporal = await connectTemporal();
    stopTasks.push(() => temporal.close());
    const context = { client: temporal.client, settings: loadClientSettings(), out: say };
    await startRegions(context, loadWattTimeSettings(), regions, { signalType: 'co2_moer' });

    const header = [
      `Temporal Web UI  ${stack.temporal.webUiUrl}  (gRPC ${stack.temporal.address})`,
      `Worker health    http://127.0.0.1:${healthPort}/health`,
      `InfluxDB         ${stack.influx.url}  (bucket ${bucket})`,
      `WattTime         ${emulator ? `${emulator.url} (emulator, ${EMULATOR_TOKEN_SECONDS}s tokens)` : env['WATTTIME_BASE_URL'] ?? 'https://api.watttime.org'}`,
      `Logs             ${options.stateDir}`,
      options.for ? `Running for ${options.for / 1000}s.` : 'Ctrl-C stops everything; the next `npm run demo` resumes the same workflows.',
    ].join('\n');
    const workflowIds = regions.map((region) => regionWorkflowId(region));
    const deadline = options.for ? Date.now() + options.for : Infinity;
    const view = new LiveView();
    let lastPrinted = 0;
    while (!interrupted && Date.now() < deadline) {
      if (view.inPlace || Date.now() - lastPrinted >= 30_000) {
        const { healths, problems } = await queryHealth(temporal.client, workflowIds);
        view.show([header, '', renderHealthTable(healths), ...problems].join('\n'));
        lastPrinted = Date.now();
      }
      await new Promise((resolveTick) => setTimeout(resolveTick, Math.min(2_000, Math.max(0, deadline - Date.now()))));
    }
    if (interrupted || !options.for) return 0;

    const { healths } = await queryHealth(temporal.client, workflowIds);
    const problems = await checkBoundedRun(
      { influxUrl: stack.influx.url, influxToken: INFLUX_TOKEN, bucket, regions, minTokenRefreshes: emulator ? 2 : 1 },
      healths,
    );
    say(renderHealthTable(healths));
    for (const problem of problems) say(`Demo check failed: ${problem}`);
    if (problems.length === 0) say(`Demo check passed: readings of ${regions.length} regions in InfluxDB, tokens refreshed.`);
    return problems.length === 0 ? 0 : 1;
  } finally {
    say('Stopping everything the demo started…');
    await stopAll();
  }
}

const program = new Command('demo')
  .description('Run the whole service locally with a live health table')
  .option('--for <duration>', 'stop after this long (e.g. 90s) and exit 0 only if data arrived', parseDuration)
  .option('--state-dir <dir>', 'where workflows, data and logs are kept', join(projectRoot, '.local', 'demo'))
  .option('--temporal-port <port>', 'Temporal gRPC port', port, 7233)
  .option('--ui-port <port>', 'Temporal Web UI port', port, 8233)
  .option('--influx-port <port>', 'InfluxDB port', port, 8086)
  .option('--emulator-port <port>', 'WattTime emulator port', port, 8090)
  .parse();

main(program.opts<DemoOptions>()).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof MissingDependencyError ? error.message : `demo failed: ${String(error)}`}\n`);
    process.exit(1);
  },
);
