/**
 * `npm run servers`: starts the local Temporal dev server (with Web UI) and InfluxDB on their
 * usual loopback ports, state kept in the git-ignored `.local/`, until Ctrl-C.
 */
import { join } from 'node:path';
import { projectRoot } from './cache-dir';
import { startLocalStack } from './local-stack';
import { MissingDependencyError } from './missing-dependency-error';

async function main(): Promise<void> {
  process.stdout.write('Obtaining the server binaries (a first run installs and builds them), then starting the servers…\n');
  const stack = await startLocalStack({
    stateDir: join(projectRoot, '.local'),
    database: process.env['INFLUXDB_BUCKET'] ?? 'carbon',
    persistTemporal: true,
    temporalPort: 7233,
    temporalUiPort: 8233,
    influxPort: 8086,
  });
  process.stdout.write(
    `Temporal  ${stack.temporal.address}  (Web UI ${stack.temporal.webUiUrl})\n` +
      `InfluxDB  ${stack.influx.url}  (database ${stack.influx.database})\n` +
      'Ctrl-C stops both.\n',
  );
  const stop = (): void => {
    void stack.stop().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof MissingDependencyError ? error.message : String(error)}\n`);
  process.exit(1);
});
