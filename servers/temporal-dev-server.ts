import { Connection } from '@temporalio/client';
import { join } from 'node:path';
import { freePort } from './free-port';
import { ManagedProcess } from './managed-process';
import { waitUntilReady } from './wait-until';
import { CARBON_SEARCH_ATTRIBUTES } from '../workflows/search-attributes';

export interface TemporalDevServerOptions {
  /** The Temporal CLI, already obtained (`ServerBinaries.temporalCli`); starting never installs. */
  readonly executable: string;
  /** Folder for the server log (and the database when `dbFile` is relative to it). */
  readonly workDir: string;
  /** SQLite file that keeps workflows across restarts; in-memory when absent. */
  readonly dbFile?: string;
  readonly port?: number;
  readonly uiPort?: number;
}

export interface TemporalDevServer {
  /** gRPC address for clients and workers, e.g. "127.0.0.1:7233". */
  readonly address: string;
  readonly webUiUrl: string;
  readonly namespace: string;
  readonly logFile: string;
  /** The server process's id (for the scale bench's CPU figures). */
  readonly pid: number | undefined;
  stop(): Promise<void>;
}

/**
 * Starts `temporal server start-dev` (with Web UI) on loopback and waits until it answers.
 *
 * @throws Error (one line with the log tail) when it exits or is not ready in time (see `serverReadiness`).
 */
export async function startTemporalDevServer(options: TemporalDevServerOptions): Promise<TemporalDevServer> {
  const port = options.port ?? (await freePort());
  const uiPort = options.uiPort ?? (await freePort());
  const address = `127.0.0.1:${port}`;
  const logFile = join(options.workDir, 'temporal-dev-server.log');
  const args = [
    'server', 'start-dev',
    '--ip', '127.0.0.1',
    '--port', String(port),
    '--ui-port', String(uiPort),
    '--log-level', 'warn',
    // The Web UI filters regions by them, and /health reads CarbonStatus; production registers
    // them once with the CLI.
    ...CARBON_SEARCH_ATTRIBUTES.flatMap((key) => ['--search-attribute', `${key.name}=Keyword`]),
    ...(options.dbFile ? ['--db-filename', options.dbFile] : []),
  ];
  const server = ManagedProcess.start({ name: 'Temporal dev server', command: options.executable, args, logFile });
  try {
    await waitUntilReady(server, () => answersHealthCheck(address));
  } catch (error) {
    await server.stop();
    throw error;
  }
  return {
    address,
    webUiUrl: `http://127.0.0.1:${uiPort}`,
    namespace: 'default',
    logFile,
    pid: server.pid,
    stop: () => server.stop(),
  };
}

async function answersHealthCheck(address: string): Promise<boolean> {
  const connection = await Connection.connect({ address, connectTimeout: 1_000 });
  try {
    const response = await connection.healthService.check({});
    return response.status === 1; // SERVING
  } finally {
    await connection.close();
  }
}
