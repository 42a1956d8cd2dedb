import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { projectRoot } from '../../servers/cache-dir';

interface RunResult {
  code: number;
  output: string;
}

/** Runs one smoke test file in a nested vitest whose global setup cannot find a server. */
function runWith(env: NodeJS.ProcessEnv): Promise<RunResult> {
  return new Promise((resolveRun) => {
    execFile(
      join(projectRoot, 'node_modules', '.bin', 'vitest'),
      ['run', 'test/smoke/influxdb.test.ts'],
      {
        cwd: projectRoot,
        env: { ...process.env, ...env, CARBON_TEST_LOG_DIR: mkdtempSync(join(tmpdir(), 'missing-server-')), NO_COLOR: '1' },
        timeout: 120_000,
      },
      (error, stdout, stderr) => resolveRun({ code: error ? Number(error.code ?? 1) : 0, output: `${stdout}\n${stderr}` }),
    );
  });
}

it.each([
  ['INFLUXD_PATH', '/nonexistent/influxd'],
  ['TEMPORAL_CLI_PATH', '/nonexistent/temporal'],
  ['TEMPORAL_TEST_SERVER_PATH', '/nonexistent/temporal-test-server'],
  ['CHROMIUM_PATH', '/nonexistent/chromium'],
])('fails the run with one line naming %s when it points at a missing file', async (variable, path) => {
  const { code, output } = await runWith({ [variable]: path });
  expect(code).not.toBe(0);
  expect(output).toContain(`MissingDependencyError: ${variable}=${path} is not an executable file; fix or unset ${variable}.`);
  expect(output).not.toMatch(/Test Files .*passed/);
});
