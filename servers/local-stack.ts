import { join } from 'node:path';
import { startInfluxDb, type InfluxDbServer } from './influxdb-server';
import { startTemporalDevServer, type TemporalDevServer } from './temporal-dev-server';

export interface LocalStack {
  readonly temporal: TemporalDevServer;
  readonly influx: InfluxDbServer;
  stop(): Promise<void>;
}

export interface LocalStackOptions {
  /** Persistent folder: Temporal's SQLite database and InfluxDB's data survive restarts. */
  readonly stateDir: string;
  readonly database: string;
  readonly temporalPort?: number;
  readonly temporalUiPort?: number;
  readonly influxPort?: number;
}

/** The Temporal dev server and InfluxDB for local use, keeping their state in `stateDir`. */
export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const [temporal, influx] = await Promise.allSettled([
    startTemporalDevServer({
      workDir: options.stateDir,
      dbFile: join(options.stateDir, 'temporal.sqlite'),
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
