/**
 * `npm run setup`: obtains every local server binary (installing or building what is missing) so
 * that tests and the demo start in seconds. Safe to re-run: cached binaries are reused.
 */
import { resolveChromium } from './chromium';
import { MissingDependencyError } from './missing-dependency-error';
import { obtainServerBinaries } from './obtain-binaries';
import { resolvePrometheus } from './prometheus-binary';

async function main(): Promise<void> {
  const binaries = await obtainServerBinaries();
  const found = {
    'Temporal CLI': binaries.temporalCli,
    'Temporal time-skipping test server': binaries.temporalTestServer,
    InfluxDB: binaries.influxd,
    // Only the metrics tests run it; the demo and `npm run servers` do not.
    Prometheus: resolvePrometheus(),
    'Chromium (Web UI tests)': resolveChromium(),
  };
  for (const [name, path] of Object.entries(found)) process.stdout.write(`[setup] ${name}: ${path}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`[setup] ${error instanceof MissingDependencyError ? error.message : String((error as Error).stack ?? error)}\n`);
  process.exit(1);
});
