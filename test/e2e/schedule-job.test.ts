/**
 * End to end on the dev server, in real time: the worker process stores the emulator's forecast
 * for a region, `client schedule-job` starts `carbonAwareStartWorkflow`, and the named workflow
 * (a fixture run by this test's own worker on another task queue) starts inside the valley the
 * emulator's deterministic forecast predicts. The recorded history is replayed, and kept in the
 * run's log folder as the source of `test/fixtures/histories/carbon-aware-start-dev-server.json`.
 */
import { InfluxDB } from '@influxdata/influxdb-client';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { InfluxCarbonIntensityReader } from '../../activities/influx-reader';
import { moerPeriodStart } from '../../common/moer-period';
import { forecastValueAt } from '../../emulator/data';
import { startEmulator, type RunningEmulator } from '../../emulator/server';
import { freePort } from '../../servers/free-port';
import type { ManagedProcess } from '../../servers/managed-process';
import { startWorkerProcess } from '../../servers/worker-process';
import type { CarbonAwareStartResult } from '../../workflows/carbon-aware-definitions';
import { createDatabase } from '../activities/support';
import type { ReportedStart } from '../fixtures/workflows/report-start';
import { runClient } from '../support/client-command';

/** Regions no other dev-server test starts (their workflow ids are global on the server). */
const CANDIDATE_REGIONS = ['MISO_INDIANAPOLIS', 'SPP_KANSAS', 'NYISO_NYC', 'ISONE_WCMA', 'BPA', 'DE', 'GB'];
const TASK_QUEUE = 'e2e-carbon-aware';
const JOB_TASK_QUEUE = 'e2e-carbon-aware-jobs';
const PERIOD = 5 * 60_000;
const password = `green-${randomBytes(8).toString('hex')}`;
const iso = (ms: number): string => new Date(ms).toISOString();
const isoSeconds = (ms: number): string => iso(ms).replace('.000Z', 'Z');
const sleep = (ms: number): Promise<void> => new Promise((resolveSleep) => setTimeout(resolveSleep, ms));

let emulator: RunningEmulator;
let worker: ManagedProcess;
let jobWorker: Worker;
let jobWorkerRunning: Promise<void>;
let nativeConnection: NativeConnection;
let connection: Connection;
let env: NodeJS.ProcessEnv;
let region: string | undefined;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, accounts: [{ username: 'green', password, regions: CANDIDATE_REGIONS }] });
  env = {
    WATTTIME_USERNAME: 'green',
    WATTTIME_PASSWORD: password,
    WATTTIME_BASE_URL: emulator.url,
    TEMPORAL_ADDRESS: inject('temporalAddress'),
    TEMPORAL_NAMESPACE: 'default',
    TEMPORAL_TASK_QUEUE: TASK_QUEUE,
    INFLUXDB_URL: inject('influxUrl'),
    INFLUXDB_TOKEN: 'green:unchecked',
    INFLUXDB_ORG: 'green',
    INFLUXDB_BUCKET: await createDatabase(),
    GRID_REGIONS: '',
    // A short horizon: the job below runs within the next quarter hour.
    FORECAST_HORIZON_HOURS: '1',
    HEALTH_PORT: String(await freePort()),
    METRICS_PORT: String(await freePort()),
  };
  worker = await startWorkerProcess({ env, logFile: join(inject('logDir'), 'e2e-carbon-aware-worker.log') });
  connection = await Connection.connect({ address: inject('temporalAddress') });
  nativeConnection = await NativeConnection.connect({ address: inject('temporalAddress') });
  jobWorker = await Worker.create({
    connection: nativeConnection,
    taskQueue: JOB_TASK_QUEUE,
    workflowsPath: require.resolve('../fixtures/workflows/report-start.ts'),
  });
  jobWorkerRunning = jobWorker.run();
});

afterAll(async () => {
  if (region !== undefined) await runClient(['stop', region], env);
  jobWorker?.shutdown();
  await jobWorkerRunning;
  await worker?.kill();
  await emulator?.close();
  await nativeConnection?.close();
  await connection?.close();
});

