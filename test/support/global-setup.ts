import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { projectRoot } from '../../servers/cache-dir';
import { startInfluxDb, type InfluxDbServer } from '../../servers/influxdb-server';
import { MissingDependencyError } from '../../servers/missing-dependency-error';
import { resolveTemporalTestServer } from '../../servers/temporal-binaries';
import { startTemporalDevServer, type TemporalDevServer } from '../../servers/temporal-dev-server';
import './provided-context';

/** Server logs of the latest run stay here, so a failed run can be diagnosed. */
const logDir = join(projectRoot, 'test-logs');

/**
 * Starts the real servers every tier shares — the Temporal dev server and InfluxDB — and finds
 * the time-skipping test server, which each workflow test starts for itself. A server that cannot
 * be had fails the whole run with one line saying what is missing.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  rmSync(logDir, { recursive: true, force: true });
  mkdirSync(logDir, { recursive: true });
  let temporal: TemporalDevServer | undefined;
  let influx: InfluxDbServer | undefined;
  try {
    const temporalTestServerPath = resolveTemporalTestServer();
    [temporal, influx] = await Promise.all([
      startTemporalDevServer({ workDir: logDir }),
      startInfluxDb({ workDir: join(logDir, 'influxdb'), database: 'carbon_test' }),
    ]);
    process.stderr.write(
      `[servers] Temporal dev server ${temporal.address} (Web UI ${temporal.webUiUrl}), InfluxDB ${influx.url}, ` +
        `time-skipping server ${temporalTestServerPath}; logs in ${logDir}\n`,
    );
    project.provide('temporalAddress', temporal.address);
    project.provide('temporalWebUiUrl', temporal.webUiUrl);
    project.provide('influxUrl', influx.url);
    project.provide('influxDatabase', influx.database);
    project.provide('temporalTestServerPath', temporalTestServerPath);
    project.provide('logDir', logDir);
  } catch (error) {
    await Promise.all([temporal?.stop(), influx?.stop()]);
    throw oneLine(error);
  }
  return async () => {
    await Promise.all([temporal?.stop(), influx?.stop()]);
    rmSync(join(logDir, 'influxdb', 'data'), { recursive: true, force: true });
    rmSync(join(logDir, 'influxdb', 'wal'), { recursive: true, force: true });
    process.stderr.write(`[servers] stopped; server logs kept in ${logDir}\n`);
  };
}

/** A missing server is an operator problem, not a bug: report its message without a stack. */
function oneLine(error: unknown): unknown {
  if (error instanceof MissingDependencyError) error.stack = `${error.name}: ${error.message}`;
  return error;
}
