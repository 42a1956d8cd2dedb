import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { projectRoot } from '../../servers/cache-dir';

/** Starts `worker/main.ts` with exactly `env` (plus PATH) and returns its exit code and stderr. */
function startWorker(env: NodeJS.ProcessEnv): Promise<{ code: number; stderr: string }> {
  return new Promise((resolveRun) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', join(projectRoot, 'worker', 'main.ts')],
      { cwd: projectRoot, env: { PATH: process.env['PATH'], ...env }, timeout: 60_000 },
      (error, _stdout, stderr) => resolveRun({ code: error ? Number(error.code ?? 1) : 0, stderr }),
    );
  });
}

const complete = {
  WATTTIME_USERNAME: 'ops',
  WATTTIME_PASSWORD: 'config-test-secret',
  INFLUXDB_URL: 'http://127.0.0.1:8086',
  INFLUXDB_TOKEN: 'influx-config-test-secret',
  INFLUXDB_ORG: 'carbon',
  INFLUXDB_BUCKET: 'carbon',
};

it.each([
  ['WATTTIME_USERNAME', undefined, 'WATTTIME_USERNAME is required'],
  ['INFLUXDB_TOKEN', undefined, 'INFLUXDB_TOKEN is required (or INFLUXDB_TOKEN_FILE)'],
  ['FETCH_INTERVAL_SECONDS', '5', 'FETCH_INTERVAL_SECONDS must be at least 60'],
])('the worker refuses to start without a valid %s, with one line and no stack trace', async (name, value, line) => {
  const { code, stderr } = await startWorker({ ...complete, [name]: value });
  expect(code).toBe(1);
  expect(stderr).toBe(`${line}\n`);
});
