/**
 * `npm run setup`: obtains every local server binary (installing or building what is missing) so
 * that tests and the demo start in seconds. Safe to re-run: cached binaries are reused.
 */
import { resolveChromium } from './chromium';
import { resolveInfluxd } from './influxdb-binary';
import { MissingDependencyError } from './missing-dependency-error';
import { resolveTemporalCli, resolveTemporalTestServer } from './temporal-binaries';

try {
  const found = {
    'Temporal CLI': resolveTemporalCli(),
    'Temporal time-skipping test server': resolveTemporalTestServer(),
    InfluxDB: resolveInfluxd(),
    'Chromium (Web UI tests)': resolveChromium(),
  };
  for (const [name, path] of Object.entries(found)) process.stdout.write(`[setup] ${name}: ${path}\n`);
} catch (error) {
  if (!(error instanceof MissingDependencyError)) throw error;
  process.stderr.write(`[setup] ${error.message}\n`);
  process.exit(1);
}
