import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { projectRoot } from '../../servers/cache-dir';
import { freePort } from '../../servers/free-port';

interface DemoRun {
  code: number;
  output: string;
}

/** `npm run demo -- --for …` exactly as a newcomer types it, on free ports and a fresh state dir. */
async function runDemo(stateDir: string, duration: string): Promise<DemoRun> {
  const ports = ['--temporal-port', '--ui-port', '--influx-port', '--emulator-port'];
  const args = ['run', '-s', 'demo', '--', '--for', duration, '--state-dir', stateDir];
  for (const option of ports) args.push(option, String(await freePort()));
  const env: NodeJS.ProcessEnv = { ...process.env, HEALTH_PORT: String(await freePort()), METRICS_PORT: String(await freePort()) };
  delete env['WATTTIME_USERNAME'];
  delete env['WATTTIME_USER'];
  delete env['GRID_REGIONS'];
  return new Promise((resolveRun) => {
    execFile('npm', args, { cwd: projectRoot, env, timeout: 240_000 }, (error, stdout, stderr) =>
      resolveRun({ code: error ? Number(error.code ?? 1) : 0, output: `${stdout}\n${stderr}` }),
    );
  });
}

it('runs the bounded demo to a passing check, and a second run resumes the same workflows', async () => {
  const stateDir = mkdtempSync(join(tmpdir(), 'demo-'));
  const first = await runDemo(stateDir, '90s');
  expect(first.output).toContain('Demo check passed: readings of 3 regions in InfluxDB, tokens refreshed.');
  expect(first.code).toBe(0);
  for (const region of ['CAISO_NORTH', 'PJM_DC', 'ERCOT_NORTHCENTRAL']) {
    expect(first.output).toContain(`Started carbon-intensity:${region} (every 60s).`);
  }
  expect(first.output).toMatch(/Temporal Web UI {2}http:\/\/127\.0\.0\.1:\d+/);
  // The health table is the 100-column one, in the live frames and at the end.
  const tableLines = first.output.split('\n').filter((line) => /^[┌│├└]/.test(line));
  expect(tableLines.filter((line) => line.startsWith('│ Region '))).not.toHaveLength(0);
  expect(Math.max(...tableLines.map((line) => line.length))).toBeLessThanOrEqual(100);

  const second = await runDemo(stateDir, '20s');
  expect(second.code).toBe(0);
  for (const region of ['CAISO_NORTH', 'PJM_DC', 'ERCOT_NORTHCENTRAL']) {
    expect(second.output).toContain(`carbon-intensity:${region} is already running; left unchanged.`);
  }
  expect(second.output).toContain('Demo check passed');
});
