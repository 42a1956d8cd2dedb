import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { TestProject } from 'vitest/node';
import { projectRoot } from '../../servers/cache-dir';
import { resolveChromium } from '../../servers/chromium';
import { startLocalStack, type LocalStack } from '../../servers/local-stack';
import { MissingDependencyError } from '../../servers/missing-dependency-error';
import './provided-context';

/** Each run's server logs stay in a folder of their own, so a failed run can be diagnosed. */
const logRoot = resolve(process.env['CARBON_TEST_LOG_DIR'] ?? join(projectRoot, 'test-logs'));
const logDir = join(logRoot, `${new Date().toISOString().replaceAll(':', '-')}-${process.pid}`);
const keptRuns = 5;

/**
 * Obtains every server binary (installing or building what is missing, with progress), then
 * starts the real servers every tier shares — the Temporal dev server and InfluxDB — and hands
 * on the time-skipping test server's path, which each workflow test starts for itself. A server
 * that cannot be had fails the whole run with one line saying what is missing.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  pruneOldRuns();
  mkdirSync(logDir, { recursive: true });
  let stack: LocalStack;
  try {
    // Obtained before any server starts, like the server binaries.
    project.provide('chromiumPath', resolveChromium());
    stack = await startLocalStack({ stateDir: logDir, database: 'carbon_test', persistTemporal: false });
  } catch (error) {
    if (error instanceof MissingDependencyError) error.stack = `${error.name}: ${error.message}`;
    throw error;
  }
  const temporalTestServerPath = stack.binaries.temporalTestServer;
  process.stderr.write(
    `[servers] Temporal dev server ${stack.temporal.address} (Web UI ${stack.temporal.webUiUrl}), ` +
      `InfluxDB ${stack.influx.url}, time-skipping server ${temporalTestServerPath}; logs in ${logDir}\n`,
  );
  project.provide('temporalAddress', stack.temporal.address);
  project.provide('temporalWebUiUrl', stack.temporal.webUiUrl);
  project.provide('influxUrl', stack.influx.url);
  project.provide('influxDatabase', stack.influx.database);
  project.provide('temporalTestServerPath', temporalTestServerPath);
  project.provide('temporalCliPath', stack.binaries.temporalCli);
  project.provide('logDir', logDir);
  return async () => {
    await stack.stop();
    rmSync(join(logDir, 'influxdb', 'data'), { recursive: true, force: true });
    rmSync(join(logDir, 'influxdb', 'wal'), { recursive: true, force: true });
    process.stderr.write(`[servers] stopped; server logs kept in ${logDir}\n`);
  };
}

function pruneOldRuns(): void {
  mkdirSync(logRoot, { recursive: true });
  const runs = readdirSync(logRoot).sort();
  for (const run of runs.slice(0, Math.max(0, runs.length - keptRuns + 1))) {
    rmSync(join(logRoot, run), { recursive: true, force: true });
  }
}
