/**
 * `npm run setup`: obtains every local server binary (installing or building what is missing) so
 * that tests and the demo start in seconds. Safe to re-run: cached binaries are reused.
 */
import { MissingDependencyError } from './missing-dependency-error';
import { obtainServerBinaries } from './obtain-binaries';

obtainServerBinaries().then(
  (binaries) => {
    const found = {
      'Temporal CLI': binaries.temporalCli,
      'Temporal time-skipping test server': binaries.temporalTestServer,
      InfluxDB: binaries.influxd,
    };
    for (const [name, path] of Object.entries(found)) process.stdout.write(`[setup] ${name}: ${path}\n`);
  },
  (error: unknown) => {
    process.stderr.write(`[setup] ${error instanceof MissingDependencyError ? error.message : String((error as Error).stack ?? error)}\n`);
    process.exit(1);
  },
);
