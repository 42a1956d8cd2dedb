/**
 * `carbonAwareStartWorkflow` (and so `waitForGreenestWindow`) on the real time-skipping server,
 * with the real planning activity reading forecasts stored in the real InfluxDB. Hours of waiting
 * pass in seconds; the job it starts is a fixture workflow that reports when it started.
 */
import { InfluxDB } from '@influxdata/influxdb-client';
import { WorkflowFailedError, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, DefaultLogger, Runtime, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { createCarbonAwareActivities, type CarbonAwareActivities } from '../../activities/carbon-aware';
import { InfluxCarbonIntensityWriter } from '../../activities/influx-writer';
import { carbonAwareStatusQuery, type CarbonAwareStartResult } from '../../workflows/carbon-aware-definitions';
import type { CarbonAwareStartInput } from '../../workflows/carbon-aware-start';
import { createDatabase, INFLUX_TOKEN } from '../activities/support';
import type { ReportedStart } from '../fixtures/workflows/report-start';
import { HOUR_MS, skipTo, skipToOffset } from '../../testing/region-harness';

const MIN = 60_000;
const PERIOD = 5 * MIN;
const TASK_QUEUE = 'carbon-aware';
const iso = (ms: number): string => new Date(ms).toISOString();
const isoSeconds = (ms: number): string => iso(ms).replace(/\.\d{3}Z$/, 'Z');

let env: TestWorkflowEnvironment;
let worker: Worker;
let running: Promise<void>;
let workflowBundle: WorkflowBundleWithSourceMap;
let activities: CarbonAwareActivities;
let writer: InfluxCarbonIntensityWriter;
let started = 0;

const ignore = (): void => undefined;

beforeAll(async () => {
  // Warnings on one line (the invalid-input test fails a workflow on purpose); no bundler chatter.
  Runtime.install({
    logger: new DefaultLogger('WARN', ({ level, message }) => process.stderr.write(`[worker ${level}] ${message}\n`)),
  });
  const bucket = await createDatabase();
  writer = new InfluxCarbonIntensityWriter({ url: inject('influxUrl'), token: INFLUX_TOKEN, org: 'ignored', bucket });
  const queryApi = new InfluxDB({ url: inject('influxUrl'), token: INFLUX_TOKEN }).getQueryApi('ignored');
  activities = createCarbonAwareActivities({ queryApi, bucket });
  workflowBundle = await bundleWorkflowCode({
    workflowsPath: require.resolve('../fixtures/workflows/carbon-aware-jobs.ts'),
    logger: { trace: ignore, debug: ignore, info: ignore, warn: ignore, error: ignore, log: ignore },
  });
});

// A fresh time-skipping server per test: once a workflow has started an abandoned child, that
// server stops skipping time (temporalio/sdk-java#2392, temporalio/sdk-typescript#1101).
beforeEach(async () => {
  env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: inject('temporalTestServerPath') } },
  });
  worker = await Worker.create({ connection: env.nativeConnection, taskQueue: TASK_QUEUE, workflowBundle, activities });
  running = worker.run();
});

afterEach(async () => {
  worker?.shutdown();
  await running;
  await env?.teardown();
});

afterAll(async () => {
  await writer?.close();
});

/** Stores a day-long forecast generated at `generatedAtMs`, MOER by period index. */
async function storeForecast(region: string, generatedAtMs: number, moer: (index: number) => number): Promise<void> {
  const points = Array.from({ length: 288 }, (_, i) => ({ pointTime: new Date(generatedAtMs + i * PERIOD), value: moer(i) }));
  await writer.writeForecast(region, 'co2_moer', 'lbs_co2_per_mwh', new Date(generatedAtMs), points);
}

/** 900 lbs/MWh with a 500 lbs/MWh valley over the periods [from, to). */
const valley = (from: number, to: number) => (i: number) => (i >= from && i < to ? 500 : 900);

async function startJob(region: string, input: Partial<CarbonAwareStartInput> & { deadline: string }): Promise<WorkflowHandle> {
  started += 1;
  return env.client.workflow.start('carbonAwareStartWorkflow', {
    workflowId: `carbon-aware-test-${started}`,
    taskQueue: TASK_QUEUE,
    args: [{ region, duration: '1h', workflowType: 'reportStart', taskQueue: TASK_QUEUE, args: ['nightly-backup', { retries: 3 }], ...input }],
  });
}

