/**
 * `npm run setup`: obtains every local server binary (installing or building what is missing) so
 * that tests and the demo start in seconds. Safe to re-run: cached binaries are reused.
 */
import { resolveInfluxd } from './influxdb-binary';
import { MissingDependencyError } from './missing-dependency-error';
import { resolvePrometheus } from './prometheus-binary';
import { resolveTemporalCli, resolveTemporalTestServer } from './temporal-binaries';

try {
  const found = {
    'Temporal CLI': resolveTemporalCli(),
    'Temporal time-skipping test server': resolveTemporalTestServer(),
    InfluxDB: resolveInfluxd(),
    Prometheus: resolvePrometheus(),
  };
  for (const [name, path] of Object.entries(found)) process.stdout.write(`[setup] ${name}: ${path}\n`);
} catch (error) {
  if (!(error instanceof MissingDependencyError)) throw error;
  process.stderr.write(`[setup] ${error.message}\n`);
  process.exit(1);
}
