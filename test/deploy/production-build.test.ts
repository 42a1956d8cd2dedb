import { execFile } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../emulator/server';
import { projectRoot } from '../../servers/cache-dir';
import { freePort } from '../../servers/free-port';
import { ManagedProcess } from '../../servers/managed-process';
import type { RegionHealth } from '../../workflows/health';

// What the image runs: `npm run build` (tsc to dist/, workflow bundle prebuilt), then plain node.
// Docker cannot run here, so the compiled worker and client run against the real dev server.
interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

function run(command: string, args: readonly string[], env: NodeJS.ProcessEnv, timeoutMs = 120_000): Promise<RunResult> {
  return new Promise((resolveRun) => {
    execFile(command, [...args], { cwd: projectRoot, env, timeout: timeoutMs }, (error, stdout, stderr) =>
      resolveRun({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const dist = (path: string): string => join(projectRoot, 'dist', path);
const region = 'NYISO_NYC';
const password = 'build-test-password-5b1e';
let emulator: RunningEmulator;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  const build = await run('npm', ['run', 'build'], process.env, 300_000);
  expect(build.stderr).not.toMatch(/error/i);
  expect(build.code).toBe(0);
  emulator = await startEmulator({ port: 0, accounts: [{ username: 'build', password, regions: [region] }] });
  env = {
    PATH: process.env['PATH'],
    WATTTIME_USERNAME: 'build',
    WATTTIME_PASSWORD: password,
    WATTTIME_BASE_URL: emulator.url,
    TEMPORAL_ADDRESS: inject('temporalAddress'),
    TEMPORAL_NAMESPACE: 'default',
    // A queue of its own, so no other test's worker takes these tasks.
    TEMPORAL_TASK_QUEUE: `production-build-${process.pid}`,
    INFLUXDB_URL: inject('influxUrl'),
    INFLUXDB_TOKEN: 'build:unchecked',
    INFLUXDB_ORG: 'ignored',
    INFLUXDB_BUCKET: inject('influxDatabase'),
    GRID_REGIONS: region,
    FETCH_INTERVAL_SECONDS: '300',
  };
}, 400_000);

afterAll(async () => {
  await emulator?.close();
});

it('compiles the worker and the client to dist/ and prebuilds the workflow bundle', () => {
  for (const file of ['worker/main.js', 'client/main.js', 'workflows/index.js', 'workflow-bundle.js']) {
    expect(existsSync(dist(file)), file).toBe(true);
  }
  expect(readFileSync(dist('workflow-bundle.js'), 'utf8')).toContain('regionWorkflow');
});

it('the compiled worker refuses a missing setting with one line, as the TypeScript one does', async () => {
  const result = await run(process.execPath, [dist('worker/main.js')], { PATH: process.env['PATH'] });
  expect(result).toEqual({ code: 1, stdout: '', stderr: 'WATTTIME_USERNAME is required\n' });
});

interface StartUp {
  /** From spawning the process to its "worker started" log line, ms. */
  ms: number;
  bundledAtStart: boolean;
}

/** Starts a worker, waits for "worker started" in its log, measures, and stops it gracefully. */
async function measureStartUp(label: string, args: readonly string[]): Promise<StartUp> {
  const logFile = join(inject('logDir'), `startup-${label}-${Date.now()}.log`);
  const workerEnv = { ...env, HEALTH_PORT: String(await freePort()), METRICS_PORT: String(await freePort()) };
  const spawnedAt = Date.now();
  const worker = ManagedProcess.start({ name: `${label} worker`, command: process.execPath, args, cwd: projectRoot, env: workerEnv, logFile });
  try {
    const deadline = spawnedAt + 120_000;
    for (;;) {
      const log = existsSync(logFile) ? readFileSync(logFile, 'utf8') : '';
      const started = log.split('\n').find((line) => line.includes('"msg":"worker started"'));
      if (started) {
        return { ms: (JSON.parse(started) as { time: number }).time - spawnedAt, bundledAtStart: log.includes('Workflow bundle created') };
      }
      if (worker.hasExited || Date.now() > deadline) throw new Error(`${label} worker did not start; see ${logFile}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  } finally {
    await worker.stop();
  }
}

it('starts the compiled worker, with the prebuilt bundle, faster than the tsx one that bundles at start', async () => {
  const compiled: StartUp[] = [];
  const fromSource: StartUp[] = [];
  for (let round = 0; round < 2; round++) {
    compiled.push(await measureStartUp('compiled', [dist('worker/main.js')]));
    fromSource.push(await measureStartUp('tsx', ['--import', 'tsx', join(projectRoot, 'worker/main.ts')]));
  }
  const figures = { compiledMs: compiled.map((s) => s.ms), tsxMs: fromSource.map((s) => s.ms) };
  writeFileSync(join(inject('logDir'), 'worker-startup-times.json'), `${JSON.stringify(figures)}\n`);
  process.stderr.write(`[startup] to "worker started": compiled ${figures.compiledMs.join(', ')} ms; tsx ${figures.tsxMs.join(', ')} ms\n`);

  expect(compiled.map((s) => s.bundledAtStart)).toEqual([false, false]);
  expect(fromSource.map((s) => s.bundledAtStart)).toEqual([true, true]);
  expect(Math.min(...figures.compiledMs)).toBeLessThan(Math.min(...figures.tsxMs));
});

it('runs a region end to end with the compiled worker and client: start, a stored reading in health, stop', async () => {
  const logFile = join(inject('logDir'), 'compiled-worker-e2e.log');
  const workerEnv = { ...env, HEALTH_PORT: String(await freePort()), METRICS_PORT: String(await freePort()) };
  const worker = ManagedProcess.start({ name: 'compiled worker', command: process.execPath, args: [dist('worker/main.js')], cwd: projectRoot, env: workerEnv, logFile });
  const client = (...args: string[]): Promise<RunResult> => run(process.execPath, [dist('client/main.js'), ...args], env);
  try {
    const started = await client('start', region);
    expect(started.code, started.stderr).toBe(0);
    let health: RegionHealth | undefined;
    const deadline = Date.now() + 90_000;
    while (!health?.lastReading && Date.now() < deadline) {
      const answer = await client('health', '--json', region);
      health = answer.code === 0 ? (JSON.parse(answer.stdout) as RegionHealth[])[0] : undefined;
      if (!health?.lastReading) await new Promise((r) => setTimeout(r, 500));
    }
    expect(health).toMatchObject({ region, status: 'healthy', failedFetches: 0 });
    expect(health?.lastReading?.value).toEqual(expect.any(Number));
    expect(readFileSync(logFile, 'utf8')).not.toContain('Workflow bundle created');
  } finally {
    await client('stop', region);
    await worker.stop();
  }
});