/** The result of the carbon-aware workflow and of the job it started. */
async function outcome(handle: WorkflowHandle): Promise<{ result: CarbonAwareStartResult; job: ReportedStart }> {
  const result = (await handle.result()) as CarbonAwareStartResult;
  const job = (await env.client.workflow.getHandle(result.job.workflowId).result()) as ReportedStart;
  return { result, job };
}

/** `ms` is when the job started: not before it, and within the minute after (task processing). */
function expectStartedAt(job: ReportedStart, ms: number): void {
  const startedAtMs = Date.parse(job.startedAt);
  expect(startedAtMs, `${job.startedAt} vs ${iso(ms)}`).toBeGreaterThanOrEqual(ms);
  expect(startedAtMs, `${job.startedAt} vs ${iso(ms)}`).toBeLessThan(ms + MIN);
}

describe('carbonAwareStartWorkflow on the time-skipping server', () => {
  it('starts the job at the start of the forecast valley, checking for newer forecasts every 30 minutes', async () => {
    const H = await skipToOffset(env, HOUR_MS, 2.5 * MIN);
    await storeForecast('TS_VALLEY', H, valley(72, 84));
    const handle = await startJob('TS_VALLEY', { deadline: iso(H + 12 * HOUR_MS) });
    const { result, job } = await outcome(handle);

    // Checks at 30-minute steps from 2.5 minutes past H until the window at H+6h: 11, plus the first plan.
    expect(result.decision).toMatchObject({
      region: 'TS_VALLEY',
      reason: 'greenest-window',
      deadline: iso(H + 12 * HOUR_MS),
      durationMinutes: 60,
      plansAsked: 12,
      forecastsUsed: 1,
      explanation:
        `greenest 60-minute window before ${isoSeconds(H + 12 * HOUR_MS)}: ${isoSeconds(H + 6 * HOUR_MS)} to ${isoSeconds(H + 7 * HOUR_MS)} ` +
        `at 500.0 lbs/MWh (226.8 g/kWh), 400.0 lbs/MWh (44.4%) below starting at once; forecast generated ${isoSeconds(H)}`,
    });
    expect(result.decision.window?.best).toMatchObject({ start: iso(H + 6 * HOUR_MS), end: iso(H + 7 * HOUR_MS) });
    expectStartedAt(job, H + 6 * HOUR_MS);
    expect(job.args).toEqual(['nightly-backup', { retries: 3 }]);
    expect(result.job).toMatchObject({ workflowType: 'reportStart', taskQueue: TASK_QUEUE, workflowId: `${handle.workflowId}:job` });

    // The job is an abandoned child; the history stays small (about ten events per check).
    const { events } = await handle.fetchHistory();
    const child = events?.find((e) => e.startChildWorkflowExecutionInitiatedEventAttributes)?.startChildWorkflowExecutionInitiatedEventAttributes;
    expect(child?.parentClosePolicy).toBe(temporal.api.enums.v1.ParentClosePolicy.PARENT_CLOSE_POLICY_ABANDON);
    expect(events?.length).toBeLessThan(12 * 12 + 20);
    expect(await handle.query(carbonAwareStatusQuery)).toMatchObject({ phase: 'started', job: { workflowId: `${handle.workflowId}:job` } });
  });

  it('plans again when a newer forecast moves the valley, and shows the plan in the Web UI and a query', async () => {
    const H = await skipToOffset(env, HOUR_MS, 2.5 * MIN);
    await storeForecast('TS_MOVED', H, valley(72, 84));
    const handle = await startJob('TS_MOVED', { deadline: iso(H + 12 * HOUR_MS) });
    await skipTo(env, H + 2 * HOUR_MS + 10 * MIN);

    const waiting = await handle.query(carbonAwareStatusQuery);
    expect(waiting).toMatchObject({ phase: 'waiting', window: { best: { start: iso(H + 6 * HOUR_MS) } }, decision: null, job: null });
    // 30 minutes after the check at H+2h02.5m (plus the few milliseconds each step takes).
    expect(Date.parse(waiting.nextCheckAt ?? '') - (H + 2 * HOUR_MS + 32.5 * MIN)).toBeGreaterThanOrEqual(0);
    expect(Date.parse(waiting.nextCheckAt ?? '') - (H + 2 * HOUR_MS + 32.5 * MIN)).toBeLessThan(MIN);
    const metadata = await handle.query<{ currentDetails?: string }>('__temporal_workflow_metadata');
    expect(metadata.currentDetails).toBe(
      `waiting until ${isoSeconds(H + 6 * HOUR_MS)} for the greenest 60-minute window (500.0 lbs/MWh, 44.4% below starting at once) ` +
        `before ${isoSeconds(H + 12 * HOUR_MS)}; forecast generated ${isoSeconds(H)}`,
    );

    // A newer forecast, generated at H+2h10, moves the valley to H+4h.
    const G2 = H + 2 * HOUR_MS + 10 * MIN;
    await storeForecast('TS_MOVED', G2, valley(22, 34));
    const { result, job } = await outcome(handle);
    // Checks at H+32.5m … H+3h32.5m (7) plus the first plan; the one at H+2h32.5m found the new forecast.
    expect(result.decision).toMatchObject({ reason: 'greenest-window', plansAsked: 8, forecastsUsed: 2 });
    expect(result.decision.window?.forecast.generatedAt).toBe(iso(G2));
    expect(result.decision.window?.best.start).toBe(iso(H + 4 * HOUR_MS));
    expect(result.decision.explanation).toMatch(/; forecast generated \S+ \(replanned: 2 forecasts used\)$/);
    expectStartedAt(job, H + 4 * HOUR_MS);
  });

  it('never starts later than deadline − duration, even when the curve keeps falling after it', async () => {
    const H = await skipToOffset(env, HOUR_MS, 2.5 * MIN);
    await storeForecast('TS_FALLING', H, (i) => 1200 - i);
    const deadline = H + 2.5 * MIN + 4 * HOUR_MS;
    const { result, job } = await outcome(await startJob('TS_FALLING', { deadline: iso(deadline) }));
    // The latest start is H+3h02.5m; the last period starting by then is H+3h.
    expect(result.decision.window?.best.start).toBe(iso(H + 3 * HOUR_MS));
    expectStartedAt(job, H + 3 * HOUR_MS);
    expect(Date.parse(result.decision.startAt)).toBeLessThanOrEqual(deadline - HOUR_MS);
  });

  it('starts at once when no forecast is stored, or when the deadline leaves no choice', async () => {
    const T = await env.currentTimeMs();
    const none = await outcome(await startJob('TS_NONE', { deadline: iso(T + 6 * HOUR_MS) }));
    expect(none.result.decision).toMatchObject({
      reason: 'no-forecast',
      plansAsked: 1,
      window: null,
      explanation: 'no co2_moer forecast is stored for TS_NONE; starting now',
    });
    expectStartedAt(none.job, T);

    const T2 = await env.currentTimeMs();
    const tight = await outcome(await startJob('TS_VALLEY', { deadline: iso(T2 + HOUR_MS) }));
    expect(tight.result.decision).toMatchObject({
      reason: 'no-choice',
      plansAsked: 0,
      explanation: `deadline ${isoSeconds(T2 + HOUR_MS)} leaves no choice: a 60-minute job must start by ${isoSeconds(T2)}; starting now`,
    });
    expectStartedAt(tight.job, T2);
  });

  it('refuses bad input with a typed failure naming the field', async () => {
    const T = await env.currentTimeMs();
    const handle = await startJob('TS_NONE', { deadline: iso(T + HOUR_MS), duration: 'soon' as never });
    const failure = await handle.result().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(WorkflowFailedError);
    const cause = (failure as WorkflowFailedError).cause;
    expect(cause).toBeInstanceOf(ApplicationFailure);
    expect(cause).toMatchObject({ type: 'InvalidCarbonAwareInput', nonRetryable: true });
    expect(cause?.message).toBe(`duration must be positive, such as '90m' or 5400000 (ms), got "soon"`);
  });
});
