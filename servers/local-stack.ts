import { join } from 'node:path';
import { startInfluxDb, type InfluxDbServer } from './influxdb-server';
import { obtainServerBinaries, type ObtainServerBinaries, type ServerBinaries } from './obtain-binaries';
import { startTemporalDevServer, type TemporalDevServer } from './temporal-dev-server';

export interface LocalStack {
  readonly temporal: TemporalDevServer;
  readonly influx: InfluxDbServer;
  /** The binaries obtained before starting (the time-skipping server's path among them). */
  readonly binaries: ServerBinaries;
  stop(): Promise<void>;
}

export interface LocalStackOptions {
  /** Folder for server logs and InfluxDB's data. */
  readonly stateDir: string;
  /** Keep Temporal's workflows in `stateDir/temporal.sqlite` across restarts (else in memory). */
  readonly persistTemporal: boolean;
  readonly database: string;
  readonly temporalPort?: number;
  readonly temporalUiPort?: number;
  readonly influxPort?: number;
  /** How the binaries are obtained; `obtainServerBinaries` unless a test injects another. */
  readonly obtain?: ObtainServerBinaries;
}

/**
 * Obtains every binary first (which may install and build for minutes), and only then starts
 * the Temporal dev server and InfluxDB together, so each readiness deadline starts at its own
 * server's spawn. If either server fails, stops the other.
 *
 * @throws MissingDependencyError when a binary cannot be obtained (no server is started then);
 *   Error from the server that failed to start.
 */
export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const binaries = await (options.obtain ?? obtainServerBinaries)();
  const [temporal, influx] = await Promise.allSettled([
    startTemporalDevServer({
      executable: binaries.temporalCli,
      workDir: options.stateDir,
      dbFile: options.persistTemporal ? join(options.stateDir, 'temporal.sqlite') : undefined,
      port: options.temporalPort,
      uiPort: options.temporalUiPort,
    }),
    startInfluxDb({
      executable: binaries.influxd,
      workDir: join(options.stateDir, 'influxdb'),
      database: options.database,
      port: options.influxPort,
    }),
  ]);
  if (temporal.status === 'rejected' || influx.status === 'rejected') {
    await Promise.all([
      temporal.status === 'fulfilled' ? temporal.value.stop() : undefined,
      influx.status === 'fulfilled' ? influx.value.stop() : undefined,
    ]);
    throw temporal.status === 'rejected' ? temporal.reason : (influx as PromiseRejectedResult).reason;
  }
  return {
    temporal: temporal.value,
    influx: influx.value,
    binaries,
    stop: async () => {
      await Promise.all([temporal.value.stop(), influx.value.stop()]);
    },
  };
}
