import { join } from 'node:path';
import { startInfluxDb, type InfluxDbServer } from './influxdb-server';
import { startTemporalDevServer, type TemporalDevServer } from './temporal-dev-server';

export interface LocalStack {
  readonly temporal: TemporalDevServer;
  readonly influx: InfluxDbServer;
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
}

/** Starts the Temporal dev server and InfluxDB together; if either fails, stops the other. */
export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const [temporal, influx] = await Promise.allSettled([
    startTemporalDevServer({
      workDir: options.stateDir,
      dbFile: options.persistTemporal ? join(options.stateDir, 'temporal.sqlite') : undefined,
      port: options.temporalPort,
      uiPort: options.temporalUiPort,
    }),
    startInfluxDb({ workDir: join(options.stateDir, 'influxdb'), database: options.database, port: options.influxPort }),
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
    stop: async () => {
      await Promise.all([temporal.value.stop(), influx.value.stop()]);
    },
  };
}