/** The forecast generated at `p0` as the emulator serves it: lowest of the periods p0 and p1 (ties: p0). */
function predictedValley(candidate: string, p0: number): { start: number; drop: number } {
  const now = forecastValueAt(candidate, p0, p0);
  const next = forecastValueAt(candidate, p0, p0 + PERIOD);
  return { start: next < now ? p0 + PERIOD : p0, drop: now - next };
}

it('schedule-job starts the named workflow inside the valley the emulator forecast predicts', { timeout: 8 * 60_000 }, async () => {
  // The forecast must be generated in the period the region is chosen for: leave a margin.
  const left = PERIOD - (Date.now() % PERIOD);
  if (left < 90_000) await sleep(left + 2_000);
  const p0 = moerPeriodStart(Date.now());
  // A 5-minute job due by p0 + 12.5 min may start at p0 or p1. Prefer a region whose valley is at
  // p1, so the workflow has to wait for it.
  const ranked = CANDIDATE_REGIONS.map((candidate) => ({ candidate, ...predictedValley(candidate, p0) })).sort((a, b) => b.drop - a.drop);
  const chosen = ranked[0]!;
  region = chosen.candidate;
  const deadline = p0 + 12.5 * 60_000;

  const started = await runClient(['start', region], env);
  expect(started.stdout).toContain(`Started carbon-intensity:${region}`);
  const reader = new InfluxCarbonIntensityReader({
    queryApi: new InfluxDB({ url: inject('influxUrl'), token: 'green:unchecked' }).getQueryApi('green'),
    bucket: env['INFLUXDB_BUCKET']!,
  });
  let generatedAt: string | undefined;
  for (let tries = 0; tries < 60 && generatedAt === undefined; tries++) {
    generatedAt = (await reader.newestForecast(region, 'co2_moer', Date.now()))?.generatedAt;
    if (generatedAt === undefined) await sleep(500);
  }
  expect(generatedAt, 'the region workflow stored the forecast generated in the chosen period').toBe(iso(p0));

  const workflowId = `carbon-aware-e2e-${randomBytes(4).toString('hex')}`;
  const scheduled = await runClient(
    ['schedule-job', region, '--duration', '5m', '--deadline', iso(deadline), '--workflow', 'reportStart',
      '--task-queue', JOB_TASK_QUEUE, '--args', '["e2e-job", 7]', '--workflow-id', workflowId],
    env,
  );
  expect(scheduled.stderr).toBe('');
  expect(scheduled.code).toBe(0);
  const lines = scheduled.stdout.trimEnd().split('\n');
  expect(lines[0]).toBe(
    `Started ${workflowId}: reportStart (task queue ${JOB_TASK_QUEUE}) runs 5 minutes in the greenest window for ${region} before ${isoSeconds(deadline)}.`,
  );
  expect(lines[1]).toMatch(
    chosen.start === p0
      ? /^Decided: greenest 5-minute window before \S+: \S+ to \S+ at [\d.]+ lbs\/MWh \([\d.]+ g\/kWh\), the current period; forecast generated \S+\.$/
      : new RegExp(`^Plan: waiting until ${isoSeconds(chosen.start)} for the greenest 5-minute window `),
  );

  const client = new Client({ connection });
  const handle = client.workflow.getHandle(workflowId);
  const result = (await handle.result()) as CarbonAwareStartResult;
  const job = (await client.workflow.getHandle(result.job.workflowId).result()) as ReportedStart;
  expect(result.decision).toMatchObject({ region, reason: 'greenest-window', forecastsUsed: 1 });
  expect(result.decision.window?.best.start).toBe(iso(chosen.start));
  expect(result.decision.window?.forecast.generatedAt).toBe(iso(p0));
  expect(job.args).toEqual(['e2e-job', 7]);
  // Inside the predicted valley, and no later than deadline − duration.
  const jobStartedMs = Date.parse(job.startTime);
  expect(jobStartedMs).toBeGreaterThanOrEqual(chosen.start);
  expect(jobStartedMs).toBeLessThan(Math.min(chosen.start + PERIOD, deadline - PERIOD + 1));

  // This run's history replays with the current workflow code; keep it for the fixtures.
  const history = await handle.fetchHistory();
  await Worker.runReplayHistory({ workflowsPath: require.resolve('../../workflows/index.ts') }, history, workflowId);
  writeFileSync(join(inject('logDir'), 'e2e-history-carbon-aware-start.json'), JSON.stringify(history));
});
