/**
 * The worker process against a Temporal dev server of its own, which the test stops: `GET /health`
 * answers within 2 s with `Temporal unreachable: …`, stdout stays one JSON object per line
 * (the SDK core's retry warnings go through pino), and — while Temporal still runs — health shows
 * a fetch in progress with its attempt and last failure.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../emulator/server';
import { projectRoot } from '../../servers/cache-dir';
import { freePort } from '../../servers/free-port';
import { startTemporalDevServer, type TemporalDevServer } from '../../servers/temporal-dev-server';
import type { RegionHealth } from '../../workflows/health';
import { runClient } from '../../testing/client-command';

const region = 'GB';
const password = `outage-password-${randomBytes(8).toString('hex')}`;

let temporal: TemporalDevServer;
let emulator: RunningEmulator;
let worker: ChildProcess;
let env: Record<string, string>;
const stdout: string[] = [];
const stderr: string[] = [];

/** `/health` (`running`, `notWorking`) or `/health?detail=1` (`regions`). */
interface HealthBody {
  ok: boolean;
  reason?: string;
  running?: number;
  notWorking?: unknown[];
  regions?: RegionHealth[];
}

const sleep = (ms: number): Promise<void> => new Promise((resolveSleep) => setTimeout(resolveSleep, ms));

/** `GET /health` as a probe would ask it: with a timeout, timing the answer. */
async function probe(timeoutMs = 5_000, path = '/health'): Promise<{ status: number; body: HealthBody; ms: number }> {
  const startedAt = Date.now();
  const response = await fetch(`http://127.0.0.1:${env['HEALTH_PORT']}${path}`, { signal: AbortSignal.timeout(timeoutMs) });
  const body = (await response.json()) as HealthBody;
  return { status: response.status, body, ms: Date.now() - startedAt };
}

/** Polls `check` once a second until it returns a value, or fails after `timeoutMs` naming `what`. */
async function eventually<T>(what: string, check: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await sleep(1_000);
  }
}

beforeAll(async () => {
  temporal = await startTemporalDevServer({ executable: inject('temporalCliPath'), workDir: join(inject('logDir'), 'temporal-outage') });
  emulator = await startEmulator({ port: 0, accounts: [{ username: 'outage', password, regions: [region] }] });
  env = {
    WATTTIME_USERNAME: 'outage',
    WATTTIME_PASSWORD: password,
    WATTTIME_BASE_URL: emulator.url,
    TEMPORAL_ADDRESS: temporal.address,
    TEMPORAL_NAMESPACE: 'default',
    INFLUXDB_URL: inject('influxUrl'),
    INFLUXDB_TOKEN: 'outage:unchecked',
    INFLUXDB_ORG: 'outage',
    INFLUXDB_BUCKET: inject('influxDatabase'),
    FETCH_INTERVAL_SECONDS: '60',
    HEALTH_PORT: String(await freePort()),
    METRICS_PORT: String(await freePort()),
  };
  // Spawned here rather than through ManagedProcess, to keep stdout apart from stderr.
  worker = spawn(process.execPath, ['--import', 'tsx', join(projectRoot, 'worker', 'main.ts')], {
    cwd: projectRoot,
    env: { PATH: process.env['PATH'], ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  worker.stdout?.setEncoding('utf8').on('data', (chunk: string) => stdout.push(chunk));
  worker.stderr?.setEncoding('utf8').on('data', (chunk: string) => stderr.push(chunk));
  await eventually('the worker to serve /health', async () => (await probe()).status, 120_000);
  const started = await runClient(['start', region], env);
  expect(started.stdout).toContain(`Started carbon-intensity:${region} (every 60s).`);
  await eventually('the first fetch', async () => ((await probe()).status === 200 ? true : undefined), 60_000);
});

afterAll(async () => {
  writeFileSync(join(inject('logDir'), 'temporal-outage-worker.stdout.log'), stdout.join(''));
  writeFileSync(join(inject('logDir'), 'temporal-outage-worker.stderr.log'), stderr.join(''));
  if (worker !== undefined && worker.exitCode === null) {
    const exited = new Promise((resolveExit) => worker.once('exit', resolveExit));
    worker.kill('SIGKILL');
    await exited;
  }
  await emulator?.close();
  await temporal?.stop();
});

describe.sequential('the worker while Temporal and WattTime fail', () => {
  it('reports a fetch retrying in health, with its attempt and last failure, judged at the reader clock', async () => {
    emulator.control.setFaults({ serverErrorRate: 1 });
    // The next fetch comes within a minute; its attempts are 2, 4, 8 and 16 s apart.
    const retrying = await eventually(
      'a fetch in its second attempt',
      async () => {
        const { body } = await probe(5_000, '/health?detail=1');
        const health = body.regions?.[0];
        return (health?.fetchInProgress?.attempt ?? 0) >= 2 ? health : undefined;
      },
      90_000,
    );
    expect(retrying).toMatchObject({
      status: 'degraded',
      failedFetches: 0,
      fetchInProgress: { activity: 'fetchAndStore', lastFailure: { type: 'WattTimeUnavailable' } },
    });
    expect(retrying?.statusReason).toMatch(/^fetch retrying since \S+ \(attempt \d, last failure WattTimeUnavailable\)$/);
    expect(retrying?.fetchInProgress?.lastFailure?.message).toMatch(/^WattTime \/v3\/[a-z-]+ answered 503 /);
    // The client judges it the same way.
    const cli = await runClient(['health', '--json', region], env);
    const [viaClient] = JSON.parse(cli.stdout) as RegionHealth[];
    expect(viaClient?.fetchInProgress?.activity).toBe('fetchAndStore');
    emulator.control.resetFaults();
  });

  it('answers /health within 2 s with "Temporal unreachable" once Temporal is stopped', async () => {
    expect((await probe()).status).toBeGreaterThan(0);
    await temporal.stop();
    for (let i = 0; i < 3; i++) {
      const summary = await probe(3_000);
      expect(summary.status).toBe(503);
      expect(summary.body).toMatchObject({ ok: false, running: 0, notWorking: [] });
      expect(summary.body.reason).toMatch(/^Temporal unreachable: /);
      expect(summary.ms).toBeLessThan(2_000);
      const detail = await probe(3_000, '/health?detail=1');
      expect(detail.status).toBe(503);
      expect(detail.body).toMatchObject({ ok: false, regions: [] });
      expect(detail.body.reason).toMatch(/^Temporal unreachable: /);
      expect(detail.ms).toBeLessThan(2_000);
    }
  });

  it('keeps stdout one JSON object per line while Temporal is down, the SDK core warnings included', async () => {
    // The core retries its polls meanwhile and logs warnings about it (as `temporalio_client::retry`).
    const coreWarned = (): true | undefined => ([...stdout, ...stderr].join('').includes('temporalio_client') ? true : undefined);
    await eventually('a warning from the SDK core', async () => coreWarned(), 60_000);
    const lines = stdout.join('').split('\n').filter((line) => line !== '');
    for (const line of lines) expect(() => JSON.parse(line) as unknown, line).not.toThrow();
    expect(stderr.join('')).not.toContain('temporalio_');
    const core = lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((entry) => entry['sdkComponent'] === 'core');
    expect(core.length).toBeGreaterThan(0);
    expect(core[0]).toMatchObject({ level: 40, target: 'temporalio_client::retry', service: 'carbon-intensity-worker' });
  });
});
