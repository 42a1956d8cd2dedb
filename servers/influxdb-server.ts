import { join } from 'node:path';
import { freePort } from './free-port';
import { ManagedProcess } from './managed-process';
import { waitUntilReady } from './wait-until';

export interface InfluxDbServerOptions {
  /** `influxd`, already obtained (`ServerBinaries.influxd`); starting never builds. */
  readonly executable: string;
  /** Holds the data, meta and WAL folders and the server log. */
  readonly workDir: string;
  /** Database created at start; the v2 API calls it the bucket. */
  readonly database: string;
  readonly port?: number;
}

export interface InfluxDbServer {
  /** Base URL of the HTTP API (v1 and the v2-compatible `/api/v2/write`, `/api/v2/query`). */
  readonly url: string;
  readonly database: string;
  readonly logFile: string;
  /** The server process's id (for the scale bench's CPU figures). */
  readonly pid: number | undefined;
  stop(): Promise<void>;
}

/**
 * Starts InfluxDB OSS 1.x with Flux enabled, bound to 127.0.0.1, and creates the database.
 *
 * @throws Error (one line with the log tail) when it exits or is not ready in time (see `serverReadiness`).
 */
export async function startInfluxDb(options: InfluxDbServerOptions): Promise<InfluxDbServer> {
  const port = options.port ?? (await freePort());
  const rpcPort = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const logFile = join(options.workDir, 'influxd.log');
  const server = ManagedProcess.start({
    name: 'InfluxDB',
    command: options.executable,
    args: ['run'],
    logFile,
    env: {
      ...process.env,
      INFLUXDB_BIND_ADDRESS: `127.0.0.1:${rpcPort}`,
      INFLUXDB_HTTP_BIND_ADDRESS: `127.0.0.1:${port}`,
      INFLUXDB_HTTP_FLUX_ENABLED: 'true',
      INFLUXDB_HTTP_LOG_ENABLED: 'false',
      INFLUXDB_REPORTING_DISABLED: 'true',
      INFLUXDB_META_DIR: join(options.workDir, 'meta'),
      INFLUXDB_DATA_DIR: join(options.workDir, 'data'),
      INFLUXDB_DATA_WAL_DIR: join(options.workDir, 'wal'),
      INFLUXDB_DATA_QUERY_LOG_ENABLED: 'false',
    },
  });
  try {
    await waitUntilReady(server, async () => (await fetch(`${url}/ping`)).status === 204);
    await createDatabase(url, options.database);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return { url, database: options.database, logFile, pid: server.pid, stop: () => server.stop() };
}

async function createDatabase(url: string, database: string): Promise<void> {
  const body = new URLSearchParams({ q: `CREATE DATABASE "${database.replaceAll('"', '')}"` });
  const response = await fetch(`${url}/query`, { method: 'POST', body });
  if (!response.ok) throw new Error(`InfluxDB refused CREATE DATABASE ${database}: ${response.status} ${await response.text()}`);
}
